"""German words for the archive's values, and the Jinja filters that format them.

Pure functions (no Flask), so the rules are tested on their own: record types and
citation kinds by name, dates by precision (``2023`` stays a year, ``2023-03`` is a month),
UTC timestamps in Erfurt's time, numbers with the German thousands separator.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

INSTITUTE = "Institut für kommunale Planung und Entwicklung (IKPE)"
SITE_NAME = "IKPE-Archiv"
BERLIN = ZoneInfo("Europe/Berlin")

TYPE_LABELS = {
    "news": "Meldung",
    "press_release": "Pressemitteilung",
    "event": "Termin",
    "publication": "Publikation",
    "press_coverage": "Presse über das IKPE",
    "page": "Seite",
}
TYPE_LABELS_PLURAL = {
    "news": "Meldungen",
    "press_release": "Pressemitteilungen",
    "event": "Termine",
    "publication": "Publikationen",
    "press_coverage": "Presse über das IKPE",
    "page": "Seiten",
}
KIND_LABELS = {
    "book": "Monografien",
    "edited_book": "Herausgeberbände",
    "journal_issue": "Zeitschriftenhefte",
    "chapter": "Beiträge in Sammelbänden",
    "article": "Zeitschriftenartikel",
    "report": "Berichte",
    "press": "Presseberichte",
}
FACET_LABELS = {
    "type": "Typ",
    "year": "Jahr",
    "place": "Ort",
    "person": "Person",
    "category": "Kategorie",
}
SORT_LABELS = {"relevance": "Relevanz", "-date": "Neueste zuerst", "date": "Älteste zuerst"}
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def type_label(record_type: str, plural: bool = False) -> str:
    """The German name of a record type (the value itself if unknown)."""
    return (TYPE_LABELS_PLURAL if plural else TYPE_LABELS).get(record_type, record_type)


def kind_label(kind: str | None) -> str:
    """The German heading for a citation kind."""
    return KIND_LABELS.get(kind or "", "Sonstige")


def facet_value_label(facet: str, value: str) -> str:
    """How a facet value reads (types by their German name, others as they are)."""
    return type_label(value) if facet == "type" else value


def german_date(value: str | None) -> str:
    """``2023-03-05`` -> ``05.03.2023``, ``2023-03`` -> ``März 2023``, ``2023`` -> ``2023``."""
    if not value:
        return ""
    match = _PARTIAL_DATE.match(value)
    if not match:
        return value
    year, month, day = match.groups()
    if day:
        return f"{day}.{month}.{year}"
    if month and 1 <= int(month) <= 12:
        return f"{MONTHS[int(month) - 1]} {year}"
    return year


def german_datetime(value: str | None) -> str:
    """An ISO timestamp (UTC or with offset) in Erfurt's time: ``05.03.2023, 14:07 Uhr``."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(BERLIN)
    return moment.strftime("%d.%m.%Y, %H:%M Uhr")


def german_number(value: int) -> str:
    """``12345`` -> ``12.345``."""
    return f"{value:,}".replace(",", ".")


def file_size(size: int | None) -> str:
    """A byte count as people read it: ``532 KB``, ``1,2 MB``."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} Bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def paragraphs(text: str | None) -> list[str]:
    """A record's clean text split into its paragraphs (blank lines between them)."""
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def citation_date(value: str | None) -> str:
    """A partial ISO date as Google Scholar wants it: ``2023/03/05``, ``2023/03``, ``2023``."""
    return (value or "").replace("-", "/")


FILTERS = {
    "type_label": type_label,
    "kind_label": kind_label,
    "german_date": german_date,
    "german_datetime": german_datetime,
    "german_number": german_number,
    "file_size": file_size,
    "paragraphs": paragraphs,
}
