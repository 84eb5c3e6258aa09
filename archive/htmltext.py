"""Turn a stored body's HTML into plain text with its paragraphs kept.

libxml2 stops building the tree at about 255 nested elements (2,048 with ``huge_tree``)
and silently drops everything below *and after* that point. A hostile or broken page
(thousands of unclosed ``<div>``) would so lose its text. A tree that reaches
:data:`MAX_NESTING` levels is therefore parsed again from a flattened copy of its HTML, in
which the tags below that depth are removed (blocks become line breaks), the text kept.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import ParserError

# Elements whose end closes a paragraph of the text.
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "table",
        "tr",
        "blockquote",
        "figure",
        "figcaption",
        "pre",
        "dl",
        "dt",
        "dd",
        "address",
        "details",
        "summary",
    ]
)
# Table cells: a space between them, so a row's cells do not run together ("10:00 Begrüßung").
CELL_TAGS = frozenset({"td", "th"})
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")

# Deeper trees are flattened: well below libxml2's limit (about 255 levels without
# ``huge_tree``, which parsel's selectors use: 2,048).
MAX_NESTING = 200
# The flattened copy keeps this many levels (a margin for the wrappers parsers add).
FLAT_NESTING = MAX_NESTING - 20
VOID_TAGS = frozenset(
    [
        *("area", "base", "br", "col", "embed", "hr", "img", "input"),
        *("keygen", "link", "meta", "param", "source", "track", "wbr"),
    ]
)
# Comments and raw-text elements are skipped whole (a "<" in a script is no tag); any
# other tag is (closing slash, name, self-closing slash).
_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(?P<raw>script|style|textarea|title|xmp|plaintext)\b[^>]*>.*?(?:</(?P=raw)\s*>|\Z)"
    r"|<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?:\s[^>]*?)?(?P<selfclose>/?)>",
    re.DOTALL | re.IGNORECASE,
)
_REACHES_MAX_NESTING = etree.XPath("boolean(" + "/".join(["."] + ["*"] * MAX_NESTING) + ")")


def reaches_max_nesting(element) -> bool:
    """True when ``element`` has descendants :data:`MAX_NESTING` levels down (a tree the
    parser may have cut short): parse :func:`flatten_deep_nesting` of the HTML instead."""
    return bool(_REACHES_MAX_NESTING(element))


def flatten_deep_nesting(markup: str, max_depth: int = FLAT_NESTING) -> str:
    """``markup`` with the tags nested deeper than ``max_depth`` removed, their text kept.

    A removed block element becomes two ``<br>`` (a paragraph break), a removed cell a
    space, any other tag nothing. Nesting is counted the way a tokenizer sees it (void
    and self-closed elements do not nest; a closing tag closes up to its opening one), an
    approximation that only ever applies to pathological pages.
    """
    pieces: list[str] = []
    open_tags: list[tuple[str, bool]] = []  # (name, kept)
    position = 0
    for match in _TAG.finditer(markup):
        name = (match.group("name") or "").lower()
        if not name or name in VOID_TAGS or match.group("selfclose"):
            continue
        if match.group("close"):
            index = _last_open(open_tags, name)
            if index is None:
                continue
            kept = open_tags[index][1]
            del open_tags[index:]
        else:
            kept = len(open_tags) < max_depth
            open_tags.append((name, kept))
        if not kept:
            pieces.append(markup[position : match.start()])
            pieces.append(_flat_replacement(name))
            position = match.end()
    pieces.append(markup[position:])
    return "".join(pieces)


def _last_open(open_tags: list[tuple[str, bool]], name: str) -> int | None:
    """Where the innermost open ``name`` is (usually on top: checked first)."""
    for index in range(len(open_tags) - 1, -1, -1):
        if open_tags[index][0] == name:
            return index
    return None


def _flat_replacement(name: str) -> str:
    if name in BLOCK_TAGS:
        return "<br><br>"
    return " " if name in CELL_TAGS else ""


def _parse_fragment(fragment: str):
    return lxml_html.fragment_fromstring(fragment, create_parent="div")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: blocks become paragraphs (``\\n\\n``), ``<br>`` a newline."""
    if not fragment or not fragment.strip():
        return ""
    try:
        root = _parse_fragment(fragment)
        if reaches_max_nesting(root):
            root = _parse_fragment(flatten_deep_nesting(fragment))
    except (ParserError, ValueError):
        return ""
    return element_to_text(root)


def element_to_text(root) -> str:
    """Plain text of a parsed element (an lxml element, without its tail), as
    :func:`html_to_text` makes it: scripts and styles left out, inline markup adding no
    space, blocks as paragraphs, cells apart."""
    parts: list[str] = []
    # A stack, not recursion: a tree parsed without flattening (huge_tree) can be deeper
    # than Python's recursion limit. (element, True) stands for the element's end.
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, at_end = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if at_end or tag in SKIPPED_TAGS:
            if at_end and tag in BLOCK_TAGS:
                parts.append("\n\n")
            if at_end and tag in CELL_TAGS:
                parts.append(" ")
            if element.tail and element is not root:
                parts.append(element.tail)
            continue
        if tag in BLOCK_TAGS:
            parts.append("\n\n")
        if tag == "br":
            parts.append("\n")
        if tag in CELL_TAGS:
            parts.append(" ")
        if element.text and tag:
            parts.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    text = _SPACES.sub(" ", "".join(parts))  # one pass, not one per line: a crawl's hot path
    lines = [line.strip() for line in text.split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)
