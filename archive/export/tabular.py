"""CSV for spreadsheets, with cells neutralised against formula injection.

OWASP's rule (CSV Injection): a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is run as a formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK``,
``=cmd|...``, ``@SUM``), so it gets a leading apostrophe and is shown as text; every cell
is quoted as the csv module needs (a quote, comma or line break inside stays in its cell).

Decision on numbers: no column of this export is a number (ids, types, ISO dates, titles,
URLs, summaries, names, places, categories, topics), so a leading ``-`` is always text and
neutralising it corrupts nothing; a title such as ``-30 % Armut`` comes out as
``'-30 % Armut``, which is what OWASP accepts as the price. A numeric column added later
must be written as a number, not passed through :func:`csv_cell`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from archive.export.common import CSV_COLUMNS, LIST_SEPARATOR

# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------

# A cell starting with one of these is run as a formula by spreadsheets (Excel, LibreOffice,
# Google Sheets): "=cmd|' /C calc'!A0". A leading apostrophe makes it text (OWASP's advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell for ``value``: lists joined, formulas neutralised."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_row(record: dict) -> list[str]:
    return [csv_cell(record.get(column)) for column in CSV_COLUMNS]


def _csv_chunks(records: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow(_csv_row(record))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():  # the header of an empty export
        yield buffer.getvalue()
