"""What built each stored record (``record_builds``), on a real SQLite file: written with
the record in one transaction, read back only for the same digest, added to old stores."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest

from archive.store import ArchiveStore
from tests.helpers import store_record

START = "https://www.ikpe-erfurt.de/"


@pytest.fixture
def store(tmp_path: Path):
    with ArchiveStore(tmp_path / "archive.sqlite3") as opened:
        opened.begin_crawl("c1", START)
        yield opened


def builds(store: ArchiveStore) -> dict[str, str]:
    return dict(store.db.execute("SELECT id, build_digest FROM record_builds"))


def versions(store: ArchiveStore) -> int:
    return store.db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]


def test_a_record_saved_with_its_build_is_given_back_for_that_build_only(store) -> None:
    record = store_record(1)
    store.save([record, store_record(2)], "c1", {"wp-1": "digest-a", "wp-2": None})
    assert builds(store) == {"wp-1": "digest-a"}
    assert store.built_record("wp-1", "digest-a") == record
    assert store.built_record("wp-1", "digest-b") is None  # other item or other rules
    assert store.built_record("wp-2", "digest-a") is None  # saved without a build
    assert store.built_record("wp-3", "digest-a") is None  # never stored


def test_the_build_is_written_in_the_records_transaction(store) -> None:
    broken = store_record(2)
    del broken["title"]  # fails half-way through the batch
    with pytest.raises(KeyError):
        store.save([store_record(1), broken], "c1", {"wp-1": "a", "wp-2": "b"})
    assert store.count() == 0 and builds(store) == {}


def test_a_new_build_of_the_same_content_adds_no_version(store) -> None:
    store.save([store_record(1)], "c1", {"wp-1": "rules-1"})
    json_before = store.db.execute("SELECT json, content_sha256 FROM records").fetchone()
    # Another fetch (source changed) under other rules that give the same content.
    outcome = store.save([store_record(1, fetched_at="2024-03-14")], "c1", {"wp-1": "rules-2"})
    assert outcome.unchanged == ["wp-1"] and versions(store) == 1
    assert store.db.execute("SELECT json, content_sha256 FROM records").fetchone() == json_before
    assert builds(store) == {"wp-1": "rules-2"}
    assert store.history("wp-1")[0]["record"] == store_record(1)


def test_a_record_saved_without_a_build_forgets_the_old_one(store) -> None:
    # e.g. re-extraction: what built the new JSON is no longer what the digest says.
    store.save([store_record(1)], "c1", {"wp-1": "a"})
    store.save([store_record(1, text="Neu")], "c1")
    assert builds(store) == {} and store.built_record("wp-1", "a") is None


def test_a_kept_record_keeps_its_build(store) -> None:
    # The crawl keeps a degraded record's stored version with touch(): no new build.
    store.save([store_record(1)], "c1", {"wp-1": "good"})
    store.touch(["wp-1"], "c2")
    assert builds(store) == {"wp-1": "good"}


def test_a_removed_record_reused_comes_back_as_returned(store) -> None:
    store.save([store_record(1), store_record(2)], "c1", {"wp-1": "a", "wp-2": "b"})
    store.finish_crawl("c1", "finished", {})
    store.begin_crawl("c2", START)
    store.save([store_record(2)], "c2", {"wp-2": "b"})
    store.finish_crawl("c2", "finished", {})
    assert store.get("wp-1")["removed_at"] is not None
    store.begin_crawl("c3", START)
    reused = store.built_record("wp-1", "a")
    assert reused == store_record(1)
    outcome = store.save([reused, store_record(2)], "c3", {"wp-1": "a", "wp-2": "b"})
    assert outcome.returned == ["wp-1"] and outcome.unchanged == ["wp-2"]
    assert store.get("wp-1")["removed_at"] is None and versions(store) == 2
    changes = store.finish_crawl("c3", "finished", {})
    assert [r["id"] for r in changes.new] == ["wp-1"]  # the index must show it again


def test_a_store_from_before_the_builds_gains_the_table(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    with ArchiveStore(path) as old:
        old.begin_crawl("c1", START)
        old.save([store_record(1)], "c1")
        old.db.execute("DROP TABLE record_builds")  # the store as the old SCHEMA left it
    with sqlite3.connect(path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()
    assert "record_builds" not in tables
    with ArchiveStore(path) as store:
        assert store.built_record("wp-1", "a") is None  # nothing known: built once more
        outcome = store.save([store_record(1)], "c1", {"wp-1": "a"})
        assert outcome.unchanged == ["wp-1"] and versions(store) == 1
        assert store.built_record("wp-1", "a") == store_record(1)


def test_a_second_connection_reads_builds_beside_the_writer(tmp_path: Path) -> None:
    # The crawl's record pipeline reads through its own connection (WAL).
    path = tmp_path / "archive.sqlite3"
    with ArchiveStore(path) as writer, ArchiveStore(path) as reader:
        writer.begin_crawl("c1", START)
        writer.save([store_record(1)], "c1", {"wp-1": "a"})
        assert reader.built_record("wp-1", "a") == store_record(1)
        record = copy.deepcopy(store_record(1, text="Neu"))
        writer.save([record], "c1", {"wp-1": "b"})
        assert reader.built_record("wp-1", "a") is None
        assert reader.built_record("wp-1", "b") == record
