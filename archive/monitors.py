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


def discovery_cut_short(stats: dict) -> list[str]:
    """The limits that cut a crawl's discovery short, with how much (``["depth 3"]``):
    the crawl may not have seen every page, so its absences are not removals."""
    return [
        f"{rule} {count}"
        for rule in statkeys.LIMIT_CUTS
        if (count := int(stats.get(statkeys.cut(rule), 0) or 0))
    ]


def incomplete_because(stats: dict) -> str | None:
    """Why a run's counts do not stand for the whole site (None: they do): it stopped
    early, its limits cut discovery short, or it resumed a crawl without its counts."""
    reason = stats.get("finish_reason")
    if reason is not None and reason != "finished":
        return f"the crawl stopped early ({reason})"
    cut_short = discovery_cut_short(stats)
    if cut_short:
        return "limits cut discovery short (" + ", ".join(cut_short) + ")"
    if stats.get(statkeys.RESUME_PARTIAL_COUNTS) or (
        stats.get(statkeys.RESUME_SKIPPED) and statkeys.RESUME_CARRIED not in stats
    ):
        # The second form: resumed by a version that did not carry counts over.
        return "a resumed crawl without the counts of its first part"
    return None


def check_item_count(stats: dict, history: list[dict]) -> MonitorResult:
    """The run harvested at least 90% of the median of the earlier runs.

    Only complete runs count, on either side: a run that stopped early, was cut short by
    its limits or lost the counts of its first part is neither checked nor part of the
    median, so a partial count neither fails a run nor lowers the bar for later ones.
    """
    seen = records_seen(stats)
    why = incomplete_because(stats)
    if why is not None:
        return MonitorResult("item_count", True, f"{seen} records, not compared: {why}")
    complete = [run for run in history if incomplete_because(run) is None]
    earlier = [records_seen(run) for run in complete[:HISTORY_RUNS] if records_seen(run) > 0]
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


def check_discovery(stats: dict) -> MonitorResult:
    """No limit of the crawl (pages per URL pattern, link depth, page budget) cut its
    discovery short; traps recognised by their shape are reported, not failed."""
    cut_short = discovery_cut_short(stats)
    traps = {
        rule: count
        for rule, count in statkeys.by_suffix(stats, statkeys.CUT_PREFIX).items()
        if rule not in statkeys.LIMIT_CUTS and count
    }
    trap_text = ", ".join(f"{rule} {count}" for rule, count in sorted(traps.items()))
    if cut_short:
        examples = "; ".join(
            f"{rule}: {stats.get(statkeys.cut_example(rule), '?')}"
            for rule in statkeys.LIMIT_CUTS
            if stats.get(statkeys.cut(rule))
        )
        detail = f"cut short by limits: {', '.join(cut_short)} (e.g. {examples})"
        return MonitorResult("discovery", False, detail)
    return MonitorResult(
        "discovery", True, "complete" + (f"; traps cut off: {trap_text}" if trap_text else "")
    )


def site_unreachable(stats: dict) -> str | None:
    """What the crawl could not reach (its start URL and why), or None."""
    value = stats.get(statkeys.SITE_UNREACHABLE)
    return str(value) if value else None


def check_site_reachable(stats: dict) -> MonitorResult:
    """The site answered the start page at all."""
    unreachable = site_unreachable(stats)
    if unreachable:
        return MonitorResult("site_reachable", False, f"the site does not answer: {unreachable}")
    return MonitorResult("site_reachable", True, "answered")


def run_monitors(stats: dict, history: list[dict]) -> list[MonitorResult]:
    """Every check for a run, given the stats of earlier runs (newest first).

    A run that never reached the site gets that one check: counts, coverage and rates of
    nothing would only bury the one line that matters.
    """
    if site_unreachable(stats):
        return [check_site_reachable(stats)]
    return [
        check_item_count(stats, history),
        check_field_coverage(stats),
        check_error_rate(stats),
        check_finish_reason(stats),
        check_discovery(stats),
    ]
