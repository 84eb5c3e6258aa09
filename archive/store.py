"""The archive store: every record's current version and all earlier ones, in SQLite.

WAL mode; a batch of records is written in one transaction, so a kill at any moment
leaves whole records or none. Records the site no longer serves are marked removed
(``removed_at``), never deleted; if they come back they are marked present again.
Writing the same record twice changes nothing but ``last_seen``.

Over 400 lines on purpose: every statement on the SQLite file sits in this one class,
so that what a transaction holds is visible in one place.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    version INTEGER NOT NULL,
    json TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    removed_at TEXT,
    last_crawl TEXT
);
CREATE INDEX IF NOT EXISTS records_date ON records (date, id);
CREATE TABLE IF NOT EXISTS versions (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    crawl_id TEXT,
    content_sha256 TEXT NOT NULL,
    warc_file TEXT,
    warc_offset INTEGER,
    json TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS crawls (
    crawl_id TEXT PRIMARY KEY,
    start_url TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    finish_reason TEXT,
    stats TEXT,
    removals_applied INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS crawl_changes (
    crawl_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (crawl_id, record_id)
);
-- What each current record was built from (an item digest and the rules' version, see
-- crawler.normalise.build_digest): a crawl reuses the record when both are the same.
-- Beside the records, not in them: the record's JSON, digest and versions stay as built.
CREATE TABLE IF NOT EXISTS record_builds (
    id TEXT PRIMARY KEY,
    build_digest TEXT NOT NULL
);
"""
# Fields that change with every fetch without the record changing.
VOLATILE_FIELDS = ("source", "provenance")
# Removals are applied only when a crawl saw at least this share of the present records:
# a crawl that broke half-way must not mark the archive "removed".
REMOVAL_GUARD_RATIO = 0.5
CHANGE_KINDS = ("new", "changed", "unchanged", "removed", "returned")


def now_utc() -> str:
    """The current time, ISO 8601 in UTC."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_digest(record: dict) -> str:
    """A digest of what a record says, leaving out where and when it was fetched."""
    content = {k: v for k, v in record.items() if k not in VOLATILE_FIELDS}
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


@dataclass
class SaveOutcome:
    """What a batch did to the store: record ids by change kind."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)


@dataclass
class CrawlChanges:
    """What one crawl changed: lists of ``{id, url, title}`` by kind."""

    new: list[dict]
    changed: list[dict]
    removed: list[dict]
    unchanged: list[dict]
    removals_withheld: bool = False

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {
            "new": self.new,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "removals_withheld": self.removals_withheld,
        }


class StoreDamagedError(sqlite3.DatabaseError):
    """The store's SQLite file cannot be read (a bad header or page, foreign bytes, a
    directory in its place). Nothing is written to it: the message says what to do.
    A ``sqlite3.DatabaseError``, so callers that handle those (the web app) handle it."""


# SQLite errors that mean "try later", not "the file is damaged".
TRANSIENT_ERRORS = ("locked", "busy")


def is_damage(error: BaseException) -> bool:
    """True when a SQLite error says the store's file cannot be read as a database."""
    if isinstance(error, StoreDamagedError):
        return False  # already said
    return isinstance(error, sqlite3.DatabaseError) and not any(
        word in str(error).lower() for word in TRANSIENT_ERRORS
    )


def damaged_store(path: Path, error: BaseException) -> StoreDamagedError:
    """The error (one line) a user reads about a damaged store, and what to do."""
    detail = "a directory stands in its place" if path.is_dir() else str(error)
    return StoreDamagedError(
        f"the archive store {path} is damaged ({detail}); it was left as it is: restore "
        "it from a backup, or move it aside and rebuild it from the WARC captures in "
        f"{path.parent / 'warc'} with 'ikpe-archive reextract --from-warc'"
    )


