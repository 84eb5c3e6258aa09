"""One builder per date pattern: a regular-expression match in, a DateSpan (or None) out.

Each pattern of :data:`archive.dates.tables.DATE_PATTERNS` has its builder here, under the
same name in :data:`_BUILDERS`. A builder reads the groups of its match, resolves the year
(repairing it from the context where the rules allow) and decides what the match means:
a range, a season, an issue number's year. Finding the matches is :mod:`.scanning`'s job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from archive.dates.machine import _berlin, parse_machine_date
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
from archive.dates.tables import MONTHS, SEASONS


def _month_number(word: str | None) -> int | None:
    if not word:
        return None
    return MONTHS.get(word.lower().rstrip(".").strip())


Builder = Callable[[re.Match[str], "DateContext | None"], "DateSpan | None"]


def _build_iso(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    if m.group("hh") is not None:
        moment = parse_machine_date(m.group(0))
        if moment is None:
            return None
        local = moment.astimezone(_berlin()) if m.group("tz") else moment
        return DateSpan(
            start=PartialDate(local.year, local.month, local.day),
            start_time=f"{local.hour:02d}:{local.minute:02d}",
            text=m.group(0),
        )
    made = _make_date(_int(m.group("day")), _int(m.group("month")), m.group("year"), None)
    if made is None or made[1]:
        return None
    return DateSpan(start=made[0], text=m.group(0))


def _build_numeric(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year_token = m.group("year")
    if len(year_token) == 2:
        # Only the strict DD.MM.YY form, and not a time or a longer number after it.
        if len(m.group("day")) != 2 or len(m.group("month")) != 2:
            return None
        if re.match(r"[.:,]\d", m.string[m.end() : m.end() + 2]):
            return None
    made = _make_date(_int(m.group("day")), _int(m.group("month")), year_token, context)
    if made is None:
        return None
    return _combine(made, None, m.group(0))


def _range_ends(
    d1: int | None,
    m1: int | None,
    y1: str | None,
    d2: int | None,
    m2: int | None,
    y2: str,
    context: DateContext | None,
) -> tuple[tuple[PartialDate, tuple[str, ...]], tuple[PartialDate, tuple[str, ...]]] | None:
    end = _make_date(d2, m2, y2, context)
    if end is None:
        return None
    if m1 is None:
        m1 = m2
    if y1:
        start = _make_date(d1, m1, y1, context)
    else:
        start_year = end[0].year
        if m1 is not None and m2 is not None and m1 > m2:
            start_year -= 1  # "30.12.-02.01.2024" runs over the new year
        start = _make_date(d1, m1, str(start_year), None)
    if start is None:
        return None
    return start, end


def _build_numeric_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    after = m.string[m.end() : m.end() + 2]
    if len(m.group("y2")) == 2 and (m.group("y1") or re.match(r"[.:,]\d", after)):
        return None  # "12.-14.9.22" is read; a four-digit start year with a short end is not
    ends = _range_ends(
        _int(m.group("d1")),
        _int(m.group("m1")),
        m.group("y1"),
        _int(m.group("d2")),
        _int(m.group("m2")),
        m.group("y2"),
        context,
    )
    return None if ends is None else _combine(ends[0], ends[1], m.group(0))


def _build_textual_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    ends = _range_ends(
        _int(m.group("d1")),
        _month_number(m.group("mon1")),
        m.group("y1"),
        _int(m.group("d2")),
        _month_number(m.group("mon2")),
        m.group("y2"),
        context,
    )
    return None if ends is None else _combine(ends[0], ends[1], m.group(0))


def _build_month_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    # "Ende Februar/Anfang März 2022": the part words blur the ends, the months stay.
    ends = _range_ends(
        None,
        _month_number(m.group("mon1")),
        m.group("y1"),
        None,
        _month_number(m.group("mon2")),
        m.group("y2"),
        context,
    )
    return None if ends is None else _combine(ends[0], ends[1], m.group(0))


def _build_textual(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    made = _make_date(_int(m.group("day")), _month_number(m.group("mon")), m.group("year"), context)
    if made is None:
        return None
    return _combine(made, None, m.group(0), _qualifier(m.group("prep")))


def _build_month_year(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    if m.group("mday"):  # "Mär 13, 2024"
        made = _make_date(
            _int(m.group("mday")), _month_number(m.group("mon")), m.group("myear"), context
        )
        return None if made is None else _combine(made, None, m.group(0))
    # "Sept. '20": the apostrophe says the two digits are a year.
    year_token = m.group("year") or m.group("yy")
    made = _make_date(None, _month_number(m.group("mon")), year_token, context)
    if made is None:
        return None
    return _combine(made, None, m.group(0), _qualifier(m.group("prep"), m.group("part")))


def _build_season(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    season = m.group("season").lower()
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    first, last = SEASONS[season]
    qualifier = _qualifier(m.group("prep"), season)
    if first <= last:
        return DateSpan(
            start=PartialDate(year, first),
            end=PartialDate(year, last),
            text=m.group(0),
            qualifier=qualifier,
        )
    next_token = m.group("y2")
    if next_token:
        next_year = (
            int(next_token) if len(next_token) == 4 else (year // 100) * 100 + int(next_token)
        )
        if next_year == year + 1 and _in_range(next_year):
            return DateSpan(
                start=PartialDate(year, first),
                end=PartialDate(next_year, last),
                text=m.group(0),
                qualifier=qualifier,
            )
    # "Winter 2023": which winter is unknown; keep the year.
    return DateSpan(start=PartialDate(year), text=m.group(0), qualifier=qualifier)


def _build_part_year(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    return DateSpan(
        start=PartialDate(year),
        text=m.group(0),
        qualifier=_qualifier(m.group("prep"), m.group("part")),
    )


def _build_prep_year(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    return DateSpan(start=PartialDate(year), text=m.group(0), qualifier=_qualifier(m.group("prep")))


def _build_issue(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    return DateSpan(start=PartialDate(year), text=m.group(0), qualifier="issue")


def _clock(token: str | None) -> str | None:
    """``"9:30 Uhr"``, ``"9.30 Uhr"``, ``"9 Uhr"``, ``"9:30"`` -> ``"09:30"``; None if no time."""
    if not token:
        return None
    match = re.match(r"(\d{1,2})(?:[:.](\d{2}))?", token)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


def _day_end(
    m: re.Match[str], n: int, context: DateContext | None
) -> tuple[PartialDate, tuple[str, ...]] | None:
    """One end of a range written as a full day date (groups ``d<n>``, ``m<n>``/``mon<n>``)."""
    month = _int(m.group(f"m{n}")) or _month_number(m.group(f"mon{n}"))
    return _make_date(_int(m.group(f"d{n}")), month, m.group(f"y{n}"), context)


def _with_times(span: DateSpan, start: str | None, end: str | None) -> DateSpan:
    issues = span.issues
    if start and end and end < start and span.end is None:
        issues = (*issues, "end_time_before_start_time")
    return replace(span, start_time=start, end_time=end, issues=issues)


def _build_timed_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    start, end = _day_end(m, 1, context), _day_end(m, 2, context)
    if start is None or end is None:
        return None
    span = _combine(start, end, m.group(0))
    return _with_times(span, _clock(m.group("t1")), _clock(m.group("t2")))


def _build_start_end(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    start = _day_end(m, 1, context)
    if start is None:
        return None
    end = _day_end(m, 2, context) if m.group("d2") else None
    span = _combine(start, end, m.group(0))
    return _with_times(span, _clock(m.group("t1")), _clock(m.group("t2")))


def _build_dashed(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    """``03-Okt-2016``."""
    made = _make_date(_int(m.group("day")), _month_number(m.group("mon")), m.group("year"), context)
    return None if made is None else _combine(made, None, m.group(0))


_BUILDERS: dict[str, Builder] = {
    "iso": _build_iso,
    "timed_range": _build_timed_range,
    "start_end": _build_start_end,
    "dashed": _build_dashed,
    "numeric_range": _build_numeric_range,
    "textual_range": _build_textual_range,
    "month_range": _build_month_range,
    "numeric": _build_numeric,
    "textual": _build_textual,
    "month_year": _build_month_year,
    "season": _build_season,
    "part_year": _build_part_year,
    "prep_year": _build_prep_year,
    "issue": _build_issue,
}


__all__ = [
    "Builder",
]
