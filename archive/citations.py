"""German citations of the publication tabs, and press items, parsed into a Reference.

Pure: a string in, a :class:`Reference` out; never raises. An entry that cannot be read
keeps its ``raw`` text with ``parsed=False`` so the caller can count it: nothing is dropped.

Forms read (rows for each in ``tests/test_citations.py``):

- monographs and edited books: ``Fischer, Jörg/Lutz, Ronald (Hrsg.) (2015): Title. Subtitle.
  Weinheim: Juventa. (326 Seiten)``
- an edited journal issue: ``... (2014): Frühe Hilfen. Heft 7-8/2014 der Zeitschrift
  „Sozialmagazin“, 39. Jg., Weinheim: Juventa. (98 Seiten)``
- chapters: ``Huber, S. (2017): Title. In: Editor, A./Editor, B. (Hrsg.): Book. Place:
  Publisher, S. 12-34.``
- journal articles: ``... In: Sozialmagazin 9-10/2023, S. 20-27.``, ``In: Sozialmagazin,
  48. Jg., Heft 9-10/2023, S. 20-27.``, ``In: Zeitschrift 65 (2019), H. 3, S. 301-330.``
- reports (``Erfurt: IKPE.``), forthcoming works (``i.E.``, ``im Erscheinen``), initials,
  double spaces, URLs and DOIs
- press items: ``... am 04. März 2024, veröffentlicht im “Parlamentsreport”`` and
  ``Thüringer Allgemeine, 12.05.2021: „…“ – Interview mit Dr. Stefan Huber``

Over 400 lines on purpose: one grammar of German citations (authors, titles, series,
places, issues) whose rules call each other; split, every rule would import the rest.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from archive.dates import MAX_YEAR, MIN_YEAR, DateSpan, find_dates, parse_date
from archive.entities import PLACES

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------

PRESS_TAB = "IKPE in der Presse"
REPORT_TAB = "Forschungsarbeiten und Berichte"
# The archive's date range (a record's dates lie in 1990-2100); an older year is not read.
MIN_CITATION_YEAR = MIN_YEAR
MAX_CITATION_YEAR = MAX_YEAR
MAX_RAW_CHARS = 5_000  # a citation is a paragraph; longer input is not one

EDITOR_MARK = r"\(\s*(?:Hrsg|Hg|Hrsgg|Eds?|ed)\.?\s*\)"
YEAR_SLOT = (
    r"\(\s*(?:(?P<year>\d{4})[a-z]?(?:\s*/\s*\d{2,4})?|(?P<noyear>o\.\s?J\.)"
    r"|(?P<fyear>i\.\s?E\.|im\s+Erscheinen|in\s+Vorbereitung|in\s+Druck))\s*\)"
)
FORTHCOMING = r"\(?\b(?:i\.\s?E\.|im\s+Erscheinen|in\s+Vorbereitung|in\s+Druck|forthcoming)\)?"
NAME_SEPARATORS = r"\s*/\s*|\s*;\s*|\s+&\s+|\s+und\s+"
ET_AL = r",?\s*(?:u\.\s?a\.|et\s+al\.?)"
REPORT_WORDS = r"bericht|studie|expertise|gutachten|evaluation|dokumentation|arbeitspapier"
QUOTES = "„“”\"«»‚‘’'"
PRESS_VERBS = r"(?:veröffentlicht|erschienen|abgedruckt)"
PRESS_PREPOSITIONS = r"(?:im|in\s+der|in\s+den|in|auf|bei)"

_HEAD_RE = re.compile(
    rf"^(?P<names>[^()]{{2,300}}?)\s*(?P<editors>{EDITOR_MARK})?\s*{YEAR_SLOT}\s*[:.]?\s*(?P<rest>.*)$"
)
_IN_RE = re.compile(r"\.?\s+In:\s*")
_DOI_RE = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*|\bDOI:?\s*)(?P<doi>10\.\d{4,9}/[^\s\"<>]+)",
    re.IGNORECASE,
)
_URL_RE = re.compile(
    r"(?:(?:Online|Verfügbar|Abrufbar|URL)(?:\s+(?:verfügbar\s+)?unter)?\s*:?\s*)?"
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)",
    re.IGNORECASE,
)
_ACCESS_RE = re.compile(
    r"[\[(]?\s*(?:letzter\s+)?(?:Zugriff|abgerufen|Stand)(?:\s+am)?\s*:?\s*[\d.]{6,10}\s*[\])]?",
    re.IGNORECASE,
)
_FORTHCOMING_RE = re.compile(FORTHCOMING, re.IGNORECASE)
_PAGE_COUNT_RE = re.compile(r"[.,]?\s*\(?\s*(?P<count>\d{1,4})\s*(?:Seiten|S\.)\s*\)?\s*\.?\s*$")
_PAGES_RE = re.compile(
    r"[.,]?\s*(?:S\.|Seiten?|pp?\.)\s*(?P<pages>\d+(?:\s*[-–—]\s*\d+)?(?:\s*ff?\.)?)\s*\.?\s*$"
)
PLACE_WORD = r"[A-ZÄÖÜ][\wäöüß\-]*(?:\s?\([A-ZÄÖÜ][\wäöüß]*\))?"
PLACE_LINK = r"(?:\s+(?:am|an\s+der|im|bei|und)\s+|\s*/\s*|\s+)"
PLACE_SUFFIX = r"(?:\s+(?:a\.\s?M\.|i\.\s?Br\.|a\.\s?d\.\s?[A-ZÄÖÜ]\w*\.?))?"
_PLACE_PUBLISHER_RE = re.compile(
    rf"[.,]\s+(?P<place>{PLACE_WORD}(?:{PLACE_LINK}{PLACE_WORD}){{0,3}}{PLACE_SUFFIX})"
    r"\s*:\s*(?P<publisher>[^:]{2,80}?)\s*[.,]?\s*$"
)
_PLACE_ONLY_RE = re.compile(rf"[.,]\s+(?P<place>{PLACE_WORD})\s*\.?\s*$")
_JOURNAL_ISSUE_TITLE_RE = re.compile(
    r"[.,]?\s*(?:Heft|Ausgabe|H\.)\s+(?P<issue>\d{1,3}(?:\s?[-–/]\s?\d{1,3})?)\s?/\s?"
    r"(?P<year>\d{4})\s+(?:der|des)\s+(?:Zeitschrift|Fachzeitschrift|Magazins?)\s+"
    rf"[{QUOTES}]?(?P<journal>[^{QUOTES},]+)[{QUOTES}]?"
)
_VOLUME_RE = re.compile(
    r"[.,]?\s*(?:(?P<v1>\d{1,3})\.\s*(?:Jg|Jahrgang)\.?|(?:Jg|Jahrgang)\.?\s*(?P<v2>\d{1,3}))"
)
_EDITION_RE = re.compile(
    r"[.,]?\s*(?P<edition>\d{1,2}\.,?\s*(?:[\wäöü.]+\s+){0,3}?Aufl(?:age|\.)?)\s*\.?", re.I
)
_CHAPTER_EDITORS_RE = re.compile(
    rf"^(?P<names>[^()]{{2,300}}?)\s*{EDITOR_MARK}\s*:\s*(?P<rest>.+)$"
)
_JOURNAL_ISSUE_RE = re.compile(
    r"^(?P<journal>.+?)[,\s]+(?:(?:Heft|H\.|Nr\.|Ausgabe)\s*)?"
    r"(?P<issue>\d{1,3}(?:\s?[-–]\s?\d{1,3})?)\s?/\s?(?P<year>\d{4})$"
)
_JOURNAL_VOLUME_YEAR_RE = re.compile(
    r"^(?P<journal>.+?)[,\s]+(?P<volume>\d{1,4})\s*\(\s*(?P<year>\d{4})\s*\)"
    r"(?:[,\s]+(?:(?:Heft|H\.|Nr\.)\s*)?(?P<issue>\d{1,3}(?:\s?[-–/]\s?\d{1,3})?))?$"
)
_JOURNAL_HEFT_RE = re.compile(
    r"^(?P<journal>.+?)[,\s]+(?:Heft|H\.|Nr\.|Ausgabe)\s*(?P<issue>\d{1,3}(?:\s?[-–/]\s?\d{1,3})?)$"
)
_NAME_SPLIT_RE = re.compile(NAME_SEPARATORS)
_ET_AL_RE = re.compile(ET_AL, re.IGNORECASE)
_REPORT_RE = re.compile(REPORT_WORDS, re.IGNORECASE)
_TITLE_PREFIX_RE = re.compile(
    r"^(?:Prof\.|Dr\.|PD|Dipl\.-[\wäöü.]+|M\.\s?(?:A|Sc)\.|B\.\s?(?:A|Sc)\.|rer\.\s?\w+\.|phil\.)\s*"
)

# Press items.
_PRESS_VEROEFF_RE = re.compile(
    rf"^(?P<head>.*?)[,;\s]*\b{PRESS_VERBS}\s+{PRESS_PREPOSITIONS}\s+(?P<outlet>.+?)\s*\.?$",
    re.IGNORECASE,
)
_PRESS_OUTLET_DATE_RE = re.compile(
    rf"^(?P<outlet>[^,:{QUOTES}]{{2,80}}?)\s*(?:,|\(|vom)\s*(?P<date>[^:()]{{6,30}}?)\)?\s*:\s*"
    r"(?P<title>.+)$"
)
_HEADLINE_RE = re.compile(r"[„“\"»](?P<headline>[^„“”\"«»]{2,300})[“”\"«]")
_PUBLISHED_ON_RE = re.compile(r",?\s*veröffentlicht\s+am\s+(?P<date>.{6,30}?)\s*\.?$", re.I)
_PRESS_IN_RE = re.compile(
    r"^(?P<title>.+?)\.?\s+In:\s*(?P<outlet>[^,]{2,80}?)(?:\s+vom|,)\s+(?P<date>.{6,30}?)\s*\.?$"
)


@dataclass
class Person:
    """An author or editor as written: ``Fischer, Jörg`` -> family Fischer, given Jörg."""

    family: str
    given: str = ""

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict."""
        return {"family": self.family, "given": self.given}


