"""Records per month as a bar chart drawn on the server (SVG, no script).

Pure geometry: month counts in, bars with their positions out; the template writes the
``<svg>``, each bar a link that sets the search's date range to its month and carries a
``<title>`` with the count. Months without records get no bar but keep their place, so
the time axis is even.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 960
HEIGHT = 200
TOP = 12  # room above the highest bar
AXIS = 24  # room below the bars for the year labels
LABEL_ROOM = 44  # horizontal room a year label needs
_MONTH = re.compile(r"^(\d{4})-(\d{2})", re.ASCII)


@dataclass(frozen=True)
class Bar:
    """One month's bar: where it is drawn and what it stands for."""

    month: str  # YYYY-MM
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class YearMark:
    """Where a year starts on the axis."""

    year: str
    x: float
    label: bool  # years are labelled only where there is room


@dataclass(frozen=True)
class Histogram:
    """The bars and year marks of a chart ``width`` × ``height`` (SVG user units)."""

    bars: list[Bar]
    years: list[YearMark]
    width: int
    height: int
    baseline: float
    maximum: int
    undated: int  # records dated to a year only: they have no month


def month_counts(dates: Iterable[str]) -> tuple[Counter, int]:
    """Records per ``YYYY-MM`` and how many dates have no month (``2023``)."""
    counts: Counter = Counter()
    undated = 0
    for value in dates:
        match = _MONTH.match(value or "")
        if match:
            counts[f"{match[1]}-{match[2]}"] += 1
        else:
            undated += 1
    return counts, undated


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return months


def layout(counts: Counter, undated: int = 0) -> Histogram:
    """The bars for ``counts`` (month -> records), from the first month to the last."""
    baseline = HEIGHT - AXIS
    if not counts:
        return Histogram([], [], WIDTH, HEIGHT, baseline, 0, undated)
    months = _months_between(min(counts), max(counts))
    slot = WIDTH / len(months)
    gap = min(2.0, slot * 0.2)
    maximum = max(counts.values())
    scale = (baseline - TOP) / maximum
    bars, years = [], []
    last_label = -LABEL_ROOM
    for position, month in enumerate(months):
        x = round(position * slot, 2)
        if month.endswith("-01") or position == 0:
            label = x - last_label >= LABEL_ROOM and x <= WIDTH - LABEL_ROOM / 2
            if label:
                last_label = x
            years.append(YearMark(month[:4], x, label))
        count = counts.get(month, 0)
        if count:
            height = round(max(count * scale, 1.0), 2)
            bars.append(
                Bar(month, count, x, round(baseline - height, 2), round(slot - gap, 2), height)
            )
    return Histogram(bars, years, WIDTH, HEIGHT, baseline, maximum, undated)
