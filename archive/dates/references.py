"""Builders for years a caller asks for: founding and copyright years, cited works' years.

``gegründet 1994``, ``© 2011–2016``, ``Jg. 71, Heft 4 (2019)``, ``Becker (2015)``,
``(Krause/Lange 2014b)``. These are dates, but not the date of the text they stand in, so
the readers find them only when asked (``context_years=True``, ``references=True``; the
patterns are :data:`archive.dates.tables.OPTIONAL_PATTERNS`). Each gives a year-precision
span (a range for ``© 2011–2016``) with a qualifier naming what it is.
"""

from __future__ import annotations

import re

from archive.dates.builders import Builder
from archive.dates.spans import DateContext, DateSpan, PartialDate, _in_range


def _year_span(m: re.Match[str], qualifier: str) -> DateSpan | None:
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    return DateSpan(start=PartialDate(year), text=m.group(0), qualifier=qualifier)


def _build_founded(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    return _year_span(m, "founded")


def _build_copyright(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    first = int(m.group("y1"))
    if not _in_range(first):
        return None
    end = None
    if m.group("y2"):
        token = m.group("y2")
        last = int(token) if len(token) == 4 else (first // 100) * 100 + int(token)
        if not _in_range(last) or last <= first:
            return None
        end = PartialDate(last)
    return DateSpan(start=PartialDate(first), end=end, text=m.group(0), qualifier="copyright")


def _build_journal(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    return _year_span(m, "journal")


def _build_citation(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    return _year_span(m, "citation")


OPTIONAL_BUILDERS: dict[str, Builder] = {
    "founded": _build_founded,
    "copyright": _build_copyright,
    "journal": _build_journal,
    "author_year": _build_citation,
    "author_year_inside": _build_citation,
}


__all__ = ["OPTIONAL_BUILDERS"]
