"""Keep the search index in step with the store: the store is the truth, the index a view.

A watermark in the index directory says up to when the store's changes are in the index;
an update applies everything the store changed since, so an update that was interrupted
(a killed nightly) is caught up by the next one.

A damaged index (``CURRENT``, ``meta.json`` or segments unreadable, a file where the
index directory should be) is rebuilt from the store: the index holds nothing the store
does not. A file in the index directory's place is moved aside, never deleted.
"""

from __future__ import annotations

import logging
import time

from archive.config import DataDir
from archive.search import IndexDamagedError, SearchIndex
from archive.store import ArchiveStore, now_utc

logger = logging.getLogger(__name__)

WATERMARK = "store-watermark"
LAST_REBUILD = "last-rebuild"
# Compound splitting and "did you mean" learn the archive's words at a rebuild; an
# incremental update keeps the old vocabulary, so the index is rebuilt now and then.
REBUILD_AFTER_SECONDS = 7 * 24 * 3600
DAMAGED_SUFFIX = ".damaged-"  # a file found where the index directory belongs, moved aside


def sync_index(data_dir: DataDir, store: ArchiveStore, *, rebuild: bool = False) -> dict:
    """Update (or rebuild) the index from the store; return what was done.

    ``mode`` is ``incremental`` or ``rebuild``; ``repaired`` says why a damaged index was
    rebuilt (absent when it was sound).
    """
    repaired = _make_room(data_dir)
    index = SearchIndex(data_dir.index_dir)
    watermark = data_dir.index_dir / WATERMARK
    last_rebuild = data_dir.index_dir / LAST_REBUILD
    stamp = now_utc()  # taken before reading, so nothing written meanwhile is skipped
    try:
        if not rebuild and not repaired:
            repaired = _damage(index)
        stale = not last_rebuild.exists() or time.time() - last_rebuild.stat().st_mtime > (
            REBUILD_AFTER_SECONDS
        )
        if rebuild or repaired or stale or not index.exists() or not watermark.exists():
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
    if repaired:
        result["repaired"] = repaired
    return result


def _make_room(data_dir: DataDir) -> str | None:
    """Move a file (or link) that stands where the index directory belongs aside; say so."""
    path = data_dir.index_dir
    if path.is_dir() or not (path.exists() or path.is_symlink()):
        return None
    aside = path.with_name(f"{path.name}{DAMAGED_SUFFIX}{time.strftime('%Y%m%dT%H%M%S')}")
    path.rename(aside)
    logger.warning("%s was no directory: moved aside to %s", path, aside)
    return f"{path} was no directory; moved aside to {aside.name}"


def _damage(index: SearchIndex) -> str | None:
    """What is wrong with an existing index (None: sound, or none yet)."""
    try:
        if index.exists():
            index.check()
    except IndexDamagedError as error:
        logger.warning("%s: rebuilding it", error)
        return str(error)
    return None
