"""Keep the search index in step with the store: the store is the truth, the index a view.

A watermark in the index directory says up to when the store's changes are in the index;
an update applies everything the store changed since, so an update that was interrupted
(a killed nightly) is caught up by the next one.
"""

from __future__ import annotations

import time

from archive.config import DataDir
from archive.search import SearchIndex
from archive.store import ArchiveStore, now_utc

WATERMARK = "store-watermark"
LAST_REBUILD = "last-rebuild"
# Compound splitting and "did you mean" learn the archive's words at a rebuild; an
# incremental update keeps the old vocabulary, so the index is rebuilt now and then.
REBUILD_AFTER_SECONDS = 7 * 24 * 3600


def sync_index(data_dir: DataDir, store: ArchiveStore, *, rebuild: bool = False) -> dict:
    """Update (or rebuild) the index from the store; return what was done."""
    index = SearchIndex(data_dir.index_dir)
    watermark = data_dir.index_dir / WATERMARK
    last_rebuild = data_dir.index_dir / LAST_REBUILD
    stamp = now_utc()  # taken before reading, so nothing written meanwhile is skipped
    stale = not last_rebuild.exists() or time.time() - last_rebuild.stat().st_mtime > (
        REBUILD_AFTER_SECONDS
    )
    try:
        if rebuild or stale or not index.exists() or not watermark.exists():
            count = index.rebuild(row["record"] for row in store.iter_records())
            last_rebuild.write_text(stamp, encoding="utf-8")
            result = {"mode": "rebuild", "indexed": count, "removed": 0}
        else:
            changed, removed = store.changed_since(watermark.read_text(encoding="utf-8").strip())
            index.update(changed, removed)
            result = {"mode": "incremental", "indexed": len(changed), "removed": len(removed)}
        watermark.write_text(stamp, encoding="utf-8")
        result["count"] = index.count()
    finally:
        index.close()
    return result
