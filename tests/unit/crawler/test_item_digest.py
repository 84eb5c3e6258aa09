"""The item digest: what builds a record changes it, what changes with every fetch does not."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from crawler.normalise import build_digest, item_digest


def post_item() -> dict:
    """A post as the spider and the attachments pipeline leave it (the REST path)."""
    return {
        "key": "wp-101",
        "kind": "post",
        "url": "https://www.ikpe-erfurt.de/fachtag-teilhabe/",
        "fetched_url": "https://www.ikpe-erfurt.de/wp-json/wp/v2/posts?page=1",
        "wp_id": 101,
        "slug": "fachtag-teilhabe",
        "title": "Fachtag Teilhabe",
        "published": "2024-03-12T10:00:00",
        "modified": "2024-03-13T08:00:00",
        "visible_date": None,
        "categories": ["News_Archiv"],
        "body_html": "<p>Erfurt/12.03.2024. Der Fachtag lädt ein.</p>",
        "excerpt_html": None,
        "links": ["https://www.ikpe-erfurt.de/wp-content/uploads/2024/03/programm.pdf"],
        "attachments": [
            {
                "url": "https://www.ikpe-erfurt.de/wp-content/uploads/2024/03/programm.pdf",
                "title": "Programm",
                "path": "ab/ab12.pdf",
                "bytes": 1234,
                "sha256": "a" * 64,
                "media_type": "application/pdf",
                "download_status": "downloaded",
            }
        ],
        "attachment_urls": ["https://www.ikpe-erfurt.de/wp-content/uploads/2024/03/programm.pdf"],
        "provenance": {"title": "rest:title.rendered", "published": "rest:date"},
        "source": {
            "via": "rest",
            "url": "https://www.ikpe-erfurt.de/wp-json/wp/v2/posts?page=1",
            "fetched_at": "2024-03-13T02:00:00Z",
            "http_status": 200,
            "etag": '"abc"',
            "last_modified": "Wed, 13 Mar 2024 08:00:00 GMT",
            "sha256": "b" * 64,
            "cached": False,
            "capture": {
                "warc_file": "crawl-1-00000.warc.gz",
                "offset": 4711,
                "sha256": "b" * 64,
                "status": 200,
                "fetched_at": "2024-03-13T02:00:00Z",
            },
        },
    }


def _set(path: str, value) -> Callable[[dict], None]:
    """A change of the item: the value at a dotted path (``attachments.0.sha256``)."""

    def change(item: dict) -> None:
        *parents, last = path.split(".")
        target = item
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _drop_attachment_status(item: dict) -> None:
    del item["attachments"][0]["download_status"]


def _pipeline_outputs(item: dict) -> None:
    item.update(counters=["ikpe/records/news"], record={"id": "wp-101"}, build_digest="x")


# (change, note): each rebuilds the record.
CHANGING = [
    (_set("body_html", "<p>Erfurt/12.03.2024. Der Fachtag lädt herzlich ein.</p>"), "text"),
    (_set("title", "Fachtag Teilhabe 2024"), "title"),
    (_set("published", "2024-03-11T10:00:00"), "posting date"),
    (_set("modified", "2024-03-14T08:00:00"), "modified date"),
    (_set("visible_date", "2024-03-12"), "visible date"),
    (_set("categories", ["News_Archiv", "Veranstaltungen"]), "categories"),
    (_set("excerpt_html", "<p>Der Fachtag.</p>"), "excerpt"),
    (_set("kind", "page"), "kind"),
    (_set("slug", "fachtag"), "slug"),
    (_set("provenance.published", "theme:date-line"), "provenance (decides the type)"),
    (_set("attachments.0.sha256", "c" * 64), "an attachment's file (its text)"),
    (_set("attachments.0.title", "Programm (PDF)"), "an attachment's title"),
    (_set("attachments.0.error", "download failed"), "an attachment's error"),
    (_set("attachments", []), "an attachment gone"),
    (_set("links", []), "links"),
]  # fmt: skip

# (change, note): none rebuilds the record.
UNCHANGING = [
    (_set("source.fetched_at", "2024-03-14T02:00:00Z"), "fetched_at"),
    (_set("source.capture", None), "capture (a cached answer)"),
    (_set("source.capture.offset", 9999), "capture offset"),
    (_set("source.capture.revalidated_at", "2024-03-14T02:00:00Z"), "revalidation"),
    (_set("source.etag", '"def"'), "etag"),
    (_set("source.last_modified", "Thu, 14 Mar 2024 08:00:00 GMT"), "Last-Modified"),
    (_set("source.cached", True), "cached"),
    (_set("source.sha256", "d" * 64), "sha256 of the whole REST page"),
    (_set("source.via", "html"), "the way it was fetched"),
    (_set("attachments.0.download_status", "uptodate"), "download_status"),
    (_drop_attachment_status, "no download_status at all"),
    (_pipeline_outputs, "what the pipelines add after the build"),
]  # fmt: skip


@pytest.mark.parametrize("change", [c[0] for c in CHANGING], ids=[c[1] for c in CHANGING])
def test_what_builds_the_record_changes_the_digest(change: Callable[[dict], None]) -> None:
    item = post_item()
    changed = copy.deepcopy(item)
    change(changed)
    assert item_digest(changed) != item_digest(item)
    assert build_digest(changed) != build_digest(item)


@pytest.mark.parametrize("change", [c[0] for c in UNCHANGING], ids=[c[1] for c in UNCHANGING])
def test_what_changes_with_every_fetch_leaves_the_digest(change: Callable[[dict], None]) -> None:
    item = post_item()
    changed = copy.deepcopy(item)
    change(changed)
    assert item_digest(changed) == item_digest(item)
    assert build_digest(changed) == build_digest(item)


def test_the_digest_is_a_sha256_independent_of_key_order() -> None:
    item = post_item()
    reordered = dict(reversed(list(item.items())))
    assert item_digest(reordered) == item_digest(item)
    assert len(item_digest(item)) == 64 and int(item_digest(item), 16) >= 0


def test_other_rules_give_another_build_digest(change_rules) -> None:
    item = post_item()
    before = build_digest(item)
    change_rules()
    assert build_digest(item) != before
    assert item_digest(item) == item_digest(post_item())
