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
  ``in <Ort>`` in that sentence; ``Seit 2014 ...`` is not one. A place before a month
  (``Leipzig, im April 2021``) is a Dateline of kind ``dateline`` at month precision,
  unless a sentence goes on after it.

Decisions of issue 15 (rows in ``tests/fixtures/dates/german_date_table.py``, read by
``tests/unit/archive/test_dates_german_classes.py`` and ``bench/dates_bench.py``):

- Days joined by words share the month and year of the last: ``am 3. und 4. Juni 2021``,
  ``zwischen dem 12. und 14. Oktober 2022`` and ``von Dienstag, 7. bis Donnerstag, 9. Mai
  2019`` are day ranges (``und`` reads as a range too: the span covers both days).
  Weekdays are skipped, not checked against the day.
- A range with a time at each end (``vom 02.03.2022, 9:30 Uhr, bis 03.03.2022, 15:00
  Uhr``) keeps the start's time as ``start_time`` and the end's as ``end_time``; so does
  ``Beginn: 21.06.2024, 10:00 Uhr; Ende: 16:15 Uhr`` (one day, two times).
- Months written as numbers are read in a range (``01/2020 – 12/2022``, ``10.2022 bis
  03.2023``) and alone only after ``Stand``/``Datum``/``aktualisiert`` (``Stand: 3/2015``,
  ``Stand: 2022-11``): a lone ``7/2014`` stays an issue number (year only). After those
  labels short years are read too (``Stand: 4.7.19``, ``Stand: Sept. '20``); a year with an
  apostrophe (``Okt. '22``) is read anywhere. All carry ``two_digit_year``.
- ``Ende Februar/Anfang März 2022`` and ``Juli/August 2023`` are month ranges.
- Two years are a period only after a period word: ``Laufzeit``, any ``…zeitraum``/
  ``…laufzeit``/``…periode``, ``Dauer``, ``in den Jahren``; ``von 2015 bis 2018`` with
  ``bis`` only; never before a unit (``von 2000 bis 2050 Euro``). Bare ``2015-2018`` and
  ``2010-12`` are no dates. The scanner reads such periods only when asked
  (``periods=True``; :func:`parse_period` always does): a topic page lists its projects'
  runs, and a record without a better date takes the first date of its text.
- Quarters and half-years are month ranges (``3. Quartal 2021`` -> 2021-07/2021-09, ``Q2
  2022``, ``zweite Jahreshälfte 2022``); a calendar week is its ISO week, Monday to Sunday,
  at day precision (``KW 53/2020`` -> 2020-12-28/2021-01-03); a week or quarter the year
  does not have is no date.
- ``12.-14.9.22``: a day range with a two-digit year is read (flagged ``two_digit_year``),
  as are ``03-Okt-2016``, ``Freitag 9 Mai, 2014`` and the Divi theme's ``Mär 13, 2024``.
- Years that are dates but not the text's date are read only when the caller asks, so a
  record's date never comes from them (as for periods above): ``context_years=True``
  reads ``gegründet 1994``, ``© 2019``, ``© 2011–2016``; ``references=True`` reads the
  years of journal references (``Jg. 71, Heft 4 (2019)``, ``38. Jahrgang, Nr. 2, 2016``)
  and author-year citations
  (``Becker (2015)``, ``(Wagner et al. 2021, S. 12)``, ``(Krause/Lange 2014b)``), at year
  precision with the qualifier ``founded``, ``copyright``, ``journal`` or ``citation``.
- An invitation sentence is read by :func:`parse_invitation` (day, times, the venue named
  ``in das``/``im``/``ins`` after them), not by :func:`parse_event_line`: a record's type
  rules use the event line, and a sentence with a day is no event line.

The package is split by concern; each module says what it holds:

- :mod:`.tables`: limits, month names and other German words, the pattern sources.
- :mod:`.spans`: :class:`PartialDate`, :class:`DateSpan`, :class:`DateContext`, and the
  year repair and span arithmetic behind them.
- :mod:`.machine`: machine-written dates (ISO, WordPress, HTTP) and upload paths.
- :mod:`.builders`: one builder per day or month pattern, a match in and a span out.
- :mod:`.units`: builders for calendar units (quarters, half-years, weeks), labelled year
  ranges, numeric month ranges and ``Stand:`` forms.
- :mod:`.references`: builders for the years read only when asked (founding, copyright,
  cited works).
- :mod:`.scanning`: finding dates and times in free text.
- :mod:`.datelines`: datelines, press-release lines and event lines.
- :mod:`.invitations`: invitation sentences (day, times, venue).
- :mod:`.periods`: labelled project periods and journal issues.

Each imports only from those above it in this list. Import the public names from
``archive.dates``.
"""

from __future__ import annotations

from archive.dates.datelines import Dateline, EventLine, parse_dateline, parse_event_line
from archive.dates.invitations import parse_invitation
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
    "parse_invitation",
    "parse_issue",
    "parse_machine_date",
    "parse_period",
    "parse_time_range",
    "upload_year_month",
]
