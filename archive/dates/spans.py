"""The values a date reader returns and the arithmetic behind them.

:class:`PartialDate` (a date known to the year, month or day), :class:`DateSpan` (a date
or range as found in text) and :class:`DateContext` (what the page tells about when it was
written), with the helpers that validate a date, repair a typo'd year from the context
and join two ends into a span. No text is scanned here: the builders and readers in the
other modules call these once a pattern has matched.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from archive.dates.tables import (
    MAX_REPAIR_DISTANCE_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    TWO_DIGIT_YEAR_PIVOT,
)


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            assert self.month is not None
            if not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
                raise ValueError(f"day out of range: {self.year}-{self.month}-{self.day}")

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def iso(self) -> str:
        """ISO 8601 at its precision: ``2024``, ``2024-02`` or ``2024-02-06``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> date:
        """The first day this date covers."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The last day this date covers."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)


@dataclass(frozen=True)
class DateSpan:
    """A date or a range as found in text, with times ("HH:MM") and what was noticed.

    ``text`` is the matched source snippet; ``issues`` names what was repaired or doubtful;
    ``qualifier`` keeps words like ``"anfang"``, ``"bis mitte"``, ``"sommer"``, ``"issue"``.
    """

    start: PartialDate
    end: PartialDate | None = None
    start_time: str | None = None
    end_time: str | None = None
    text: str = ""
    issues: tuple[str, ...] = ()
    qualifier: str | None = None

    def iso(self) -> str:
        """ISO 8601: the start, or ``start/end`` for a range."""
        if self.end is None:
            return self.start.iso()
        return f"{self.start.iso()}/{self.end.iso()}"

    @property
    def precision(self) -> str:
        """The precision of the start."""
        return self.start.precision


@dataclass(frozen=True)
class DateContext:
    """What the page tells about when it was written: used to repair typo'd years."""

    posting_date: date | None = None
    upload_year_month: tuple[int, int] | None = None


def _in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, change or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _reference(context: DateContext | None) -> tuple[date, str] | None:
    """The day a context points at and the issue name a repair from it carries."""
    if context is None:
        return None
    if context.posting_date is not None:
        return context.posting_date, "year_repaired_from_posting_date"
    if context.upload_year_month is not None:
        year, month = context.upload_year_month
        if _in_range(year) and 1 <= month <= 12:
            return date(year, month, 15), "year_repaired_from_upload_path"
    return None


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _distance_days(year: int, month: int | None, day: int | None, ref: date) -> int:
    """Days between a (partial) date and ``ref``: 0 when the partial date covers ``ref``."""
    if month is None:
        first, last = date(year, 1, 1), date(year, 12, 31)
    else:
        if day is not None and not _valid_day(year, month, day):
            day = None
        first = date(year, month, day or 1)
        last = date(year, month, day or calendar.monthrange(year, month)[1])
    if first <= ref <= last:
        return 0
    return min(abs((first - ref).days), abs((last - ref).days))


def _resolve_year(
    token: str, month: int | None, day: int | None, context: DateContext | None
) -> tuple[int, tuple[str, ...]] | None:
    """The year a token stands for, repaired from the context only; None if unknowable."""
    if not token.isdigit() or len(token) > 5:
        return None
    if len(token) == 4 and _in_range(int(token)):
        return int(token), ()
    reference = _reference(context)
    if len(token) == 2:
        candidates = [year for year in (1900 + int(token), 2000 + int(token)) if _in_range(year)]
        if reference is not None:
            year = min(candidates, key=lambda y: abs(y - reference[0].year))
        else:
            year = 1900 + int(token) if int(token) >= TWO_DIGIT_YEAR_PIVOT else 2000 + int(token)
        return year, ("two_digit_year",)
    if reference is None:
        return None
    ref_day, issue = reference
    best: tuple[int, int] | None = None
    for candidate in (ref_day.year - 1, ref_day.year, ref_day.year + 1):
        if not _in_range(candidate) or not _within_one_edit(token, str(candidate)):
            continue
        distance = _distance_days(candidate, month, day, ref_day)
        if distance > MAX_REPAIR_DISTANCE_DAYS:
            continue
        if best is None or distance < best[0]:
            best = (distance, candidate)
    if best is None:
        return None
    return best[1], (issue,)


def _make_date(
    day: int | None, month: int | None, year_token: str, context: DateContext | None
) -> tuple[PartialDate, tuple[str, ...]] | None:
    """A validated PartialDate (impossible days fall back to the month, flagged)."""
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    resolved = _resolve_year(year_token, month, day, context)
    if resolved is None:
        return None
    year, issues = resolved
    if month is None:
        return PartialDate(year), issues
    if day is not None and not _valid_day(year, month, day):
        return PartialDate(year, month), (*issues, "impossible_day")
    return PartialDate(year, month, day), issues


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _qualifier(*words: str | None) -> str | None:
    cleaned = [" ".join(w.lower().split()) for w in words if w]
    return " ".join(cleaned) or None


def _combine(
    start: tuple[PartialDate, tuple[str, ...]],
    end: tuple[PartialDate, tuple[str, ...]] | None,
    text: str,
    qualifier: str | None = None,
) -> DateSpan:
    """A span from its ends; an end before the start is dropped and flagged."""
    issues = list(start[1])
    end_date = None
    if end is not None:
        issues.extend(i for i in end[1] if i not in issues)
        end_date = end[0]
        if end_date.last_day() < start[0].first_day():
            issues.append("end_before_start")
            end_date = None
        elif end_date == start[0]:
            end_date = None
    return DateSpan(
        start=start[0],
        end=end_date,
        text=text,
        issues=tuple(dict.fromkeys(issues)),
        qualifier=qualifier,
    )


__all__ = [
    "DateContext",
    "DateSpan",
    "PartialDate",
]
