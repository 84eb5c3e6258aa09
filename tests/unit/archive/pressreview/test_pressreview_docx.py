"""The DOCX read back with python-docx: real heading styles in the document's order (Word's
outline and table of contents), the same content as the other formats, hyperlinks that
point somewhere, a table of contents whose entries jump to bookmarks on the headings,
running header and "Seite X von Y" fields."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from archive.pressreview import Review, render

HEADING_STYLES = ("Title", "TOC Heading", "Heading 1", "Heading 2")


@pytest.fixture
def word(review: Review):
    data = render(review, "docx")
    assert data[:2] == b"PK"  # a zip package
    return Document(io.BytesIO(data))


def headings(word) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in word.paragraphs if p.style.name in HEADING_STYLES]


def test_headings_are_real_heading_styles_in_order(word, layout) -> None:
    expected = [("Title", "Pressespiegel März 2026"), ("TOC Heading", "Inhalt"),
                ("Heading 1", "Einleitung")]  # fmt: skip
    for section, items in layout:
        expected += [("Heading 1", section), *[("Heading 2", item) for item in items]]
    assert headings(word) == expected
    # Word builds its outline from the outline level of these styles
    assert word.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl")) is not None


def following(word, heading: str) -> list[str]:
    """The paragraphs after a heading, up to the next heading."""
    texts, started = [], False
    for paragraph in word.paragraphs:
        if paragraph.style.name in HEADING_STYLES:
            if started:
                break
            started = paragraph.text == heading
        elif started:
            texts.append(paragraph.text)
    return texts


def test_the_cover_and_the_note_for_internal_use(word) -> None:
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "Institut für kommunale Planung und Entwicklung (IKPE)"
    assert texts[2:4] == ["Zeitraum: März 2026", "Zusammengestellt am 30. November 2026"]
    assert texts[4].startswith("Nur für den internen Gebrauch")
    assert texts[-1].startswith("Nur für den internen Gebrauch")  # and at the end
    assert word.core_properties.title == "Pressespiegel März 2026"


def test_each_item_says_what_the_other_formats_say(word) -> None:
    assert following(word, "Bilanz der Präventionsketten") == [
        "5. März 2026 · Pressemitteilung",
        "Originaltitel: Programm Thüringer Präventionsketten zieht positive Bilanz",
        "Anmerkung: Für die Vorstandssitzung am 2. April.",
        "Volltext:",
        "Erfurt/05.03.2026. Das Programm Thüringer Präventionsketten zieht nach drei Jahren "
        "eine positive Bilanz.",
        "In 14 Kommunen arbeiten Netzwerke gegen Kinderarmut.",
        "Original: https://www.ikpe-erfurt.de/wp-301/",
        "Im Archiv: https://archiv.ikpe-erfurt.de/r/wp-301/v/1",
        "Archivkopie: https://archiv.ikpe-erfurt.de/r/wp-301/v/1/kopie",
        "Archiv: wp-301, Version 1",
    ]
    assert following(word, "Erfurter Institut berät Landkreise") == [
        "Thüringer Allgemeine · 12. März 2026 · Pressebericht",
        "Thüringer Allgemeine, 2026-03-12: „Erfurter Institut berät Landkreise“",
        "Zum Bericht: https://www.thueringer-allgemeine.de/erfurt/institut",
        "Im Archiv: https://archiv.ikpe-erfurt.de/r/pub-a000000000000001/v/1",
        "Archiv: pub-a000000000000001, Version 1",
    ]


def test_web_links_are_hyperlinks(word) -> None:
    links = [(link.text, link.url) for p in word.paragraphs for link in p.hyperlinks if link.url]
    assert ("https://www.ikpe-erfurt.de/wp-301/", "https://www.ikpe-erfurt.de/wp-301/") in links
    assert ("https://www.lvz.de/altenburg/sozialbefragung",
            "https://www.lvz.de/altenburg/sozialbefragung") in links  # fmt: skip
    assert all(url.startswith(("https://", "http://")) for _, url in links)
    assert len(links) == 2 + 3 + 2 + 2 + 2  # each item's original and archive links


def test_the_table_of_contents_jumps_to_the_headings(word, layout) -> None:
    body = word.element.body
    bookmarks = {
        mark.get(qn("w:name")): paragraph.text
        for paragraph in word.paragraphs
        for mark in paragraph._p.iter(qn("w:bookmarkStart"))
    }
    entries = [
        (link.text, link.fragment)
        for p in word.paragraphs
        for link in p.hyperlinks
        if link.fragment and not link.url
    ]
    expected = ["Einleitung"]
    for section, items in layout:
        expected += [section, *items]
    assert [text for text, _ in entries] == expected
    assert all(bookmarks[fragment] == text for text, fragment in entries)
    instructions = [node.text for node in body.iter(qn("w:instrText"))]
    assert instructions == ['TOC \\o "1-2" \\h \\z \\u']
    kinds = [node.get(qn("w:fldCharType")) for node in body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_running_header_and_page_numbers(word) -> None:
    section = word.sections[0]
    assert section.different_first_page_header_footer  # none on the cover
    assert section.header.paragraphs[0].text == "Pressespiegel März 2026"
    for footer in (section.footer, section.first_page_footer):
        line = footer.paragraphs[0]
        fields = [f.get(qn("w:instr")) for f in line._p.iter(qn("w:fldSimple"))]
        assert fields == ["PAGE", "NUMPAGES"]
        assert line.text.startswith("Seite ") and " von " in line.text


def test_an_empty_review_still_opens(review: Review) -> None:
    from dataclasses import replace

    empty = Document(io.BytesIO(render(replace(review, sections=(), intro=""), "docx")))
    assert [p.text for p in empty.paragraphs if p.style.name == "TOC Heading"] == ["Inhalt"]
    assert "Für diesen Zeitraum enthält das Archiv keine Einträge." in [
        p.text for p in empty.paragraphs
    ]
