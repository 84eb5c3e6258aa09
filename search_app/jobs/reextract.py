"""Rebuild records from the stored raw captures with the current normaliser, offline.

``reextract`` is how an improved parser is rolled out over the whole history: each
record's latest WARC capture is read back, extracted and normalised again, and records
whose content changes get a new version in the store. ``rebuild_from_warc`` makes a new
store when there is none (lost, or damaged and moved aside): every record the WARC files
hold, from the latest capture of each (``crawler.recovery``). No request leaves the machine.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from archive import validation
from archive.captures import read_capture
from archive.config import DataDir
from archive.pdftext import attachment_texts
from archive.records import build_record
from archive.store import ArchiveStore, content_digest, now_utc
from crawler.replay import as_response, category_names, item_from_capture
from crawler.urls import Site

logger = logging.getLogger(__name__)


@dataclass
class ReextractReport:
    """What a re-extraction did."""

    crawl_id: str
    checked: int = 0
    changed: list[dict] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-ready."""
        return {"crawl_id": self.crawl_id, "checked": self.checked, "changed": self.changed,
                "unchanged": self.unchanged, "skipped": self.skipped}  # fmt: skip


def reextract(data_dir: DataDir) -> ReextractReport:
    """Rebuild every present record from its raw capture; store the ones that changed."""
    crawl_id = f"reextract-{now_utc()}"
    report = ReextractReport(crawl_id)
    categories = category_names(data_dir.warc_dir)
    pdf_texts: dict[str, str | None] = {}
    changed_records = []
    with ArchiveStore(data_dir.store_path) as store:
        for row in list(store.iter_records()):
            record = row["record"]
            report.checked += 1
            warc = record["source"].get("warc") or {}
            capture = None
            if warc.get("file"):
                capture = read_capture(data_dir.warc_dir, warc["file"], warc.get("offset", 0))
            if capture is None:
                report.skipped.append({"id": record["id"], "reason": "no raw capture"})
                continue
            response = as_response(capture)
            response.meta["capture"] = {"warc_file": warc["file"], "offset": warc["offset"],
                                        "fetched_at": record["source"]["fetched_at"]}  # fmt: skip
            item = item_from_capture(record, response, Site.from_url(record["url"]), categories)
            if item is None:
                report.skipped.append({"id": record["id"], "reason": "not found in its capture"})
                continue
            texts = attachment_texts(item.get("attachments", []), data_dir.attachments_dir,
                                     pdf_texts)  # fmt: skip
            try:
                rebuilt = validation.check(build_record(item, attachment_texts=texts))
            except validation.InvalidRecord as error:
                report.skipped.append({"id": record["id"], "reason": str(error)})
                continue
            if content_digest(rebuilt) == content_digest(record):
                report.unchanged += 1
                continue
            changed_records.append(rebuilt)
            report.changed.append({"id": record["id"], "url": record["url"],
                                   "title": rebuilt["title"]})  # fmt: skip
        if changed_records:
            store.begin_crawl(crawl_id, "reextract")
            store.save(changed_records, crawl_id)
            store.finish_crawl(crawl_id, "finished", {}, apply_removals=False)
    logger.info("reextract: %d checked, %d changed", report.checked, len(report.changed))
    return report


REBUILD_CRAWL_PREFIX = "rebuild-from-warc"
REBUILT_REASON = "rebuilt_from_warc"  # the crawl's finish reason: its counts compare to none
STORE_BATCH = 200  # records per transaction of a rebuild


class StoreExistsError(RuntimeError):
    """A store is in the way of a rebuild: it is never overwritten, even when damaged."""


@dataclass
class RebuildReport:
    """What a rebuild from the WARC captures did."""

    crawl_id: str
    captures: int = 0
    crawls: int = 0
    records: int = 0
    removed: int = 0  # records only earlier captures hold: gone from the site since
    removals_withheld: bool = False
    by_type: dict[str, int] = field(default_factory=dict)
    skipped: list[dict] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    files_restored: int = 0

    def as_dict(self) -> dict:
        """JSON-ready."""
        return dict(self.__dict__)


def rebuild_from_warc(data_dir: DataDir) -> RebuildReport:
    """A new store from the WARC captures alone, under the data directory's lock.

    The crawls are replayed oldest first (``crawler.recovery``) into the store, which
    keeps versions as it did during the crawls: a record's current version is the one
    its latest crawl made (unchanged content keeps the earlier capture, as it did), and
    each change is a version. Records that only earlier captures hold are marked removed.
    Refuses (``StoreExistsError``) when a store file is in place: a damaged store is
    moved aside by hand, never overwritten. The store is written beside its place and
    linked into it at the end, so a rebuild that is killed leaves no half store.
    """
    from search_app.jobs.lock import nightly_lock

    store_path = data_dir.store_path
    with nightly_lock(data_dir):
        _check_nothing_in_place(store_path)
        report = RebuildReport(f"{REBUILD_CRAWL_PREFIX}-{now_utc()}")
        partial = store_path.with_name(store_path.name + ".rebuilding")
        for stale in (partial, *(partial.with_name(partial.name + s) for s in ("-wal", "-shm"))):
            stale.unlink(missing_ok=True)  # what a killed rebuild left
        try:
            with ArchiveStore(partial) as store:
                _replay(data_dir, store, report)
            if report.records:  # no store at all rather than an empty one
                _check_nothing_in_place(store_path)
                _link_new_store(partial, store_path)
        finally:
            partial.unlink(missing_ok=True)
    logger.info("rebuilt %d records from %d captures", report.records, report.captures)
    return report