class ArchiveStore:
    """The SQLite archive under the data directory."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as error:
            raise damaged_store(self.path, error) from error
        try:
            # Read first: SQLite refuses a file that is no database here, before any pragma
            # below could write to it.
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as error:
            self.db.close()
            if is_damage(error):
                raise damaged_store(self.path, error) from error
            raise

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> ArchiveStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- crawls ----------------------------------------------------------------------

    def begin_crawl(self, crawl_id: str, start_url: str) -> None:
        """Register a crawl (a resumed crawl keeps its first start time)."""
        self.db.execute(
            "INSERT OR IGNORE INTO crawls (crawl_id, start_url, started_at) VALUES (?, ?, ?)",
            (crawl_id, start_url, now_utc()),
        )

    def save(
        self,
        records: Iterable[dict],
        crawl_id: str,
        builds: Mapping[str, str | None] | None = None,
    ) -> SaveOutcome:
        """Write a batch of (valid) records in one transaction.

        ``builds`` maps record ids to what built them (:meth:`built_record` reads it back),
        written in the same transaction. A record saved without one loses the one it had:
        what built its JSON is no longer known, so the next crawl builds it again.
        """
        outcome = SaveOutcome()
        seen_at = now_utc()
        builds = builds or {}
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for record in records:
                kind = self._save_one(record, crawl_id, seen_at)
                getattr(outcome, kind).append(record["id"])
                self._save_build(record["id"], builds.get(record["id"]))
                self.db.execute(
                    "INSERT INTO crawl_changes VALUES (?, ?, ?) ON CONFLICT (crawl_id, record_id)"
                    " DO UPDATE SET change = CASE WHEN crawl_changes.change IN ('new', 'changed',"
                    " 'returned') THEN crawl_changes.change ELSE excluded.change END",
                    (crawl_id, record["id"], kind),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return outcome

    def _save_build(self, record_id: str, build_digest: str | None) -> None:
        if build_digest:
            self.db.execute(
                "INSERT INTO record_builds VALUES (?, ?)"
                " ON CONFLICT (id) DO UPDATE SET build_digest = excluded.build_digest",
                (record_id, build_digest),
            )
        else:
            self.db.execute("DELETE FROM record_builds WHERE id = ?", (record_id,))

    def built_record(self, record_id: str, build_digest: str) -> dict | None:
        """The stored record ``record_id`` if it was built from ``build_digest``, else None.

        A removed record is given too: saving it again marks it returned (its content is
        the same), as saving a rebuilt one would.
        """
        row = self.db.execute(
            "SELECT r.json FROM records r JOIN record_builds b ON b.id = r.id"
            " WHERE r.id = ? AND b.build_digest = ?",
            (record_id, build_digest),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def touch(self, record_ids: Iterable[str], crawl_id: str) -> None:
        """Mark records as seen by a crawl without changing them."""
        seen_at = now_utc()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for record_id in record_ids:
                self.db.execute(
                    "UPDATE records SET last_seen = ?, last_crawl = ? WHERE id = ?",
                    (seen_at, crawl_id, record_id),
                )
                self.db.execute(
                    "INSERT OR IGNORE INTO crawl_changes VALUES (?, ?, 'unchanged')",
                    (crawl_id, record_id),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def changed_since(self, stamp: str | None) -> tuple[list[dict], list[str]]:
        """Records changed (or new, or back) after ``stamp``, and ids removed after it."""
        since = stamp or ""
        changed = [
            json.loads(row[0])
            for row in self.db.execute(
                "SELECT json FROM records WHERE removed_at IS NULL AND changed_at > ?", (since,)
            )
        ]
        removed = [
            row[0]
            for row in self.db.execute(
                "SELECT id FROM records WHERE removed_at IS NOT NULL AND removed_at > ?", (since,)
            )
        ]
        return changed, removed

    def _save_one(self, record: dict, crawl_id: str, seen_at: str) -> str:
        digest = content_digest(record)
        row = self.db.execute(
            "SELECT content_sha256, version, removed_at FROM records WHERE id = ?", (record["id"],)
        ).fetchone()
        warc = (record.get("source") or {}).get("warc") or {}
        if row is None:
            data = _dump(record)  # once: the version and the record row hold the same JSON
            self._insert_version(record, 1, crawl_id, digest, seen_at, warc, data)
            self.db.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, NULL, ?)",
                (
                    record["id"],
                    record["type"],
                    record["date"],
                    record["title"],
                    record["url"],
                    digest,
                    data,
                    seen_at,
                    seen_at,
                    seen_at,
                    crawl_id,
                ),
            )
            return "new"
        old_digest, version, removed_at = row
        if old_digest == digest:
            # A record that comes back counts as changed for the index (it must reappear).
            self.db.execute(
                "UPDATE records SET last_seen = ?, last_crawl = ?, removed_at = NULL,"
                " changed_at = CASE WHEN removed_at IS NULL THEN changed_at ELSE ? END"
                " WHERE id = ?",
                (seen_at, crawl_id, seen_at, record["id"]),
            )
            return "returned" if removed_at else "unchanged"
        version += 1
        data = _dump(record)
        self._insert_version(record, version, crawl_id, digest, seen_at, warc, data)
        self.db.execute(
            "UPDATE records SET type = ?, date = ?, title = ?, url = ?, content_sha256 = ?,"
            " version = ?, json = ?, last_seen = ?, changed_at = ?, removed_at = NULL,"
            " last_crawl = ? WHERE id = ?",
            (
                record["type"],
                record["date"],
                record["title"],
                record["url"],
                digest,
                version,
                data,
                seen_at,
                seen_at,
                crawl_id,
                record["id"],
            ),
        )
        return "returned" if removed_at else "changed"

    def _insert_version(self, record, version, crawl_id, digest, seen_at, warc, data) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record["id"],
                version,
                seen_at,
                crawl_id,
                digest,
                warc.get("file"),
                warc.get("offset"),
                data,
            ),
        )

    def finish_crawl(
        self, crawl_id: str, reason: str, stats: dict | None = None, *, apply_removals: bool = True
    ) -> CrawlChanges:
        """Close a crawl; a finished one marks what it did not see as removed."""
        withheld = False
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if reason == "finished" and apply_removals:
                present = self.db.execute(
                    "SELECT COUNT(*) FROM records WHERE removed_at IS NULL"
                ).fetchone()[0]
                seen = self.db.execute(
                    "SELECT COUNT(*) FROM records WHERE removed_at IS NULL AND last_crawl = ?",
                    (crawl_id,),
                ).fetchone()[0]
                if present and seen < REMOVAL_GUARD_RATIO * present:
                    withheld = True
                else:
                    gone = [
                        r[0]
                        for r in self.db.execute(
                            "SELECT id FROM records WHERE removed_at IS NULL"
                            " AND (last_crawl IS NULL OR last_crawl != ?)",
                            (crawl_id,),
                        )
                    ]
                    stamp = now_utc()
                    for record_id in gone:
                        self.db.execute(
                            "UPDATE records SET removed_at = ? WHERE id = ?", (stamp, record_id)
                        )
                        self.db.execute(
                            "INSERT OR REPLACE INTO crawl_changes VALUES (?, ?, 'removed')",
                            (crawl_id, record_id),
                        )
            self.db.execute(
                "UPDATE crawls SET finished_at = ?, finish_reason = ?, stats = ?,"
                " removals_applied = ? WHERE crawl_id = ?",
                (
                    now_utc(),
                    reason,
                    json.dumps(stats or {}, default=str),
                    int(reason == "finished" and apply_removals and not withheld),
                    crawl_id,
                ),
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        changes = self.crawl_changes(crawl_id)
        changes.removals_withheld = withheld
        return changes

    def crawl_changes(self, crawl_id: str) -> CrawlChanges:
        """What a crawl changed, each list of ``{id, url, title}`` sorted by id."""
        lists: dict[str, list[dict]] = {kind: [] for kind in CHANGE_KINDS}
        for record_id, change, url, title in self.db.execute(
            "SELECT c.record_id, c.change, r.url, r.title FROM crawl_changes c"
            " JOIN records r ON r.id = c.record_id WHERE c.crawl_id = ? ORDER BY c.record_id",
            (crawl_id,),
        ):
            lists[change].append({"id": record_id, "url": url, "title": title})
        return CrawlChanges(
            new=lists["new"] + lists["returned"],
            changed=lists["changed"],
            removed=lists["removed"],
            unchanged=lists["unchanged"],
        )

    def crawl_history(self, limit: int = 20) -> list[dict]:
        """The most recent finished crawls, newest first, with their stats."""
        rows = self.db.execute(
            "SELECT crawl_id, start_url, started_at, finished_at, finish_reason, stats"
            " FROM crawls WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?",
            (limit,),
        )
        return [
            {
                "crawl_id": c,
                "start_url": u,
                "started_at": s,
                "finished_at": f,
                "finish_reason": r,
                "stats": json.loads(st or "{}"),
            }
            for c, u, s, f, r, st in rows
        ]

    # --- reading ---------------------------------------------------------------------

    def get(self, record_id: str) -> dict | None:
        """The current version of a record, with its archive status."""
        row = self.db.execute(
            "SELECT json, first_seen, last_seen, removed_at, version FROM records WHERE id = ?",
            (record_id,),
        ).fetchone()
        return _with_status(row) if row else None

    def history(self, record_id: str) -> list[dict]:
        """Every version of a record, oldest first, with when it changed."""
        return [
            {
                "version": v,
                "changed_at": at,
                "crawl_id": c,
                "warc": {"file": f, "offset": o},
                "record": json.loads(j),
            }
            for v, at, c, f, o, j in self.db.execute(
                "SELECT version, changed_at, crawl_id, warc_file, warc_offset, json FROM versions"
                " WHERE id = ? ORDER BY version",
                (record_id,),
            )
        ]

    def iter_records(
        self,
        *,
        include_removed: bool = False,
        record_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> Iterator[dict]:
        """Current records sorted by date then id, filtered by type and date range.

        ``date_from``/``date_to`` compare ISO prefixes, so a partial date counts by its range:
        ``2023`` lies within ``--from 2023-05`` and ``--to 2023-02``.
        """
        clauses, params = [], []
        if not include_removed:
            clauses.append("removed_at IS NULL")
        if record_type:
            clauses.append("type = ?")
            params.append(record_type)
        if date_from:
            clauses.append("date >= substr(?, 1, length(date))")
            params.append(date_from)
        if date_to:
            clauses.append("substr(date, 1, length(?)) <= ?")
            params.extend([date_to, date_to])
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        for row in self.db.execute(
            f"SELECT json, first_seen, last_seen, removed_at, version FROM records {where}"
            " ORDER BY date, id",
            params,
        ):
            yield _with_status(row)

    def stats(self) -> dict:
        """Counts by type, by year and by status."""
        by_type = dict(
            self.db.execute(
                "SELECT type, COUNT(*) FROM records WHERE removed_at IS NULL GROUP BY type"
            ).fetchall()
        )
        by_year = dict(
            self.db.execute(
                "SELECT substr(date, 1, 4), COUNT(*) FROM records WHERE removed_at IS NULL"
                " GROUP BY substr(date, 1, 4) ORDER BY 1"
            ).fetchall()
        )
        present, removed = self.db.execute(
            "SELECT SUM(removed_at IS NULL), SUM(removed_at IS NOT NULL) FROM records"
        ).fetchone()
        versions = self.db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
        return {
            "by_type": by_type,
            "by_year": by_year,
            "by_status": {"present": present or 0, "removed": removed or 0},
            "versions": versions,
        }

    def count(self) -> int:
        """How many records are present."""
        return self.db.execute("SELECT COUNT(*) FROM records WHERE removed_at IS NULL").fetchone()[
            0
        ]


def _dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _with_status(row) -> dict:
    data, first_seen, last_seen, removed_at, version = row
    record = json.loads(data)
    return {
        "record": record,
        "first_seen": first_seen,
        "last_seen": last_seen,
        "removed_at": removed_at,
        "version": version,
    }
