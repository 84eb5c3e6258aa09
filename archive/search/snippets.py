"""Snippets: a short window of a record's text with the matched words marked.

Pure functions. The source text is untrusted web content, so every piece of it is
HTML-escaped first and only then wrapped in ``<mark>`` tags: the snippet's only markup is
the highlighting.
"""

from __future__ import annotations

import html
import re

SNIPPET_CHARS = 240  # about two lines of a result list
CONTEXT_BEFORE_CHARS = 60  # text kept before the first highlighted word
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
ELLIPSIS = "…"
_WHITESPACE = re.compile(r"\s+")


def _densest_window(spans: list[tuple[int, int]], width: int) -> int:
    """Index of the span that starts the window holding the most spans."""
    best_index, best_count, last = 0, 0, 0
    for first in range(len(spans)):
        last = max(last, first)
        while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= width:
            last += 1
        if last - first + 1 > best_count:
            best_index, best_count = first, last - first + 1
    return best_index


def _boundary_before(text: str, anchor: int, reach: int) -> int:
    """Where a snippet showing ``text[anchor:]`` should start: at a word up to ``reach``
    characters earlier (or the text's start)."""
    floor = max(0, anchor - reach)
    if floor == 0:
        return 0
    for index in range(floor, anchor):
        if text[index].isspace():
            return index + 1
    return anchor


def _boundary_after(text: str, position: int, reach: int = 20) -> int:
    """The end of the word running through ``position`` (if it ends within ``reach``)."""
    for index in range(position, min(len(text), position + reach)):
        if text[index].isspace():
            return index
    return min(len(text), position)


def _escaped(piece: str) -> str:
    return html.escape(_WHITESPACE.sub(" ", piece))


def make_snippet(text: str, spans: list[tuple[int, int]], max_chars: int = SNIPPET_CHARS) -> str:
    """An HTML snippet of ``text`` around the character ``spans`` that matched.

    Without spans, the beginning of the text. Whitespace is collapsed; cut ends get an
    ellipsis.
    """
    spans = sorted(spans)
    if spans:
        anchor = spans[_densest_window(spans, max_chars - CONTEXT_BEFORE_CHARS)][0]
        start = _boundary_before(text, anchor, CONTEXT_BEFORE_CHARS)
    else:
        start = 0
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text):
        return ""
    end = _boundary_after(text, start + max_chars)
    pieces: list[str] = [ELLIPSIS] if text[:start].strip() else []
    position = start
    for span_start, span_end in spans:
        if span_end <= position or span_start >= end:
            continue
        span_start, span_end = max(span_start, position), min(span_end, end)
        pieces.append(_escaped(text[position:span_start]))
        pieces.append(MARK_OPEN + _escaped(text[span_start:span_end]) + MARK_CLOSE)
        position = span_end
    pieces.append(_escaped(text[position:end]).rstrip())
    if text[end:].strip():
        pieces.append(ELLIPSIS)
    return "".join(pieces)
