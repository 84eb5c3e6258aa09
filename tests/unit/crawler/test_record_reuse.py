"""The record and store pipelines on a real Scrapy crawler, store and journal: a stored
record is reused for the item (and rules) that built it, and built again otherwise."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from archive import statkeys
from archive.config import DataDir
from archive.ids import publication_id
from archive.store import ArchiveStore
from crawler.journal import CrawlJournal
from crawler.pipelines import RecordPipeline, StorePipeline
from tests.helpers import citation_item

START = "https://www.ikpe-erfurt.de/"
FETCHES = itertools.count(1)  # each fetch of an item at another time


def post_item(*, body: str = "<p>Der Fachtag lädt Kommunen nach Erfurt ein.</p>") -> dict:
    """A post as the spider leaves it; a new fetch time on every call."""
    return {
        "key": "wp-101",
        "kind": "post",
        "url": "https://www.ikpe-erfurt.de/fachtag/",
        "fetched_url": "https://www.ikpe-erfurt.de/fachtag/",
        "wp_id": 101,
        "slug": "fachtag",
        "title": "Fachtag Teilhabe",
        "published": "2024-03-12T10:00:00",
        "categories": ["News_Archiv"],
        "body_html": body,
        "links": [],
        "attachments": [],
        "attachment_urls": [],
        "provenance": {"title": "rest:title.rendered"},
        "source": {
            "via": "rest",
            "url": "https://www.ikpe-erfurt.de/wp-json/wp/v2/posts",
            "fetched_at": f"2024-03-13T02:{next(FETCHES) % 60:02d}:00Z",
            "http_status": 200,
            "sha256": "b" * 64,
        },
    }


def publication() -> dict:
    """A citation of the publication tabs, as the spider leaves it."""
    item = citation_item("Fischer, J. (2019): Armut in Thüringen. Erfurt.")
    item.update(key=publication_id(item["publication"]["raw"]), attachments=[])
    item.update(attachment_urls=[], fetched_url=item["source"]["url"], provenance={})
    item["title"] = item["publication"]["raw"]
    return item


def crawl(tmp_path: Path, crawl_id: str, items: list[dict]) -> tuple[dict, list[dict]]:
    """One crawl of ``items`` through the record and store pipelines: (stats, journal)."""
    data_dir = DataDir(tmp_path / "data")
    settings = {
        "FILES_STORE": str(tmp_path / "files"),
        "IKPE_DATA_DIR": str(data_dir.root),
        "IKPE_RECORD_WORKERS": 0,
    }
    crawler = get_crawler(Spider, settings)
    spider = Spider(name="ikpe")
    spider.crawl_id, spider.start_url = crawl_id, START
    spider.journal = CrawlJournal(data_dir, crawl_id, START)
    data_dir.ensure()
    crawler.spider = spider
    records, store = RecordPipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)
    for item in copy.deepcopy(items):
        store.process_item(asyncio.run(records.process_item(item)))
    records.spider_closed(spider)
    store.spider_closed(spider, "finished")
    journal = [json.loads(line) for line in spider.journal.items_path.open(encoding="utf-8")]
    return crawler.stats.get_stats(), journal


def stored(tmp_path: Path) -> tuple[dict, int, dict]:
    """(records by id, versions, build digests by id) of the crawl's store."""
    with ArchiveStore(tmp_path / "data" / "archive.sqlite3") as store:
        records = {r["record"]["id"]: r["record"] for r in store.iter_records()}
        builds = dict(store.db.execute("SELECT id, build_digest FROM record_builds"))
        return records, store.stats()["versions"], builds


def test_an_unchanged_item_reuses_its_record_and_a_changed_one_is_built(tmp_path: Path) -> None:
    items = [post_item(), publication()]
    first, first_journal = crawl(tmp_path, "c1", items)
    assert first[statkeys.RECORDS_BUILT] == 2 and statkeys.RECORDS_REUSED not in first
    records, versions, builds = stored(tmp_path)
    assert versions == 2 and set(builds) == set(records) == {"wp-101", items[1]["key"]}

    second, journal = crawl(tmp_path, "c2", [post_item(), publication()])  # fetched again
    assert second[statkeys.RECORDS_REUSED] == 2 and statkeys.RECORDS_BUILT not in second
    assert second[statkeys.store("unchanged")] == 2
    assert stored(tmp_path) == (records, versions, builds)
    # The monitors' counters, the item's text and credits come from the stored record.
    assert [i["counters"] for i in journal] == [i["counters"] for i in first_journal]
    assert [(i["text"], i["credits"]) for i in journal] == [
        (i["text"], i["credits"]) for i in first_journal
    ]
    assert all("build_digest" not in i and "record" not in i for i in journal)

    third, _ = crawl(tmp_path, "c3", [post_item(body="<p>Neu: der Fachtag.</p>"), publication()])
    assert (third[statkeys.RECORDS_BUILT], third[statkeys.RECORDS_REUSED]) == (1, 1)
    assert third[statkeys.store("changed")] == 1 and stored(tmp_path)[1] == 3


def test_other_rules_build_every_record_again(tmp_path: Path, change_rules) -> None:
    crawl(tmp_path, "c1", [post_item(), publication()])
    records, versions, builds = stored(tmp_path)
    change_rules()
    stats, _ = crawl(tmp_path, "c2", [post_item(), publication()])
    assert stats[statkeys.RECORDS_BUILT] == 2 and statkeys.RECORDS_REUSED not in stats
    after, after_versions, after_builds = stored(tmp_path)
    assert (after, after_versions) == (records, versions)  # same content: no new version
    assert set(after_builds) == set(builds) and not set(after_builds.values()) & set(
        builds.values()
    )
    again, _ = crawl(tmp_path, "c3", [post_item(), publication()])
    assert again[statkeys.RECORDS_REUSED] == 2


def test_a_degraded_record_is_kept_without_the_broken_items_digest(tmp_path: Path) -> None:
    crawl(tmp_path, "c1", [post_item()])
    records, versions, builds = stored(tmp_path)
    broken, _ = crawl(tmp_path, "c2", [post_item(body="")])  # extraction lost the text
    assert broken[statkeys.RECORDS_BUILT] == 1 and broken[statkeys.RECORDS_DEGRADED] == 1
    assert stored(tmp_path) == (records, versions, builds)  # the good build stays recorded
    repaired, _ = crawl(tmp_path, "c3", [post_item()])
    assert repaired[statkeys.RECORDS_REUSED] == 1 and statkeys.RECORDS_DEGRADED not in repaired