def _check_nothing_in_place(store_path: Path) -> None:
    """Refuse a store in place, and the write-ahead log of one moved aside without it
    (SQLite would replay the old store's pages into the new one)."""
    if store_path.exists() or store_path.is_symlink():
        raise StoreExistsError(
            f"a store is in place at {store_path}: it is never overwritten; move it "
            "aside (e.g. to archive.sqlite3.damaged) and run the command again"
        )
    log = store_path.with_name(store_path.name + "-wal")
    if log.exists():
        raise StoreExistsError(
            f"the write-ahead log of a store is in place at {log}: it belongs to the store "
            "moved aside; move it aside too and run the command again"
        )


def _link_new_store(partial: Path, store_path: Path) -> None:
    """A hard link, not a rename: it fails instead of replacing a store that appeared
    meanwhile (a user copying a backup back, say)."""
    try:
        os.link(partial, store_path)
    except FileExistsError as error:
        raise StoreExistsError(
            f"a store appeared at {store_path} during the rebuild; it was left as it is"
        ) from error


def _replay(data_dir: DataDir, store: ArchiveStore, report: RebuildReport) -> None:
    """Each crawl's records into ``store`` under the crawl's id, then the removals."""
    from crawler.normalise import normalise_item
    from crawler.recovery import WarcRecovery

    recovery = WarcRecovery(data_dir.warc_dir, data_dir.attachments_dir)
    # item key -> (identity of the item the record's version came from, record id)
    saved: dict[str, tuple[tuple, str]] = {}
    current: dict[str, dict] = {}
    invalid: set[tuple] = set()
    for crawl in recovery.crawls():
        report.crawls += 1
        store.begin_crawl(crawl.crawl_id, crawl.start_url)
        changed, unchanged = [], []
        for recovered in crawl.items:
            key = recovered.item["key"]
            if recovered.identity in invalid:
                continue
            if key in saved and saved[key][0] == recovered.identity:
                unchanged.append(saved[key][1])  # the same capture in the same context
                continue
            outcome = normalise_item(recovered.item, str(data_dir.attachments_dir))
            record = outcome.get("record")
            if record is None:
                invalid.add(recovered.identity)
                _skip(report, recovered.item, outcome)
                continue
            if not record["text"] and (current.get(record["id"]) or {}).get("text"):
                unchanged.append(record["id"])  # the crawl kept the version with text too
                continue
            saved[key] = (recovered.identity, record["id"])
            current[record["id"]] = record
            changed.append(record)
        for start in range(0, len(changed), STORE_BATCH):
            store.save(changed[start : start + STORE_BATCH], crawl.crawl_id)
        store.touch(unchanged, crawl.crawl_id)
        store.finish_crawl(crawl.crawl_id, REBUILT_REASON,
                           {"finish_reason": REBUILT_REASON}, apply_removals=False)  # fmt: skip
    # The rebuild's own crawl sees what the latest captures still give; a finished crawl
    # marks the rest removed, as a nightly would have (the store's guard applies).
    present = {saved[key][1] for key in recovery.present_keys() if key in saved}
    store.begin_crawl(report.crawl_id, REBUILD_CRAWL_PREFIX)
    store.touch(sorted(present), report.crawl_id)
    stats = {"finish_reason": REBUILT_REASON}  # so the monitors compare no count with it
    changes = store.finish_crawl(report.crawl_id, "finished", stats, apply_removals=True)
    report.removed, report.removals_withheld = len(changes.removed), changes.removals_withheld
    report.records = len(current)
    for record in current.values():
        report.by_type[record["type"]] = report.by_type.get(record["type"], 0) + 1
    report.captures, report.unreadable = recovery.captures, recovery.unreadable
    report.files_restored = recovery.files_restored


def _skip(report: RebuildReport, item: dict, outcome: dict) -> None:
    """Note an item whose record could not be built (as the crawl would have dropped it)."""
    reason = outcome.get("error") or "; ".join(m for _, m in outcome.get("problems", []))
    report.skipped.append({"id": item["key"], "url": item["url"],
                           "reason": (reason.strip().splitlines() or ["?"])[-1]})  # fmt: skip


def report_json(report: ReextractReport | RebuildReport) -> str:
    """The report as JSON."""
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
