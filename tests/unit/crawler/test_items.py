"""Tables for crawler.items: an item's key, its source, and items built from an
``Extracted`` and a real Scrapy response (attachments from document links, the HTTP
Last-Modified as the last resort for a date, the kind of entry), and publication items.

The module's rule: an item's ``key`` is the id its record will have, so the crawl, its
journal and the store agree on what "the same post" is; the tests check it against the
record :func:`archive.records.build_record` builds from the item.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from archive import ids
from archive.records import build_record
from archive.validation import problems
from crawler.discovery import Citation
from crawler.extract import Extracted
from crawler.items import entry_item, entry_key, publication_item, response_source
from crawler.urls import Site

W = "https://www.ikpe-erfurt.de"
SITE = Site.from_url(f"{W}/")
URL = f"{W}/2024/03/fachtag-armut/"
BODY = "<html><body><h1>Fachtag „Armut“</h1></body></html>".encode()
LAST_MODIFIED = "Tue, 12 Mar 2024 09:00:00 GMT"
CAPTURE = {
    "warc_file": "20240312T000000-1-00000.warc.gz",
    "offset": 1234,
    "sha256": "a" * 64,
    "status": 200,
    "fetched_at": "2024-03-12T09:30:00Z",
    "record_type": "response",
}


def params(table: list) -> list:
    """Table rows as pytest params (the last value is the id); ``pytest.param`` rows pass."""
    return [pytest.param(*row[:-1], id=row[-1]) if type(row) is tuple else row for row in table]


def bug(reason: str, *values, note: str):
    """A row the code gets wrong today: expected to fail until the bug is fixed."""
    return pytest.param(
        *values, id=note, marks=pytest.mark.xfail(strict=True, reason=f"bug: {reason}")
    )


def extracted(**fields) -> Extracted:
    """An ``Extracted`` whose every field came from a named test signal."""
    result = Extracted()
    for name, value in fields.items():
        result.offer(name, value, f"test:{name}")
    return result


def response(
    url: str = URL,
    *,
    body: bytes = BODY,
    headers: dict | None = None,
    status: int = 200,
    meta: dict | None = None,
    flags: list[str] | None = None,
    cls=HtmlResponse,
):
    request = Request(url, meta=meta or {})
    return cls(
        url, body=body, headers=headers or {}, status=status, request=request, flags=flags,
        encoding="utf-8",
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# response_source
# --------------------------------------------------------------------------------------


def test_source_without_a_capture_digests_the_body_and_stamps_now() -> None:
    source = response_source(response(status=203), "html")
    assert source["via"] == "html"
    assert source["url"] == URL
    assert source["http_status"] == 203
    assert source["sha256"] == hashlib.sha256(BODY).hexdigest()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", source["fetched_at"])
    assert source["capture"] is None
    assert (source["etag"], source["last_modified"], source["cached"]) == (None, None, False)


def test_source_with_a_capture_takes_its_digest_and_time() -> None:
    source = response_source(response(meta={"capture": CAPTURE}), "rest")
    assert source["sha256"] == CAPTURE["sha256"]  # the WARC writer hashed these bytes
    assert source["fetched_at"] == CAPTURE["fetched_at"]
    assert source["capture"] == CAPTURE
    assert source["via"] == "rest"


# (headers, flags, etag, last_modified, cached), note.
SOURCE_HEADER_CASES = [
    ({"ETag": '"abc-123"', "Last-Modified": LAST_MODIFIED}, None, '"abc-123"', LAST_MODIFIED,
     False, "validators as sent"),
    ({"ETag": 'W/"x"'}, ["cached"], 'W/"x"', None, True,
     "a weak ETag; a response from the HTTP cache is flagged"),
    ({"ETag": "caf\xe9".encode("latin-1")}, None, "café", None, False,
     "header bytes are read as latin-1"),
    ({"ETag": ""}, None, None, None, False, "an empty header is no header"),
]  # fmt: skip


@pytest.mark.parametrize("headers, flags, etag, last_modified, cached", params(SOURCE_HEADER_CASES))
def test_source_headers(headers, flags, etag, last_modified, cached) -> None:
    source = response_source(response(headers=headers, flags=flags), "html")
    assert (source["etag"], source["last_modified"], source["cached"]) == (
        etag,
        last_modified,
        cached,
    )


# --------------------------------------------------------------------------------------
# entry_key: the id the record will have
# --------------------------------------------------------------------------------------

# (fields, key), note.
KEY_CASES = [
    ({"wp_id": 412, "canonical": URL}, "wp-412", "the WordPress id first"),
    ({"wp_id": 412, "canonical": f"{W}/anderer-slug/"}, "wp-412",
     "a renamed slug keeps the id"),
    ({"canonical": URL}, ids.url_id(URL), "no id: the canonical URL"),
    ({"canonical": "https://ikpe-erfurt.de/2024/03/fachtag-armut/#kommentare"}, ids.url_id(URL),
     "the canonical URL in its one spelling (host, fragment)"),
    ({"canonical": f"{URL}?utm_source=newsletter"}, ids.url_id(URL),
     "tracking parameters are not part of the identity"),
    ({"wp_id": "412", "canonical": URL}, ids.url_id(URL), "an id that is not an int is no id"),
]  # fmt: skip


@pytest.mark.parametrize("fields, key", params(KEY_CASES))
def test_entry_key(fields: dict, key: str) -> None:
    assert entry_key(extracted(**fields), SITE) == key


# (fields, the URL fetched), note: the item's key must be its record's id.
KEY_IS_RECORD_ID_CASES = [
    ({"wp_id": 412, "canonical": URL, "title": "Fachtag"}, URL, "a post with an id"),
    ({"canonical": URL, "title": "Newsletter"}, URL, "a page without an id"),
    ({"canonical": "https://ikpe-erfurt.de/x/#a", "title": "X"}, f"{W}/x/",
     "a canonical URL in another spelling"),
    bug("entry_key falls back to url_id('') without a canonical field, entry_item and the "
        "record to the response URL", {"title": "REST-Eintrag ohne link und id"},
        f"{W}/wp-json/wp/v2/posts?page=2",
        note="a REST entry without link and id: key and record id differ"),
]  # fmt: skip


@pytest.mark.parametrize("fields, fetched", params(KEY_IS_RECORD_ID_CASES))
def test_the_key_is_the_record_id(fields: dict, fetched: str) -> None:
    item = entry_item(extracted(**fields), response(fetched), SITE, via="rest")
    assert item["key"] == build_record(item)["id"]


# --------------------------------------------------------------------------------------
# entry_item
# --------------------------------------------------------------------------------------

BODY_HTML = (
    "<p>Das Programm als <a href='/wp-content/uploads/2024/03/programm.pdf'>PDF</a>, "
    "die Anmeldung als <a href='https://ikpe-erfurt.de/wp-content/uploads/anmeldung.docx'>"
    " Word-Datei </a>, der <a href='/kontakt/#formular'>Kontakt</a>, ein "
    "<a href='https://example.org/bericht.pdf'>fremder Bericht</a> und ein "
    "<a href='bild.jpg'>Foto</a>.</p>"
)


def test_an_html_post() -> None:
    fields = {
        "wp_id": 412,
        "canonical": URL,
        "title": "Fachtag Armut",
        "published": "2024-03-12T09:30:00+01:00",
        "categories": ["News"],
        "body_html": BODY_HTML,
        "excerpt_html": "<p>Kurz</p>",
        "visible_date": "2024-03-12",
    }
    item = entry_item(extracted(**fields), response(), SITE, via="html")
    assert item["key"] == "wp-412"
    assert item["kind"] == "post"
    assert (item["url"], item["fetched_url"]) == (URL, URL)
    assert item["slug"] == "fachtag-armut"
    assert (item["title"], item["published"], item["visible_date"]) == (
        "Fachtag Armut",
        "2024-03-12T09:30:00+01:00",
        "2024-03-12",
    )
    assert item["modified"] is None  # no Last-Modified header to fall back on
    assert item["links"] == [
        f"{W}/wp-content/uploads/2024/03/programm.pdf",
        f"{W}/wp-content/uploads/anmeldung.docx",
        f"{W}/kontakt/",
        "https://example.org/bericht.pdf",
        f"{URL}bild.jpg",
    ]
    assert item["attachments"] == [
        {"url": f"{W}/wp-content/uploads/2024/03/programm.pdf", "title": "PDF"},
        {"url": f"{W}/wp-content/uploads/anmeldung.docx", "title": "Word-Datei"},
        {"url": "https://example.org/bericht.pdf", "title": "fremder Bericht"},
    ]
    assert item["attachment_urls"] == [a["url"] for a in item["attachments"]]
    assert item["provenance"]["title"] == "test:title"
    assert item["source"]["via"] == "html"
    assert item["excerpt_html"] == "<p>Kurz</p>"
    assert item["categories"] == ["News"]


# (body HTML, attachment URLs), note.
ATTACHMENT_CASES = [
    ("", [], "no body"),
    ("<p>Kein Link</p>", [], "no links"),
    ("<a href='/a.pdf'>A</a><a href='/a.pdf'>A noch einmal</a>", [f"{W}/a.pdf"],
     "the same link twice: one attachment, the first text"),
    ("<a href='/a.PDF?download=1'>A</a>", [f"{W}/a.PDF?download=1"], "case and query"),
    ("<a href='/a.pdf/'>Anhangseite</a>", [], "WordPress's attachment page is a page"),
    bug("links are de-duplicated before they are normalised, so two spellings of one file "
        "become two attachments",
        f"<a href='{W}/a.pdf'>A</a><a href='https://ikpe-erfurt.de/a.pdf'>A</a>", [f"{W}/a.pdf"],
        note="www and bare host: one file, one attachment"),
    bug("links are de-duplicated before they are normalised, so two spellings of one file "
        "become two attachments",
        "<a href='/a.pdf'>A</a><a href='/a.pdf#page=2'>S. 2</a>", [f"{W}/a.pdf"],
        note="a fragment: one file, one attachment"),
]  # fmt: skip


@pytest.mark.parametrize("body_html, urls", params(ATTACHMENT_CASES))
def test_attachments_from_document_links(body_html: str, urls: list[str]) -> None:
    item = entry_item(
        extracted(wp_id=1, canonical=URL, body_html=body_html), response(), SITE, via="rest"
    )
    assert [a["url"] for a in item["attachments"]] == urls
    assert item["attachment_urls"] == urls


# (via, fields, modified, provenance of modified), note.
LAST_MODIFIED_CASES = [
    ("html", {}, "2024-03-12T10:00:00+01:00", "http:last-modified",
     "an HTML page without a date signal: the server's Last-Modified, in site time"),
    ("html", {"modified": "2024-03-14T11:00:00+01:00"}, "2024-03-14T11:00:00+01:00",
     "test:modified", "a page's own modified date wins"),
    ("rest", {}, None, None, "never for REST: its Last-Modified is the listing's"),
]  # fmt: skip


@pytest.mark.parametrize("via, fields, modified, provenance", params(LAST_MODIFIED_CASES))
def test_last_modified_only_for_html(via, fields, modified, provenance) -> None:
    page = response(headers={"Last-Modified": LAST_MODIFIED})
    item = entry_item(extracted(wp_id=1, canonical=URL, **fields), page, SITE, via=via)
    assert item["modified"] == modified
    assert item["provenance"].get("modified") == provenance


def test_an_unreadable_last_modified_adds_nothing() -> None:
    page = response(headers={"Last-Modified": "gestern"})
    item = entry_item(extracted(wp_id=1, canonical=URL), page, SITE, via="html")
    assert item["modified"] is None and "modified" not in item["provenance"]


# (fields, kind argument, kind), note.
KIND_CASES = [
    ({"is_page": False}, None, "post", "a post"),
    ({}, None, "post", "nothing says page: a post"),
    ({"is_page": True}, None, "page", "a page"),
    ({"is_page": True}, "newsletter", "newsletter", "the caller says newsletter"),
    ({}, "newsletter", "newsletter", "a newsletter view"),
]


@pytest.mark.parametrize("fields, kind, expected", params(KIND_CASES))
def test_kind(fields: dict, kind: str | None, expected: str) -> None:
    item = entry_item(
        extracted(wp_id=1, canonical=URL, **fields), response(), SITE, via="html", kind=kind
    )
    assert item["kind"] == expected


# (fields, fetched URL, url, slug), note.
URL_AND_SLUG_CASES = [
    ({"canonical": URL}, URL, URL, "fachtag-armut", "the last path segment"),
    ({"canonical": URL, "slug": "fachtag"}, URL, URL, "fachtag", "the REST slug first"),
    ({"canonical": f"{W}/team"}, f"{W}/team", f"{W}/team", "team", "no trailing slash"),
    ({"canonical": "https://ikpe-erfurt.de/team/?utm_source=x#a"}, f"{W}/team/", f"{W}/team/",
     "team", "the canonical URL in its one spelling"),
    ({}, "https://ikpe-erfurt.de/team/", f"{W}/team/", "team",
     "no canonical: the response URL, normalised"),
]  # fmt: skip


@pytest.mark.parametrize("fields, fetched, url, slug", params(URL_AND_SLUG_CASES))
def test_url_and_slug(fields: dict, fetched: str, url: str, slug: str) -> None:
    item = entry_item(extracted(**fields), response(fetched), SITE, via="html")
    assert (item["url"], item["fetched_url"], item["slug"]) == (url, fetched, slug)


def test_a_given_source_is_used_for_every_entry_of_a_rest_page() -> None:
    page = response(f"{W}/wp-json/wp/v2/posts?page=1", cls=TextResponse)
    source = response_source(page, "rest")
    first = entry_item(extracted(wp_id=1, canonical=f"{W}/a/"), page, SITE, via="rest",
                       source=source)  # fmt: skip
    second = entry_item(extracted(wp_id=2, canonical=f"{W}/b/"), page, SITE, via="rest",
                        source=source)  # fmt: skip
    assert first["source"] is source and second["source"] is source
    assert (first["key"], second["key"]) == ("wp-1", "wp-2")
    assert first["fetched_url"] == page.url


def test_items_build_schema_valid_records() -> None:
    item = entry_item(
        extracted(wp_id=412, canonical=URL, title="Fachtag Armut", body_html=BODY_HTML,
                  published="2024-03-12T09:30:00+01:00"),
        response(meta={"capture": CAPTURE}), SITE, via="html",
    )  # fmt: skip
    assert problems(build_record(item)) == []


# --------------------------------------------------------------------------------------
# publication_item
# --------------------------------------------------------------------------------------

CITATION = Citation(
    text="Huber, S. (2020): Armut in Thüringen. Erfurt: IKPE.",
    html="<p>Huber, S. (2020): <em>Armut in Thüringen</em>. Erfurt: IKPE.</p>",
    year_heading=2020,
    links=(f"{W}/wp-content/uploads/armut.pdf",),
)
AJAX = f"{W}/wp-admin/admin-ajax.php"


# (tab, tab name, via, tab provenance), note.
PUBLICATION_CASES = [
    (3, "Publikationen", "ajax", "ajax:tab", "a citation from a tab fetched by admin-ajax"),
    (None, None, "html", "html:list", "a citation of the year-grouped list"),
]


@pytest.mark.parametrize("tab, tab_name, via, tab_source", params(PUBLICATION_CASES))
def test_publication_item(tab, tab_name, via, tab_source) -> None:
    page = response(AJAX, cls=TextResponse, meta={"capture": CAPTURE})
    item = publication_item(
        CITATION, page, tab=tab, tab_name=tab_name, list_url=f"{W}/publikationen/", via=via
    )
    assert item["key"] == ids.publication_id(CITATION.text)
    assert item["key"] == build_record(item)["id"]
    assert item["kind"] == "publication"
    assert (item["url"], item["fetched_url"]) == (f"{W}/publikationen/", AJAX)
    assert item["title"] == item["text"] == CITATION.text
    assert item["publication"] == {
        "tab": tab,
        "tab_name": tab_name,
        "year_heading": 2020,
        "raw": CITATION.text,
        "html": CITATION.html,
        "links": [f"{W}/wp-content/uploads/armut.pdf"],
    }
    assert (item["attachments"], item["attachment_urls"]) == ([], [])
    assert item["provenance"]["publication.tab"] == tab_source
    assert item["source"]["via"] == via and item["source"]["capture"] == CAPTURE


def test_the_same_citation_spelled_otherwise_is_the_same_publication() -> None:
    page = response(AJAX, cls=TextResponse)
    spaced = Citation(
        text="  Huber,  S.&nbsp;(2020): armut in Thüringen. Erfurt: IKPE. ",
        html="",
        year_heading=None,
        links=(),
    )
    one = publication_item(CITATION, page, tab=1, tab_name="A", list_url=W, via="ajax")
    two = publication_item(spaced, page, tab=2, tab_name="B", list_url=W, via="ajax")
    assert one["key"] == two["key"]
