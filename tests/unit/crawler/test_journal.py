"""crawler.journal on a real data directory: a crawl's items appended as JSON Lines, read
back when the crawl resumes (a cut-off last line tolerated), and the marker that says a
crawl is in progress, cleared only by a finished crawl."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from archive.config import DataDir
from crawler.journal import CrawlJournal, read_items

START = "https://www.ikpe-erfurt.de/"
OTHER = "http://127.0.0.1:8123/"


def item(number: int, **extra) -> dict:
    return {
        "key": f"wp-{number}",
        "fetched_url": f"{START}?p={number}",
        "title": f"Beitrag {number} über Prävention",
        **extra,
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


def marker_state(data_dir: DataDir) -> dict:
    return json.loads((data_dir.crawl_state_dir / "current.json").read_text(encoding="utf-8"))


def cut_last_line(path: Path, keep: int = 17) -> None:
    """Cut the file's last line after ``keep`` characters, as a kill during a write does."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]) + lines[-1][:keep], encoding="utf-8")


# --------------------------------------------------------------------------------------
# A new crawl
# --------------------------------------------------------------------------------------


def test_a_new_crawl_writes_the_marker_and_names_its_journal(data_dir: DataDir) -> None:
    journal = CrawlJournal.open(data_dir, START)
    assert not journal.resumed
    assert re.fullmatch(rf"\d{{8}}T\d{{6}}-{os.getpid()}", journal.crawl_id)
    assert marker_state(data_dir) == {"crawl_id": journal.crawl_id, "start_url": START}
    assert journal.marker == data_dir.crawl_state_dir / "current.json"
    assert journal.items_path == data_dir.items_dir / f"{journal.crawl_id}.jsonl"
    assert (journal.done_keys, journal.done_urls) == (set(), set())
    for directory in (data_dir.items_dir, data_dir.warc_dir, data_dir.attachments_dir):
        assert directory.is_dir()  # the data directory is laid out on open


def test_appended_items_are_one_json_line_each_in_order(data_dir: DataDir) -> None:
    journal = CrawlJournal.open(data_dir, START)
    journal.append([item(1), item(2, note="Zeile\nmit Umbruch")])
    journal.append([item(3)])
    journal.append([])
    lines = journal.items_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3  # a newline inside a value stays escaped in its line
    assert "über" in lines[0]  # UTF-8, not \u escapes
    assert list(json.loads(lines[0])) == sorted(json.loads(lines[0]))  # keys sorted
    assert read_items(journal.items_path) == [item(1), item(2, note="Zeile\nmit Umbruch"),
                                              item(3)]  # fmt: skip


# --------------------------------------------------------------------------------------
# Resuming
# --------------------------------------------------------------------------------------


def test_an_unfinished_crawl_of_the_same_site_resumes(data_dir: DataDir) -> None:
    first = CrawlJournal.open(data_dir, START)
    first.append([item(1), item(2)])
    first.finish("shutdown", {"item_scraped_count": 2})
    again = CrawlJournal.open(data_dir, START)
    assert again.resumed
    assert again.crawl_id == first.crawl_id
    assert again.done_keys == {"wp-1", "wp-2"}
    assert again.done_urls == {f"{START}?p=1", f"{START}?p=2"}
    again.append([item(3)])
    assert [i["key"] for i in read_items(again.items_path)] == ["wp-1", "wp-2", "wp-3"]


def test_a_resumed_crawl_without_a_journal_file_has_nothing_done(data_dir: DataDir) -> None:
    first = CrawlJournal.open(data_dir, START)  # killed before its first batch
    again = CrawlJournal.open(data_dir, START)
    assert again.resumed and again.crawl_id == first.crawl_id
    assert again.done_keys == set()


# (marker file content or None for the previous crawl's own, start URL, resumes), note.
MARKER_CASES = [
    (None, START, True, "the same start URL resumes"),
    (None, OTHER, False, "another site starts afresh"),
    ("{not json", START, False, "a damaged marker starts afresh"),
    ('{"start_url": "https://www.ikpe-erfurt.de/"}', START, False, "a marker without a crawl id"),
    ('{"crawl_id": "", "start_url": "https://www.ikpe-erfurt.de/"}', START, False,
     "a marker with an empty crawl id"),
    ("", START, False, "an empty marker"),
]  # fmt: skip


@pytest.mark.parametrize(
    "content, start_url, resumes", [c[:3] for c in MARKER_CASES], ids=[c[3] for c in MARKER_CASES]
)
def test_the_marker_decides_whether_to_resume(
    data_dir: DataDir, content: str | None, start_url: str, resumes: bool
) -> None:
    first = CrawlJournal.open(data_dir, START)
    first.append([item(1)])
    if content is not None:
        first.marker.write_text(content, encoding="utf-8")
    journal = CrawlJournal.open(data_dir, start_url)
    assert journal.resumed is resumes
    assert journal.done_keys == ({"wp-1"} if resumes else set())
    # Whatever was there, the marker now names the crawl in progress.
    assert marker_state(data_dir) == {"crawl_id": journal.crawl_id, "start_url": start_url}


