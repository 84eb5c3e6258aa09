"""A publication list read from a whole page: only citations become entries, never the
page's frame (footer address, menus, sidebar post titles) nor project teasers (issue 14).

The WordPress-standard rendering is the replica's own ``/category/referenzen/``; the custom
one is a plain theme with a recent-posts column, project teasers and an address footer.
"""

from __future__ import annotations

import pytest

from archive.citations import CITATION_MIN_CONFIDENCE, citation_confidence, parse_citation
from crawler.discovery import parse_citation_list
from replica.content import load_content
from replica.render import render_category
from replica.site import Links, SiteView, Switches

BASE = "https://www.ikpe-erfurt.de/"

CITATIONS = (
    "Fischer, Jörg/Lutz, Ronald (Hrsg.) (2015): Jugend im Blick. Gesellschaftliche "
    "Konstruktionen und pädagogische Zugänge. Weinheim: Juventa. (326 Seiten)",
    "Böwer, Michael/Fischer, Jörg (Hrsg.) (2014): Frühe Hilfen. Heft 7-8/2014 der Zeitschrift "
    "„Sozialmagazin“, 39. Jg., Weinheim: Juventa. (98 Seiten)",
    "Huber, S. (2017): Sozialplanung im Wandel. In: Fischer, J./Lutz, R. (Hrsg.): Jugend im "
    "Blick. Weinheim: Juventa, S. 12-34.",
)
FRAME = (
    "Institut für kommunale Planung und Entwicklung e.V. · Anger 10 · 99084 Erfurt",
    "Prozessbegleitung von Kommunen bei der Entwicklung lokaler Sozialstrategien "
    "Laufzeit: 2016-2020 Ansprechpartner: Christian Kraft, M.Sc.; Dr. Stefan Huber",
    "IKPE-Jahrestagung und Mitgliederversammlung 2022",
    "Erfurt, 27.05.2022: Die Antragsformulare sind online",
    "Impressum · Datenschutz · Kontakt",
)
CUSTOM_LIST_PAGE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
    "<title>IKPE Erfurt – Referenzen</title></head><body>"
    '<div class="kopf"><ul><li><a href="/">Start</a></li><li><a href="/r/">Referenzen</a></li>'
    '</ul></div><div class="inhalt"><h1>Referenzen</h1><h2>2017</h2>'
    f"<p>{CITATIONS[2]}</p><h2>2015</h2><p>{CITATIONS[0]}</p><p>{CITATIONS[1]}</p>"
    f'<div class="projekt"><p>{FRAME[1]}</p></div></div>'
    f'<div class="rechts"><h3>Neueste Beiträge</h3><ul><li>{FRAME[2]}</li><li>{FRAME[3]}</li>'
    f"</ul></div><footer><p>{FRAME[0]}</p><p>{FRAME[4]}</p></footer></body></html>"
)


def _replica_list_page() -> str:
    view = SiteView(load_content(), (), Switches())
    page = render_category(view, Links(BASE, "https://ikpe-erfurt.de/"), "referenzen", 1)
    assert page is not None
    return page


def test_the_replica_list_page_gives_its_citations_and_nothing_of_its_frame() -> None:
    view = SiteView(load_content(), (), Switches())
    expected = {" ".join(p.text.split()) for p in view.publications()}
    found = parse_citation_list(_replica_list_page(), BASE)
    texts = [c.text for c in found]
    assert all(any(text.startswith(e) for e in expected) for text in texts), [
        t for t in texts if not any(t.startswith(e) for e in expected)
    ]
    assert len(texts) == len(expected)


def test_a_custom_list_page_gives_its_citations_and_nothing_of_its_frame() -> None:
    found = parse_citation_list(CUSTOM_LIST_PAGE, BASE)
    assert [(c.text, c.year_heading) for c in found] == [
        (CITATIONS[2], 2017),
        (CITATIONS[0], 2015),
        (CITATIONS[1], 2015),
    ]


def test_an_ajax_fragment_keeps_every_entry() -> None:
    """A tab's fragment is the list alone: nothing is dropped there (the record counts it)."""
    fragment = f"<h4>2015</h4><p>{CITATIONS[0]}</p><p>Ohne erkennbare Angaben</p>"
    assert len(parse_citation_list(fragment, BASE)) == 2


# (entry, reaches the threshold, note)
CONFIDENCE_CASES = [
    (CITATIONS[0], True, "edited book: editors, year, title, place and publisher"),
    (CITATIONS[2], True, "chapter"),
    ("Fischer, J. (i.E.): Kommunale Sozialpolitik. Weinheim: Juventa.", True,
     "forthcoming work: no year, i.E."),
    ("Thüringer Allgemeine, 12.05.2021: „Armut im Alter“ – Interview mit Dr. Stefan Huber",
     True, "press item: outlet, date, headline"),
    (FRAME[0], False, "footer address"),
    (FRAME[1], False, "project teaser with Laufzeit and Ansprechpartner"),
    (FRAME[2], False, "a post title with a year is no citation"),
    (FRAME[3], False, "a teaser's dateline is no outlet"),
    (FRAME[4], False, "footer menu"),
    ("Huber, S. (2017): Laufzeit: 2016-2020, Ansprechpartner: Dr. Stefan Huber", False,
     "parses, but carries a project's frame"),
]  # fmt: skip


def test_no_entry_repeats_in_the_confidence_table() -> None:
    entries = [row[0] for row in CONFIDENCE_CASES]
    assert len(entries) == len(set(entries))


@pytest.mark.parametrize(
    ("raw", "reaches"), [c[:2] for c in CONFIDENCE_CASES], ids=[c[2] for c in CONFIDENCE_CASES]
)
def test_citation_confidence(raw: str, reaches: bool) -> None:
    confidence = citation_confidence(parse_citation(raw))
    assert 0.0 <= confidence <= 1.0
    assert (confidence >= CITATION_MIN_CONFIDENCE) is reaches, confidence
