"""Item pipelines, each with one job: drop duplicates, fetch attachments, write the journal."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.pipelines.files import FilesPipeline

from archive import statkeys
from archive.config import DataDir
from archive.item import Item
from archive.monitors import discovery_cut_short, extraction_healthy
from archive.schema import CITATION_TYPES
from archive.store import ArchiveStore
from crawler.normalise import build_digest, normalise_item
from crawler.record_workers import RecordWorkers

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
COVERED_FIELDS = ("title", "date", "text")


def record_counters(record: dict) -> list[str]:
    """The counters one record adds to its crawl's stats: its type, each covered field it
    lacks, and an empty text (what the nightly's monitors read)."""
    counters = [statkeys.records(record["type"])]
    counters += [
        statkeys.missing(record["type"], name) for name in COVERED_FIELDS if not record.get(name)
    ]
    if not record["text"] and record["type"] not in CITATION_TYPES:
        counters.append(statkeys.RECORDS_EMPTY_TEXT)
    return counters


class DeduplicatePipeline:
    """One item per post, page or citation, however many places list it.

    Keys already in the journal of a resumed crawl count as seen.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen: set[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeduplicatePipeline:
        return cls(crawler)

    def process_item(self, item: Item, spider: Spider | None = None) -> dict:
        if self.seen is None:
            journal = getattr(self.crawler.spider, "journal", None)
            self.seen = set(journal.done_keys) if journal is not None else set()
        if item["key"] in self.seen:
            self.crawler.stats.inc_value(statkeys.ITEMS_DUPLICATES_DROPPED)
            raise DropItem(f"already harvested: {item['key']}")
        self.seen.add(item["key"])
        return item


def attachment_path(url: str) -> str:
    """Where an attachment is kept under ``attachments/`` (the crawl and the rebuild from
    the WARC captures, ``crawler.recovery``, agree on it)."""
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()
    suffix = Path(url.split("?", 1)[0]).suffix.lower()[:6] or ".bin"
    return f"{digest[:2]}/{digest}{suffix}"


def attachment_facts(url: str, data: bytes) -> dict:
    """What a record notes of a downloaded attachment: path, size, SHA-256, media type."""
    return {
        "path": attachment_path(url),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": "application/pdf"
        if data.startswith(PDF_MAGIC)
        else mimetypes.guess_type(url)[0] or "application/octet-stream",
    }


class AttachmentsPipeline(FilesPipeline):
    """Download each attachment once and keep it; note its size, type and SHA-256."""

    def file_path(self, request, response=None, info=None, *, item=None) -> str:
        return attachment_path(request.url)

    def item_completed(self, results, item: Item, info) -> Item:
        files = {}
        for ok, result in results:
            if ok:
                files[result["url"]] = result
        store = Path(self.store.basedir)
        for attachment in item.get("attachments", []):
            result = files.get(attachment["url"])
            if result is None:
                attachment["error"] = "download failed"
                self.crawler.stats.inc_value(statkeys.ERROR_ATTACHMENT)
                logger.warning(
                    "attachment not downloaded: %s (in %s)", attachment["url"], item["url"]
                )
                continue
            path = store / result["path"]
            try:
                data = path.read_bytes()
            except OSError as error:
                attachment["error"] = f"not readable: {error}"
                continue
            attachment.update(attachment_facts(attachment["url"], data), path=result["path"])
            attachment["download_status"] = result.get("status")
        item.pop("attachment_files", None)
        return item


class RecordPipeline:
    """Normalise each item into a record and validate it; an invalid one is reported
    with its URL and the failing path, and not stored.

    An item that is the one the stored record was built from, under the same rules
    (``crawler.normalise.build_digest``, kept by the store beside the record), is not
    built again: the stored record is used (``records/reused``; else ``records/built``).
    Over an unchanged site that spares a nightly most of its CPU.

    With ``IKPE_RECORD_WORKERS`` > 0 the work runs in up to that many worker processes
    (:mod:`crawler.record_workers`), on other cores than the crawl's event loop.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.files_store = str(crawler.settings["FILES_STORE"])
        self.max_workers = crawler.settings.getint("IKPE_RECORD_WORKERS", 0)
        # Started with the first record to build: over an unchanged site there is none.
        self.workers: RecordWorkers | None = None
        self.store: ArchiveStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def _open(self) -> ArchiveStore:
        # A connection of its own, read only here: the store pipeline writes through its
        # own, and SQLite's WAL lets this one read beside it.
        if self.store is None:
            data_dir = DataDir.from_env(self.crawler.settings.get("IKPE_DATA_DIR"))
            self.store = ArchiveStore(data_dir.store_path)
        return self.store

    def spider_closed(self, spider) -> None:
        if self.workers is not None:
            self.workers.close()
        if self.max_workers > 0:
            started = self.workers.started if self.workers is not None else 0
            self.crawler.stats.set_value(statkeys.RECORD_WORKERS, started)
        if self.store is not None:
            self.store.close()
            self.store = None

    async def process_item(self, item: Item, spider: Spider | None = None) -> dict:
        stats = self.crawler.stats
        digest = build_digest(item)
        record = self._open().built_record(item["key"], digest)
        if record is not None:
            stats.inc_value(statkeys.RECORDS_REUSED)
        else:
            record = await self._build(item)
            stats.inc_value(statkeys.RECORDS_BUILT)
        counters = record_counters(record)
        for key in counters:
            stats.inc_value(key)
        # Journaled with the item, so a resumed crawl carries them (crawler.journal).
        item["counters"] = counters
        item["record"] = record
        # The store keeps it beside the record (StorePipeline), for the next crawl.
        item["build_digest"] = digest
        item["text"], item["credits"] = record["text"], record["credits"]
        return item

    async def _build(self, item: Item) -> dict:
        """The record built from ``item`` and validated; DropItem if it cannot be."""
        if self.max_workers <= 0:
            outcome = normalise_item(item, self.files_store)
        else:
            if self.workers is None:
                self.workers = RecordWorkers(self.max_workers, self.files_store)
            outcome = await self.workers.normalise(item)
        stats = self.crawler.stats
        if "error" in outcome:  # a normaliser bug: the crawl goes on, the item is reported
            stats.inc_value(statkeys.ERRORS)
            stats.inc_value(statkeys.ERROR_RECORD_BUILD)
            logger.error("could not build the record of %s:\n%s", item.get("url"), outcome["error"])
            raise DropItem(f"record not built: {item.get('url')}")
        if "problems" in outcome:
            stats.inc_value(statkeys.RECORDS_INVALID)
            for path, message in outcome["problems"][:5]:
                logger.error("invalid record %s at %s: %s", item.get("url"), path, message)
            raise DropItem(f"invalid record: {item.get('url')}")
        return outcome["record"]


class StorePipeline:
    """Save records to the archive store, a batch per transaction, then write the batch's
    items to the crawl's journal; at the end of a finished crawl, mark what it did not see
    as removed.

    The journal is written only after the store committed, so a killed crawl resumes
    exactly from what is safely stored: nothing journaled can be missing from the store.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch: list[dict] = []
        self.batch_items: list[dict] = []
        self.builds: dict[str, str | None] = {}  # what built each record of the batch
        self.batch_size = crawler.settings.getint("IKPE_STORE_BATCH", 50)
        self.store: ArchiveStore | None = None
        self.changes = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def _open(self) -> ArchiveStore:
        if self.store is None:
            data_dir = DataDir.from_env(self.crawler.settings.get("IKPE_DATA_DIR"))
            self.store = ArchiveStore(data_dir.store_path)
            spider = self.crawler.spider
            self.store.begin_crawl(spider.crawl_id, spider.start_url)
        return self.store

    def process_item(self, item: Item, spider: Spider | None = None) -> dict:
        self.batch.append(item.pop("record"))
        # Not journaled: a resumed crawl does not build journaled items again.
        self.builds[self.batch[-1]["id"]] = item.pop("build_digest", None)
        self.batch_items.append(item)
        self.crawler.stats.inc_value(statkeys.items(item["kind"]))
        item.setdefault("counters", []).append(statkeys.items(item["kind"]))
        if len(self.batch) >= self.batch_size:
            self._flush()
        return item

    def _degraded(self, store: ArchiveStore, record: dict) -> bool:
        """A record that lost the text its stored version has: extraction broke (the
        layout changed), so the good version stays and the monitors shout."""
        if record["text"]:
            return False
        stored = store.get(record["id"])
        if stored is None or not stored["record"]["text"]:
            return False
        self.crawler.stats.inc_value(statkeys.RECORDS_DEGRADED)
        logger.error("extraction lost the text of %s: keeping the stored version", record["url"])
        return True

    def _flush(self) -> None:
        if not self.batch:
            return
        store = self._open()
        crawl_id = self.crawler.spider.crawl_id
        keep = [r["id"] for r in self.batch if self._degraded(store, r)]
        # A kept record keeps what built it: the degraded item gets no digest of its own.
        saved = [r for r in self.batch if r["id"] not in keep]
        outcome = store.save(saved, crawl_id, {r["id"]: self.builds.get(r["id"]) for r in saved})
        store.touch(keep, crawl_id)
        stats = self.crawler.stats
        for kind in ("new", "changed", "unchanged", "returned"):
            stats.inc_value(statkeys.store(kind), len(getattr(outcome, kind)))
        stats.inc_value(statkeys.STORE_KEPT_PREVIOUS, len(keep))
        self.crawler.spider.journal.append(self.batch_items)
        self.batch, self.batch_items, self.builds = [], [], {}

    def spider_closed(self, spider, reason: str) -> None:
        self._flush()
        store = self._open()
        stats = self.crawler.stats.get_stats()
        healthy = extraction_healthy(stats)
        if reason == "finished" and not healthy:
            logger.error("extraction looks broken: absences are not trusted, removals withheld")
        cut_short = discovery_cut_short(stats)
        if reason == "finished" and cut_short:
            logger.error(
                "the crawl's limits cut discovery short (%s): absences are not trusted, "
                "removals withheld",
                ", ".join(cut_short),
            )
        self.changes = store.finish_crawl(
            spider.crawl_id, reason, stats, apply_removals=healthy and not cut_short
        )
        self.crawler.stats.set_value(statkeys.STORE_REMOVED, len(self.changes.removed))
        if self.changes.removals_withheld:
            logger.error("the crawl saw too few records: removals are withheld")
        store.close()
