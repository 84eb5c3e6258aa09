"""What the document says, decided once for the three formats: the cover's lines, each
item's heading, line of facts, paragraphs and links, German dates.

The renderers (``markdown``, ``html``/``pdf``, ``docx``) only lay these out, so the formats
cannot drift apart in order or content. All text passes :func:`rules.clean_text` here;
escaping for a format is the renderer's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.pressreview.model import Review, ReviewItem
from archive.pressreview.rules import clean_text, type_label, web_url

MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
INTERNAL_NOTE = (
    "Nur für den internen Gebrauch: Diese Zusammenstellung nennt Presseberichte Dritter "
    "mit Quelle und Link; ihre Texte sind urheberrechtlich geschützt und werden nicht "
    "weitergegeben."
)
CONTENTS_TITLE = "Inhalt"
INTRO_TITLE = "Einleitung"
INTRO_ANCHOR = "einleitung"
COMPILED_LABEL = "Zusammengestellt am"
PERIOD_LABEL = "Zeitraum"
INSTITUTE = "Institut für kommunale Planung und Entwicklung (IKPE)"
EMPTY_NOTE = "Für diesen Zeitraum enthält das Archiv keine Einträge."
# The running header of the PDF and DOCX holds at most this much of the title.
RUNNING_TITLE_CHARS = 60
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_BLANK_LINES = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"[ \t\u00a0\n]+")


@dataclass(frozen=True)
class Link:
    """A link as the documents show it: what it is, and the address (always http(s))."""

    label: str
    url: str


@dataclass(frozen=True)
class ItemView:
    """One item as every format shows it, in this order: heading, facts line, the original
    title when the heading differs, summary, comment, full text, links, where it is kept."""

    anchor: str
    heading: str
    facts: str
    original_title: str
    summary: list[str]
    comment: list[str]
    full_text: list[str]
    links: list[Link]
    provenance: str


@dataclass(frozen=True)
class SectionView:
    """A section: its anchor, its heading (and the heading cut for a running header), its
    items."""

    anchor: str
    heading: str
    running_heading: str
    items: list[ItemView]


@dataclass(frozen=True)
class DocumentView:
    """The whole document as every format shows it."""

    title: str
    running_title: str
    period: str
    compiled: str
    institute: str
    internal_note: str
    intro: list[str]
    sections: list[SectionView]


def german_date(value: str | None) -> str:
    """``2026-03-05`` -> ``5. März 2026``, ``2026-03`` -> ``März 2026``, ``2026`` stays;
    anything else is returned as it is."""
    match = _PARTIAL_DATE.match(value or "")
    if not match:
        return clean_text(value or "")
    year, month, day = match.groups()
    if month is None or not 1 <= int(month) <= 12:
        return year
    if day is None:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)}. {MONTHS[int(month) - 1]} {year}"


def period_label(date_from: str | None, date_to: str | None) -> str:
    """The period in words: ``März 2026``, ``1. März 2026 – 15. März 2026``, ``ab …``,
    ``bis …``, or '' when it is open at both ends."""
    if date_from and date_to:
        if date_from == date_to:
            return german_date(date_from)
        return f"{german_date(date_from)} – {german_date(date_to)}"
    if date_from:
        return f"ab {german_date(date_from)}"
    if date_to:
        return f"bis {german_date(date_to)}"
    return ""


def default_title(date_from: str | None, date_to: str | None) -> str:
    """``Pressespiegel März 2026`` (or of whichever period is given)."""
    period = period_label(date_from, date_to)
    return f"Pressespiegel {period}" if period else "Pressespiegel"


def paragraphs(text: str) -> list[str]:
    """``text`` as paragraphs (split at blank lines), each on one line with single spaces."""
    cleaned = clean_text(text or "")
    blocks = (_SPACES.sub(" ", block).strip() for block in _BLANK_LINES.split(cleaned))
    return [block for block in blocks if block]


def one_line(text: str) -> str:
    """``text`` on one line, spaces collapsed."""
    return _SPACES.sub(" ", clean_text(text or "")).strip()


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word where possible, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def _repeats(summary: list[str], full_text: list[str]) -> bool:
    """True when the summary is the text's own beginning (the site's teaser), which the
    full text below would only repeat."""
    teaser = " ".join(summary).rstrip(" .…")
    return bool(teaser) and " ".join(full_text).startswith(teaser)


def item_view(item: ReviewItem, anchor: str) -> ItemView:
    """What one item shows; third-party coverage never carries its text."""
    facts = [item.outlet] if item.third_party and item.outlet else []
    when = german_date(item.date)
    if item.date_end and item.date_end != item.date:
        when = f"{when} – {german_date(item.date_end)}"
    facts += [when, item.venue, type_label(item.record_type)]
    links = []
    url = web_url(item.url)
    if url:
        links.append(Link("Zum Bericht" if item.third_party else "Original", url))
    archive_page = web_url(item.archive_page)
    if archive_page:
        links.append(Link("Im Archiv", archive_page))
    archive_copy = web_url(item.archive_copy)
    if archive_copy:
        links.append(Link("Archivkopie", archive_copy))
    full_text = [] if item.third_party else paragraphs(item.full_text)
    summary = paragraphs(item.summary)
    return ItemView(
        anchor=anchor,
        heading=one_line(item.title),
        facts=" · ".join(one_line(fact) for fact in facts if fact),
        original_title=one_line(item.original_title) if item.retitled else "",
        summary=[] if _repeats(summary, full_text) else summary,
        comment=paragraphs(item.comment),
        full_text=full_text,
        links=links,
        provenance=f"Archiv: {item.record_id}, Version {item.version}",
    )


def document_view(review: Review) -> DocumentView:
    """The document's words, in order, for every format."""
    sections = []
    for number, section in enumerate(review.sections, start=1):
        items = [
            item_view(item, f"e{number}_{index}")
            for index, item in enumerate(section.items, start=1)
        ]
        heading = one_line(section.title)
        sections.append(
            SectionView(f"r{number}", heading, shortened(heading, RUNNING_TITLE_CHARS), items)
        )
    title = one_line(review.title)
    return DocumentView(
        title=title,
        running_title=shortened(title, RUNNING_TITLE_CHARS),
        period=period_label(review.date_from, review.date_to),
        compiled=f"{COMPILED_LABEL} {german_date(review.compiled_on.isoformat())}",
        institute=INSTITUTE,
        internal_note=INTERNAL_NOTE if review.internal_use_only else "",
        intro=paragraphs(review.intro),
        sections=sections,
    )
