"""Downloads in a browser: the search page's twins (JSON, Atom, and every export of the page
and of all hits) and a record's citation box, each parsed with the library a researcher's
tools use (rispy, bibtexparser, citeproc-py, csv, feedparser, json)."""

from __future__ import annotations

import csv
import io
import json
import re

import bibtexparser
import feedparser
import rispy
from bibtexparser.bparser import BibTexParser
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

QUERY = "Sozialplanung"
CSL_STYLE = "harvard-cite-them-right"  # the style citeproc-py ships
EXTENSIONS = {
    "CSV": "csv",
    "BibTeX": "bib",
    "RIS": "ris",
    "CSL-JSON": "json",
    "JSON Lines": "jsonl",
}


def parse_bibtex(text: str) -> list[dict]:
    parser = BibTexParser(
        common_strings=False, ignore_nonstandard_types=False, interpolate_strings=False
    )
    entries = bibtexparser.loads(text, parser).entries
    assert len(entries) == len(re.findall(r"^@", text, re.M)), "bibtexparser dropped an entry"
    return entries


def render_csl(items: list[dict]) -> list[str]:
    """The bibliography citeproc-py renders from CSL-JSON items (plain text)."""
    style = CitationStylesStyle(CSL_STYLE, validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def parse(label: str, text: str) -> list[str]:
    """The export parsed with its users' library; the record ids (or titles) it holds."""
    if label == "CSV":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert all(row["title"] for row in rows)
        return [row["id"] for row in rows]
    if label == "RIS":
        entries = rispy.loads(text)
        assert all(entry.get("type_of_reference") and entry.get("title") for entry in entries)
        return [entry["id"] for entry in entries]
    if label == "BibTeX":
        entries = parse_bibtex(text)
        assert all(entry.get("title") for entry in entries)
        return [entry["ID"] for entry in entries]
    if label == "CSL-JSON":
        items = json.loads(text)
        rendered = render_csl(items)
        assert len(rendered) == len(items) and all(len(entry) > 10 for entry in rendered)
        return [item["id"] for item in items]
    assert label == "JSON Lines", label
    return [json.loads(line)["id"] for line in text.splitlines() if line.strip()]


def shown_ids(page) -> list[str]:
    hrefs = page.locator("li.hit h3 a").evaluate_all("links => links.map(a => a.href)")
    return [href.rsplit("/", 1)[-1] for href in hrefs]


def same_records(label: str, exported: list[str], expected: list[str]) -> bool:
    """Equal as sets (BibTeX keys end with the record id's last characters)."""
    if label != "BibTeX":
        return sorted(exported) == sorted(expected)
    tails = [key.rsplit("-", 1)[-1] for key in exported]
    return len(tails) == len(expected) and all(
        any(record_id.endswith(tail) for record_id in expected) for tail in tails
    )


def test_every_twin_of_a_result_list_downloads_and_parses(page, read_download) -> None:
    page.goto("/")
    page.get_by_role("searchbox").fill(QUERY)
    with page.expect_navigation():
        page.get_by_role("searchbox").press("Enter")
    total = int(re.match(r"[\d.]+", page.locator("h2.result-count").inner_text())[0])
    on_page = shown_ids(page)
    assert len(on_page) == 10 < total
    twins = page.locator("section.twins ul.inline-list")
    this_page, every_hit = twins.nth(0), twins.nth(1)
    assert page.locator("section.twins").get_by_text(f"Alle {total} Treffer exportieren").count()

    all_ids: dict[str, list[str]] = {}
    for label, extension in EXTENSIONS.items():
        name, text = read_download(page, this_page.get_by_role("link", name=label, exact=True))
        assert name.endswith(f".{extension}"), name
        exported = parse(label, text)
        assert same_records(label, exported, on_page), (label, exported, on_page)

        name, text = read_download(page, every_hit.get_by_role("link", name=label, exact=True))
        assert name.endswith(f".{extension}"), name
        all_ids[label] = parse(label, text)
        assert len(all_ids[label]) == total, label
    every = all_ids["JSON Lines"]
    assert set(on_page) <= set(every)
    assert all(same_records(label, ids, every) for label, ids in all_ids.items())

    with page.expect_response(re.compile(r"/api/search\?")) as answer:
        this_page.get_by_role("link", name="JSON", exact=True).click()
    body = answer.value.json()
    assert answer.value.headers["content-type"].startswith("application/json")
    assert body["total"] == total and [hit["id"] for hit in body["hits"]] == on_page
    page.go_back()

    with page.expect_response(re.compile(r"/feed\.atom\?")) as answer:
        this_page.get_by_role("link", name="Atom-Feed", exact=True).click()
    feed = feedparser.parse(answer.value.body())
    assert not feed.bozo, feed.bozo_exception
    assert QUERY in feed.feed.title
    entry_ids = [entry.link.rsplit("/", 1)[-1] for entry in feed.entries]
    assert entry_ids and set(entry_ids) <= set(every)
    assert len(entry_ids) == min(total, 50)


def test_the_citation_box_downloads_parse(page, crawled_archive, read_download) -> None:
    records = {
        "news": f"/r/{crawled_archive.changed_id}",
        "publication": None,  # found through the type facet
    }
    page.goto("/suche?type=publication&q=Sozialplanung")
    page.locator("li.hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/r/pub-"))
    records["publication"] = page.url

    for kind, url in records.items():
        page.goto(url)
        record_id = page.url.rsplit("/", 1)[-1]
        title = page.get_by_role("heading", level=1).inner_text()
        cite = page.locator("section.cite")

        name, text = read_download(page, cite.get_by_role("link", name="RIS herunterladen"))
        assert name == f"{record_id}.ris"
        assert text == cite.get_by_label("RIS", exact=True).input_value()  # box and file agree
        (ris,) = rispy.loads(text)
        assert ris["id"] == record_id and ris["title"] == title
        assert (ris["type_of_reference"] == "ELEC") == (kind == "news"), ris["type_of_reference"]
        assert record_id in ris["urls"][0] or ris["urls"][0].startswith("http")

        name, text = read_download(page, cite.get_by_role("link", name="BibTeX herunterladen"))
        assert name == f"{record_id}.bib"
        (bib,) = parse_bibtex(text)
        assert bib["title"].replace("{", "").replace("}", "") == title  # protected capitals
        if kind == "news":
            assert bib["ENTRYTYPE"] == "online" and "urldate" in bib

        name, text = read_download(page, cite.get_by_role("link", name="CSL-JSON herunterladen"))
        assert name == f"{record_id}.json"
        (item,) = json.loads(text)
        assert item["id"] == record_id and item["title"] == title
        (rendered,) = render_csl([item])
        assert title[:30] in rendered, rendered
