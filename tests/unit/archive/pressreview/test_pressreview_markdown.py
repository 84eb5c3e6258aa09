"""The Markdown read back as text, and parsed as CommonMark the way a wiki or mail client
would: the same headings in the same order, the same content, links as links."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from archive.pressreview import Review, render


@pytest.fixture
def text(review: Review) -> str:
    return render(review, "md").decode("utf-8")


def headings(markdown: str) -> list[tuple[int, str]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [
        (int(token.tag[1]), tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def test_headings_in_order(text: str, layout) -> None:
    expected = [(1, "Pressespiegel März 2026"), (2, "Inhalt"), (2, "Einleitung")]
    for section, items in layout:
        expected += [(2, section), *[(3, item) for item in items]]
    assert headings(text) == expected


def test_the_cover_lines_and_the_contents(text: str, layout) -> None:
    lines = text.splitlines()
    assert lines[:7] == [
        "# Pressespiegel März 2026", "",
        "Institut für kommunale Planung und Entwicklung (IKPE)", "",
        "Zeitraum: März 2026", "",
        "Zusammengestellt am 30. November 2026",
    ]  # fmt: skip
    assert lines[8].startswith("> **Nur für den internen Gebrauch")
    contents = text.split("## Inhalt\n\n")[1].split("\n\n")[0].splitlines()
    expected = ["1. Einleitung"]
    for number, (section, items) in enumerate(layout, start=2):
        expected += [f"{number}. {section}", *[f"   - {item}" for item in items]]
    assert contents == expected


def test_an_item_in_full(text: str) -> None:
    item = text.split("### Bilanz der Präventionsketten\n\n")[1].split("\n### ")[0]
    assert item.strip().splitlines() == [
        "*5. März 2026 · Pressemitteilung*",
        "",
        "Originaltitel: Programm Thüringer Präventionsketten zieht positive Bilanz",
        "",
        "**Anmerkung:** Für die Vorstandssitzung am 2. April.",
        "",
        "**Volltext:**",
        "",
        "> Erfurt/05.03.2026. Das Programm Thüringer Präventionsketten zieht nach drei Jahren "
        "eine positive Bilanz.",
        ">",
        "> In 14 Kommunen arbeiten Netzwerke gegen Kinderarmut.",
        "",
        "- [Original](<https://www.ikpe-erfurt.de/wp-301/>)",
        "- [Im Archiv](<https://archiv.ikpe-erfurt.de/r/wp-301/v/1>)",
        "- [Archivkopie](<https://archiv.ikpe-erfurt.de/r/wp-301/v/1/kopie>)",
        "",
        "*Archiv: wp-301, Version 1*",
    ]


def test_links_are_links(text: str) -> None:
    tokens = MarkdownIt("commonmark").parse(text)
    links = [
        child.attrs["href"]
        for token in tokens
        if token.type == "inline"
        for child in token.children
        if child.type == "link_open"
    ]
    assert "https://www.thueringer-allgemeine.de/erfurt/institut" in links
    assert "https://archiv.ikpe-erfurt.de/r/wp-301/v/1/kopie" in links
    assert len(links) == 2 + 3 + 2 + 2 + 2
    assert all(link.startswith("https://") for link in links)


def test_the_same_words_as_the_docx(review: Review) -> None:
    import html
    import io
    import re

    from docx import Document

    rendered = MarkdownIt("commonmark").render(render(review, "md").decode("utf-8"))
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    hrefs = set(re.findall(r'href="([^"]+)"', rendered))
    word = Document(io.BytesIO(render(review, "docx")))
    for paragraph in word.paragraphs:
        words = paragraph.text.strip()
        link = re.fullmatch(r"(Original|Zum Bericht|Im Archiv|Archivkopie): (https?://\S+)", words)
        if link:  # Markdown shows the label and links the address
            assert link[1] in plain and html.escape(link[2]) in hrefs, words
        else:
            assert words in plain, words
