"""The search page's pieces written in Python (``search_html``) and the twins' links
(``links.endpoint_url``): read back by an HTML parser, every value is where it belongs,
escaped, and every link is the one ``url_for`` builds."""

from __future__ import annotations

from types import SimpleNamespace

import lxml.html
import pytest
from flask import url_for

from archive.search.results import Hit
from search_app.web import links
from search_app.web.search_html import hits_html, options_html

HOSTILE = '<script>alert(1)</script> & "Zitat" <img src=x onerror=alert(2)>'


def _hit(**fields) -> Hit:
    values = {"id": "wp-1", "url": "https://example.org/a", "type": "news", "date": "2023-03-05",
              "title": "Armut in Thüringen", "score": 1.0, "snippet": ""}  # fmt: skip
    return Hit(**{**values, **fields})


# (case, hit, picker, expected texts: title, badge, date text, datetime, snippet text, button)
HIT_CASES = [
    ("a day", _hit(), None,
     ("Armut in Thüringen", "Meldung", "05.03.2023", "2023-03-05", None, False)),
    ("a month, a snippet with marks",
     _hit(date="2023-03", snippet="die <mark>Armut</mark> &amp; x"), None,
     ("Armut in Thüringen", "Meldung", "März 2023", "2023-03", "die Armut & x", False)),
    ("no date", _hit(date=""), None, ("Armut in Thüringen", "Meldung", None, None, None, False)),
    ("hostile title and id", _hit(id='wp-"1<', title=HOSTILE), None,
     (HOSTILE, "Meldung", "05.03.2023", "2023-03-05", None, False)),
    ("an unknown type", _hit(type='x"<b>'), None,
     ("Armut in Thüringen", 'x"<b>', "05.03.2023", "2023-03-05", None, False)),
    ("the team's button", _hit(title=HOSTILE), SimpleNamespace(reviews=("m",)),
     (HOSTILE, "Meldung", "05.03.2023", "2023-03-05", None, True)),
    ("a picker without reviews", _hit(), SimpleNamespace(reviews=()),
     ("Armut in Thüringen", "Meldung", "05.03.2023", "2023-03-05", None, False)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "hit", "picker", "expected"), HIT_CASES,
                         ids=[row[0] for row in HIT_CASES])  # fmt: skip
def test_hit_reads_back(app, case, hit, picker, expected) -> None:
    title, badge, date_text, datetime, snippet, button = expected
    with app.test_request_context("/suche"):
        html = str(hits_html([hit, _hit(id="wp-2")], picker))
        record_url = url_for("records.record", record_id=hit.id)
    root = lxml.html.fragment_fromstring(f"<ol>{html}</ol>")
    items = root.findall("li")
    assert [item.get("id") for item in items] == [f"hit-{hit.id}", "hit-wp-2"], case
    item = items[0]
    assert not item.xpath(".//script | .//img"), case
    link = item.find("h3/a")
    assert (link.get("href"), link.text_content()) == (record_url, title), case
    assert item.find("p[@class='hit-meta']/span").text_content() == badge, case
    time = item.find("p[@class='hit-meta']/time")
    assert (time is not None and (time.text, time.get("datetime"))) == (
        date_text is not None and (date_text, datetime)
    ), case
    marks = item.xpath("p[@class='snippet']")
    assert (marks[0].text_content() if marks else None) == snippet, case
    if snippet:
        assert [mark.text for mark in marks[0].findall("mark")] == ["Armut"], case
    buttons = item.findall(".//button")
    assert bool(buttons) == button, case
    if button:
        assert buttons[0].get("value") == hit.id
        assert buttons[0].text_content() == f"zum Pressespiegel: {title}"


# (case, facet, values with counts, selected, expected: labels, selected flags)
OPTION_CASES = [
    ("types by their German names", "type", [("news", 12345), ("press_release", 2)], [],
     (["Meldung", "Pressemitteilung"], ["12.345", "2"], [False, False])),
    ("a selected value", "year", [("2020", 3), ("2021", 1)], ["2021"],
     (["2020", "2021"], ["3", "1"], [False, True])),
    ("hostile names", "person", [(HOSTILE, 1), ("A & B", 2)], [HOSTILE],
     ([HOSTILE, "A & B"], ["1", "2"], [True, False])),
]  # fmt: skip


@pytest.mark.parametrize(("case", "facet", "values", "selected", "expected"), OPTION_CASES,
                         ids=[row[0] for row in OPTION_CASES])  # fmt: skip
def test_facet_options_read_back(case, facet, values, selected, expected) -> None:
    labels, counts, flags = expected
    html = str(options_html(facet, values, selected, lambda value: f"/suche?{facet}={value}&x=1"))
    root = lxml.html.fragment_fromstring(f"<ul>{html}</ul>")
    links_ = root.findall("li/a")
    assert not root.xpath(".//script | .//img"), case
    assert [link.find("span[@class='facet-label']").text for link in links_] == labels, case
    assert [link.find("span[@class='count']").text for link in links_] == counts, case
    assert [link.get("aria-current") == "true" for link in links_] == flags, case
    assert ["is-selected" in link.get("class") for link in links_] == flags, case
    assert [link.get("href") for link in links_] == [
        f"/suche?{facet}={value}&x=1" for value, _ in values
    ], case


# (endpoint, fallback, arguments): the twins' links as the page builds them
TWIN_CASES = [
    ("feeds.export", "/export.csv", {"fmt": "csv", "q": "Armut & Teilhabe", "page": 2}),
    ("feeds.export", "/export.bibtex",
     {"fmt": "bibtex", "q": 'person:"Anna Huber" ü?', "type": ["news", "event"], "all": "1"}),
    ("feeds.feed", "/feed.atom", {"q": "a/b;c@d$e!f'g(h)*,:", "from": "2020-01", "to": None}),
    ("feeds.feed", "/feed.atom", {}),
    ("api.search", "/api/search", {"q": "Zürich=1 +2 %", "sort": "-date", "per_page": 50}),
    ("api.search", "/api/search", {"q": "x", "_anchor": "oben"}),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "fallback", "args"), TWIN_CASES)
def test_twin_links_are_url_for(app, endpoint, fallback, args) -> None:
    with app.test_request_context("/suche"):
        assert links.endpoint_url(endpoint, fallback, **args) == url_for(endpoint, **args)


def test_twin_links_under_a_script_root(app) -> None:
    args = {"fmt": "ris", "q": "Armut"}
    with app.test_request_context("/suche", base_url="http://localhost/archiv"):
        assert links.export_url(**args) == url_for("feeds.export", **args)
        assert links.export_url(**args).startswith("/archiv/export.ris?")


@pytest.mark.parametrize("args", [{}, {"q": "Armut & x", "type": ["news", "event"], "all": "1"}])
def test_export_urls_are_url_for(app, args) -> None:
    with app.test_request_context("/suche"):
        assert links.export_urls(**args) == [
            (label, url_for("feeds.export", fmt=fmt, **args)) for fmt, label in links.EXPORT_LINKS
        ]
