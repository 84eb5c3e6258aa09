"""Tables for archive.htmltext: a stored body's HTML as plain text, blocks as paragraphs
(``\\n\\n``), ``<br>`` as a newline, scripts and styles left out, spaces evened out."""

from __future__ import annotations

import pytest

from archive.htmltext import BLOCK_TAGS, SKIPPED_TAGS, flatten_deep_nesting, html_to_text


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
    ("<table><tr><td>10:00</td><td>Begrüßung</td></tr></table>", ["10:00", "Begrüßung"],
     "the cells of a row (a programme; they used to run together: '10:00Begrüßung')"),
    ("<table><tr><th>Zeit</th><th>Programm</th></tr></table>", ["Zeit", "Programm"],
     "header cells"),
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


# (fragment, text), note: tables keep their cells apart on the row's line.
TABLE_CASES = [
    ("<table><tr><td>10:00</td><td>Begrüßung</td></tr><tr><td>10:30</td><td>Vortrag</td>"
     "</tr></table>", "10:00 Begrüßung\n\n10:30 Vortrag", "a programme: one line per row"),
    ("<table><tr><td><p>Zeit</p></td><td>Ort</td></tr></table>", "Zeit\n\nOrt",
     "a block inside a cell is still a paragraph"),
]  # fmt: skip


@pytest.mark.parametrize("fragment, text", params(TABLE_CASES))
def test_tables(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


def nested(depth: int, closed: bool = True) -> str:
    """A paragraph ``depth`` divs deep, then a paragraph after the nest."""
    closing = "</div>" * depth if closed else ""
    return "vor" + "<div>" * depth + "<p>tief</p>" + closing + "<p>danach</p>"


# (fragment, text), note: libxml2 stops at about 255 levels and used to drop the deep text
# and everything after it (the whole text came out as "vor").
DEEP_CASES = [
    (nested(50), "vor\n\ntief\n\ndanach", "50 levels: parsed as it is"),
    (nested(199), "vor\n\ntief\n\ndanach", "just below the limit"),
    (nested(254), "vor\n\ntief\n\ndanach", "libxml2's own limit"),
    (nested(300), "vor\n\ntief\n\ndanach", "300 levels"),
    (nested(2100), "vor\n\ntief\n\ndanach", "past even huge_tree's 2,048 levels"),
    (nested(5000, closed=False), "vor\n\ntief\n\ndanach", "5,000 unclosed divs"),
    ("vor" + "<span>" * 3000 + "tief" + "</span>" * 3000 + "<p>danach</p>", "vortief\n\ndanach",
     "inline elements add no space"),
    ("<div>" * 400 + "<p>a<script>if (a<b) {x()}</script>b</p>" + "</div>" * 400 + "<p>c</p>",
     "ab\n\nc", "a script's '<' deep down is no tag, its code still left out"),
    ("<div>" * 400 + "<table><tr><td>1</td><td>2</td></tr></table>" + "</div>" * 400,
     "1 2", "cells flattened apart"),
]  # fmt: skip


@pytest.mark.parametrize("fragment, text", params(DEEP_CASES))
def test_deep_nesting_keeps_every_text(fragment: str, text: str) -> None:
    assert html_to_text(fragment) == text


# (markup, max depth, flattened), note.
FLATTEN_CASES = [
    ("<div><div><b>x</b></div></div>", 5, "<div><div><b>x</b></div></div>", "shallow: untouched"),
    ("<div><div><b>x</b></div></div>y", 1, "<div><br><br>x<br><br></div>y",
     "blocks below the depth become breaks, inline tags nothing"),
    ("<div><br><img src=x><hr/><p>a</p></div>", 1,
     "<div><br><img src=x><hr/><br><br>a<br><br></div>",
     "void and self-closed elements do not nest"),
    ("<div><!-- <div> --><p>a</p></div>", 1, "<div><!-- <div> --><br><br>a<br><br></div>",
     "a tag inside a comment is no tag"),
    ("<div><p>a</div>b", 1, "<div><br><br>a</div>b", "a closing tag closes what is open inside it"),
    ("</p><div>a</div>", 1, "</p><div>a</div>", "a stray closing tag is left alone"),
]  # fmt: skip


@pytest.mark.parametrize("markup, depth, flattened", params(FLATTEN_CASES))
def test_flatten_deep_nesting(markup: str, depth: int, flattened: str) -> None:
    assert flatten_deep_nesting(markup, depth) == flattened