# (what the end of the journal looks like, keys read back), note.
TAIL_CASES = [
    (17, {"wp-1", "wp-2"}, "the last line cut in the middle"),
    (1, {"wp-1", "wp-2"}, "only its opening brace left"),
    (0, {"wp-1", "wp-2"}, "cut right after the previous newline"),
]


@pytest.mark.parametrize("keep, keys", [c[:2] for c in TAIL_CASES], ids=[c[2] for c in TAIL_CASES])
def test_a_cut_off_last_line_is_skipped(data_dir: DataDir, keep: int, keys: set[str]) -> None:
    first = CrawlJournal.open(data_dir, START)
    first.append([item(1), item(2), item(3)])
    cut_last_line(first.items_path, keep)
    again = CrawlJournal.open(data_dir, START)
    assert again.resumed and again.done_keys == keys
    assert {i["key"] for i in read_items(first.items_path)} == keys


def test_blank_and_broken_lines_in_between_are_skipped(data_dir: DataDir) -> None:
    journal = CrawlJournal.open(data_dir, START)
    journal.append([item(1)])
    with journal.items_path.open("a", encoding="utf-8") as out:
        out.write("\n{broken\n")
    journal.append([item(2)])
    assert [i["key"] for i in read_items(journal.items_path)] == ["wp-1", "wp-2"]
    assert CrawlJournal.open(data_dir, START).done_keys == {"wp-1", "wp-2"}


def test_items_appended_after_a_cut_off_line_are_read_back(data_dir: DataDir) -> None:
    first = CrawlJournal.open(data_dir, START)
    first.append([item(1), item(2)])
    cut_last_line(first.items_path)  # killed while writing wp-2
    resumed = CrawlJournal.open(data_dir, START)
    resumed.append([item(2), item(3)])  # the resumed crawl harvests wp-2 again, then wp-3
    again = CrawlJournal.open(data_dir, START)  # killed once more, resumed once more
    assert again.done_keys == {"wp-1", "wp-2", "wp-3"}


# --------------------------------------------------------------------------------------
# Finishing
# --------------------------------------------------------------------------------------


def test_a_finished_crawl_writes_its_summary_and_clears_the_marker(data_dir: DataDir) -> None:
    journal = CrawlJournal.open(data_dir, START)
    journal.append([item(1)])
    journal.finish("finished", {"items": 1, "start_time": journal.items_path})  # not JSON
    summary = json.loads(
        (data_dir.items_dir / f"{journal.crawl_id}.done.json").read_text(encoding="utf-8")
    )
    assert summary == {
        "crawl_id": journal.crawl_id,
        "start_url": START,
        "reason": "finished",
        "resumed": False,
        "stats": {"items": 1, "start_time": str(journal.items_path)},
    }
    assert not journal.marker.exists()
    fresh = CrawlJournal.open(data_dir, START)
    assert not fresh.resumed and fresh.done_keys == set()


# (finish reason), note.
STOPPED_CASES = [
    ("shutdown", "killed with SIGTERM"),
    ("closespider_timeout", "stopped by a limit"),
    ("cancelled", "cancelled"),
]


@pytest.mark.parametrize("reason", [c[0] for c in STOPPED_CASES], ids=[c[1] for c in STOPPED_CASES])
def test_a_stopped_crawl_keeps_the_marker_and_resumes(data_dir: DataDir, reason: str) -> None:
    journal = CrawlJournal.open(data_dir, START)
    journal.append([item(1)])
    journal.finish(reason, {})
    summary = json.loads(
        (data_dir.items_dir / f"{journal.crawl_id}.stopped.json").read_text(encoding="utf-8")
    )
    assert summary["reason"] == reason
    assert not (data_dir.items_dir / f"{journal.crawl_id}.done.json").exists()
    assert journal.marker.exists()
    again = CrawlJournal.open(data_dir, START)
    assert again.resumed and again.done_keys == {"wp-1"}
    again.finish("finished", {})
    assert json.loads(
        (data_dir.items_dir / f"{again.crawl_id}.done.json").read_text(encoding="utf-8")
    )["resumed"]


def test_finishing_without_a_marker_is_harmless(data_dir: DataDir) -> None:
    journal = CrawlJournal.open(data_dir, START)
    journal.marker.unlink()
    journal.finish("finished", {})
    assert (data_dir.items_dir / f"{journal.crawl_id}.done.json").exists()
