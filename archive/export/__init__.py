"""Write records out: JSON Lines, CSV, and citations (biblatex, RIS, CSL-JSON) in the forms
reference managers (Zotero, Citavi, JabRef, EndNote) and citation processors read.

How each kind of record is cited (:data:`RECORD_KINDS`, :data:`REFERENCE_KINDS`):

- posts of the site (news, press releases, event notices, pages) are web pages: RIS
  ``ELEC``, biblatex ``@online``, CSL ``post-weblog``/``report``/``event``/``webpage``, with
  the institute as *institutional* author (one name, never split into given and family
  name), the posting date, the URL and the date it was fetched (the access date);
- press coverage is a newspaper article (RIS ``NEWS``, CSL ``article-newspaper``);
- publications keep the form their citation was read as (``reference.kind``).

Scraped text is untrusted: every RIS value is one line (a newline could start a forged
``ER  -`` tag), every BibTeX value is escaped so the entry stays balanced, every CSV cell
that a spreadsheet would run as a formula is neutralised. The JSON Lines output is the
archive's own format and stays byte for byte what it always was.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from archive.export.bibtex import _bibtex_chunks, bibtex_key, latex_escape, to_bibtex
from archive.export.common import (
    BIBLATEX_LANGID,
    CSV_COLUMNS,
    FORMATS,
    INSTITUTE,
    INSTITUTE_PLACE,
    LANGUAGE,
    LIST_SEPARATOR,
    RECORD_KINDS,
    REFERENCE_KINDS,
    SITE_NAME,
    UNREAD_PUBLICATION,
    WEB_PAGE,
    Kind,
    accessed,
    is_post,
    issued,
    kind_of,
    one_line,
    title_of,
)
from archive.export.csl import _csljson_chunks, to_csl
from archive.export.ris import to_ris
from archive.export.tabular import FORMULA_STARTS, _csv_chunks, csv_cell

# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


__all__ = [
    "BIBLATEX_LANGID",
    "CSV_COLUMNS",
    "FORMATS",
    "FORMULA_STARTS",
    "INSTITUTE",
    "INSTITUTE_PLACE",
    "Kind",
    "LANGUAGE",
    "LIST_SEPARATOR",
    "RECORD_KINDS",
    "REFERENCE_KINDS",
    "SITE_NAME",
    "UNREAD_PUBLICATION",
    "WEB_PAGE",
    "accessed",
    "bibtex_key",
    "chunks",
    "csv_cell",
    "export_text",
    "is_post",
    "issued",
    "kind_of",
    "latex_escape",
    "one_line",
    "title_of",
    "to_bibtex",
    "to_csl",
    "to_ris",
    "write",
]


def chunks(records: Iterable[dict], fmt: str) -> Iterator[str]:
    """The export of ``records`` (already in order) in ``fmt``, piece by piece, for
    streaming a download; ``ValueError`` for an unknown format (before anything is read)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt}")
    return _chunks(records, fmt)


def _chunks(records: Iterable[dict], fmt: str) -> Iterator[str]:
    if fmt == "csv":
        yield from _csv_chunks(records)
    elif fmt == "csljson":
        yield from _csljson_chunks(records)
    elif fmt == "bibtex":
        yield from _bibtex_chunks(records)
    elif fmt == "ris":
        for record in records:
            yield to_ris(record) + "\n\n"
    else:
        for record in records:
            yield json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def write(records: Iterable[dict], fmt: str, out: TextIO) -> int:
    """Write ``records`` (already in order) in ``fmt``; return how many were written."""
    count = 0

    def counted(source: Iterable[dict]) -> Iterator[dict]:
        nonlocal count
        for record in source:
            count += 1
            yield record

    for chunk in chunks(counted(records), fmt):
        out.write(chunk)
    return count


def export_text(records: Iterable[dict], fmt: str) -> str:
    """The export as a string (for the web app's downloads)."""
    buffer = io.StringIO()
    write(records, fmt, buffer)
    return buffer.getvalue()