@dataclass
class Reference:
    """A parsed citation or press item; ``parsed`` is False when ``raw`` could not be read.

    ``kind`` says which form was read: book, edited_book, journal_issue, chapter, article,
    report or press. ``date`` is ISO 8601 (press items, online reviews); ``pages`` like
    ``12-34``; ``issue`` as the journal names it (``9-10/2023``, or ``3`` after a volume).
    A press item's ``title`` is its quoted headline and ``note`` the words around it.
    """

    raw: str
    parsed: bool = False
    authors: list[Person] = field(default_factory=list)
    editors: list[Person] = field(default_factory=list)
    year: int | None = None
    forthcoming: bool = False
    title: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    page_count: int | None = None
    place: str = ""
    publisher: str = ""
    outlet: str = ""
    date: str = ""
    url: str = ""
    doi: str = ""
    edition: str = ""
    kind: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (persons as dicts)."""
        return asdict(self)


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _normalise(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw[:MAX_RAW_CHARS])
    text = re.sub(r"[\u200b\u2060\ufeff\u00ad]", "", text)
    return " ".join(text.split())


def _strip_quotes(text: str) -> str:
    return text.strip().strip(QUOTES).strip()


def _tidy(text: str) -> str:
    """Trim separators a cut leaves behind."""
    return text.strip().strip(",;:").strip().rstrip(".").strip()


def _dash(text: str) -> str:
    return re.sub(r"\s*[–—]\s*|\s*-\s*", "-", text.strip())


def _person(name: str) -> Person | None:
    name = _ET_AL_RE.sub("", name).strip().strip(",").strip()
    while True:
        stripped = _TITLE_PREFIX_RE.sub("", name)
        if stripped == name:
            break
        name = stripped
    if not name or len(name) > 80 or re.search(r"\d|[:()]", name):
        return None
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
    elif re.fullmatch(r"\S+\s+(?:[A-ZÄÖÜ]\.\s?)+", name):
        family, given = name.split(None, 1)  # "Fischer J."
    elif " " in name and not name.isupper():
        given, family = name.rsplit(" ", 1)
    else:
        family, given = name, ""
    if not family or not family[0].isupper():
        return None
    return Person(family=family, given=given)


def _people(names: str) -> list[Person] | None:
    """People from ``Fischer, J./Huber, S.``; None when the text does not look like names."""
    parts: list[str] = []
    for part in _NAME_SPLIT_RE.split(names.strip()):
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) > 2 and len(pieces) % 2 == 0:  # "Fischer, J., Huber, S."
            parts.extend(f"{pieces[i]}, {pieces[i + 1]}" for i in range(0, len(pieces), 2))
        else:
            parts.append(part)
    people = []
    for part in parts:
        if not part.strip() or _ET_AL_RE.fullmatch(part.strip()):
            continue
        person = _person(part)
        if person is None:
            return None
        people.append(person)
    return people or None


def _take(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str] | None, str]:
    """The last match of ``pattern`` at the end of ``text``, and the text without it."""
    match = pattern.search(text)
    if match is None:
        return None, text
    return match, (text[: match.start()] + text[match.end() :]).strip()


def _place_publisher(text: str, ref: Reference) -> str:
    """Take ``Place: Publisher`` (or a known place alone) off the end of ``text``."""
    match = _PLACE_PUBLISHER_RE.search(text)
    if match is not None:
        ref.place = match.group("place").strip()
        ref.publisher = _tidy(match.group("publisher"))
        return text[: match.start()]
    alone = _PLACE_ONLY_RE.search(text)
    if alone is not None and alone.group("place") in PLACES:
        ref.place = alone.group("place")
        return text[: alone.start()]
    return text


def _read_container(container: str, ref: Reference) -> None:
    """``In:`` part: editors and book (chapter), or journal with volume/issue."""
    match, container = _take(_PAGES_RE, container)
    if match is not None:
        ref.pages = _dash(match.group("pages"))
    chapter = _CHAPTER_EDITORS_RE.match(container)
    if chapter is not None:
        editors = _people(chapter.group("names"))
        if editors is not None:
            ref.editors = editors
            ref.kind = "chapter"
            book = _place_publisher(chapter.group("rest"), ref)
            ref.container = _tidy(book)
            return
    ref.kind = "article"
    published, container = _take(_PUBLISHED_ON_RE, container)
    if published is not None:  # an online review: "In: socialnet Rezensionen, veröffentlicht am"
        span = parse_date(published.group("date"))
        if span is not None:
            ref.date = span.start.iso()
    container = _tidy(container)
    volume, container = _take(_VOLUME_RE, container)
    if volume is not None:
        ref.volume = volume.group("v1") or volume.group("v2") or ""
    container = _tidy(container)
    for pattern in (_JOURNAL_ISSUE_RE, _JOURNAL_VOLUME_YEAR_RE, _JOURNAL_HEFT_RE):
        journal = pattern.match(container)
        if journal is not None:
            groups = journal.groupdict()
            ref.container = _strip_quotes(_tidy(journal.group("journal")))
            ref.issue = _dash(groups.get("issue") or "")
            if pattern is _JOURNAL_ISSUE_RE:
                ref.issue = f"{ref.issue}/{groups['year']}"  # the issue as named: 9-10/2023
            if groups.get("volume"):
                ref.volume = groups["volume"]
            return
    rest = _place_publisher(container, ref)
    ref.container = _strip_quotes(_tidy(rest))


def _parse_scholarly(text: str, ref: Reference, tab: str | None) -> bool:
    head = _HEAD_RE.match(text)
    if head is None:
        return False
    names = head.group("names").strip().rstrip(",")
    people = _people(names)
    if people is None:
        return False
    if head.group("editors"):
        ref.editors = people
    else:
        ref.authors = people
    if head.group("year"):
        year = int(head.group("year"))
        if not MIN_CITATION_YEAR <= year <= MAX_CITATION_YEAR:
            return False
        ref.year = year
    if head.group("fyear"):
        ref.forthcoming = True
    rest = head.group("rest")
    if _FORTHCOMING_RE.search(rest):
        ref.forthcoming = True
        rest = _FORTHCOMING_RE.sub("", rest).strip()
    match, rest = _take(_PAGE_COUNT_RE, rest)
    if match is not None:
        ref.page_count = int(match.group("count"))
    parts = _IN_RE.split(rest, maxsplit=1)
    title_part = parts[0]
    if len(parts) == 2:
        _read_container(parts[1], ref)
    else:
        title_part = _place_publisher(title_part, ref)
        issue = _JOURNAL_ISSUE_TITLE_RE.search(title_part)
        if issue is not None:
            ref.container = _strip_quotes(issue.group("journal"))
            ref.issue = f"{_dash(issue.group('issue'))}/{issue.group('year')}"
            tail = title_part[issue.end() :]
            volume = _VOLUME_RE.search(tail)
            if volume is not None:
                ref.volume = volume.group("v1") or volume.group("v2") or ""
            title_part = title_part[: issue.start()]
            ref.kind = "journal_issue"
        elif head.group("editors"):
            ref.kind = "edited_book"
        elif tab == REPORT_TAB or _REPORT_RE.search(title_part):
            ref.kind = "report"
        else:
            ref.kind = "book"
    edition, title_part = _take(_EDITION_RE, title_part)
    if edition is not None:
        ref.edition = edition.group("edition").strip()
    ref.title = _tidy(title_part)
    return bool(ref.title) and (ref.year is not None or ref.forthcoming)


def _headline(text: str) -> tuple[str, str]:
    """A press item's title is its quoted headline; the words around it are the note."""
    match = _HEADLINE_RE.search(text)
    if match is None:
        return _tidy(text), ""
    around = f"{text[: match.start()]} {text[match.end() :]}"
    note = " ".join(around.split()).strip(" –—-:,;")
    return _tidy(match.group("headline")), note


