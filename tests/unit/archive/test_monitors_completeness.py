"""Tables for archive.monitors (issue 13): which runs count as complete discoveries, the
item-count monitor over complete runs only, the discovery and reachability checks."""

from __future__ import annotations

import pytest

from archive import statkeys
from archive.monitors import (
    check_discovery,
    check_item_count,
    check_site_reachable,
    discovery_cut_short,
    incomplete_because,
    run_monitors,
)


def news(count: int, **extra) -> dict:
    return {statkeys.records("news"): count, "finish_reason": "finished", **extra}


# (stats, why incomplete or None), note.
COMPLETENESS_CASES = [
    (news(100), None, "a finished run"),
    ({statkeys.records("news"): 100}, None, "no finish reason recorded: taken as finished"),
    (news(100, finish_reason="shutdown"), "the crawl stopped early (shutdown)", "stopped"),
    (news(10, finish_reason="page_budget"), "the crawl stopped early (page_budget)",
     "the page budget was spent"),
    (news(100, **{statkeys.cut("depth"): 2}), "limits cut discovery short (depth 2)",
     "a depth limit cut"),
    (news(100, **{statkeys.cut("per_pattern"): 5, statkeys.cut("budget"): 1}),
     "limits cut discovery short (per_pattern 5, budget 1)", "several limits, in order"),
    (news(100, **{statkeys.cut("date_out_of_range"): 40, statkeys.cut("repeated_segments"): 3}),
     None, "traps cut by their shape: complete all the same"),
    (news(100, **{statkeys.RESUME_PARTIAL_COUNTS: 1}),
     "a resumed crawl without the counts of its first part", "partial counts flagged"),
    (news(40, **{statkeys.RESUME_SKIPPED: 60}),
     "a resumed crawl without the counts of its first part",
     "resumed by an older version (skips, nothing carried)"),
    (news(100, **{statkeys.RESUME_SKIPPED: 60, statkeys.RESUME_CARRIED: 60}), None,
     "resumed with its first part's counts carried"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, why", [c[:2] for c in COMPLETENESS_CASES], ids=[c[2] for c in COMPLETENESS_CASES]
)
def test_incomplete_because(stats: dict, why: str | None) -> None:
    assert incomplete_because(stats) == why


def test_discovery_cut_short_names_limits_only() -> None:
    stats = {statkeys.cut("depth"): 1, statkeys.cut("query_explosion"): 9}
    assert discovery_cut_short(stats) == ["depth 1"]
    assert discovery_cut_short({}) == []


# (stats, history, ok, detail), note.
ITEM_COUNT_CASES = [
    (news(95), [news(10, **{statkeys.RESUME_SKIPPED: 90}), news(100)], True,
     "95 records, median of the last 1 runs 100",
     "a partial resumed run in the history is left out (it would lower the bar)"),
    (news(50), [news(10, finish_reason="shutdown"), news(100), news(100)], False,
     "50 records, median of the last 2 runs 100", "a stopped run is left out"),
    (news(10, **{statkeys.RESUME_SKIPPED: 90}), [news(100)], True,
     "10 records, not compared: a resumed crawl without the counts of its first part",
     "a partial run is not compared, so it does not fail"),
    (news(30, **{statkeys.cut("budget"): 1}), [news(100)], True,
     "30 records, not compared: limits cut discovery short (budget 1)",
     "a run cut short by its limits is not compared (the discovery monitor fails it)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, history, ok, detail",
    [c[:4] for c in ITEM_COUNT_CASES],
    ids=[c[4] for c in ITEM_COUNT_CASES],
)
def test_item_count_over_complete_runs(stats: dict, history: list, ok: bool, detail: str) -> None:
    result = check_item_count(stats, history)
    assert (result.ok, result.detail) == (ok, detail)


# (stats, ok, detail), note.
DISCOVERY_CASES = [
    (news(5), True, "complete", "nothing cut"),
    (news(5, **{statkeys.cut("date_out_of_range"): 2, statkeys.cut("query_explosion"): 1}),
     True, "complete; traps cut off: date_out_of_range 2, query_explosion 1",
     "traps are reported, not failed"),
    (news(5, **{statkeys.cut("depth"): 1,
                statkeys.cut_example("depth"): "https://x.test/kette/aaaa/"}),
     False, "cut short by limits: depth 1 (e.g. depth: https://x.test/kette/aaaa/)",
     "a limit fails, naming an example"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, ok, detail", [c[:3] for c in DISCOVERY_CASES], ids=[c[3] for c in DISCOVERY_CASES]
)
def test_check_discovery(stats: dict, ok: bool, detail: str) -> None:
    result = check_discovery(stats)
    assert (result.name, result.ok, result.detail) == ("discovery", ok, detail)


def test_an_unreachable_site_is_the_one_check_of_its_run() -> None:
    stats = {
        statkeys.SITE_UNREACHABLE: "http://127.0.0.1:9/ (connection_refused, 4 attempts)",
        "finish_reason": "site_unreachable",
    }
    (result,) = run_monitors(stats, [news(100)])
    assert (result.name, result.ok) == ("site_reachable", False)
    assert result.detail == (
        "the site does not answer: http://127.0.0.1:9/ (connection_refused, 4 attempts)"
    )
    assert check_site_reachable(news(1)).ok


# (constant, the name stored in runs' stats), note: renaming one blinds the monitors.
STORED_NAME_CASES = [
    (statkeys.RESUME_CARRIED, "ikpe/resume/carried", "carried items"),
    (statkeys.RESUME_PARTIAL_COUNTS, "ikpe/resume/partial_counts", "partial counts"),
    (statkeys.SITE_UNREACHABLE, "ikpe/site_unreachable", "unreachable site"),
    (statkeys.ERROR_TOO_LARGE, "ikpe/errors/too_large", "too large"),
    (statkeys.cut("depth"), "ikpe/cut/depth", "cut(rule)"),
    (statkeys.cut_example("budget"), "ikpe/cut_example/budget", "cut_example(rule)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, stored", [c[:2] for c in STORED_NAME_CASES], ids=[c[2] for c in STORED_NAME_CASES]
)
def test_stored_counter_names_do_not_change(name: str, stored: str) -> None:
    assert name == stored
