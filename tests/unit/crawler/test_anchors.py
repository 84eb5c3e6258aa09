"""Tables for crawler.anchors: the headline that <title> holds, the date beside it, the
content after it."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.anchors import date_near_headline, find_headline, title_holds

# (<title>, heading text, held, note)
TITLE_CASES = [
    ("IKPE Erfurt – Neues Projekt", "Neues Projekt", True, "site name first, en dash"),
    ("Neues Projekt | IKPE Erfurt", "Neues Projekt", True, "site name last, bar"),
    ("Neues Projekt - IKPE Erfurt", "Neues Projekt", True, "hyphen with spaces"),
    ("Neues Projekt", "Neues Projekt", True, "<title> is the headline alone"),
    ("IKPE Erfurt – Neues Projekt", "IKPE Erfurt", True,
     "the site name is held too: find_headline decides by the content after it"),
    ("Neues Projekt gestartet | IKPE", "Neues Projekt", False,
     "the start of a longer title is no headline"),
    ("Armut – Teilhabe – Prävention | IKPE", "Armut – Teilhabe – Prävention", True,
     "dashes inside the headline"),
    ("Fachtag-Nachlese | IKPE", "Fachtag", False, "a hyphen inside a word is no separator"),
    ("", "Neues Projekt", False, "no <title>"),
    ("IKPE Erfurt – Neues Projekt", "", False, "an empty heading"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("title_tag", "heading", "held"), [c[:3] for c in TITLE_CASES], ids=[c[3] for c in TITLE_CASES]
)
def test_title_holds(title_tag: str, heading: str, held: bool) -> None:
    assert title_holds(title_tag, heading) is held


def _page(title: str, body: str) -> Selector:
    return Selector(text=f"<html><head><title>{title}</title></head><body>{body}</body></html>")


TEXT = "<p>Das IKPE beteiligte sich mit zwei Vorträgen am Arbeitskreis Sozialplanung.</p>"
SIDEBAR = "<div class='sidebar'>" + "<p>Eine lange ältere Meldung im Seitenrand.</p>" * 8 + "</div>"

# (page body, <title>, expected date, note)
DATE_CASES = [
    (f"<div>13.03.2024</div><h1>Post</h1>{TEXT}", "Site – Post", "2024-03-13",
     "DD.MM.YYYY on its own line above"),
    (f"<h1>Post</h1><p class='meta'>Veröffentlicht am 13. März 2024</p><div>{TEXT}</div>",
     "Post | Site", "2024-03-13", "a labelled German date below, before the content"),
    (f"<h1>Post</h1><div><p>Jena/12.03.2024. Text.</p>{TEXT}</div>", "Post | Site", None,
     "a dateline inside the content is not the posting date"),
    (f"<div>01.01.2020</div><p>Satz eins.</p><p>Satz zwei.</p><h1>Post</h1>{TEXT}",
     "Post | Site", None, "a date further up than the line above the headline"),
    (f"<h1>Post</h1><div>{TEXT}<p>13.03.2024</p></div>", "Post | Site", None,
     "a bare date after the content starts"),
    (f"<div>31.02.2024</div><h1>Post</h1>{TEXT}", "Post | Site", None, "an impossible day"),
    (f"<article><h1>Post</h1><div>{TEXT}</div><span class='updated'>2024-03-22T16:05:00+01:00"
     "</span><div class='meta'>Von Redaktion | <span>13. März 2024</span></div></article>",
     "Post | Site", "2024-03-13",
     "nothing before the content: the meta line after it (Avada), not the edit's date"),
    (f"<div><h1>Post</h1><div>{TEXT}</div></div><div class='x'><p>12.03.2024</p></div>",
     "Post | Site", None, "a date after the content but outside the post's container"),
    (f"<div class='entry-date updated'>22.03.2024</div><h1>Post</h1>{TEXT}", "Post | Site",
     None, "a date marked as the last edit"),
    (f"<time class='entry-date published updated'>13.03.2024</time><h1>Post</h1>{TEXT}",
     "Post | Site", "2024-03-13", "published and updated: the posting date"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "title", "expected"), [c[:3] for c in DATE_CASES], ids=[c[3] for c in DATE_CASES]
)
def test_date_near_headline(body: str, title: str, expected: str | None) -> None:
    assert date_near_headline(find_headline(_page(title, body), title)) == expected


# (page body, <title>, text of the content found, note)
CONTENT_CASES = [
    (f"<h1>Site</h1><div class='x'><h2>Post</h2><div>{TEXT}</div></div>{SIDEBAR}",
     "Site – Post", "Das IKPE beteiligte", "a logo <h1> with the site name is no headline"),
    (f"<div class='wrap'><h1>Post</h1></div><div class='widget'>{TEXT}</div>{SIDEBAR}",
     "Post | Site", "Das IKPE beteiligte", "climbs out of the headline's wrapper"),
    (f"<h1>Post</h1>{TEXT}{TEXT}<div class='share'>Teilen</div>{SIDEBAR}", "Post | Site",
     "Das IKPE beteiligte", "loose paragraphs, up to the share bar"),
    (f"{SIDEBAR}<h1>Post</h1><div>{TEXT}</div>", "Post | Site", "Das IKPE beteiligte",
     "a sidebar before the headline is not after it"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [c[:3] for c in CONTENT_CASES],
    ids=[c[3] for c in CONTENT_CASES],
)
def test_content_after_the_headline(body: str, title: str, expected: str) -> None:
    anchored = find_headline(_page(title, body), title)
    assert anchored.content
    text = " ".join(" ".join(node.xpath("string()").get() for node in anchored.content).split())
    assert text.startswith(expected)
    assert "Seitenrand" not in text
    assert "Teilen" not in text