def _date_filling(span: DateSpan, text: str) -> bool:
    """True when the date span is (nearly) all of ``text``."""
    return len(span.text) >= len(text.strip(" .,")) - 4


def _set_press_date(ref: Reference, span: DateSpan) -> None:
    ref.date = span.start.iso()
    ref.year = span.start.year


def _parse_press(text: str, ref: Reference, tab: str | None = None) -> bool:
    match = _PRESS_VEROEFF_RE.match(text)
    if match is not None:
        ref.outlet = _strip_quotes(_tidy(match.group("outlet")))
        head = match.group("head").strip().rstrip(",")
        spans = find_dates(head)
        if spans:
            span = spans[-1]
            _set_press_date(ref, span)
            cut = head.rfind(span.text)
            if cut >= 0 and not head[cut + len(span.text) :].strip(" ,"):
                head = re.sub(r"\s*,?\s*(?:am|vom)?\s*$", "", head[:cut], flags=re.IGNORECASE)
        ref.title, ref.note = _headline(head)
        ref.kind = "press"
        return bool(ref.outlet and ref.date)
    for pattern in (_PRESS_OUTLET_DATE_RE, _PRESS_IN_RE):
        match = pattern.match(text)
        if match is None:
            continue
        span = parse_date(match.group("date"))
        if span is None or not _date_filling(span, match.group("date")):
            continue
        ref.outlet = _strip_quotes(_tidy(match.group("outlet")))
        _set_press_date(ref, span)
        ref.title, ref.note = _headline(match.group("title"))
        ref.kind = "press"
        return bool(ref.outlet)
    return False


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def parse_citation(raw: str, tab: str | None = None) -> Reference:
    """Parse one entry of a publication tab (``tab`` is the tab's name, if known).

    Never raises: an entry that cannot be read comes back with ``parsed=False`` and ``raw``.
    """
    if not isinstance(raw, str):
        return Reference(raw="" if raw is None else str(raw))
    try:
        return _parse(raw, tab)
    except Exception:  # a harvest must not die on one odd entry; the entry is kept raw
        logger.exception("citation parser failed on %r", raw[:200])
        return Reference(raw=raw)


