"""Labelled periods and journal issues: ``Laufzeit: 2016-2020``, ``Heft 7-8/2014``.

A project's run is written in forms the free-text scanner does not read as one span (a bare
year range, ``09/2023 - 12/2025``), so :func:`parse_period` tries those first and falls back
to the scanner. :func:`parse_issue` keeps the issue number that the scanner drops (an issue
number is not reliably a month, so a found issue gives the year only).
"""

from __future__ import annotations

import re

from archive.dates.scanning import _prepare, _scan
from archive.dates.spans import (
    DateSpan,
    PartialDate,
    _combine,
    _in_range,
    _int,
    _make_date,
    _qualifier,
)

_PERIOD_LABEL_RE = re.compile(
    r"^\s*(?:projekt)?(?:laufzeit|zeitraum|dauer|förderzeitraum)\s*:?\s*", re.IGNORECASE
)
_YEAR_RANGE_RE = re.compile(
    r"^(?:vo[nm]\s+)?(?P<y1>\d{4})\s*(?:-|–|—|bis)\s*(?P<y2>\d{4})(?!\d)", re.IGNORECASE
)
_MONTH_NUM_RANGE_RE = re.compile(
    r"^(?P<m1>\d{1,2})\s?/\s?(?P<y1>\d{4})\s*(?:-|–|—|bis)\s*(?P<m2>\d{1,2})\s?/\s?(?P<y2>\d{4})"
    r"(?!\d)",
    re.IGNORECASE,
)
_SINGLE_YEAR_RE = re.compile(r"^(?:(?P<prep>seit|ab|bis)\s+)?(?P<year>\d{4})(?![\d.])", re.I)
_ISSUE_RE = re.compile(
    r"(?:(?:Heft|Ausgabe|Nr\.|H\.)\s*)?(?<![\d/.])(?P<issue>\d{1,3}(?:\s?[-–]\s?\d{1,3})?)"
    r"\s?[/|]\s?(?P<year>\d{4})(?![\d/])",
    re.IGNORECASE,
)


def parse_period(text: str) -> DateSpan | None:
    """A project's run: ``Laufzeit: September 2023 – Dezember 2025``, ``Laufzeit: 2016-2020``."""
    prepared = " ".join(_prepare(text).split())
    body = _PERIOD_LABEL_RE.sub("", prepared, count=1)
    if not body:
        return None
    years = _YEAR_RANGE_RE.match(body)
    if years is not None:
        y1, y2 = int(years.group("y1")), int(years.group("y2"))
        if not (_in_range(y1) and _in_range(y2)):
            return None
        return _combine((PartialDate(y1), ()), (PartialDate(y2), ()), years.group(0))
    months = _MONTH_NUM_RANGE_RE.match(body)
    if months is not None:
        start = _make_date(None, _int(months.group("m1")), months.group("y1"), None)
        end = _make_date(None, _int(months.group("m2")), months.group("y2"), None)
        if start is None or end is None:
            return None
        return _combine(start, end, months.group(0))
    found = _scan(body, None, ("periods",))  # a period's line: two years are its run
    if found and found[0].start <= 4 and found[0].span.qualifier != "issue":
        return found[0].span
    single = _SINGLE_YEAR_RE.match(body)
    if single is not None and _in_range(int(single.group("year"))):
        return DateSpan(
            start=PartialDate(int(single.group("year"))),
            text=single.group(0),
            qualifier=_qualifier(single.group("prep")),
        )
    return None


def parse_issue(text: str) -> tuple[PartialDate, str] | None:
    """A journal issue: ``9-10/2023`` -> (PartialDate(2023), "9-10"); ``Heft 7-8/2014``."""
    match = _ISSUE_RE.search(_prepare(text))
    if match is None:
        return None
    year = int(match.group("year"))
    if not _in_range(year):
        return None
    issue = re.sub(r"\s", "", match.group("issue")).replace("–", "-")
    return PartialDate(year), issue


__all__ = [
    "parse_issue",
    "parse_period",
]
