"""Checks at the end of every nightly run, in the spirit of spidermon.

Pure: a run's stats and the history of earlier runs in, a list of results out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from archive import statkeys
from archive.schema import ENTRY_TYPES, RECORD_TYPES

ITEM_COUNT_RATIO = 0.9  # not below 90% of the median of the last runs
HISTORY_RUNS = 7
MAX_ERROR_RATE = 0.05  # errors per response
MAX_EMPTY_TEXT_SHARE = 0.1  # posts and pages without any text, of all posts and pages
REQUIRED_FIELDS = {"*": ("title", "date")}
TEXT_TYPES = ("news", "press_release", "event")


@dataclass(frozen=True)
class MonitorResult:
    """One check: its name, whether it passed, and what it saw."""

    name: str
    ok: bool
    detail: str

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


def records_seen(stats: dict) -> int:
    """How many records a run built (valid ones, of every type)."""
    return sum(int(stats.get(statkeys.records(t), 0)) for t in RECORD_TYPES)


def check_item_count(stats: dict, history: list[dict]) -> MonitorResult:
    """The run harvested at least 90% of the median of the earlier runs."""
    seen = records_seen(stats)
    earlier = [records_seen(run) for run in history[:HISTORY_RUNS] if records_seen(run) > 0]
    if not earlier:
        return MonitorResult("item_count", seen > 0, f"{seen} records (no earlier runs)")
    median = statistics.median(earlier)
    ok = seen >= ITEM_COUNT_RATIO * median
    return MonitorResult(
        "item_count", ok, f"{seen} records, median of the last {len(earlier)} runs {median:g}"
    )


def empty_text_share(stats: dict) -> float:
    """The share of posts and pages whose text came out empty."""
    entries = sum(int(stats.get(statkeys.records(t), 0)) for t in ENTRY_TYPES)
    return int(stats.get(statkeys.RECORDS_EMPTY_TEXT, 0)) / entries if entries else 0.0


def extraction_healthy(stats: dict) -> bool:
    """False when extraction looks broken: records lost their text, or many have none."""
    degraded = int(stats.get(statkeys.RECORDS_DEGRADED, 0))
    return degraded == 0 and empty_text_share(stats) <= MAX_EMPTY_TEXT_SHARE


def check_field_coverage(stats: dict) -> MonitorResult:
    """Every record has a title and a date; every post (news, press release, event) a text;
    no record lost the text its archived version has; few pages come out empty."""
    gaps = []
    degraded = int(stats.get(statkeys.RECORDS_DEGRADED, 0))
    if degraded:
        gaps.append(f"{degraded} records lost their text (archived versions kept)")
    share = empty_text_share(stats)
    if share > MAX_EMPTY_TEXT_SHARE:
        gaps.append(f"{100 * share:.0f}% of posts and pages without text")
    for record_type in RECORD_TYPES:
        total = int(stats.get(statkeys.records(record_type), 0))
        if not total:
            continue
        fields = ("title", "date", "text") if record_type in TEXT_TYPES else ("title", "date")
        for name in fields:
            missing = int(stats.get(statkeys.missing(record_type, name), 0))
            if missing:
                gaps.append(f"{record_type}.{name} {100 * (total - missing) / total:.0f}%")
    return MonitorResult(
        "field_coverage", not gaps, "all 100%" if not gaps else "below 100%: " + ", ".join(gaps)
    )


def check_error_rate(stats: dict) -> MonitorResult:
    """Errors stay below the threshold share of responses."""
    responses = int(stats.get(statkeys.NETWORK_RESPONSES, 0))
    errors = int(stats.get(statkeys.ERRORS, 0)) + int(stats.get(statkeys.RECORDS_INVALID, 0))
    rate = errors / responses if responses else (1.0 if errors else 0.0)
    detail = f"{errors} errors in {responses} responses ({100 * rate:.1f}%"
    return MonitorResult(
        "error_rate", rate <= MAX_ERROR_RATE, f"{detail}, limit {100 * MAX_ERROR_RATE:g}%)"
    )


def check_finish_reason(stats: dict) -> MonitorResult:
    """The crawl ran to its end."""
    reason = str(stats.get("finish_reason", "unknown"))
    return MonitorResult("finish_reason", reason == "finished", reason)


def run_monitors(stats: dict, history: list[dict]) -> list[MonitorResult]:
    """Every check for a run, given the stats of earlier runs (newest first)."""
    return [
        check_item_count(stats, history),
        check_field_coverage(stats),
        check_error_rate(stats),
        check_finish_reason(stats),
    ]
