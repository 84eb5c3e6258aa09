"""The press review's pure rules, table by table: sections and full text by record type,
addresses that count as the same, safe links, names, periods, text cleaning, German dates
and Markdown escaping."""

from __future__ import annotations

from datetime import date

import pytest
from markdown_it import MarkdownIt

from archive.pressreview import content, rules
from archive.pressreview.errors import PressReviewError
from archive.pressreview.markdown import escape
from archive.pressreview.model import Review, ReviewItem, ReviewSection
from archive.schema import RECORD_TYPES


def unique(table: list[tuple], note: str) -> list[tuple]:
    """The table itself, after checking that no input appears twice."""
    inputs = [row[0] for row in table]
    assert len(inputs) == len(set(inputs)), f"duplicate input in {note}"
    return table


# (record type, default section, full text allowed, third party)
TYPE_RULES = unique(
    [
        ("news", "eigene", True, False),
        ("press_release", "eigene", True, False),
        ("press_coverage", "presse", False, True),
        ("event", "termine", False, False),
        ("publication", "publikationen", False, False),
        ("page", "seiten", False, False),
        ("something_new", "seiten", False, False),
    ],
    "TYPE_RULES",
)


def test_every_record_type_has_a_rule() -> None:
    assert set(RECORD_TYPES) <= {row[0] for row in TYPE_RULES}


@pytest.mark.parametrize("record_type, section, full_text, third_party", TYPE_RULES)
def test_rules_by_type(record_type: str, section: str, full_text: bool, third_party: bool) -> None:
    assert rules.section_key_for(record_type) == section
    assert rules.may_include_full_text(record_type) is full_text
    assert rules.is_third_party(record_type) is third_party


# (one address, another) that name the same page
SAME_ADDRESS = unique(
    [
        ("https://www.ikpe-erfurt.de/a/", "http://ikpe-erfurt.de/a"),
        ("https://WWW.IKPE-ERFURT.DE/a/", "https://www.ikpe-erfurt.de/a/#oben"),
        ("https://www.ikpe-erfurt.de/?p=12", "https://ikpe-erfurt.de/?p=12"),
        ("https://example.org:443/x", "https://example.org/x"),
    ],
    "SAME_ADDRESS",
)
# (one address, another) that do not
OTHER_ADDRESS = unique(
    [
        ("https://www.ikpe-erfurt.de/a/", "https://www.ikpe-erfurt.de/b/"),
        ("https://www.ikpe-erfurt.de/?p=12", "https://www.ikpe-erfurt.de/?p=13"),
        ("https://example.org:8080/x", "https://example.org/x"),
        ("https://www.ikpe-erfurt.de/A", "https://www.ikpe-erfurt.de/a"),
    ],
    "OTHER_ADDRESS",
)


@pytest.mark.parametrize("one, other", SAME_ADDRESS)
def test_addresses_that_count_as_the_same(one: str, other: str) -> None:
    assert rules.url_key(one) == rules.url_key(other)


@pytest.mark.parametrize("one, other", OTHER_ADDRESS)
def test_addresses_that_differ(one: str, other: str) -> None:
    assert rules.url_key(one) != rules.url_key(other)


def test_no_address_has_no_key() -> None:
    assert rules.url_key("") == ""


