"""The archive's front door: one object the command line and the web app both call.

As datasette's ``Datasette`` class serves its CLI and its views, :class:`Archive` answers
everything a user asks of a data directory: search, a record and its versions, similar
records, exports, counts, the raw capture a record came from and its attachments. No
caller opens the store, the index or the WARC files itself, so no SQL and no Whoosh
appear in a view or a command.

An ``Archive`` is safe to share between threads: the store is opened per call (SQLite
connections belong to one thread; opening one costs well under a millisecond) and the
search index serialises its own readers.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from archive import export as exporter
from archive.captures import Capture, read_capture
from archive.config import DataDir
from archive.store import ArchiveStore, StoreDamagedError, damaged_store, is_damage

if TYPE_CHECKING:
    from archive.pressreview import PressReviews

EXPORT_FORMATS = exporter.FORMATS
__all__ = ["Archive", "ArchiveMissingError", "StoreDamagedError", "Version"]


class ArchiveMissingError(RuntimeError):
    """Nothing was harvested into this data directory yet."""


@dataclass(frozen=True)
class Version:
    """One stored version of a record: its number, when it changed and the record."""

    number: int
    changed_at: str
    crawl_id: str
    warc_file: str | None
    warc_offset: int | None
    record: dict


class Archive:
    """The records, versions, index and captures of one data directory."""

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        self._index = None
        self._index_lock = threading.Lock()

    # --- opening ---------------------------------------------------------------------

    def has_store(self) -> bool:
        """True once something was harvested into the data directory."""
        return self.data_dir.store_path.exists()

    @contextmanager
    def store(self) -> Iterator[ArchiveStore]:
        """The store, opened for one piece of work; ``ArchiveMissingError`` if there is none,
        ``StoreDamagedError`` if its file cannot be read."""
        if not self.has_store():
            raise ArchiveMissingError(
                f"no archive in {self.data_dir.root} yet: run 'ikpe-archive crawl' "
                "(or nightly) first"
            )
        store = ArchiveStore(self.data_dir.store_path)  # StoreDamagedError if unreadable
        try:
            yield store
        except sqlite3.DatabaseError as error:
            # A bad page shows only when a query reaches it.
            if is_damage(error):
                raise damaged_store(self.data_dir.store_path, error) from error
            raise
        finally:
            store.close()

    def index(self):
        """The search index (``archive.search.SearchIndex``), opened once and shared."""
        from archive.search import SearchIndex  # Whoosh loads only when a search is asked

        with self._index_lock:
            if self._index is None:
                self._index = SearchIndex(self.data_dir.index_dir)
            return self._index

    def has_index(self) -> bool:
        """True when a search index exists."""
        return self.index().exists()

    def close(self) -> None:
        """Release the search index."""
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def health(self) -> dict:
        """Whether the store and the index open, and how many records each holds."""
        status: dict = {"store": {"ok": False}, "index": {"ok": False}}
        try:
            with self.store() as store:
                status["store"] = {"ok": True, "records": store.count()}
        except Exception as error:  # a health check reports every failure, never raises
            status["store"]["error"] = str(error)
        try:
            index = self.index()
            if index.exists():
                status["index"] = {"ok": True, "records": index.count()}
            else:
                status["index"]["error"] = "no search index yet"
        except Exception as error:
            status["index"]["error"] = str(error)
        status["ok"] = status["store"]["ok"] and status["index"]["ok"]
        return status

    def update_index(self, *, rebuild: bool = False) -> dict:
        """Bring the search index up to date with the store (or rebuild it beside the live
        one and swap it in); return what was done (``archive.sync.sync_index``)."""
        from archive.sync import sync_index

        with self.store() as store:
            result = sync_index(self.data_dir, store, rebuild=rebuild)
        self.close()  # the next search opens the new generation
        return result

    # --- searching -------------------------------------------------------------------

    def search(self, query: str, **options):
        """Search the index (options as ``SearchIndex.search``: filters, sort, paging,
        facets); raises ``IndexMissingError`` when there is no index yet and
        ``QueryError`` for invalid options."""
        from archive.search import IndexMissingError

        # The index finds out itself that it is missing (one read of CURRENT per search
        # rather than two: a search page is a few milliseconds).
        try:
            return self.index().search(query, **options)
        except IndexMissingError:
            raise IndexMissingError(
                f"no search index in {self.data_dir.root} yet: run 'ikpe-archive index' "
                "(or nightly) first"
            ) from None

    def similar(self, record_id: str, limit: int = 5) -> list:
        """Records most like ``record_id``, best first ([] without an index)."""
        index = self.index()
        if not index.exists():
            return []
        return index.similar(record_id, limit=limit)

    # --- records ---------------------------------------------------------------------

    def record(self, record_id: str) -> dict | None:
        """The current version of a record with its status (``first_seen``, ``last_seen``,
        ``removed_at``, ``version``), or None when the archive has no such record."""
        with self.store() as store:
            return store.get(record_id)

    def versions(self, record_id: str) -> list[Version]:
        """Every stored version of a record, oldest first ([] for an unknown id)."""
        with self.store() as store:
            return [
                Version(
                    number=entry["version"],
                    changed_at=entry["changed_at"],
                    crawl_id=entry["crawl_id"],
                    warc_file=entry["warc"]["file"],
                    warc_offset=entry["warc"]["offset"],
                    record=entry["record"],
                )
                for entry in store.history(record_id)
            ]

    def version(self, record_id: str, number: int) -> Version | None:
        """One stored version of a record, or None."""
        return next((v for v in self.versions(record_id) if v.number == number), None)

    def records(
        self,
        *,
        record_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        ids: list[str] | None = None,
    ) -> Iterator[dict]:
        """Current records (sorted by date then id), filtered by type and date range, or
        the records named by ``ids`` in that order (unknown ids are left out)."""
        with self.store() as store:
            if ids is not None:
                for record_id in ids:
                    row = store.get(record_id)
                    if row is not None:
                        yield row["record"]
                return
            for row in store.iter_records(
                record_type=record_type, date_from=date_from, date_to=date_to
            ):
                yield row["record"]

    def stats(self) -> dict:
        """Counts of records by type, year and status, and of versions."""
        with self.store() as store:
            return store.stats()

    # --- exports ---------------------------------------------------------------------

    def export(self, records, fmt: str, out: TextIO) -> int:
        """Write ``records`` to ``out`` in ``fmt`` (one of :data:`EXPORT_FORMATS`)."""
        return exporter.write(records, fmt, out)

    def export_text(self, records, fmt: str) -> str:
        """``records`` in ``fmt`` as a string."""
        return exporter.export_text(records, fmt)

    # --- raw captures and attachments ------------------------------------------------

    def capture(self, record_id: str, version: int | None = None) -> Capture | None:
        """The raw capture (as fetched, from the WARC files) that a record, or one of its
        versions, was built from; None when there is none."""
        if version is None:
            row = self.record(record_id)
            warc = ((row or {}).get("record") or {}).get("source", {}).get("warc") or {}
            warc_file, offset = warc.get("file"), warc.get("offset")
        else:
            found = self.version(record_id, version)
            warc_file, offset = (found.warc_file, found.warc_offset) if found else (None, None)
        if not warc_file or offset is None:
            return None
        return read_capture(self.data_dir.warc_dir, warc_file, int(offset))

    def attachment(self, record_id: str, sha256: str) -> tuple[dict, Path] | None:
        """A record's downloaded attachment with this digest and the file that holds it."""
        row = self.record(record_id)
        for attachment in ((row or {}).get("record") or {}).get("attachments", []):
            if attachment.get("sha256") == sha256 and attachment.get("path"):
                root = self.data_dir.attachments_dir.resolve()
                path = (root / attachment["path"]).resolve()
                if path.is_relative_to(root) and path.is_file():
                    return attachment, path
        return None

    # --- press reviews ---------------------------------------------------------------

    def press_reviews(self) -> PressReviews:
        """The saved press reviews (Pressespiegel) of this archive: create, list, edit, add
        records, build the document (``archive.pressreview.PressReviews``)."""
        from archive.pressreview import PressReviews

        return PressReviews(self)
