"""Item pipelines, each with one job: drop duplicates, fetch attachments, write the journal."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.pipelines.files import FilesPipeline

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"


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

    def process_item(self, item: dict, spider: Spider | None = None) -> dict:
        if self.seen is None:
            journal = getattr(self.crawler.spider, "journal", None)
            self.seen = set(journal.done_keys) if journal is not None else set()
        if item["key"] in self.seen:
            self.crawler.stats.inc_value("ikpe/items/duplicates_dropped")
            raise DropItem(f"already harvested: {item['key']}")
        self.seen.add(item["key"])
        return item


class AttachmentsPipeline(FilesPipeline):
    """Download each attachment once and keep it; note its size, type and SHA-256."""

    def file_path(self, request, response=None, info=None, *, item=None) -> str:
        digest = hashlib.sha1(request.url.encode("utf-8")).hexdigest()
        suffix = Path(request.url.split("?", 1)[0]).suffix.lower()[:6] or ".bin"
        return f"{digest[:2]}/{digest}{suffix}"

    def item_completed(self, results, item: dict, info) -> dict:
        files = {}
        for ok, result in results:
            if ok:
                files[result["url"]] = result
        store = Path(self.store.basedir)
        for attachment in item.get("attachments", []):
            result = files.get(attachment["url"])
            if result is None:
                attachment["error"] = "download failed"
                self.crawler.stats.inc_value("ikpe/errors/attachment")
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
            attachment["path"] = result["path"]
            attachment["bytes"] = len(data)
            attachment["sha256"] = hashlib.sha256(data).hexdigest()
            attachment["media_type"] = (
                "application/pdf"
                if data.startswith(PDF_MAGIC)
                else mimetypes.guess_type(attachment["url"])[0] or "application/octet-stream"
            )
            attachment["download_status"] = result.get("status")
        item.pop("attachment_files", None)
        return item


class JournalPipeline:
    """Write every item to the crawl's journal (JSON Lines under the data directory)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JournalPipeline:
        return cls(crawler)

    def process_item(self, item: dict, spider: Spider | None = None) -> dict:
        self.crawler.spider.journal.append(dict(item))
        self.crawler.stats.inc_value(f"ikpe/items/{item['kind']}")
        return item
