"""Scraped text is untrusted: a record whose title and text carry ``<script>`` and
``<img onerror>`` goes through store -> index -> app, and no HTML page shows the payloads
unescaped (text, attributes, meta tags, snippets, facets, diffs); the raw capture with its
script is only ever served under a sandboxing policy."""

from __future__ import annotations

import html
from urllib.parse import quote

import pytest

from search_app.web.records import RAW_CAPTURE_POLICY

PERSON = quote("Stefan Huber")
PAGES = [
    "/",
    "/suche?q=Armut",
    "/suche?q=script",
    "/suche?q=onerror",
    "/suche?q=Armut&sort=-date&per_page=50",
    f"/suche?person={PERSON}",
    "/suche?place=Gotha",
    "/suche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/suche?place=%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E",
    "/r/wp-104",
    "/r/wp-104/v/1",
    "/r/wp-104/diff?a=1&b=1",
    "/r/wp-104/kopie",
    "/r/wp-101",
    "/jahre",
    "/typen",
    "/publikationen",
    "/r/wp-%3Cscript%3E",
]


@pytest.mark.parametrize("url", PAGES)
def test_no_payload_appears_unescaped(client, archive_data, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert response.mimetype == "text/html"
    for payload in archive_data.xss_payloads:
        assert payload not in response.text, (url, payload)
    assert "onerror=alert" not in response.text.replace("onerror=alert(2)&gt;", "")


def test_the_record_shows_its_payloads_as_text(client) -> None:
    page = client.get("/r/wp-104").text
    assert html.escape("<script>alert(1)</script>", quote=False) in page
    assert html.escape("<img src=x onerror=alert(2)>", quote=True) in page  # meta content too


def test_snippets_keep_only_their_marks(client) -> None:
    page = client.get("/suche?q=Teilhabe").text
    assert "<mark>Teilhabe</mark>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_raw_capture_runs_nothing(client) -> None:
    response = client.get("/r/wp-104/kopie/roh")
    assert "<script>" in response.text  # served as captured ...
    assert response.headers["Content-Security-Policy"] == RAW_CAPTURE_POLICY  # ... sandboxed
    assert "script-src" not in RAW_CAPTURE_POLICY and "allow-scripts" not in RAW_CAPTURE_POLICY