# (value, the link a document may carry or None)
WEB_URLS = unique(
    [
        ("https://www.ikpe-erfurt.de/", "https://www.ikpe-erfurt.de/"),
        ("http://example.org/a?b=c", "http://example.org/a?b=c"),
        ("www.lvz.de/artikel", "https://www.lvz.de/artikel"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("ftp://example.org/x", None),
        ("https://exa mple.org/", None),
        ("https://", None),
        ("/relativ/pfad", None),
        ("", None),
        ("https://example.org/\x00x", "https://example.org/x"),
    ],
    "WEB_URLS",
)


@pytest.mark.parametrize("value, expected", WEB_URLS)
def test_only_http_links_are_followed(value: str, expected: str | None) -> None:
    assert rules.web_url(value) == expected


# (record, the address it stands for)
ITEM_URLS = [
    ({"url": "https://www.ikpe-erfurt.de/a/"}, "https://www.ikpe-erfurt.de/a/"),
    ({"url": "https://www.ikpe-erfurt.de/category/referenzen/",
      "reference": {"url": "www.mdr.de/x"}}, "https://www.mdr.de/x"),
    ({"url": "https://www.ikpe-erfurt.de/category/referenzen/", "reference": {"raw": "x"}}, ""),
    ({"url": "https://www.ikpe-erfurt.de/category/referenzen/",
      "reference": {"url": "javascript:alert(1)"}}, ""),
]  # fmt: skip


@pytest.mark.parametrize("record, expected", ITEM_URLS)
def test_citations_stand_for_their_own_link_not_the_shared_list_page(record, expected) -> None:
    assert rules.item_url(record) == expected


NAMES = unique(
    [
        ("pressespiegel-2026-03", True),
        ("m", True),
        ("a" * 80, True),
        ("a" * 81, False),
        ("Pressespiegel", False),
        ("-anfang", False),
        ("ende-", False),
        ("mit leerzeichen", False),
        ("märz", False),
        ("../../etc", False),
        ("", False),
    ],
    "NAMES",
)


@pytest.mark.parametrize("name, valid", NAMES)
def test_names(name: str, valid: bool) -> None:
    if valid:
        assert rules.check_name(name) == name
    else:
        with pytest.raises(PressReviewError, match="Name"):
            rules.check_name(name)


# (title, names taken, suggested name)
SUGGESTED_NAMES = unique(
    [
        ("Pressespiegel März 2026", set(), "pressespiegel-maerz-2026"),
        ("Pressespiegel März 2026 ", {"pressespiegel-maerz-2026"}, "pressespiegel-maerz-2026-2"),
        ("Größe & Übermaß", set(), "groesse-uebermass"),
        ("<script>", set(), "script"),
        ("!!!", set(), "pressespiegel"),
        ("x" * 200, set(), "x" * 70),
    ],
    "SUGGESTED_NAMES",
)


@pytest.mark.parametrize("title, taken, expected", SUGGESTED_NAMES)
def test_suggested_names(title: str, taken: set, expected: str) -> None:
    suggested = rules.suggest_name(title, taken)
    assert suggested == expected
    assert rules.check_name(suggested) == suggested


PERIODS = unique(
    [
        (("2026-03", "2026-03"), ("2026-03", "2026-03")),
        (("2026-03-01", "2026-03-31"), ("2026-03-01", "2026-03-31")),
        (("2026", "2026-03"), ("2026", "2026-03")),
        (("2026-03-15", "2026-03"), ("2026-03-15", "2026-03")),
        ((None, "2026"), (None, "2026")),
        (("", ""), (None, None)),
    ],
    "PERIODS",
)
BAD_PERIODS = unique(
    [
        (("2026-04", "2026-03"), "nach seinem Ende"),
        (("2026-13", None), "kein Datum"),
        (("1.3.2026", None), "kein Datum"),
        ((None, "2026-02-30x"), "kein Datum"),
    ],
    "BAD_PERIODS",
)


@pytest.mark.parametrize("period, expected", PERIODS)
def test_periods(period, expected) -> None:
    assert rules.check_period(*period) == expected


@pytest.mark.parametrize("period, message", BAD_PERIODS)
def test_bad_periods(period, message: str) -> None:
    with pytest.raises(PressReviewError, match=message):
        rules.check_period(*period)


CLEANED = unique(
    [
        ("Zeile\r\nZeile\rZeile", "Zeile\nZeile\nZeile"),
        ("Ton\x07 Escape\x1b[31m Null\x00", "Ton Escape[31m Null"),
        ("C1\x85\x9f", "C1"),
        ("Tab\tbleibt", "Tab\tbleibt"),
        ("\u202egeheim\u202c", "geheim"),
        ("\u2066isoliert\u2069", "isoliert"),
        ("lone\ud800surrogate", "lonesurrogate"),
        ("\ufeffBOM", "BOM"),
        ("Umlaute äöüß € – „“", "Umlaute äöüß € – „“"),
    ],
    "CLEANED",
)


@pytest.mark.parametrize("value, expected", CLEANED)
def test_text_without_what_no_document_may_hold(value: str, expected: str) -> None:
    assert rules.clean_text(value) == expected


@pytest.mark.parametrize(
    "value, limit, required, message",
    [
        ("x" * 11, 10, False, "höchstens 10 Zeichen"),
        ("   ", 10, True, "bitte einen Text"),
        ("\x00\x01", 10, True, "bitte einen Text"),
    ],
)
def test_refused_text(value: str, limit: int, required: bool, message: str) -> None:
    with pytest.raises(PressReviewError, match=message):
        rules.checked_text(value, "Titel", limit, required=required)


GERMAN_DATES = unique(
    [
        ("2026-03-05", "5. März 2026"),
        ("2026-12-31", "31. Dezember 2026"),
        ("2026-03", "März 2026"),
        ("2026", "2026"),
        ("2026-13", "2026"),
        ("irgendwann", "irgendwann"),
        ("", ""),
    ],
    "GERMAN_DATES",
)


@pytest.mark.parametrize("value, expected", GERMAN_DATES)
def test_german_dates(value: str, expected: str) -> None:
    assert content.german_date(value) == expected


PERIOD_LABELS = unique(
    [
        (("2026-03", "2026-03"), "März 2026"),
        (("2026-03-01", "2026-03-15"), "1. März 2026 – 15. März 2026"),
        (("2026-03", None), "ab März 2026"),
        ((None, "2026"), "bis 2026"),
        ((None, None), ""),
    ],
    "PERIOD_LABELS",
)


@pytest.mark.parametrize("period, expected", PERIOD_LABELS)
def test_period_labels(period, expected: str) -> None:
    assert content.period_label(*period) == expected
    assert content.default_title(*period) == f"Pressespiegel {expected}".strip()


def test_paragraphs_split_at_blank_lines_and_join_lines() -> None:
    text = "Erster\nAbsatz  mit\tLücken.\n \nZweiter.\n\n\n\nDritter\x07."
    assert content.paragraphs(text) == ["Erster Absatz mit Lücken.", "Zweiter.", "Dritter."]


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("kurz", 10, "kurz"),
        ("Pressespiegel März 2026 mit Zusatz", 20, "Pressespiegel März…"),
        ("W" * 100, 10, "WWWWWWWWW…"),
    ],
)
def test_running_titles_are_shortened(text: str, limit: int, expected: str) -> None:
    assert content.shortened(text, limit) == expected
    assert len(content.shortened(text, limit)) <= limit


