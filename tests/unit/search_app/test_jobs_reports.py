"""What the crawl and nightly jobs tell their users (search_app.jobs.reports), and the data
directory's lock that keeps two runs apart (search_app.jobs.lock)."""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from archive import statkeys
from archive.config import DataDir
from search_app.jobs.lock import LOCK_NAME, NightlyLocked, nightly_lock
from search_app.jobs.reports import crawl_stats, crawl_summary, nightly_summary

# --------------------------------------------------------------------------------------
# crawl_stats
# --------------------------------------------------------------------------------------

FULL_STATS = {
    statkeys.NETWORK_RESPONSES: 120,
    statkeys.NETWORK_BYTES: 4_500_000,
    statkeys.NETWORK_NOT_MODIFIED: 80,
    statkeys.ERRORS: 3,
    statkeys.error("redirect_loop"): 1,
    statkeys.ERROR_RECORD_BUILD: 2,
    statkeys.records("news"): 30,
    statkeys.records("publication"): 12,
    statkeys.RECORDS_INVALID: 1,
    statkeys.DISCOVERY: "rest",
    statkeys.items("post"): 31,
    statkeys.store("new"): 4,
    "finish_reason": "finished",
    "downloader/request_count": 125,
}

# What the bounds cut off, an unreachable site and a resume's carried items (issue 13).
NOTHING_CUT = {"cut_off": {}, "cut_off_examples": {}, "site_unreachable": None,
               "resume_carried": 0}  # fmt: skip

