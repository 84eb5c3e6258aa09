"""Tables for archive.htmltext: a stored body's HTML as plain text, blocks as paragraphs
(``\\n\\n``), ``<br>`` as a newline, scripts and styles left out, spaces evened out."""

from __future__ import annotations

import pytest

from archive.htmltext import BLOCK_TAGS, SKIPPED_TAGS, html_to_text


def params(table: list) -> list:
    """Table rows as pytest params (the last value is the id); ``pytest.param`` rows pass."""
    return [pytest.param(*row[:-1], id=row[-1]) if type(row) is tuple else row for row in table]


def bug(reason: str, *values, note: str):
    """A row the code gets wrong today: expected to fail until the bug is fixed."""
    return pytest.param(
        *values, id=note, marks=pytest.mark.xfail(strict=True, reason=f"bug: {reason}")
    )


# (fragment, text), note.
TEXT_CASES = [
    ("", "", "empty"),
    ("  \n\t ", "", "only white space"),
    ("Nur Text", "Nur Text", "text without markup"),
    ("<p>Eins</p><p>Zwei</p>", "Eins\n\nZwei", "paragraphs"),
    ("<p>Zeile eins<br>Zeile zwei</p>", "Zeile eins\nZeile zwei", "a line break"),
    ("<p>Zeile eins<br/><br/>Zeile zwei</p>", "Zeile eins\n\nZeile zwei",
     "two line breaks make a paragraph break"),
    ("<p>Fachtag <em>Armut</em> und <a href='/x'>Teil<b>habe</b></a>.</p>",
     "Fachtag Armut und Teilhabe.", "inline markup keeps words whole"),
    ("<p>A&nbsp;&nbsp;B\t\tC  D</p>", "A B C D", "no-break spaces, tabs and runs of spaces"),
    ("<p>  Leerraum  </p>", "Leerraum", "lines stripped"),
    ("<p>&amp; &lt;b&gt; &#8211; &bdquo;Zitat&ldquo;</p>", "& <b> – „Zitat“",
     "entities decoded, never markup again"),
    ("<p>vor<script>alert('x')</script>nach</p>", "vornach",
     "a script's code left out, the text after it kept"),
    ("<style>p{color:red}</style><p>Text</p>", "Text", "a style sheet left out"),
    ("<noscript>Bitte JavaScript</noscript><p>Text</p>", "Text", "noscript left out"),
    ("<template><p>Vorlage</p></template><p>Text</p>", "Text", "a template left out"),
    ("<iframe src='x'>Rahmen</iframe><p>Text</p>", "Text", "an iframe left out"),
    ("<svg><text>Logo</text></svg><p>Text</p>", "Text", "an SVG's text left out"),
    ("A<!-- ein Kommentar -->B", "AB", "a comment is nothing"),
    ("<div><div><p>Tief</p></div></div>", "Tief", "nested blocks: one paragraph"),
    ("<p>a</p>\n\n\n<p>b</p>", "a\n\nb", "blank lines between blocks: one break"),
    ("<ul><li>Eins</li><li>Zwei</li></ul>", "Eins\n\nZwei", "list items"),
    ("<h2>Titel</h2>Text danach", "Titel\n\nText danach", "a heading then loose text"),
    ("Vorwort<p>Absatz</p>Nachwort", "Vorwort\n\nAbsatz\n\nNachwort", "loose text around"),
    ("<blockquote>Zitat</blockquote><figure><img src='x'><figcaption>Foto: IKPE"
     "</figcaption></figure>", "Zitat\n\nFoto: IKPE", "quote and caption"),
    ("<dl><dt>Ort</dt><dd>Erfurt</dd></dl>", "Ort\n\nErfurt", "a definition list"),
    ("<pre>a\n    b</pre>", "a\nb", "preformatted lines are stripped too"),
    ("<p>ohne Ende", "ohne Ende", "an unclosed paragraph"),
    ("<p>Ä Ö Ü ß „“ 😀</p>", "Ä Ö Ü ß „“ 😀", "any Unicode"),
    ("<p>eins\r\nzwei</p>", "eins\nzwei", "a CRLF inside a paragraph"),
]  # fmt: skip


@pytest.mark.parametrize("fragment, text", params(TEXT_CASES))
def test_html_to_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


# (fragment, words), note: neighbouring elements must not glue their words together.
WORD_BOUNDARY_CASES = [
    ("<p>Armut</p><p>Teilhabe</p>", ["Armut", "Teilhabe"], "paragraphs"),
    ("<li>Armut</li><li>Teilhabe</li>", ["Armut", "Teilhabe"], "list items"),
    ("Armut<br>Teilhabe", ["Armut", "Teilhabe"], "a line break"),
    ("<div>Armut</div><div>Teilhabe</div>", ["Armut", "Teilhabe"], "divs"),
    ("<table><tr><td>10:00</td></tr><tr><td>Begrüßung</td></tr></table>",
     ["10:00", "Begrüßung"], "table rows"),
    bug("td and th are not in BLOCK_TAGS and add no space, so a row's cells run together "
        "('10:00Begrüßung')",
        "<table><tr><td>10:00</td><td>Begrüßung</td></tr></table>", ["10:00", "Begrüßung"],
        note="the cells of a row (a programme)"),
    bug("td and th are not in BLOCK_TAGS and add no space, so a row's cells run together",
        "<table><tr><th>Zeit</th><th>Programm</th></tr></table>", ["Zeit", "Programm"],
        note="header cells"),
]  # fmt: skip


@pytest.mark.parametrize("fragment, words", params(WORD_BOUNDARY_CASES))
def test_words_stay_apart(fragment: str, words: list[str]) -> None:
    assert html_to_text(fragment).split() == words


@pytest.mark.parametrize("tag", sorted(BLOCK_TAGS - {"ul", "ol", "dl", "table", "tr"}))
def test_every_block_is_a_paragraph(tag: str) -> None:
    assert html_to_text(f"vor<{tag}>mitte</{tag}>nach") == "vor\n\nmitte\n\nnach"


@pytest.mark.parametrize("tag", sorted(SKIPPED_TAGS))
def test_every_skipped_element_is_left_out_but_not_its_tail(tag: str) -> None:
    assert html_to_text(f"<p>vor <{tag}>weg</{tag}> nach</p>") == "vor nach"
