"""htmldate's "updated" date never becomes the posting date (issue 14).

htmldate runs with ``original_date=True``, but on a page whose only machine date marks the
last edit (Avada's hidden ``span.updated``, a classic theme's ``time.updated``, a
``dateModified``) it still answers that day. The rule: a day the page marks as an edit is
refused; htmldate is asked again on the page without the edit's marks, and its answer kept
only when it is another day (``htmldate:without-edit-dates``); else the post has no posting
date, which the record says, rather than a wrong one.
"""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.candidates import edit_days
from crawler.extract import extract_page
from tests.themes.corpus import POSTS, avada, custom_site_last, twenty_twenty_one

POST = POSTS[0]
TEXT = "<p>" + "Der Text des Beitrags steht hier und ist lang genug für einen Absatz. " * 4 + "</p>"


def _plain(after_content: str) -> str:
    return (
        "<html><head><title>Ein Beitrag – IKPE Erfurt</title></head><body><div id='c'>"
        f"<h1>Ein Beitrag</h1><div class='inhalt'>{TEXT}</div>{after_content}</div></body></html>"
    )


# (name, page, posting date expected, its source, note)
CASES = [
    ("avada-without-visible-date",
     avada(POST).replace(f"<span>{POST.german_date}</span>", ""), None, None,
     "the hidden span.updated is the page's only date: no posting date, not the edit's"),
    ("time-updated-only",
     custom_site_last(POST).replace(
         f"<p><b>{POST.dotted_date}</b></p>",
         f'<p>Aktualisiert: <time class="updated" datetime="{POST.modified_iso_datetime}">'
         "22.03.2024</time></p>"), None, None,
     "a classic theme's time.updated above the headline"),
    ("edit-then-byline",
     _plain('<span class="updated">2024-03-22T16:05:00+01:00</span>'
            '<p class="byline">Redaktion, Beitrag vom 2024-03-13</p>'),
     "2024-03-13", "htmldate:without-edit-dates",
     "asked again without the edit's mark, htmldate finds the byline's day"),
    ("avada-as-printed", avada(POST), POST.posted.isoformat(), "theme:date-line",
     "the visible date in the meta line after the content wins over the hidden edit date"),
    ("marked-twice",
     _plain('<span class="updated" itemprop="dateModified">2024-03-22T16:05:00+01:00</span>'
            '<p class="byline">Redaktion, Beitrag vom 2024-03-13</p>'),
     "2024-03-13", "htmldate:without-edit-dates",
     "an element both classed and itemprop'd as the edit is dropped once, not twice"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("page", "expected", "source"), [c[1:4] for c in CASES], ids=[c[0] for c in CASES]
)
def test_an_edit_date_is_never_the_posting_date(
    page: str, expected: str | None, source: str | None
) -> None:
    extracted = extract_page(page, POST.url)
    assert "published" not in extracted.fields  # no WordPress date: the rules and htmldate
    assert extracted.fields.get("visible_date") == expected
    assert extracted.provenance.get("visible_date") == source


def test_the_refused_edit_date_is_kept_in_provenance() -> None:
    page = avada(POST).replace(f"<span>{POST.german_date}</span>", "")
    provenance = extract_page(page, POST.url).provenance
    assert provenance["visible_date.htmldate-refused"] == "edit date 2024-03-22"


# (name, html, edit days, note)
EDIT_DAY_CASES = [
    ("span.updated", '<span class="updated rich-snippet-hidden">2024-03-22T16:05:00+01:00'
     "</span>", {"2024-03-22"}, "Avada's hidden edit date"),
    ("time.updated", '<time class="updated" datetime="2024-03-22T16:05:00+01:00">22. März 2024'
     "</time>", {"2024-03-22"}, "a classic theme's second time element"),
    ("published-updated", '<time class="entry-date published updated" datetime="2024-03-13">'
     "13. März 2024</time>", set(), "one element for both: an unedited post's posting date"),
    ("german-text", '<span class="aktualisiert">Zuletzt: 22.03.2024</span>', {"2024-03-22"},
     "a German date after a label, in an element named for the edit"),
    ("itemprop", '<meta itemprop="dateModified" content="2024-03-22">', {"2024-03-22"},
     "schema.org dateModified"),
    ("no-marks", f"<p>{POST.german_date}</p>", set(), "a plain date is no edit date"),
    ("upper-case", '<span class="AKTUALISIERT">22.03.2024</span>', {"2024-03-22"},
     "the class in capitals"),
    ("class-and-itemprop", '<span class="updated" itemprop="dateModified">'
     "2024-03-22T16:05:00+01:00</span>", {"2024-03-22"}, "one element marked twice"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fragment", "days"), [c[1:3] for c in EDIT_DAY_CASES], ids=[c[0] for c in EDIT_DAY_CASES]
)
def test_edit_days(fragment: str, days: set[str]) -> None:
    assert edit_days(Selector(text=f"<html><body>{fragment}</body></html>")) == days


def test_twenty_twenty_one_keeps_its_posting_date() -> None:
    extracted = extract_page(twenty_twenty_one(POST), POST.url)
    assert extracted.fields["published"].startswith(POST.posted.isoformat())
