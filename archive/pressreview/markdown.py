"""The press review as Markdown (CommonMark), for e-mail and wikis.

Every piece of text from the archive or the team is escaped: each character Markdown (or
a wiki's extension of it: tables, strikethrough, maths, templates) could read as syntax is
backslash-escaped, which CommonMark allows for any ASCII punctuation, and a paragraph that
would start a list, quote or heading gets its first character escaped. So ``<script>``,
``{{ }}``, ``*bold*`` or ``\\section{}`` from a title come out as the same text.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from archive.pressreview.content import (
    CONTENTS_TITLE,
    EMPTY_NOTE,
    INTRO_TITLE,
    PERIOD_LABEL,
    DocumentView,
    ItemView,
    Link,
    document_view,
)
from archive.pressreview.model import Review

# Inline syntax of CommonMark and its common extensions (GFM tables and strikethrough,
# maths with $, wiki templates with braces), and the backslash itself.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&{}$!])")
# What turns a paragraph's start into a block: list bullets, setext underlines, ordered
# list numbers ("1." or "1)").
_BLOCK_START = re.compile(r"^([-+=])|^(\d+)([.)])")
# Characters kept as they are inside a link's address (the rest is percent-encoded, so
# "<", ">", spaces and backslashes cannot end the address early).
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def escape(text: str, *, line_start: bool = True) -> str:
    """``text`` (one line) as Markdown that shows exactly this text; ``line_start=False``
    where it follows other text on its line (no list or heading can start there)."""
    escaped = _INLINE.sub(r"\\\1", text)
    if not line_start:
        return escaped
    return _BLOCK_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped
    )


def link(target: Link) -> str:
    """``[label](<url>)`` with the address percent-encoded where Markdown would stop."""
    return f"[{escape(target.label)}](<{quote(target.url, safe=_URL_SAFE)}>)"


def render_markdown(review: Review) -> bytes:
    """The review as UTF-8 Markdown."""
    return markdown_text(document_view(review)).encode("utf-8")


def markdown_text(doc: DocumentView) -> str:
    """The document's words as Markdown text."""
    lines = [f"# {escape(doc.title, line_start=False)}", "", escape(doc.institute)]
    if doc.period:
        lines += ["", f"{PERIOD_LABEL}: {escape(doc.period, line_start=False)}"]
    lines += ["", escape(doc.compiled)]
    if doc.internal_note:
        lines += ["", f"> **{escape(doc.internal_note, line_start=False)}**"]
    lines += ["", f"## {CONTENTS_TITLE}", ""]
    sections = [(INTRO_TITLE, [])] if doc.intro and doc.sections else []
    sections += [(section.heading, section.items) for section in doc.sections]
    for number, (heading, items) in enumerate(sections, start=1):
        lines.append(f"{number}. {escape(heading)}")
        lines += [f"   - {escape(item.heading)}" for item in items]
    if not doc.sections:
        lines.append(escape(EMPTY_NOTE))
    if doc.intro:
        lines += ["", f"## {INTRO_TITLE}", ""]
        lines += _paragraphs(doc.intro)
    for section in doc.sections:
        lines += ["", f"## {escape(section.heading, line_start=False)}"]
        for item in section.items:
            lines += ["", *_item(item)]
    if doc.internal_note:
        lines += ["", "---", "", f"*{escape(doc.internal_note, line_start=False)}*"]
    return "\n".join(lines).rstrip() + "\n"


def _paragraphs(paragraphs: list[str], prefix: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [f"{prefix}{escape(paragraph)}", prefix.rstrip()]
    return lines[:-1]


def _item(item: ItemView) -> list[str]:
    lines = [
        f"### {escape(item.heading, line_start=False)}",
        "",
        f"*{escape(item.facts, line_start=False)}*",
    ]
    if item.original_title:
        lines += ["", f"Originaltitel: {escape(item.original_title, line_start=False)}"]
    if item.summary:
        lines += ["", *_paragraphs(item.summary)]
    if item.comment:
        lines += ["", f"**Anmerkung:** {escape(item.comment[0], line_start=False)}"]
        if item.comment[1:]:
            lines += ["", *_paragraphs(item.comment[1:])]
    if item.full_text:
        lines += ["", "**Volltext:**", "", *_paragraphs(item.full_text, "> ")]
    if item.links:
        lines += ["", *[f"- {link(target)}" for target in item.links]]
    lines += ["", f"*{escape(item.provenance, line_start=False)}*"]
    return lines