def _parse(raw: str, tab: str | None) -> Reference:
    ref = Reference(raw=raw)
    text = _normalise(raw)
    if not text:
        return ref
    doi, text = _take(_DOI_RE, text)
    if doi is not None:
        ref.doi = doi.group("doi").rstrip(".,;)")
    url, text = _take(_URL_RE, text)
    if url is not None:
        ref.url = url.group("url").rstrip(".,;)")
    text = _ACCESS_RE.sub("", text).strip()
    if tab == PRESS_TAB:
        order = (_parse_press, _parse_scholarly)
    else:
        order = (_parse_scholarly, _parse_press)
    for parser in order:
        attempt = Reference(raw=raw, url=ref.url, doi=ref.doi)
        if parser(text, attempt, tab):
            attempt.parsed = True
            if tab == PRESS_TAB and not attempt.outlet and attempt.container:
                attempt.outlet = attempt.container  # on the press tab the container is the outlet
            return attempt
    return ref


# --------------------------------------------------------------------------------------
# Confidence: is the entry a publication at all?
# --------------------------------------------------------------------------------------

# A list page's frame and teasers around its citations: a project's running time and
# contact, a postal address, a phone number, a "read more" button. None belongs in a citation.
FRAME_MARKS = (
    r"\b(?:Projekt)?Laufzeit\s*:",
    r"\bAnsprechpartner(?:in|\*in|innen)?\s*:",
    r"\bProjektleitung\s*:",
    r"\bMehr\s+lesen\b",
    r"\b(?:Tel|Telefon|Fax)\.?\s*:?\s*\+?\d",
    r"·\s*\d{5}\s+[A-ZÄÖÜ]",  # "· 99084 Erfurt": an address line
)
_FRAME_RE = re.compile("|".join(FRAME_MARKS), re.IGNORECASE)
# Weights of what a citation holds (they sum to 1): who, when, what, and where it appeared.
WEIGHT_PEOPLE = 0.35
WEIGHT_WHEN = 0.3
WEIGHT_TITLE = 0.2
WEIGHT_WHERE = 0.15
CITATION_MIN_CONFIDENCE = 0.85  # people, year and title, at the least
MIN_TITLE_WORDS = 2


