"""archive.sync.sync_index on a real store and a real index: the first call rebuilds,
later calls apply what the store changed since the watermark, a removed record leaves
the index, and a rebuild is forced when asked, when the index or its watermark is gone,
or when the last rebuild is older than a week."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from archive.config import DataDir
from archive.search import SearchIndex
from archive.store import ArchiveStore
from archive.sync import LAST_REBUILD, REBUILD_AFTER_SECONDS, WATERMARK, sync_index
from archive.validation import check
from tests.helpers import small_record

W = "https://www.ikpe-erfurt.de"


def record(number: int, text: str | None = None) -> dict:
    return check(
        small_record(
            f"wp-{number}",
            f"Beitrag {number}",
            text or f"Beitrag {number} über Präventionsketten in Thüringen.",
        )
    )


def crawl(store: ArchiveStore, crawl_id: str, records: list[dict]) -> None:
    store.begin_crawl(crawl_id, f"{W}/")
    store.save(records, crawl_id)
    store.finish_crawl(crawl_id, "finished", {})


def indexed(data_dir: DataDir, query: str = "") -> list[str]:
    """The ids the index finds for ``query`` (every record for "")."""
    with SearchIndex(data_dir.index_dir) as index:
        return sorted(hit.id for hit in index.search(query, limit=100, facets=False).hits)


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data").ensure()


@pytest.fixture
def store(data_dir: DataDir):
    with ArchiveStore(data_dir.store_path) as opened:
        yield opened


def test_first_call_rebuilds_then_updates(data_dir: DataDir, store: ArchiveStore) -> None:
    crawl(store, "c1", [record(1), record(2), record(3)])
    first = sync_index(data_dir, store)
    assert first == {"mode": "rebuild", "indexed": 3, "removed": 0, "count": 3}
    assert (data_dir.index_dir / WATERMARK).exists()
    assert (data_dir.index_dir / LAST_REBUILD).exists()
    assert indexed(data_dir) == ["wp-1", "wp-2", "wp-3"]

    second = sync_index(data_dir, store)
    assert second == {"mode": "incremental", "indexed": 0, "removed": 0, "count": 3}


def test_changes_new_records_and_removals_reach_the_index(
    data_dir: DataDir, store: ArchiveStore
) -> None:
    crawl(store, "c1", [record(1), record(2), record(3), record(4)])
    sync_index(data_dir, store)
    assert indexed(data_dir, "Landkreise") == []
    # wp-2 changes, wp-5 is new, wp-4 is gone, wp-1 and wp-3 stay as they were.
    changed = record(2, "Beitrag 2 über Landkreise in Thüringen.")
    crawl(store, "c2", [record(1), changed, record(3), record(5)])
    result = sync_index(data_dir, store)
    assert result == {"mode": "incremental", "indexed": 2, "removed": 1, "count": 4}
    assert indexed(data_dir) == ["wp-1", "wp-2", "wp-3", "wp-5"]
    assert indexed(data_dir, "Landkreise") == ["wp-2"]
    assert indexed(data_dir, "Präventionsketten") == ["wp-1", "wp-3", "wp-5"]


def test_a_record_that_comes_back_returns_to_the_index(
    data_dir: DataDir, store: ArchiveStore
) -> None:
    crawl(store, "c1", [record(1), record(2), record(3)])
    crawl(store, "c2", [record(1), record(2)])  # wp-3 removed
    sync_index(data_dir, store)
    assert indexed(data_dir) == ["wp-1", "wp-2"]
    crawl(store, "c3", [record(1), record(2), record(3)])  # wp-3 back, unchanged
    result = sync_index(data_dir, store)
    assert (result["mode"], result["indexed"], result["count"]) == ("incremental", 1, 3)
    assert indexed(data_dir) == ["wp-1", "wp-2", "wp-3"]


def test_an_interrupted_update_is_caught_up(data_dir: DataDir, store: ArchiveStore) -> None:
    crawl(store, "c1", [record(1)])
    sync_index(data_dir, store)
    crawl(store, "c2", [record(1), record(2)])
    crawl(store, "c3", [record(1), record(2), record(3)])  # two crawls, no sync between
    result = sync_index(data_dir, store)
    assert (result["mode"], result["indexed"], result["count"]) == ("incremental", 2, 3)


def _forced(data_dir: DataDir) -> dict:
    return {"rebuild": True}


def _watermark_gone(data_dir: DataDir) -> dict:
    (data_dir.index_dir / WATERMARK).unlink()
    return {}


def _last_rebuild_gone(data_dir: DataDir) -> dict:
    (data_dir.index_dir / LAST_REBUILD).unlink()
    return {}


def _last_rebuild_a_week_ago(data_dir: DataDir) -> dict:
    stamp = time.time() - REBUILD_AFTER_SECONDS - 60
    os.utime(data_dir.index_dir / LAST_REBUILD, (stamp, stamp))
    return {}


def _last_rebuild_six_days_ago(data_dir: DataDir) -> dict:
    stamp = time.time() - 6 * 24 * 3600
    os.utime(data_dir.index_dir / LAST_REBUILD, (stamp, stamp))
    return {}


def _index_gone(data_dir: DataDir) -> dict:
    (data_dir.index_dir / "CURRENT").unlink()
    return {}


# (what happened since the first sync, mode of the next), note.
MODE_CASES = [
    (lambda d: {}, "incremental", "nothing: an update"),
    (_forced, "rebuild", "rebuild=True forces a rebuild"),
    (_watermark_gone, "rebuild", "no watermark: cannot know what changed"),
    (_last_rebuild_gone, "rebuild", "no record of the last rebuild"),
    (_last_rebuild_a_week_ago, "rebuild", "the last rebuild is over a week old"),
    (_last_rebuild_six_days_ago, "incremental", "six days: not yet"),
    (_index_gone, "rebuild", "no live index"),
]


@pytest.mark.parametrize(
    "happened, mode", [c[:2] for c in MODE_CASES], ids=[c[2] for c in MODE_CASES]
)
def test_when_the_index_is_rebuilt(data_dir: DataDir, store: ArchiveStore, happened, mode) -> None:
    crawl(store, "c1", [record(1), record(2)])
    sync_index(data_dir, store)
    crawl(store, "c2", [record(1), record(2, "Beitrag 2, geändert."), record(3)])
    options = happened(data_dir)
    result = sync_index(data_dir, store, **options)
    assert result["mode"] == mode
    # Either way the index ends up as the store is.
    assert result["count"] == 3
    assert result["indexed"] == (3 if mode == "rebuild" else 2)
    assert indexed(data_dir) == ["wp-1", "wp-2", "wp-3"]
    assert indexed(data_dir, "geändert") == ["wp-2"]
    if mode == "rebuild":  # a rebuild restarts the week
        age = time.time() - (data_dir.index_dir / LAST_REBUILD).stat().st_mtime
        assert age < 60


def test_an_empty_store_gives_an_empty_index(data_dir: DataDir, store: ArchiveStore) -> None:
    result = sync_index(data_dir, store)
    assert result == {"mode": "rebuild", "indexed": 0, "removed": 0, "count": 0}
    assert indexed(data_dir) == []
    crawl(store, "c1", [record(1)])
    assert sync_index(data_dir, store) == {
        "mode": "incremental",
        "indexed": 1,
        "removed": 0,
        "count": 1,
    }
