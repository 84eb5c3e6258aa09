"""What every export format shares: the kinds of records, titles, dates and people."""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive.cleaning import normalise_inline
from archive.schema import ENTRY_TYPES

FORMATS = ("jsonl", "csv", "bibtex", "ris", "csljson")
CSV_COLUMNS = (
    "id",
    "type",
    "date",
    "title",
    "url",
    "summary",
    "people",
    "places",
    "categories",
    "published",
    "topic",
)
LIST_SEPARATOR = "; "
INSTITUTE = "Institut für kommunale Planung und Entwicklung (IKPE)"
INSTITUTE_PLACE = "Erfurt"
SITE_NAME = "IKPE Erfurt – Website"
LANGUAGE = "de"
BIBLATEX_LANGID = "ngerman"


@dataclass(frozen=True)
class Kind:
    """How one kind of record is cited: its CSL, RIS and biblatex types and the German
    name of its genre (RIS ``M3``, CSL ``genre``, biblatex ``note`` of web pages)."""

    csl: str
    ris: str
    biblatex: str
    genre: str


# Posts and pages (records without a citation), by record type.
RECORD_KINDS = {
    "news": Kind("post-weblog", "ELEC", "online", "Meldung"),
    "press_release": Kind("report", "ELEC", "online", "Pressemitteilung"),
    "event": Kind("event", "ELEC", "online", "Termin"),
    "page": Kind("webpage", "ELEC", "online", "Webseite"),
    "press_coverage": Kind("article-newspaper", "NEWS", "article", "Pressebericht"),
}
# Citations, by the form archive.citations read them as (``reference.kind``).
REFERENCE_KINDS = {
    "book": Kind("book", "BOOK", "book", "Monografie"),
    "edited_book": Kind("book", "EDBOOK", "collection", "Sammelband"),
    "journal_issue": Kind("periodical", "JFULL", "periodical", "Zeitschriftenheft"),
    "chapter": Kind("chapter", "CHAP", "incollection", "Buchbeitrag"),
    "article": Kind("article-journal", "JOUR", "article", "Zeitschriftenartikel"),
    "report": Kind("report", "RPRT", "report", "Bericht"),
    "press": Kind("article-newspaper", "NEWS", "article", "Pressebericht"),
}
# A publication whose citation could not be read: a generic entry with its raw text.
UNREAD_PUBLICATION = Kind("book", "GEN", "misc", "Publikation")
WEB_PAGE = RECORD_KINDS["page"]


def kind_of(record: dict) -> Kind:
    """How ``record`` is cited."""
    reference = record.get("reference") or {}
    if reference.get("kind") in REFERENCE_KINDS:
        return REFERENCE_KINDS[reference["kind"]]
    if record["type"] == "publication":
        return UNREAD_PUBLICATION
    return RECORD_KINDS.get(record["type"], WEB_PAGE)


def is_post(record: dict) -> bool:
    """True for the site's own posts and pages (not citations), whose author is the
    institute."""
    return record.get("type") in ENTRY_TYPES and not record.get("reference")


# --------------------------------------------------------------------------------------
# What every format shares: title, dates, people
# --------------------------------------------------------------------------------------


def one_line(value) -> str:
    """``value`` as text on one line, runs of whitespace (newlines too) as one space, and
    without control, escape or invisible characters (records stored before extraction
    removed them may still hold some; a reference manager shows them raw)."""
    return normalise_inline(str(value))


def title_of(record: dict) -> str:
    """The title to cite: the citation's, else the one that stands on its own."""
    reference = record.get("reference") or {}
    return one_line(reference.get("title") or record.get("display_title") or record["title"])


def issued(record: dict) -> str | None:
    """The date a record was published (partial ISO date): a post's posting date (an
    event notice's ``date`` is the event's), else its ``date``."""
    if is_post(record) and record.get("published"):
        return record["published"]
    return record.get("date") or None


def accessed(record: dict) -> str | None:
    """The day the record's page was fetched (``YYYY-MM-DD``, UTC), the citation's access
    date."""
    fetched = ((record.get("source") or {}).get("fetched_at") or "")[:10]
    return fetched if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fetched) else None


def _date_parts(value: str) -> list[int]:
    return [int(part) for part in value.split("-") if part.isdigit()]


def _people(record: dict, role: str) -> list[dict]:
    reference = record.get("reference") or {}
    return [p for p in reference.get(role, []) if p.get("family") or p.get("given")]


def _url(record: dict) -> str:
    """Where the cited item is: a citation's own link if it has one, else the record's."""
    reference = record.get("reference") or {}
    linked = reference.get("url") or ""
    return linked if re.match(r"https?://", linked) else record["url"]
