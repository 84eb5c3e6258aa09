"""Turn a stored body's HTML into plain text with its paragraphs kept."""

from __future__ import annotations

import re

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
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: blocks become paragraphs (``\\n\\n``), ``<br>`` a newline."""
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    parts: list[str] = []

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in SKIPPED_TAGS:
            if element.tail:
                parts.append(element.tail)
            return
        if tag in BLOCK_TAGS:
            parts.append("\n\n")
        if tag == "br":
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
        if tag in BLOCK_TAGS:
            parts.append("\n\n")
        if element.tail:
            parts.append(element.tail)

    walk(root)
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
