"""The visible headline of a page without WordPress markup, and what stands next to it.

A theme the spider does not know still shows a post the same way to a reader: the headline,
the posting date just above or below it, and the content right after it; menus, sidebars
of recent posts, share bars and footers stand beside. These rules find the post from its
headline instead of from class names:

- **headline**: a heading (``h1``-``h3``) whose text the ``<title>`` holds, alone or with a
  site name on either side (``Site – Post``, ``Post | Site``). When the site name is a
  heading too (a logo in an ``<h1>``), the headline is the one with content after it.
- **content**: the block after the headline (its following siblings, climbing a few levels
  when it stands alone in a wrapper): the container or run of loose paragraphs with the most
  paragraph text, never a block named like a sidebar, menu, share bar or footer, and never
  past another candidate headline.
- **date**: a day date that fills its own line, nearest the headline and before the content
  (``13.03.2024`` above it, ``Veröffentlicht am 13. März 2024`` below it); a date inside
  the content is a dateline or an event, not the posting date. Only when none stands there,
  the meta line right after the content, inside the post's own container (Avada, Twenty
  Twenty-One's entry footer). A date marked as the last edit (``updated``, ``modified``
  without ``published``) is never the posting date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from archive.cleaning import normalise_inline
from archive.dates import parse_date
from archive.htmltext import element_to_text

HEADING_XPATH = "//body//h1 | //body//h2 | //body//h3"
# Between a post title and a site name in <title>: a dash, a bar, a middle dot or a colon.
TITLE_SEPARATOR = r"\s*[|·:]\s*|\s+[–—-]\s+"
MAX_SITE_NAME_CHARS = 80
MAX_CLIMB = 4  # a headline sits in at most a few wrappers of its own (Elementor: three)
PARAGRAPH_TAGS = frozenset({"p", "ul", "ol", "blockquote", "figure", "h2", "h3", "h4", "table"})
CONTENT_TEXT_XPATH = ".//p | .//li | .//blockquote | .//td"
# Never content, whatever their length: the page's frame.
FRAME_TAGS = frozenset({"nav", "aside", "footer", "form", "script", "style", "noscript"})
FRAME_WORDS = (
    "sidebar", "seitenleiste", "share", "sharing", "social", "teilen", "related", "comment",
    "cookie", "consent", "footer", "menu", "menue", "navigation", "recent", "widget-area",
    "breadcrumb", "banner", "entry-meta", "post-meta", "post-info",
)  # fmt: skip
DATE_TEXTS_BEFORE = 2  # the date line just above the headline, not a list further up
DATE_TEXTS_AFTER = 8  # a meta line under the headline: category, author, date
DATE_LABEL = re.compile(
    r"^(?:(?:veröffentlicht|gepostet|erstellt|datum)\s*(?:am|vom)?|am|vom)\s*:?\s*", re.I
)
VISIBLE_TEXTS = (
    "{axis}::text()[normalize-space()][not(ancestor::script) and not(ancestor::style)"
    " and not(ancestor::head)]"
)
DATE_SLACK_CHARS = 2
EDIT_MARKS = (
    "updated",
    "modified",
    "aktualisiert",
)  # a date "fills" its text up to a trailing dot or bar


@dataclass
class Anchored:
    """What the headline rules found: the headline, its content blocks, a date beside it."""

    headline: Selector | None = None
    content: list[Selector] | None = None


def _text(node: Selector) -> str:
    return normalise_inline(element_to_text(node.root))


def title_holds(title_tag: str, headline: str) -> bool:
    """True when ``<title>`` is the headline, alone or with a site name on either side."""
    if not headline or not title_tag:
        return False
    if title_tag == headline:
        return True
    separator = TITLE_SEPARATOR
    name = rf".{{1,{MAX_SITE_NAME_CHARS}}}"
    quoted = re.escape(headline)
    return bool(
        re.fullmatch(rf"{quoted}(?:{separator}){name}", title_tag)
        or re.fullmatch(rf"{name}(?:{separator}){quoted}", title_tag)
    )


def _is_frame(node: Selector) -> bool:
    root = node.root
    if not isinstance(root.tag, str) or root.tag in FRAME_TAGS:
        return True
    names = f"{root.get('class', '')} {root.get('id', '')}".lower().split()
    return any(word in name for name in names for word in FRAME_WORDS)


def _paragraph_chars(nodes: list[Selector]) -> int:
    total = 0
    for node in nodes:
        if node.root.tag in ("p", "li", "blockquote", "td"):
            total += len(_text(node))
        else:
            total += sum(len(_text(p)) for p in node.xpath(CONTENT_TEXT_XPATH))
    return total


def _contains_any(node: Selector, others: list[etree._Element]) -> bool:
    root = node.root
    return any(other is root or root in other.iterancestors() for other in others)


def content_after(headline: Selector, others: list[etree._Element]) -> list[Selector] | None:
    """The content block(s) after ``headline``: see the module's docstring."""
    node = headline
    for _ in range(MAX_CLIMB):
        groups: list[list[Selector]] = []
        run: list[Selector] = []
        for sibling in node.xpath("following-sibling::*"):
            if _contains_any(sibling, others):
                break  # beyond lies another headline's content
            if _is_frame(sibling):
                if run:
                    groups.append(run)
                    run = []
                continue
            if sibling.root.tag in PARAGRAPH_TAGS:
                run.append(sibling)  # loose paragraphs right after the headline
                continue
            if run:
                groups.append(run)
                run = []
            groups.append([sibling])
        if run:
            groups.append(run)
        scored = [(g, _paragraph_chars(g)) for g in groups]
        best = max(scored, key=lambda pair: pair[1], default=(None, 0))
        if best[1] > 0:
            return best[0]
        parents = node.xpath("..")
        if not parents or parents[0].root.tag in ("body", "html"):
            return None
        node = parents[0]
    return None