def citation_confidence(ref: Reference) -> float:
    """How sure the parser is that ``ref`` is a publication (0 to 1).

    A scholarly entry needs authors or editors, a year (or ``i.E.``) and a title to reach
    :data:`CITATION_MIN_CONFIDENCE`; a press item an outlet, a date and a headline. An entry
    that carries a list page's frame (``Laufzeit:``, ``Ansprechpartner:``, an address) is
    no publication whatever it parses as.
    """
    if not ref.parsed or _FRAME_RE.search(ref.raw or ""):
        return 0.0
    if ref.kind == "press":
        # "Erfurt, 27.05.2022: Die Antragsformulare ..." is a teaser's dateline: a place
        # before the date is no outlet.
        people = bool(ref.outlet) and ref.outlet not in PLACES
        where = bool(ref.note or ref.outlet)
    else:
        people = bool(ref.authors or ref.editors)
        where = bool(ref.container or ref.publisher or ref.place or ref.pages or ref.url)
    when = ref.year is not None or ref.forthcoming or bool(ref.date)
    title = len(ref.title.split()) >= MIN_TITLE_WORDS or (bool(ref.title) and where)
    score = (
        WEIGHT_PEOPLE * people + WEIGHT_WHEN * when + WEIGHT_TITLE * title + WEIGHT_WHERE * where
    )
    return round(score, 2)


def is_citation(raw: str, tab: str | None = None) -> bool:
    """True when ``raw`` parses as a publication with :data:`CITATION_MIN_CONFIDENCE`."""
    return citation_confidence(parse_citation(raw, tab)) >= CITATION_MIN_CONFIDENCE


__all__ = [
    "CITATION_MIN_CONFIDENCE",
    "Person",
    "Reference",
    "citation_confidence",
    "is_citation",
    "parse_citation",
]
