"""Build the crawler's items (the contract is ``archive.item.Item``): raw fields, and
where every value came from.

An item's ``key`` is the id its record will have (``archive.ids``), so the crawl, its
journal and the store agree on what "the same post" is.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from scrapy.http import Response

from archive import ids
from archive.item import Item, Source
from crawler.discovery import Citation
from crawler.extract import Extracted, body_links, iso_date
from crawler.urls import Site, is_document


def response_source(response: Response, via: str) -> Source:
    """Where an item's bytes came from: status, validators, digest and the raw capture."""
    headers = response.headers
    capture = response.meta.get("capture")

    def header(name: bytes) -> str | None:
        value = headers.get(name)
        return value.decode("latin-1") if value else None

    return {
        "via": via,
        "url": response.url,
        "fetched_at": (capture or {}).get("fetched_at")
        or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "http_status": response.status,
        "etag": header(b"ETag"),
        "last_modified": header(b"Last-Modified"),
        # The WARC writer has hashed these bytes already (a revisit points at the same body).
        "sha256": (capture or {}).get("sha256") or hashlib.sha256(response.body).hexdigest(),
        "cached": "cached" in response.flags,
        "capture": capture,
    }


def entry_key(extracted: Extracted, site: Site) -> str:
    """Identity of a post or page: its WordPress id, else its canonical URL."""
    wp_id = extracted.fields.get("wp_id")
    if isinstance(wp_id, int):
        return ids.post_id(wp_id)
    return ids.url_id(site.normalise(extracted.fields.get("canonical", "")))


def entry_item(
    extracted: Extracted,
    response: Response,
    site: Site,
    *,
    via: str,
    kind: str | None = None,
    source: Source | None = None,
) -> Item:
    """An item for a post, page or newsletter (``source``: the response's, if already
    computed for the many entries of one REST page)."""
    fields = extracted.fields
    canonical = site.normalise(fields.get("canonical") or response.url)
    body_html = fields.get("body_html", "")
    links = [(site.normalise(url), text) for url, text in body_links(body_html, canonical)]
    attachments = [{"url": url, "title": text} for url, text in links if is_document(url)]
    item_kind = kind or ("page" if fields.get("is_page") else "post")
    last_modified = response.headers.get(b"Last-Modified")
    if last_modified and via == "html":
        # The last resort for a date: when the server says the page last changed.
        extracted.offer("modified", iso_date(last_modified.decode("latin-1")), "http:last-modified")
        fields = extracted.fields
    return {
        "key": entry_key(extracted, site),
        "kind": item_kind,
        "url": canonical,
        "fetched_url": response.url,
        "wp_id": fields.get("wp_id"),
        "slug": fields.get("slug") or canonical.rstrip("/").rsplit("/", 1)[-1] or None,
        "title": fields.get("title", ""),
        "published": fields.get("published"),
        "modified": fields.get("modified"),
        "visible_date": fields.get("visible_date"),
        "categories": fields.get("categories", []),
        "body_html": body_html,
        "excerpt_html": fields.get("excerpt_html"),
        "links": [url for url, _ in links],
        "attachments": attachments,
        "attachment_urls": [a["url"] for a in attachments],
        "provenance": dict(extracted.provenance),
        "source": source or response_source(response, via),
    }


def publication_item(
    citation: Citation,
    response: Response,
    *,
    tab: int | None,
    tab_name: str | None,
    list_url: str,
    via: str,
) -> Item:
    """An item for one citation of the publication tabs (or the year-grouped list)."""
    return {
        "key": ids.publication_id(citation.text),
        "kind": "publication",
        "url": list_url,
        "fetched_url": response.url,
        "title": citation.text,
        "text": citation.text,
        "publication": {
            "tab": tab,
            "tab_name": tab_name,
            "year_heading": citation.year_heading,
            "raw": citation.text,
            "html": citation.html,
            "links": list(citation.links),
        },
        "attachments": [],
        "attachment_urls": [],
        "provenance": {
            "publication.tab": "ajax:tab" if tab is not None else "html:list",
            "publication.year_heading": "html:year-heading",
        },
        "source": response_source(response, via),
    }
