"""German dates as the IKPE site writes them, normalised to ISO 8601.

Pure functions: strings (and an optional :class:`DateContext`) in, values out. Messy input
gives ``None`` or an empty list, never an exception. Every date returned lies in
:data:`MIN_YEAR`..:data:`MAX_YEAR`.

Decisions on ambiguous forms (each has rows in ``tests/test_dates.py``):

- A year that is impossible (outside 1990-2100) or has the wrong number of digits
  (``06.02.204``) is repaired only from the context: the posting date, else the month of
  the upload path. The repaired year must be one edit (a dropped, added, changed or swapped
  digit) away from a year next to the reference, and the repaired date must lie within
  :data:`MAX_REPAIR_DISTANCE_DAYS` of it. The span then carries
  ``year_repaired_from_posting_date`` or ``year_repaired_from_upload_path``. Without a
  context that fits, the date is dropped: never a silent guess.
- Two-digit years are read only in the strict form ``DD.MM.YY`` (``01.02.24`` ->
  2024-02-01, ``15.06.98`` -> 1998-06-15; with a context the century nearest to it) and are
  flagged ``two_digit_year``. ``1.2.24`` and ``12. März 24`` are not read.
- An impossible day (``31.02.2024``) keeps the month (precision ``month``) and is flagged
  ``impossible_day``. A range whose end lies before its start keeps the start only and is
  flagged ``end_before_start``.
- ``Anfang/Mitte/Ende Februar 2024`` -> ``2024-02`` (precision month); the words are kept in
  :attr:`DateSpan.qualifier` (``"anfang"``, ``"bis mitte"``). ``Ende 2025`` -> year 2025.
- Seasons are meteorological month ranges: ``Frühjahr`` March-May, ``Sommer`` June-August,
  ``Herbst`` September-November, ``Winter 2023/24`` December 2023-February 2024. A bare
  ``Winter 2023`` is ambiguous (which winter?) and gives the year only.
- Issue numbers (``Sozialmagazin 9-10/2023``, ``Heft 7-8/2014``) give the year only: an issue
  number is not reliably a month. :func:`parse_issue` returns the issue as well.
- Bare years (``2023``), yearless days (``am 06. November``) and ``HH.MM`` times are not dates.
- A first line that is a sentence opening with its date is a Dateline of kind
  ``opening_sentence`` (day or month precision), its place the gazetteer place named
  ``in <Ort>`` in that sentence; ``Seit 2014 ...`` is not one.

The package is split by concern; each module says what it holds:

- :mod:`.tables`: limits, month names and other German words, the pattern sources.
- :mod:`.spans`: :class:`PartialDate`, :class:`DateSpan`, :class:`DateContext`, and the
  year repair and span arithmetic behind them.
- :mod:`.machine`: machine-written dates (ISO, WordPress, HTTP) and upload paths.
- :mod:`.builders`: one builder per date pattern, a match in and a span out.
- :mod:`.scanning`: finding dates and times in free text.
- :mod:`.datelines`: datelines, press-release lines and event lines.
- :mod:`.periods`: labelled project periods and journal issues.

Each imports only from those above it in this list. Import the public names from
``archive.dates``.
"""

from __future__ import annotations

from archive.dates.datelines import Dateline, EventLine, parse_dateline, parse_event_line
from archive.dates.machine import parse_machine_date, upload_year_month
from archive.dates.periods import parse_issue, parse_period
from archive.dates.scanning import _COMPILED as _COMPILED  # tests check it is guarded
from archive.dates.scanning import find_dates, parse_date, parse_time_range
from archive.dates.spans import DateContext, DateSpan, PartialDate
from archive.dates.tables import MAX_YEAR, MIN_YEAR

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "DateContext",
    "Dateline",
    "DateSpan",
    "EventLine",
    "PartialDate",
    "find_dates",
    "parse_date",
    "parse_dateline",
    "parse_event_line",
    "parse_issue",
    "parse_machine_date",
    "parse_period",
    "parse_time_range",
    "upload_year_month",
]