def find_headline(page: Selector, title_tag: str, title: str | None = None) -> Anchored:
    """The page's headline and its content.

    ``title``: a title already known from a better signal (JSON-LD, ``og:title``, the
    entry title); the headline is then the heading that reads so. Otherwise the headings
    that ``<title>`` holds are the candidates.
    """
    headings = page.xpath(HEADING_XPATH)
    if title:
        candidates = [h for h in headings if _text(h) == title]
    else:
        candidates = [h for h in headings if title_holds(title_tag, _text(h))]
    if not candidates:
        return Anchored()
    roots = [c.root for c in candidates]
    found: list[tuple[Selector, list[Selector] | None]] = []
    for candidate in candidates:
        others = [r for r in roots if r is not candidate.root]
        found.append((candidate, content_after(candidate, others)))
    with_content = [(h, c) for h, c in found if c]
    if not with_content:
        return Anchored(headline=candidates[0])
    headline, content = max(with_content, key=lambda pair: _paragraph_chars(pair[1]))
    return Anchored(headline=headline, content=content)


def _day_date(text: str) -> str | None:
    """The ISO day when ``text`` is a date and (almost) nothing else."""
    text = " ".join(text.split()).strip(" |·")
    text = DATE_LABEL.sub("", text)
    if not text or len(text) > 40:
        return None
    span = parse_date(text)
    if span is None or span.end is not None or span.start.precision != "day":
        return None
    if len(span.text) < len(text) - DATE_SLACK_CHARS:
        return None
    return span.start.iso()


def _inside(text: etree._ElementUnicodeResult, blocks: list[etree._Element]) -> bool:
    parent = text.getparent()
    if parent is None:
        return False
    return any(parent is block or block in parent.iterancestors() for block in blocks)


def _marks_an_edit(text: etree._ElementUnicodeResult) -> bool:
    """True when the text stands in an element that marks an edit's date, not the posting."""
    parent = text.getparent()
    for element in [parent, *parent.iterancestors()] if parent is not None else []:
        names = str(element.get("class", "")).lower()
        if "published" in names:
            return False
        if any(mark in names for mark in EDIT_MARKS):
            return True
    return False


def _post_container(headline: etree._Element, blocks: list[etree._Element]):
    """The nearest ancestor of the headline that holds all the content blocks."""
    for ancestor in headline.iterancestors():
        if ancestor.tag in ("body", "html"):
            return None
        if all(block is ancestor or ancestor in block.iterancestors() for block in blocks):
            return ancestor
    return None


def _texts_after_content(headline: etree._Element, blocks: list[etree._Element]) -> list:
    """The first texts after the content, inside the post's own container."""
    container = _post_container(headline, blocks)
    if container is None or not blocks:
        return []
    texts = []
    for text in blocks[-1].xpath(VISIBLE_TEXTS.format(axis="following"))[:DATE_TEXTS_AFTER]:
        parent = text.getparent()
        if parent is None or not (parent is container or container in parent.iterancestors()):
            break  # out of the post: a sidebar's or a footer's dates
        texts.append(text)
    return texts


def date_near_headline(anchored: Anchored) -> str | None:
    """The posting date next to the headline and before the content, as ``YYYY-MM-DD``."""
    if anchored.headline is None:
        return None
    root = anchored.headline.root
    blocks = [node.root for node in anchored.content or []]
    before = root.xpath(VISIBLE_TEXTS.format(axis="preceding"))[-DATE_TEXTS_BEFORE:]
    after = []
    for text in root.xpath(VISIBLE_TEXTS.format(axis="following"))[:DATE_TEXTS_AFTER]:
        if _inside(text, blocks):
            break  # the content starts: a date from here on is the text's own
        after.append(text)
    nearest_first = []
    for distance in range(max(len(before), len(after))):
        if distance < len(before):
            nearest_first.append(before[-1 - distance])
        if distance < len(after):
            nearest_first.append(after[distance])
    for text in [*nearest_first, *_texts_after_content(root, blocks)]:
        found = None if _marks_an_edit(text) else _day_date(str(text))
        if found:
            return found
    return None


__all__ = ["Anchored", "content_after", "date_near_headline", "find_headline", "title_holds"]