# (stats, duration, expected stats of the report), note.
CRAWL_STATS_CASES = [
    (FULL_STATS, 73.26, {
        "pages_fetched": 120,
        "bytes": 4_500_000,
        "not_modified": 80,
        "errors": {"redirect_loop": 1, "record_build": 2},
        "error_count": 3,
        "records": {"news": 30, "publication": 12, "invalid": 1},
        "discovery": "rest",
        "finish_reason": "finished",
        "duration_seconds": 73.3,
        **NOTHING_CUT,
    }, "a full run: counters picked, errors and records by kind, duration rounded"),
    ({}, 0.04, {
        "pages_fetched": 0,
        "bytes": 0,
        "not_modified": 0,
        "errors": {},
        "error_count": 0,
        "records": {},
        "discovery": None,
        "finish_reason": None,
        "duration_seconds": 0.0,
        **NOTHING_CUT,
    }, "empty stats: zeros, and None where nothing is known"),
    ({"finish_reason": "shutdown", statkeys.DISCOVERY: "sitemap"}, 1.05, {
        "pages_fetched": 0,
        "bytes": 0,
        "not_modified": 0,
        "errors": {},
        "error_count": 0,
        "records": {},
        "discovery": "sitemap",
        "finish_reason": "shutdown",
        "duration_seconds": 1.1,
        **NOTHING_CUT,
    }, "a killed run"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stats, duration, expected",
    [c[:3] for c in CRAWL_STATS_CASES],
    ids=[c[3] for c in CRAWL_STATS_CASES],
)
def test_crawl_stats(stats: dict, duration: float, expected: dict) -> None:
    report_stats = crawl_stats(stats, duration)
    assert report_stats == expected
    json.dumps(report_stats)  # the report is written as JSON


# --------------------------------------------------------------------------------------
# crawl_summary
# --------------------------------------------------------------------------------------


@dataclass
class FakeCrawl:
    """What crawl_summary reads of a crawler.run.CrawlResult."""

    crawl_id: str = "20240312T020000-4242"
    finish_reason: str = "finished"
    items_path: Path = Path("/data/items/20240312T020000-4242.jsonl")
    resumed: bool = False
    stats: dict = field(default_factory=dict)


BUSY_STATS = {
    statkeys.DISCOVERY: "rest",
    statkeys.items("post"): 31,
    statkeys.items("publication"): 12,
    statkeys.items("page"): 5,
    statkeys.ITEMS_DUPLICATES_DROPPED: 7,
    statkeys.NETWORK_RESPONSES: 120,
    statkeys.NETWORK_NOT_MODIFIED: 80,
    statkeys.NETWORK_BYTES: 4_500_000,
    statkeys.store("new"): 4,
    statkeys.store("returned"): 1,
    statkeys.store("changed"): 2,
    statkeys.store("unchanged"): 41,
    statkeys.STORE_REMOVED: 3,
    statkeys.RECORDS_INVALID: 1,
    statkeys.ERRORS: 3,
    statkeys.error("redirect_loop"): 1,
    statkeys.ERROR_RECORD_BUILD: 2,
}

# (result, the summary's lines), note.
CRAWL_SUMMARY_CASES = [
    (FakeCrawl(stats=BUSY_STATS), [
        "crawl 20240312T020000-4242: finished",
        "  discovery: rest",
        "  items: page 5, post 31, publication 12",
        "  responses: 120, 304s: 80, bytes: 4500000",
        "  store: new 5, changed 2, unchanged 41, removed 3, invalid 1",
        "  errors: 3 (record_build 2, redirect_loop 1)",
        "  items file: /data/items/20240312T020000-4242.jsonl",
    ], "a full run: items sorted without duplicates, returned records count as new"),
    (FakeCrawl(finish_reason="shutdown", resumed=True), [
        "crawl 20240312T020000-4242 (resumed): shutdown",
        "  discovery: ?",
        "  items: ",
        "  responses: 0, 304s: 0, bytes: 0",
        "  store: new 0, changed 0, unchanged 0, removed 0, invalid 0",
        "  errors: 0",
        "  items file: /data/items/20240312T020000-4242.jsonl",
    ], "a resumed run killed again, with no counters"),
]  # fmt: skip


@pytest.mark.parametrize(
    "result, lines", [c[:2] for c in CRAWL_SUMMARY_CASES], ids=[c[2] for c in CRAWL_SUMMARY_CASES]
)
def test_crawl_summary(result: FakeCrawl, lines: list[str]) -> None:
    assert crawl_summary(result).splitlines() == lines


# --------------------------------------------------------------------------------------
# nightly_summary
# --------------------------------------------------------------------------------------


@dataclass
class FakeNightly:
    """What nightly_summary reads of a search_app.jobs.nightly.NightlyResult."""

    report: dict
    path: Path = Path("/data/reports/20240312T020000-4242.json")


def entry(number: int, title: str | None = None) -> dict:
    return {
        "id": f"wp-{number}",
        "title": title or f"Beitrag {number}",
        "url": f"https://www.ikpe-erfurt.de/p/{number}/",
    }


def nightly_report(**changes) -> dict:
    report = {
        "crawl_id": "20240312T020000-4242",
        "resumed": False,
        "new": [entry(1)],
        "changed": [],
        "removed": [],
        "unchanged": [entry(n) for n in range(2, 5)],
        "removals_withheld": False,
        "stats": crawl_stats(FULL_STATS, 73.26),
        "index": {"mode": "incremental", "updated": 1},
        "monitors": [
            {"name": "item_count", "ok": True, "detail": "42 records"},
            {"name": "error_rate", "ok": False, "detail": "6 errors in 100 responses"},
        ],
    }
    report.update(changes)
    return report


def test_nightly_summary_of_a_run() -> None:
    assert nightly_summary(FakeNightly(nightly_report())).splitlines() == [
        "nightly 20240312T020000-4242: finished in 73.3 s",
        "new: 1",
        "  Beitrag 1  <https://www.ikpe-erfurt.de/p/1/>",
        "changed: 0",
        "removed: 0",
        "unchanged: 3",
        "pages fetched 120, bytes 4500000, 304s 80, errors 3 (record_build 2, redirect_loop 1)",
        "index: incremental",
        "monitor item_count: ok (42 records)",
        "monitor error_rate: FAILED (6 errors in 100 responses)",
        "report: /data/reports/20240312T020000-4242.json",
    ]


LONG_TITLE = "Fachtag „Armut und Teilhabe in Thüringer Kommunen“ – Dokumentation aller Beiträge"

# (report changes, lines that must be in the summary, lines that must not), note.
NIGHTLY_CASES = [
    ({"resumed": True}, ["nightly 20240312T020000-4242 (resumed): finished in 73.3 s"], [],
     "a resumed run says so"),
    ({"removals_withheld": True},
     ["removals withheld: the crawl saw too few records, so its absences are not trusted"], [],
     "withheld removals are mentioned"),
    ({}, [], ["removals withheld: the crawl saw too few records, so its absences are not trusted"],
     "and only then"),
    ({"new": [entry(9, LONG_TITLE)]},
     [f"  {LONG_TITLE[:70]}  <https://www.ikpe-erfurt.de/p/9/>"], [f"  {LONG_TITLE}  <"],
     "titles cut at 70 characters"),
    ({"changed": [entry(n) for n in range(50)]},
     ["changed: 50", "  Beitrag 49  <https://www.ikpe-erfurt.de/p/49/>"],
     ["  ... and 0 more (see the report)"], "50 entries are all listed"),
    ({"removed": [entry(n) for n in range(53)]},
     ["removed: 53", "  Beitrag 49  <https://www.ikpe-erfurt.de/p/49/>",
      "  ... and 3 more (see the report)"],
     ["  Beitrag 50  <https://www.ikpe-erfurt.de/p/50/>"], "more than 50: the rest counted"),
    ({"stats": crawl_stats({}, 2.0)},
     ["pages fetched 0, bytes 0, 304s 0, errors 0 (none)"], [], "no errors: 'none'"),
    ({"stats": crawl_stats({statkeys.RECORDS_REUSED: 175, statkeys.RECORDS_BUILT: 2}, 2.0)},
     ["records: reused 175 from the store, built 2"], [], "records reused and built"),
    ({"stats": crawl_stats({statkeys.RECORDS_REUSED: 177}, 2.0)},
     ["records: reused 177 from the store, built 0"], [], "none built"),
    ({"index": {"mode": "failed", "error": "disk full"}}, ["index: failed"], [],
     "a failed index update"),
    ({"index": {}}, ["index: None"], [], "an index report without a mode"),
    ({"monitors": []}, [], ["monitor item_count: ok (42 records)"], "no monitors"),
]  # fmt: skip


@pytest.mark.parametrize(
    "changes, present, absent",
    [c[:3] for c in NIGHTLY_CASES],
    ids=[c[3] for c in NIGHTLY_CASES],
)
def test_nightly_summary(changes: dict, present: list[str], absent: list[str]) -> None:
    lines = nightly_summary(FakeNightly(nightly_report(**changes))).splitlines()
    for line in present:
        assert line in lines
    for line in absent:
        assert line not in lines


def test_nightly_summary_counts_the_listed_entries() -> None:
    summary = nightly_summary(FakeNightly(nightly_report(new=[entry(n) for n in range(60)])))
    assert sum(1 for line in summary.splitlines() if line.startswith("  Beitrag ")) == 50


# --------------------------------------------------------------------------------------
# nightly_lock
# --------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


def lock_file(data_dir: DataDir) -> Path:
    return data_dir.root / LOCK_NAME


def test_lock_names_its_holder_while_held_and_is_emptied_after(data_dir: DataDir) -> None:
    with nightly_lock(data_dir) as held:
        assert held["pid"] == os.getpid()
        assert held["took_over"] is None
        assert held["started_at"].endswith("Z")
        on_disk = json.loads(lock_file(data_dir).read_text(encoding="utf-8"))
        assert on_disk == {"pid": os.getpid(), "started_at": held["started_at"]}
    assert lock_file(data_dir).read_bytes() == b""


def test_second_acquisition_raises_naming_the_holder(data_dir: DataDir) -> None:
    with nightly_lock(data_dir) as held:
        with pytest.raises(NightlyLocked) as raised, nightly_lock(data_dir):
            pytest.fail("a second run got the lock")
        message = str(raised.value)
        assert str(lock_file(data_dir)) in message
        assert f'"pid": {os.getpid()}' in message
        assert held["started_at"] in message
        # the refused run leaves the holder's note alone
        assert json.loads(lock_file(data_dir).read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_lock_is_released_after_the_with(data_dir: DataDir) -> None:
    with nightly_lock(data_dir):
        pass
    with nightly_lock(data_dir) as again:
        assert again["took_over"] is None  # a clean release leaves nothing to take over


def test_lock_is_released_when_the_run_fails(data_dir: DataDir) -> None:
    with pytest.raises(RuntimeError, match="crawl failed"), nightly_lock(data_dir):
        raise RuntimeError("crawl failed")
    assert lock_file(data_dir).read_bytes() == b""
    with nightly_lock(data_dir):
        pass


def test_lock_left_by_a_killed_run_is_taken_over(data_dir: DataDir, caplog) -> None:
    data_dir.root.mkdir(parents=True)
    stale = '{"pid": 999999, "started_at": "2024-03-11T02:00:00.000000Z"}'
    lock_file(data_dir).write_text(stale, encoding="utf-8")  # written, but no flock held
    with caplog.at_level(logging.WARNING), nightly_lock(data_dir) as held:
        assert held["took_over"] == stale
        assert json.loads(lock_file(data_dir).read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert stale in caplog.text


# (what the other holder wrote into the lock file, what the message names), note.
HOLDER_CASES = [
    ('{"pid": 4242, "started_at": "2024-03-12T02:00:00.000000Z"}',
     '{"pid": 4242, "started_at": "2024-03-12T02:00:00.000000Z"}', "another process's note"),
    ("", "unknown", "a holder that has not written its note yet"),
    ("  \n", "unknown", "only whitespace"),
]  # fmt: skip


@pytest.mark.parametrize(
    "note, named", [c[:2] for c in HOLDER_CASES], ids=[c[2] for c in HOLDER_CASES]
)
def test_lock_held_by_another_process(data_dir: DataDir, note: str, named: str) -> None:
    data_dir.root.mkdir(parents=True)
    path = lock_file(data_dir)
    path.write_text(note, encoding="utf-8")
    # Another open file description holding the flock, as another process would.
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        refused = pytest.raises(NightlyLocked, match="another crawl or nightly run holds")
        with refused as raised, nightly_lock(data_dir):
            pytest.fail("got a lock another process holds")
        assert str(raised.value).endswith(f": {named}")
        assert path.read_text(encoding="utf-8") == note  # untouched
    finally:
        os.close(fd)
    with nightly_lock(data_dir):  # the other holder is gone
        pass


def test_lock_creates_the_data_directory(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "neu" / "daten")
    with nightly_lock(data_dir):
        assert lock_file(data_dir).is_file()
