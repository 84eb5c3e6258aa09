"""Rebuild every record from its stored raw capture with the current normaliser, offline.

This is how an improved parser is rolled out over the whole history: each record's
latest WARC capture is read back, extracted and normalised again, and records whose
content changes get a new version in the store. No request leaves the machine.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

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


def report_json(report: ReextractReport) -> str:
    """The report as JSON."""
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
