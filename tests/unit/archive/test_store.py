"""The archive store on a real SQLite file: versions, removals, idempotence, atomic batches."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest

from archive.store import ArchiveStore, content_digest
from tests.helpers import store_record


@pytest.fixture
def store(tmp_path: Path):
    with ArchiveStore(tmp_path / "archive.sqlite3") as opened:
        yield opened


def crawl(store: ArchiveStore, crawl_id: str, records: list[dict]):
    store.begin_crawl(crawl_id, "https://www.ikpe-erfurt.de/")
    store.save(records, crawl_id)
    return store.finish_crawl(crawl_id, "finished", {})


def test_wal_mode_and_schema(store: ArchiveStore) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_new_records_then_the_same_crawl_again_changes_nothing_but_last_seen(store) -> None:
    records = [store_record(i) for i in range(1, 4)]
    first = crawl(store, "c1", records)
    assert [r["id"] for r in first.new] == ["wp-1", "wp-2", "wp-3"]
    before = {row["record"]["id"]: row for row in store.iter_records()}
    again = [copy.deepcopy(r) for r in records]
    for record in again:  # a re-fetch changes where and when, not what
        record["source"]["fetched_at"] = "2024-03-14T00:00:00Z"
    second = crawl(store, "c2", again)
    assert (second.new, second.changed, second.removed) == ([], [], [])
    assert len(second.unchanged) == 3
    after = {row["record"]["id"]: row for row in store.iter_records()}
    for record_id, row in after.items():
        assert row["version"] == 1
        assert row["record"] == before[record_id]["record"]
        assert row["last_seen"] > before[record_id]["last_seen"]
    assert store.stats()["versions"] == 3


def test_changed_record_keeps_its_old_version(store) -> None:
    crawl(store, "c1", [store_record(1, text="alt")])
    changes = crawl(store, "c2", [store_record(1, text="neu")])
    assert [c["id"] for c in changes.changed] == ["wp-1"]
    history = store.history("wp-1")
    assert [v["record"]["text"] for v in history] == ["alt", "neu"]
    assert [v["crawl_id"] for v in history] == ["c1", "c2"]
    assert history[0]["warc"] == {"file": "a.warc.gz", "offset": 1}
    assert store.get("wp-1")["version"] == 2


def test_removed_records_are_marked_not_deleted_and_can_come_back(store) -> None:
    crawl(store, "c1", [store_record(i) for i in range(1, 5)])
    gone = crawl(store, "c2", [store_record(i) for i in range(1, 4)])
    assert [r["id"] for r in gone.removed] == ["wp-4"]
    assert store.get("wp-4")["removed_at"] is not None
    assert store.count() == 3
    assert len(list(store.iter_records(include_removed=True))) == 4
    back = crawl(store, "c3", [store_record(i) for i in range(1, 5)])
    assert [r["id"] for r in back.new] == ["wp-4"]
    assert store.get("wp-4")["removed_at"] is None


def test_a_crawl_that_saw_too_little_withholds_removals(store) -> None:
    crawl(store, "c1", [store_record(i) for i in range(1, 11)])
    broken = crawl(store, "c2", [store_record(1)])
    assert broken.removals_withheld and broken.removed == []
    assert store.count() == 10


def test_an_unfinished_crawl_marks_nothing_removed(store) -> None:
    crawl(store, "c1", [store_record(i) for i in range(1, 4)])
    store.begin_crawl("c2", "https://www.ikpe-erfurt.de/")
    store.save([store_record(1)], "c2")
    changes = store.finish_crawl("c2", "shutdown", {})
    assert changes.removed == [] and store.count() == 3


def test_a_failing_batch_commits_nothing(store) -> None:
    store.begin_crawl("c1", "https://www.ikpe-erfurt.de/")
    broken = store_record(2)
    del broken["title"]  # fails half-way through the batch
    with pytest.raises(KeyError):
        store.save([store_record(1), broken], "c1")
    assert store.count() == 0
    assert store.db.execute("SELECT COUNT(*) FROM versions").fetchone()[0] == 0


def test_committed_batches_survive_a_second_connection(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    writer = ArchiveStore(path)
    writer.begin_crawl("c1", "https://www.ikpe-erfurt.de/")
    writer.save([store_record(1)], "c1")
    reader = sqlite3.connect(path)
    assert reader.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 1
    reader.close()
    writer.close()


def test_export_order_and_partial_date_filters(store) -> None:
    records = [
        store_record(1, date="2023"),
        store_record(2, date="2023-05-02"),
        store_record(3, date="2022-12-31"),
        store_record(4, date="2023-05"),
    ]
    crawl(store, "c1", records)
    ordered = [row["record"]["id"] for row in store.iter_records()]
    assert ordered == ["wp-3", "wp-1", "wp-4", "wp-2"]
    from_may = [row["record"]["id"] for row in store.iter_records(date_from="2023-05")]
    assert from_may == ["wp-1", "wp-4", "wp-2"]  # "2023" covers May
    to_feb = [row["record"]["id"] for row in store.iter_records(date_to="2023-02")]
    assert to_feb == ["wp-3", "wp-1"]


def test_changed_since_gives_what_the_index_must_update(store) -> None:
    crawl(store, "c1", [store_record(1), store_record(2)])
    stamp = store.db.execute("SELECT MAX(changed_at) FROM records").fetchone()[0]
    crawl(store, "c2", [store_record(1, text="neu")])
    changed, removed = store.changed_since(stamp)
    assert [r["id"] for r in changed] == ["wp-1"] and removed == ["wp-2"]


def test_content_digest_ignores_fetch_details() -> None:
    one, two = store_record(1), store_record(1)
    two["source"] = {"fetched_at": "later"}
    assert content_digest(one) == content_digest(two)
    two["text"] = "anders"
    assert content_digest(one) != content_digest(two)


def test_stats_by_type_year_status(store) -> None:
    crawl(store, "c1", [store_record(1, date="2023-01-01"), store_record(2, date="2024")])
    crawl(store, "c2", [store_record(1, date="2023-01-01")])
    stats = store.stats()
    assert stats["by_type"] == {"news": 1}
    assert stats["by_year"] == {"2023": 1}
    assert stats["by_status"] == {"present": 1, "removed": 1}
