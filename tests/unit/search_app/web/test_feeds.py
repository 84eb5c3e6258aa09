"""The Atom feed of any search, read back with feedparser (what feed readers use).

Uses the ``app``/``client`` fixtures of ``conftest.py``.
"""

from __future__ import annotations

import feedparser
import pytest
from lxml import etree

from search_app.web.feeds import xml_text

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(client, query: str = ""):
    response = client.get(f"/feed.atom?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/atom+xml"
    assert response.mimetype_params.get("charset") == "utf-8"
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, response


def test_every_record_newest_first_without_a_query(client, archive_data) -> None:
    parsed, _ = parse(client, "per_page=100")
    present = {i: r for i, r in archive_data.records.items() if i != "wp-106"}  # removed
    assert len(parsed.entries) == len(present)
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True)
    assert parsed.feed.title == "IKPE-Archiv"
    assert parsed.feed.language == "de"


def test_entries(client, archive_data) -> None:
    parsed, _ = parse(client, "q=Jena")
    entry = next(e for e in parsed.entries if e.id.endswith("/r/wp-102"))
    record = archive_data.records["wp-102"]
    assert entry.id == "http://localhost/r/wp-102"  # the record's stable URL on the app
    assert entry.title == record["title"]
    assert entry.summary == record["summary"]
    assert entry.published.startswith("2023-11-02T00:00:00+01:00")
    assert entry.updated
    links = {link.rel: link.href for link in entry.links}
    assert links == {"alternate": "http://localhost/r/wp-102", "related": record["url"]}
    assert entry.tags[0].term == "press_release" and entry.tags[0].label == "Pressemitteilung"


def test_a_search_feed_holds_what_the_api_finds(client) -> None:
    parsed, _ = parse(client, "q=Sozialplanung&type=news&per_page=3")
    api = client.get("/api/search?q=Sozialplanung&type=news&per_page=3").get_json()
    assert [e.id.rsplit("/", 1)[1] for e in parsed.entries] == [h["id"] for h in api["hits"]]
    assert parsed.feed.title == "IKPE-Archiv: Sozialplanung"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == "http://localhost/feed.atom?q=Sozialplanung&type=news&per_page=3"
    assert links["next"].endswith("&page=2&per_page=3")
    assert "previous" not in links
    assert links["alternate"] == "http://localhost/suche?q=Sozialplanung&type=news"
    assert client.get(links["alternate"]).status_code == 200  # the search page takes it
    second, _ = parse(client, "q=Sozialplanung&type=news&per_page=3&page=2")
    assert {link.rel for link in second.feed.links} >= {"next", "previous", "self"}


def test_scraped_markup_is_escaped(client, archive_data) -> None:
    hostile = archive_data.records["wp-104"]
    parsed, response = parse(client, "q=Armut")
    raw = response.get_data(as_text=True)
    for payload in ("<script>", "<img"):
        assert payload not in raw
    xml = etree.fromstring(response.get_data())
    titles = [node.text for node in xml.iter(f"{ATOM}title")]
    assert hostile["title"] in titles  # the text itself, as text
    summaries = [node.text for node in xml.iter(f"{ATOM}summary")]
    assert hostile["summary"] in summaries
    assert all(node.get("type") in (None, "text") for node in xml.iter(f"{ATOM}summary"))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Titel\x00mit\x07Steuer\x1bzeichen", "TitelmitSteuerzeichen"),
        ("Zeile\nund\tTab", "Zeile\nund\tTab"),
        ("\ufffe\uffff", ""),
        ("Umlaute äöü und 😀", "Umlaute äöü und 😀"),
        (None, ""),
    ],
)
def test_xml_text_drops_what_xml_cannot_hold(text, kept: str) -> None:
    assert xml_text(text) == kept


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("type=blog", 400),
        ("from=2023-13", 400),
        ("page=0", 400),
        ("per_page=1000", 400),
        ("q=" + "x" * 1001, 400),
        ("page=999", 404),
    ],
)
def test_bad_parameters_are_problems(client, query: str, status: int) -> None:
    response = client.get(f"/feed.atom?{query}")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json(force=True)["status"] == status


def test_an_empty_archive_is_503(empty_app) -> None:
    response = empty_app.test_client().get("/feed.atom")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
