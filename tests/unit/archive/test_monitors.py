"""Tables for archive.monitors: the nightly's checks over a run's stats and the history of
earlier runs (newest first). The stats are written with the keys of archive.statkeys."""

from __future__ import annotations

import pytest

from archive import statkeys
from archive.monitors import (
    HISTORY_RUNS,
    MonitorResult,
    check_error_rate,
    check_field_coverage,
    check_finish_reason,
    check_item_count,
    empty_text_share,
    extraction_healthy,
    records_seen,
    run_monitors,
)


def run(**records: int) -> dict:
    """Stats of a run that built ``records`` valid records per type."""
    return {statkeys.records(record_type): count for record_type, count in records.items()}


def news(count: int) -> dict:
    return run(news=count)


# --------------------------------------------------------------------------------------
# Item count: at least 90% of the median of the earlier runs
# --------------------------------------------------------------------------------------

# (stats, history, ok), note.
ITEM_COUNT_CASES = [
    (news(10), [], True, "first run: any record will do"),
    (news(0), [], False, "first run without a single record"),
    ({}, [], False, "first run with no stats at all"),
    (news(90), [news(100)] * 3, True, "exactly 90% of the median"),
    (news(89), [news(100)] * 3, False, "just below 90%"),
    (news(150), [news(100)] * 3, True, "more than before"),
    (news(89), [news(100), news(10), news(100)], False,
     "one poor earlier run does not lower the bar (median, not mean)"),
    (news(81), [news(80), news(100)], True, "even history: median of the middle two (90)"),
    (news(80), [news(80), news(100)], False, "even history: 80 < 0.9 * 90"),
    (news(89), [news(0), news(0), news(100)], False,
     "earlier runs without records (killed, partial) are left out of the median"),
    (news(1), [news(0), {}, news(0)], True, "only empty earlier runs: as if none"),
    (news(0), [news(0), news(0)], False, "only empty earlier runs and an empty run"),
    (news(9), [news(10)] * HISTORY_RUNS + [news(1000)] * 5, True,
     "only the newest runs count, older big runs do not"),
    (news(10), [news(0)] * HISTORY_RUNS + [news(100)], True,
     "empty runs in the window are dropped, not replaced by older ones"),
    (run(news=40, event=30, publication=20), [run(news=50, press_release=50)], True,
     "records of every type add up"),
    ({**news(10), statkeys.RECORDS_INVALID: 500, statkeys.RECORDS_EMPTY_TEXT: 500},
     [news(100)], False, "invalid and empty-text counters are not records"),
    ({**news(10), statkeys.RESUME_SKIPPED: 90}, [news(100)], True,
     "a resumed run without the counts of its first part is not compared (issue 13)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, history, ok", [c[:3] for c in ITEM_COUNT_CASES], ids=[c[3] for c in ITEM_COUNT_CASES]
)
def test_item_count(stats: dict, history: list[dict], ok: bool) -> None:
    result = check_item_count(stats, history)
    assert result.name == "item_count"
    assert result.ok is ok


# (stats, history, detail), note.
ITEM_COUNT_DETAIL_CASES = [
    (news(7), [], "7 records (no earlier runs)", "no history"),
    (news(95), [news(100), news(0), news(90), news(120)],
     "95 records, median of the last 3 runs 100", "empty runs not counted in 'last N'"),
    (news(5), [news(3), news(4)], "5 records, median of the last 2 runs 3.5", "half median"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, history, detail",
    [c[:3] for c in ITEM_COUNT_DETAIL_CASES],
    ids=[c[3] for c in ITEM_COUNT_DETAIL_CASES],
)
def test_item_count_detail(stats: dict, history: list[dict], detail: str) -> None:
    assert check_item_count(stats, history).detail == detail


# (stats, count), note.
RECORDS_SEEN_CASES = [
    ({}, 0, "no stats"),
    (run(news=1, press_release=2, event=3, publication=4, press_coverage=5, page=6), 21,
     "every record type"),
    ({statkeys.records("news"): "12"}, 12, "counts stored as text (JSON round trip)"),
    ({statkeys.records("newsletter"): 9, statkeys.items("post"): 9}, 0,
     "not a record type; item counters are not records"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, count", [c[:2] for c in RECORDS_SEEN_CASES], ids=[c[2] for c in RECORDS_SEEN_CASES]
)
def test_records_seen(stats: dict, count: int) -> None:
    assert records_seen(stats) == count


# --------------------------------------------------------------------------------------
# Field coverage, empty texts, extraction health
# --------------------------------------------------------------------------------------


def missing(record_type: str, field: str, count: int) -> dict:
    return {statkeys.missing(record_type, field): count}


# (stats, ok, detail), note.
FIELD_COVERAGE_CASES = [
    (run(news=10, publication=5), True, "all 100%", "nothing missing"),
    ({}, True, "all 100%", "an empty run has no gaps"),
    ({**news(4), **missing("news", "text", 1)}, False, "below 100%: news.text 75%",
     "a news post without text"),
    ({**run(event=10), **missing("event", "date", 1)}, False, "below 100%: event.date 90%",
     "an event without a date"),
    ({**run(publication=3), **missing("publication", "title", 3)}, False,
     "below 100%: publication.title 0%", "citations need a title"),
    ({**run(publication=3), **missing("publication", "text", 3)}, True, "all 100%",
     "citations have no text of their own"),
    ({**run(page=20), **missing("page", "text", 1)}, True, "all 100%",
     "a page's text is not a covered field"),
    (missing("news", "title", 2), True, "all 100%",
     "missing counters of a type with no records are ignored"),
    ({**run(news=10), statkeys.RECORDS_DEGRADED: 2}, False,
     "below 100%: 2 records lost their text (archived versions kept)", "degraded records"),
    ({**run(news=10, publication=100), statkeys.RECORDS_EMPTY_TEXT: 1}, True, "all 100%",
     "1 of 10 posts empty: at the limit, citations not counted"),
    ({**run(page=10), statkeys.RECORDS_EMPTY_TEXT: 2}, False,
     "below 100%: 20% of posts and pages without text", "20% empty pages"),
    ({**run(news=4, press_release=2), **missing("news", "date", 1),
      **missing("press_release", "title", 1)}, False,
     "below 100%: news.date 75%, press_release.title 50%", "gaps listed in schema order"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, ok, detail",
    [c[:3] for c in FIELD_COVERAGE_CASES],
    ids=[c[3] for c in FIELD_COVERAGE_CASES],
)
def test_field_coverage(stats: dict, ok: bool, detail: str) -> None:
    result = check_field_coverage(stats)
    assert (result.name, result.ok, result.detail) == ("field_coverage", ok, detail)


# (stats, share), note.
EMPTY_SHARE_CASES = [
    ({}, 0.0, "no records: no division by zero"),
    ({statkeys.RECORDS_EMPTY_TEXT: 3}, 0.0, "empty texts but no entries counted"),
    ({**run(news=5, page=5), statkeys.RECORDS_EMPTY_TEXT: 1}, 0.1, "1 of 10"),
    ({**run(news=5, publication=95), statkeys.RECORDS_EMPTY_TEXT: 1}, 0.2,
     "citations are not posts or pages"),
    ({**run(news=1, press_release=1, event=1, page=1), statkeys.RECORDS_EMPTY_TEXT: 4}, 1.0,
     "every entry type counts"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, share", [c[:2] for c in EMPTY_SHARE_CASES], ids=[c[2] for c in EMPTY_SHARE_CASES]
)
def test_empty_text_share(stats: dict, share: float) -> None:
    assert empty_text_share(stats) == pytest.approx(share)


# (stats, healthy), note.
HEALTH_CASES = [
    (run(news=10), True, "no empty texts"),
    ({}, True, "an empty run is not evidence of broken extraction"),
    ({**run(news=10), statkeys.RECORDS_EMPTY_TEXT: 1}, True, "10% empty is the limit"),
    ({**run(news=100), statkeys.RECORDS_EMPTY_TEXT: 11}, False, "11% empty"),
    ({**run(news=10), statkeys.RECORDS_DEGRADED: 1}, False,
     "one record that lost its archived text"),
    ({**run(news=2, publication=500), statkeys.RECORDS_EMPTY_TEXT: 1}, False,
     "half the posts empty, however many citations"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, healthy", [c[:2] for c in HEALTH_CASES], ids=[c[2] for c in HEALTH_CASES]
)
def test_extraction_healthy(stats: dict, healthy: bool) -> None:
    assert extraction_healthy(stats) is healthy


# --------------------------------------------------------------------------------------
# Error rate and finish reason
# --------------------------------------------------------------------------------------

# (responses, errors, invalid records, ok, detail), note.
ERROR_RATE_CASES = [
    (100, 0, 0, True, "0 errors in 100 responses (0.0%, limit 5%)", "no errors"),
    (100, 5, 0, True, "5 errors in 100 responses (5.0%, limit 5%)", "exactly 5%"),
    (100, 6, 0, False, "6 errors in 100 responses (6.0%, limit 5%)", "above 5%"),
    (100, 3, 3, False, "6 errors in 100 responses (6.0%, limit 5%)",
     "invalid records count as errors"),
    (1000, 0, 50, True, "50 errors in 1000 responses (5.0%, limit 5%)", "invalid alone"),
    (0, 0, 0, True, "0 errors in 0 responses (0.0%, limit 5%)", "zero responses, no errors"),
    (0, 1, 0, False, "1 errors in 0 responses (100.0%, limit 5%)",
     "zero responses with an error: everything failed"),
]  # fmt: skip


@pytest.mark.parametrize(
    "responses, errors, invalid, ok, detail",
    [c[:5] for c in ERROR_RATE_CASES],
    ids=[c[5] for c in ERROR_RATE_CASES],
)
def test_error_rate(responses: int, errors: int, invalid: int, ok: bool, detail: str) -> None:
    stats = {
        statkeys.NETWORK_RESPONSES: responses,
        statkeys.ERRORS: errors,
        statkeys.RECORDS_INVALID: invalid,
        # the per-kind counters are a breakdown of ERRORS, not more errors
        statkeys.error("redirect_loop"): errors,
    }
    result = check_error_rate(stats)
    assert (result.name, result.ok, result.detail) == ("error_rate", ok, detail)


def test_error_rate_of_empty_stats() -> None:
    assert check_error_rate({}).ok is True


# (stats, ok, detail), note.
FINISH_CASES = [
    ({"finish_reason": "finished"}, True, "finished", "ran to its end"),
    ({"finish_reason": "shutdown"}, False, "shutdown", "killed (SIGTERM)"),
    ({"finish_reason": "closespider_timeout"}, False, "closespider_timeout", "timed out"),
    ({"finish_reason": "Finished"}, False, "Finished", "exact word only"),
    ({}, False, "unknown", "no reason recorded"),
]


@pytest.mark.parametrize(
    "stats, ok, detail", [c[:3] for c in FINISH_CASES], ids=[c[3] for c in FINISH_CASES]
)
def test_finish_reason(stats: dict, ok: bool, detail: str) -> None:
    result = check_finish_reason(stats)
    assert (result.name, result.ok, result.detail) == ("finish_reason", ok, detail)


# --------------------------------------------------------------------------------------
# All checks
# --------------------------------------------------------------------------------------


def test_run_monitors_on_a_good_run() -> None:
    stats = {
        **run(news=95, publication=40),
        statkeys.NETWORK_RESPONSES: 300,
        statkeys.ERRORS: 2,
        "finish_reason": "finished",
    }
    results = run_monitors(stats, [run(news=100, publication=40)] * 3)
    assert [r.name for r in results] == [
        "item_count",
        "field_coverage",
        "error_rate",
        "finish_reason",
        "discovery",
    ]
    assert all(r.ok for r in results), results


def test_run_monitors_on_a_killed_run() -> None:
    stats = {**news(3), statkeys.NETWORK_RESPONSES: 5, "finish_reason": "shutdown"}
    failed = {r.name for r in run_monitors(stats, [news(100)]) if not r.ok}
    # Its partial count is not compared (issue 13): the finish reason says what happened.
    assert failed == {"finish_reason"}


def test_monitor_result_as_dict() -> None:
    result = MonitorResult("error_rate", False, "6 errors")
    assert result.as_dict() == {"name": "error_rate", "ok": False, "detail": "6 errors"}
