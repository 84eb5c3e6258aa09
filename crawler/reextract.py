"""Rebuild every record from its stored raw capture with the current normaliser, offline.

This is how an improved parser is rolled out over the whole history: each record's
latest WARC capture is read back, extracted and normalised again, and records whose
content changes get a new version in the store. No request leaves the machine.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response, TextResponse
from warcio.archiveiterator import ArchiveIterator

from archive import validation
from archive.config import DataDir
from archive.ids import publication_id
from archive.pdftext import pdf_text
from archive.records import build_record
from archive.store import ArchiveStore, content_digest, now_utc
from crawler import discovery, items
from crawler.extract import extract_page, extract_rest_entry
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


def read_capture(warc_dir: Path, warc_file: str, offset: int) -> Response | None:
    """The response stored at ``offset`` of a WARC file, as a Scrapy response."""
    path = warc_dir / warc_file
    if not path.exists():
        return None
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)), None)
        if record is None or record.rec_type != "response":
            return None
        url = record.rec_headers.get_header("WARC-Target-URI")
        status = int(record.http_headers.get_statuscode() or 0)
        headers = [(k, v) for k, v in record.http_headers.headers]
        body = record.content_stream().read()
    content_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
    response_class = HtmlResponse if "html" in content_type else TextResponse
    return response_class(url=url, status=status, headers=headers, body=body, request=Request(url))


def _category_names(warc_dir: Path, index: sqlite3.Connection) -> dict[int, str]:
    names: dict[int, str] = {}
    for warc_file, offset in index.execute(
        "SELECT warc_file, offset FROM captures WHERE url LIKE '%/wp/v2/categories%'"
    ):
        response = read_capture(warc_dir, warc_file, offset)
        for category in discovery.parse_rest_list(response.body) if response else []:
            if isinstance(category.get("id"), int):
                names[category["id"]] = str(category.get("name", ""))
    return names


def _item_from_capture(
    record: dict, response: Response, site: Site, categories: dict
) -> dict | None:
    via = record["source"]["via"]
    if via == "ajax":
        fragment, name = discovery.ajax_html(response.body)
        tab_name = (record.get("reference") or {}).get("tab") or name
        for citation in discovery.parse_citation_list(fragment, response.url):
            if publication_id(citation.text) == record["id"]:
                return items.publication_item(citation, response, tab=None, tab_name=tab_name,
                                              list_url=record["url"], via="ajax")  # fmt: skip
        return None
    if via == "rest":
        listing = discovery.parse_rest_list(response.body) or []
        entry = next((e for e in listing if e.get("id") == record.get("wp_id")), None)
        if entry is None:
            return None
        extracted = extract_rest_entry(entry, categories)
    else:
        if record.get("reference") is not None:  # a citation of the year-grouped list
            for citation in discovery.parse_citation_list(response.text, response.url):
                if publication_id(citation.text) == record["id"]:
                    return items.publication_item(citation, response, tab=None, tab_name=None,
                                                  list_url=record["url"], via="html")  # fmt: skip
            return None
        extracted = extract_page(response.text, response.url)
    kind = "newsletter" if record["id"].startswith("url-") else None
    item = items.entry_item(extracted, response, site, via=via, kind=kind)
    # Attachments were downloaded by the crawl; their facts come from the stored record.
    stored = {a["url"]: a for a in record.get("attachments", [])}
    item["attachments"] = [{**a, **stored.get(a["url"], {})} for a in item["attachments"]]
    return item


def reextract(data_dir: DataDir) -> ReextractReport:
    """Rebuild every present record from its raw capture; store the ones that changed."""
    crawl_id = f"reextract-{now_utc()}"
    report = ReextractReport(crawl_id)
    index = sqlite3.connect(data_dir.warc_dir / "captures.sqlite3")
    categories = _category_names(data_dir.warc_dir, index)
    index.close()
    pdf_texts: dict[str, str | None] = {}
    changed_records = []
    with ArchiveStore(data_dir.store_path) as store:
        for row in list(store.iter_records()):
            record = row["record"]
            report.checked += 1
            warc = record["source"].get("warc") or {}
            response = None
            if warc.get("file"):
                response = read_capture(data_dir.warc_dir, warc["file"], warc.get("offset", 0))
            if response is None:
                report.skipped.append({"id": record["id"], "reason": "no raw capture"})
                continue
            response.meta["capture"] = {"warc_file": warc["file"], "offset": warc["offset"],
                                        "fetched_at": record["source"]["fetched_at"]}  # fmt: skip
            item = _item_from_capture(record, response, Site.from_url(record["url"]), categories)
            if item is None:
                report.skipped.append({"id": record["id"], "reason": "not found in its capture"})
                continue
            texts = {}
            for attachment in item.get("attachments", []):
                if attachment.get("path") and attachment.get("sha256"):
                    if attachment["sha256"] not in pdf_texts:
                        path = data_dir.attachments_dir / attachment["path"]
                        pdf_texts[attachment["sha256"]] = (
                            pdf_text(path.read_bytes()) if path.exists() else None
                        )
                    texts[attachment["url"]] = pdf_texts[attachment["sha256"]]
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
