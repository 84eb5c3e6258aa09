"""Builders for spans of calendar units and short labelled forms.

Quarters and half-years (month spans), ISO calendar weeks (Monday to Sunday), year ranges a
period word introduces (``Laufzeit: 2017–2020``), months written as numbers in a range
(``01/2020 – 12/2022``) and the short forms only a label makes dates (``Stand: 3/2015``,
``Stand: 4.7.19``). Like :mod:`.builders`, each takes a match of its pattern in
:data:`archive.dates.tables.DATE_PATTERNS` and gives a span or None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from archive.dates.builders import Builder, _month_number
from archive.dates.spans import (
    DateContext,
    DateSpan,
    PartialDate,
    _combine,
    _in_range,
    _int,
    _make_date,
    _qualifier,
)
from archive.dates.tables import ORDINALS, PERIOD_LABEL_BEFORE

_PERIOD_LABEL_BEFORE_RE = re.compile(PERIOD_LABEL_BEFORE, re.IGNORECASE)


def _build_part_of_year(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    if m.group("letter"):
        unit = "quartal" if m.group("letter").lower() == "q" else "halbjahr"
        number = int(m.group("ln"))
        year_token = m.group("ly")
    else:
        unit = m.group("unit").lower()
        year_token = m.group("year")
        if m.group("n"):
            number = int(m.group("n"))
        elif m.group("roman"):
            number = ORDINALS[m.group("roman").lower()]
        else:
            stem = m.group("word").lower()[:5].rstrip("eln")
            halves = unit != "quartal"
            number = (2 if halves else 4) if stem == "letzt" else ORDINALS.get(stem, 0)
    year = int(year_token)
    if not _in_range(year):
        return None
    months = 3 if unit == "quartal" else 6
    if not 1 <= number <= 12 // months:
        return None
    first = (number - 1) * months + 1
    return DateSpan(
        start=PartialDate(year, first),
        end=PartialDate(year, first + months - 1),
        text=m.group(0),
        qualifier="quarter" if months == 3 else "half_year",
    )


def _build_week(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    week = _int(m.group("w1") or m.group("w2"))
    token = m.group("y1") or m.group("y2")
    if week is None or token is None:
        return None
    resolved = _make_date(None, None, token, context)
    if resolved is None:
        return None
    year, issues = resolved[0].year, resolved[1]
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:  # week 0, or a week 53 the year does not have
        return None
    sunday = monday + timedelta(days=6)
    if not (_in_range(monday.year) and _in_range(sunday.year)):
        return None
    return DateSpan(
        start=PartialDate(monday.year, monday.month, monday.day),
        end=PartialDate(sunday.year, sunday.month, sunday.day),
        text=m.group(0),
        issues=issues,
        qualifier="week",
    )


def _full_year(first: int, token: str) -> int:
    """The end year of a range: ``2023/24`` -> 2024."""
    if len(token) == 4:
        return int(token)
    return (first // 100) * 100 + int(token)


def _build_year_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    # Only a period word makes two years a period; the words stand before the match so that
    # the pattern can be guarded by its first digit.
    label = _PERIOD_LABEL_BEFORE_RE.search(m.string, max(0, m.start() - 60), m.start())
    if label is None:
        return None
    if label.group("label") is None and not m.group("sep").lower().startswith("bis"):
        return None  # "von 2015-2018" without a period word: too often a number range
    y1 = int(m.group("y1"))
    y2 = _full_year(y1, m.group("y2"))
    if not (_in_range(y1) and _in_range(y2)) or y2 <= y1:
        return None
    return DateSpan(start=PartialDate(y1), end=PartialDate(y2), text=m.group(0))


def _build_month_number_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    start = _make_date(None, _int(m.group("m1")), m.group("y1"), None)
    end = _make_date(None, _int(m.group("m2")), m.group("y2"), None)
    if start is None or end is None:
        return None
    return _combine(start, end, m.group(0))


def _build_labelled(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    """``Stand: 4.7.19``, ``Stand: Sept. '20``, ``Stand: 3/2015``, ``Stand: 2022-11``."""
    if m.group("sd"):
        made = _make_date(_int(m.group("sd")), _int(m.group("sm")), m.group("syy"), context)
    elif m.group("smon"):
        made = _make_date(None, _month_number(m.group("smon")), m.group("smy"), context)
    elif m.group("snm"):
        made = _make_date(None, _int(m.group("snm")), m.group("sny"), None)
    elif m.group("siy"):
        made = _make_date(None, _int(m.group("sim")), m.group("siy"), None)
    else:
        made = _make_date(None, None, m.group("sy"), None)
    if made is None:
        return None
    return _combine(made, None, m.group(0), _qualifier(m.group("label")))


UNIT_BUILDERS: dict[str, Builder] = {
    "month_number_range": _build_month_number_range,
    "labelled": _build_labelled,
    "part_of_year": _build_part_of_year,
    "week": _build_week,
    "year_range": _build_year_range,
}


__all__ = ["UNIT_BUILDERS"]