def item(record_type: str, **extra) -> ReviewItem:
    fields = {"record_id": "wp-1", "version": 2, "record_type": record_type,
              "title": "Titel", "original_title": "Titel", "date": "2026-03-05",
              "url": "https://www.ikpe-erfurt.de/a/", "summary": "Kurz.",
              "full_text": "Der ganze Text."}  # fmt: skip
    return ReviewItem(**{**fields, **extra})


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_third_party_items_never_carry_their_text(record_type: str) -> None:
    view = content.item_view(item(record_type), "e1_1")
    assert view.full_text == ([] if rules.is_third_party(record_type) else ["Der ganze Text."])


def test_a_teaser_is_not_repeated_above_the_full_text() -> None:
    teaser = item("news", summary="Der ganze …", full_text="Der ganze Text.\n\nNoch mehr.")
    written = item("news", summary="Eine eigene Zusammenfassung.")
    assert content.item_view(teaser, "a").summary == []
    assert content.item_view(written, "a").summary == ["Eine eigene Zusammenfassung."]


def test_a_display_title_keeps_the_original_visible() -> None:
    view = content.item_view(item("news", title="Kürzer"), "a")
    assert (view.heading, view.original_title) == ("Kürzer", "Titel")
    assert content.item_view(item("news"), "a").original_title == ""


def test_only_documents_with_third_party_items_are_for_internal_use() -> None:
    def review(*types: str) -> Review:
        section = ReviewSection("Rubrik", tuple(item(t) for t in types))
        return Review("T", None, None, date(2026, 11, 30), sections=(section,))

    assert content.document_view(review("news", "press_coverage")).internal_note
    assert not content.document_view(review("news", "press_release", "event")).internal_note


# Text that Markdown (or a wiki) would read as syntax, and what it must show instead.
MARKDOWN_HOSTILE = unique(
    [
        ("<script>alert(1)</script>",),
        ("{{ 7*7 }} {% if x %}",),
        ("*fett* **fetter** _kursiv_ __x__ ~~weg~~",),
        ("[Link](javascript:alert(1)) ![Bild](http://evil.example/x.png)",),
        ("# Überschrift",),
        ("> Zitat",),
        ("- Liste",),
        ("+ Liste",),
        ("1. Nummer",),
        ("2026) Jahr",),
        ("=====",),
        ("| a | b |",),
        ("`code` ```block```",),
        ("\\section{Titel} \\textbf{x} $x^2$ & % #",),
        ("&lt;b&gt; &amp; &#60;",),
        ("<img src=x onerror=alert(1)>",),
        ("https://evil.example/ <https://evil.example/>",),
        ("W" * 500,),
    ],
    "MARKDOWN_HOSTILE",
)


@pytest.mark.parametrize("text", [row[0] for row in MARKDOWN_HOSTILE])
def test_markdown_escaping_shows_the_text_itself(text: str) -> None:
    parser = MarkdownIt("commonmark")
    tokens = parser.parse(escape(text))
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children
    assert {child.type for child in children} == {"text"}, children
    assert "".join(child.content for child in children) == text
