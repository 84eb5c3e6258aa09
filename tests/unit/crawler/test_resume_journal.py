"""What a resumed crawl takes from its journal (issue 13): the links of the pages it will
not fetch again, and the counters its items added; and the marker of a crawl that never
reached the site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import statkeys
from archive.config import DataDir
from crawler.journal import SITE_UNREACHABLE, CrawlJournal
from crawler.pipelines import record_counters

START = "https://www.ikpe-erfurt.de/"
NEWSLETTER = f"{START}?mailpoet_router&endpoint=view_in_browser&action=view&data=ab12"


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")


def test_a_resumed_journal_keeps_links_and_counters(data_dir: DataDir) -> None:
    first = CrawlJournal.open(data_dir, START)
    first.append([
        {"key": "wp-1", "fetched_url": f"{START}eins/", "links": [NEWSLETTER],
         "counters": [statkeys.records("news"), statkeys.items("post")]},
        {"key": "wp-2", "fetched_url": f"{START}zwei/", "links": []},
        {"key": "pub-1", "fetched_url": f"{START}wp-admin/admin-ajax.php"},
    ])  # fmt: skip
    resumed = CrawlJournal.open(data_dir, START)
    assert resumed.resumed
    assert resumed.done_links == {f"{START}eins/": [NEWSLETTER]}
    # The second and third were journaled without counters (an older version): None.
    assert resumed.done_counters == [
        [statkeys.records("news"), statkeys.items("post")],
        None,
        None,
    ]


def test_a_journal_line_that_is_not_an_object_is_skipped(data_dir: DataDir) -> None:
    journal = CrawlJournal.open(data_dir, START)
    journal.items_path.write_text('[1, 2]\n"text"\n{"key": "wp-3", "fetched_url": "u"}\n')
    resumed = CrawlJournal.open(data_dir, START)
    assert resumed.done_keys == {"wp-3"}


def test_an_unreachable_site_leaves_nothing_to_resume(data_dir: DataDir) -> None:
    CrawlJournal.open(data_dir, START).finish(SITE_UNREACHABLE, {})
    assert not CrawlJournal.open(data_dir, START).resumed


def test_an_unreachable_site_keeps_a_journal_worth_resuming(data_dir: DataDir) -> None:
    journal = CrawlJournal.open(data_dir, START)
    journal.append([{"key": "wp-1", "fetched_url": f"{START}eins/"}])
    CrawlJournal.open(data_dir, START).finish(SITE_UNREACHABLE, {})
    resumed = CrawlJournal.open(data_dir, START)
    assert resumed.resumed and resumed.done_keys == {"wp-1"}
    summary = json.loads((data_dir.items_dir / f"{journal.crawl_id}.stopped.json").read_text())
    assert summary["reason"] == SITE_UNREACHABLE


def record(record_type: str, **fields) -> dict:
    return {"type": record_type, "title": "T", "date": "2024", "text": "Text", **fields}


# (record, counters), note.
COUNTER_CASES = [
    (record("news"), [statkeys.records("news")], "a complete post"),
    (record("news", title="", text=""),
     [statkeys.records("news"), statkeys.missing("news", "title"),
      statkeys.missing("news", "text"), statkeys.RECORDS_EMPTY_TEXT],
     "a post without title and text"),
    (record("publication", text=""),
     [statkeys.records("publication"), statkeys.missing("publication", "text")],
     "a citation's empty text is not an empty post"),
]  # fmt: skip


@pytest.mark.parametrize(
    "data, counters", [c[:2] for c in COUNTER_CASES], ids=[c[2] for c in COUNTER_CASES]
)
def test_record_counters(data: dict, counters: list[str]) -> None:
    assert record_counters(data) == counters
