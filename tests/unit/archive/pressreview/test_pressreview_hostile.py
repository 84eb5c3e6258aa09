"""Hostile text in every place a review shows text (title, introduction, section, item
title, original title, summary, comment, full text, outlet) comes out as that text in
PDF, DOCX and Markdown and breaks none of them: no markup, no script, no link to
anything but http(s), no template evaluated, long words kept whole; and third-party
coverage never carries its text, whatever the item says."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from docx import Document
from markdown_it import MarkdownIt
from pypdf import PdfReader

from archive.pressreview import Review, ReviewItem, ReviewSection, render
from archive.pressreview.content import RUNNING_TITLE_CHARS, one_line, shortened

# (note, hostile text); each goes into every text field of one review.
HOSTILE = [
    ("script", "<script>alert('x')</script>"),
    ("template", "{{ 7*7 }} {% if x %}{{ config }}{% endif %} ${7*7} #{7*7}"),
    ("markdown", "*fett* **fetter** _kursiv_ __x__ ~~weg~~ # Kopf > Zitat | a | b |"),
    ("links", "[Link](javascript:alert(1)) ![Bild](http://evil.example/x.png) <http://x.y>"),
    ("code", "`code` ```block``` ~~~zaun~~~"),
    ("latex", "\\section{Titel} \\textbf{x} $x^2$ & % # _ ^ \\\\ \\input{/etc/passwd}"),
    ("html", "<img src=x onerror=alert(1)> <a href='javascript:alert(1)'>a</a> &lt;b&gt; &amp;"),
    ("controls", "Ton\x07 Null\x00 Escape\x1b[31m rot \u202eGNP\u202c Ende\x0b\x0c"),
    ("long word", "W" * 500),
    ("list start", "- 1. + 2) =====\n\n---\n\n    eingerückt"),
    ("quotes", "„Zitat“ 'single' \"double\" ‹›«» –—…"),
]


def hostile_review(text: str) -> Review:
    """A review whose every text field holds ``text``; one own item with its full text,
    one press report that (wrongly) carries a full text and a javascript: address."""
    own = ReviewItem(
        record_id="wp-1", version=3, record_type="news", title=f"Titel {text}",
        original_title=f"Original {text}", date="2026-03-05",
        url="https://www.ikpe-erfurt.de/wp-1/", summary=f"Zusammenfassung {text}",
        comment=f"Anmerkung {text}", full_text=f"Volltext {text}\n\nZweiter Absatz {text}",
        archive_page="https://archiv.example/r/wp-1/v/3",
    )  # fmt: skip
    coverage = ReviewItem(
        record_id="pub-0000000000000001", version=1, record_type="press_coverage",
        title=f"Bericht {text}", original_title=f"Bericht {text}", date="2026-03-06",
        url="javascript:alert(document.cookie)", outlet=f"Zeitung {text}",
        full_text="GESCHÜTZTER FREMDTEXT", archive_copy="file:///etc/passwd",
    )  # fmt: skip
    return Review(
        title=f"Pressespiegel {text}", date_from="2026-03", date_to="2026-03",
        compiled_on=date(2026, 11, 30), intro=f"Einleitung {text}",
        sections=(ReviewSection(f"Rubrik {text}", (own, coverage)),),
    )  # fmt: skip


def expected_texts(text: str) -> list[str]:
    """What must be readable in every format: each field, cleaned and on one line (bodies
    paragraph by paragraph)."""
    fields = ["Pressespiegel", "Titel", "Original", "Zusammenfassung", "Anmerkung",
              "Bericht", "Zeitung", "Rubrik", "Einleitung"]  # fmt: skip
    if "\n\n" in text:  # a text with paragraphs: its first one follows the field's word
        first = text.split("\n\n")[0]
        return [one_line(f"{field} {first}") for field in fields]
    return [one_line(f"{field} {text}") for field in fields] + [one_line(f"Volltext {text}")]


def squeezed(text: str) -> str:
    return "".join(text.split())


CASES = [pytest.param(text, id=note) for note, text in HOSTILE]
# Markdown that would be markup, a picture or code rather than the text itself.
FORBIDDEN_TOKENS = {"html_block", "html_inline", "image", "code_inline", "code_block", "fence"}


@pytest.mark.parametrize("text", CASES)
def test_markdown(text: str) -> None:
    markdown = render(hostile_review(text), "md").decode("utf-8")
    tokens = MarkdownIt("commonmark").parse(markdown)
    inline = [child for token in tokens if token.children for child in token.children]
    kinds = {token.type for token in tokens} | {child.type for child in inline}
    assert not kinds & FORBIDDEN_TOKENS
    hrefs = [child.attrs["href"] for child in inline if child.type == "link_open"]
    assert hrefs == ["https://www.ikpe-erfurt.de/wp-1/", "https://archiv.example/r/wp-1/v/3"]
    rendered = MarkdownIt("commonmark").render(markdown)
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for words in expected_texts(text):
        assert words in " ".join(plain.split()), words
    assert "GESCHÜTZTER FREMDTEXT" not in markdown
    assert "javascript:alert(document" not in markdown and "file:///etc" not in markdown


@pytest.mark.parametrize("text", CASES)
def test_docx(text: str) -> None:
    word = Document(io.BytesIO(render(hostile_review(text), "docx")))
    paragraphs = " ".join(" ".join(p.text.split()) for p in word.paragraphs)
    for words in expected_texts(text):
        assert words in paragraphs, words
    urls = [link.url for p in word.paragraphs for link in p.hyperlinks if link.url]
    assert urls == ["https://www.ikpe-erfurt.de/wp-1/", "https://archiv.example/r/wp-1/v/3"]
    assert "GESCHÜTZTER FREMDTEXT" not in paragraphs
    assert word.sections[0].header.paragraphs[0].text.startswith("Pressespiegel")


def without_margins(reader: PdfReader, running_title: str) -> str:
    """The pages' text without footer and running header (pypdf reads them last), so a
    text that runs over a page break reads on."""
    texts = []
    for page in reader.pages:
        lines = page.extract_text().splitlines()
        if lines and re.fullmatch(r"Seite \d+ von \d+", lines[-1]):
            lines.pop()
        if lines and lines[-1].startswith(running_title):
            lines.pop()
        texts.append("\n".join(lines))
    return "\n".join(texts)


@pytest.mark.parametrize("text", CASES)
def test_pdf(text: str) -> None:
    review = hostile_review(text)
    reader = PdfReader(io.BytesIO(render(review, "pdf")))
    running_title = shortened(one_line(review.title), RUNNING_TITLE_CHARS)
    content = squeezed(without_margins(reader, running_title))
    for words in expected_texts(text):
        assert squeezed(words) in content, words
    assert squeezed("GESCHÜTZTER FREMDTEXT") not in content
    uris = [
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/URI" in (annotation.get_object().get("/A") or {})
    ]
    assert sorted(set(uris)) == ["https://archiv.example/r/wp-1/v/3",
                                 "https://www.ikpe-erfurt.de/wp-1/"]  # fmt: skip
    root = reader.trailer["/Root"]
    assert "/OpenAction" not in root and "/JavaScript" not in (root.get("/Names") or {})
    total = len(reader.pages)
    assert f"Seite {total} von {total}" in reader.pages[-1].extract_text()
