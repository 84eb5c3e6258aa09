"""Replay a stored capture through the spider's parsers, offline: the item it would give.

The re-extraction job uses this to rebuild records with the current extraction rules
from the WARC captures (``archive.captures``), without a request to the site. It turns a
capture back into a Scrapy response and routes it the way the spider routed it: a REST
listing entry, a citation of a publication list (AJAX tab or HTML list), or a page.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response, TextResponse

from archive.captures import Capture, CaptureIndex, read_capture
from archive.ids import publication_id
from crawler import discovery, items
from crawler.extract import extract_page, extract_rest_entry
from crawler.urls import Site


def as_response(capture: Capture) -> Response:
    """A capture as the Scrapy response the spider parsed."""
    response_class = HtmlResponse if "html" in capture.content_type.lower() else TextResponse
    return response_class(
        url=capture.url,
        status=capture.status,
        headers=capture.headers,
        body=capture.body,
        request=Request(capture.url),
    )


def category_names(warc_dir: Path) -> dict[int, str]:
    """Category names by id, from the captured REST category listings."""
    names: dict[int, str] = {}
    with CaptureIndex(warc_dir) as index:
        for _url, warc_file, offset in index.urls_containing("/wp/v2/categories"):
            capture = read_capture(warc_dir, warc_file, offset)
            for category in discovery.parse_rest_list(capture.body) if capture else []:
                if isinstance(category.get("id"), int):
                    names[category["id"]] = str(category.get("name", ""))
    return names


def item_from_capture(
    record: dict, response: Response, site: Site, categories: dict[int, str]
) -> dict | None:
    """The item the spider makes of ``response`` for the stored ``record``, or None when
    the capture no longer holds it."""
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
