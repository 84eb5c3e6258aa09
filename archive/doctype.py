"""Which type a record is, and the rule that decided it.

``classify`` returns ``(type, rule)``; the rule is kept in the record so a wrong type can be
traced to the rule that gave it. Rules run in the order below; the first that fires wins:

1. the publication tab: ``IKPE in der Presse`` -> press_coverage, other tabs -> publication
2. press releases from their opening words (``Pressemitteilung, 13.09.2023``,
   ``Gemeinsame Pressemitteilung von ...``) or a re-posted source line
   (``08.09.2023 – Thüringer Ministerium ...``)
3. events from the event line (``21.03.2024 | 13:00 bis 14:30 Uhr | online``)
4. press coverage from ``veröffentlicht im`` in the title or first lines
5. events, press releases, coverage and publications from their categories
6. a citation in the references category -> publication
7. pages: projects (``Laufzeit:``), topic sub-posts (``Zum Thema``), people and contact
   pages, newsletters
8. news without a category: a post (not a WordPress page) with a posting date whose theme
   shows that date, or whose first lines name a day (``am 29.06.2020``): themes without
   categories print such posts, standing pages carry neither
9. pages: neither a category nor a dateline
10. news by default
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from archive.citations import parse_citation
from archive.dates import find_dates, parse_dateline, parse_event_line
from archive.schema import RECORD_TYPES

# --------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------

TYPES = RECORD_TYPES

PRESS_COVERAGE_TABS = ("ikpe in der presse",)
PUBLICATION_TABS = (
    "monographien und herausgeberschaften",
    "beiträge in zeitschriften und sammelwerken",
    "forschungsarbeiten und berichte",
)
# Category slugs or names (slugified) and the type they stand for.
EVENT_CATEGORIES = ("veranstaltungen", "termine", "aktuelle-veranstaltungen", "events")
PRESS_RELEASE_CATEGORIES = ("pressemitteilungen", "pressemitteilung", "presseinformationen")
PRESS_COVERAGE_CATEGORIES = ("presse", "ikpe-in-der-presse", "pressespiegel", "medienecho")
PUBLICATION_CATEGORIES = ("publikationen", "veroeffentlichungen", "publikationen-und-ergebnisse")
PROJECT_CATEGORIES = ("projekte", "referenzen")
TOPIC_CATEGORIES = ("themen",)
# A newsletter issue itself ("Newsletter 02|2023", opening "Inhalt der Ausgabe:"); a post
# announcing one ("Newsletter 02|2023 erschienen") is news.
NEWSLETTER_TITLE = r"Newsletter\s*\d{1,2}\s*[|/]\s*\d{4}"
NEWSLETTER_FIRST_LINE = r"Inhalt\s+der\s+Ausgabe\s*:"
# Titles of the small posts a topic page is assembled from: alone they say nothing.
TOPIC_SUBPOST_TITLES = (
    "zum thema", "unser vorgehen", "über das vorhaben", "die projekte im einzelnen",
    "das projekt im einzelnen", "bedarfsanalyse", "was analysieren wir?",
)  # fmt: skip
# Titles of WordPress pages (people, contact, legal).
PAGE_TITLES = (
    "kontakt", "impressum", "datenschutz", "datenschutzerklärung", "verein", "vorstand",
    "mitarbeiter", "mitarbeitende", "team", "über uns", "satzung", "mitgliedschaft",
)  # fmt: skip

FIRST_LINES_READ = 3  # a post's type shows in its first lines, not in its middle
PRESS_RELEASE_OPENING = (
    r"^(?:gemeinsame\s+)?(?:pressemitteilung|presseinformation|pressemeldung|medieninformation)"
    r"(?:\b|$)"
)
COVERAGE_PHRASE = r"\b(?:veröffentlicht|erschienen)\s+(?:im|in\s+der|in\s+den)\b"
PROJECT_PERIOD = r"^\s*(?:projekt)?laufzeit\s*:"

_PRESS_RELEASE_RE = re.compile(PRESS_RELEASE_OPENING, re.IGNORECASE)
_COVERAGE_RE = re.compile(COVERAGE_PHRASE, re.IGNORECASE)
_NEWSLETTER_TITLE_RE = re.compile(NEWSLETTER_TITLE, re.IGNORECASE)
_NEWSLETTER_LINE_RE = re.compile(NEWSLETTER_FIRST_LINE, re.IGNORECASE)
_PROJECT_PERIOD_RE = re.compile(PROJECT_PERIOD, re.IGNORECASE | re.MULTILINE)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().strip()
    for umlaut, ascii_form in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_form)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _category_slugs(categories: Iterable[str]) -> set[str]:
    """Each category as a slug, plus its path parts and words (``willkommen/news_archiv``)."""
    slugs: set[str] = set()
    for category in categories or ():
        if not isinstance(category, str):
            continue
        slug = _slug(category)
        if slug:
            slugs.add(slug)
            slugs.update(part for part in slug.split("-") if part)
    return slugs


def _matches(slugs: set[str], table: Iterable[str]) -> bool:
    return any(_slug(entry) in slugs for entry in table)


def _lines(first_lines: Iterable[str]) -> list[str]:
    lines = []
    for line in first_lines or ():
        if isinstance(line, str) and line.strip():
            lines.append(" ".join(line.split()))
        if len(lines) >= FIRST_LINES_READ:
            break
    return lines


def _is_dateline_proper(dateline) -> bool:
    """A dateline proper; a sentence that merely opens with a date does not count."""
    return dateline is not None and dateline.kind != "opening_sentence"


def _names_a_day(lines: list[str]) -> bool:
    """True when the first lines name a day (``am 29.06.2020``), as a report of news does;
    a month (``Seit September 2023``) is how a standing page tells its history."""
    return any(span.start.precision == "day" for line in lines for span in find_dates(line))


def classify(
    *,
    title: str,
    first_lines: list[str],
    categories: list[str],
    tab: str | None = None,
    has_event_line: bool = False,
    posting: str | None = None,
    is_page: bool = False,
) -> tuple[str, str]:
    """The record type (one of :data:`TYPES`) and the name of the rule that decided it.

    ``posting``: how the posting date was known (``"shown"`` when the theme prints it next
    to the headline, ``"markup"`` for any other signal, None without one); ``is_page``:
    WordPress itself says the entry is a page.
    """
    title = " ".join(title.split()) if isinstance(title, str) else ""
    lines = _lines(first_lines)
    slugs = _category_slugs(categories)

    if isinstance(tab, str) and tab.strip():
        tab_name = " ".join(tab.lower().split())
        if tab_name in PRESS_COVERAGE_TABS:
            return "press_coverage", "press_coverage:tab"
        if tab_name in PUBLICATION_TABS:
            return "publication", "publication:tab"

    for line in lines:
        if _PRESS_RELEASE_RE.match(line):
            return "press_release", "press_release:opening_words"
    if _PRESS_RELEASE_RE.match(title):
        return "press_release", "press_release:title"
    datelines = [parse_dateline(line) for line in lines]  # read once, used twice
    if any(d is not None and d.kind == "source" for d in datelines):
        return "press_release", "press_release:reposted_source_line"

    if has_event_line or any(parse_event_line(line) is not None for line in lines):
        return "event", "event:event_line"

    if any(_COVERAGE_RE.search(text) for text in (title, *lines)):
        return "press_coverage", "press_coverage:veroeffentlicht_im"

    if _matches(slugs, EVENT_CATEGORIES):
        return "event", "event:category"
    if _matches(slugs, PRESS_RELEASE_CATEGORIES):
        return "press_release", "press_release:category"
    if _matches(slugs, PRESS_COVERAGE_CATEGORIES):
        return "press_coverage", "press_coverage:category"
    if _matches(slugs, PUBLICATION_CATEGORIES):
        return "publication", "publication:category"

    if _matches(slugs, PROJECT_CATEGORIES) and lines and parse_citation(lines[0]).parsed:
        return "publication", "publication:citation_form"
    if any(_PROJECT_PERIOD_RE.search(line) for line in lines) or _matches(
        slugs, PROJECT_CATEGORIES
    ):
        return "page", "page:project"
    if title.lower() in TOPIC_SUBPOST_TITLES or _matches(slugs, TOPIC_CATEGORIES):
        return "page", "page:topic"
    if title.lower() in PAGE_TITLES:
        return "page", "page:title"
    if _NEWSLETTER_TITLE_RE.fullmatch(title) or any(_NEWSLETTER_LINE_RE.match(x) for x in lines):
        return "page", "page:newsletter"  # a MailPoet mailing, not a post of the site
    if not slugs and not any(_is_dateline_proper(d) for d in datelines):
        if posting and not is_page:
            if posting == "shown":
                return "news", "news:posting_date_shown"
            if _names_a_day(lines):
                return "news", "news:posting_date_and_day_in_text"
        return "page", "page:no_category"
    return "news", "news:default"


__all__ = ["TYPES", "classify"]
