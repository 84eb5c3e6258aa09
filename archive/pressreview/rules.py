"""The press review's rules, pure: sections by record type, what may be copied in full,
which address makes two items the same, names, periods and the limits of what people type.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from archive.pressreview.errors import PressReviewError
from archive.schema import TYPE_NAMES


@dataclass(frozen=True)
class SectionRule:
    """A default section (Rubrik): its key, its German title and the types it gathers."""

    key: str
    title: str
    types: tuple[str, ...]


# In the order a review lists them; every record type has one.
SECTIONS: tuple[SectionRule, ...] = (
    SectionRule("eigene", "Eigene Meldungen", ("news", "press_release")),
    SectionRule("presse", "Presse über das IKPE", ("press_coverage",)),
    SectionRule("termine", "Termine", ("event",)),
    SectionRule("publikationen", "Publikationen", ("publication",)),
    SectionRule("seiten", "Weitere Seiten", ("page",)),
)
SECTION_BY_KEY = {rule.key: rule for rule in SECTIONS}
# A new saved review starts with these sections; others appear when an item needs them.
STARTING_SECTIONS = ("eigene", "presse", "termine")
# What a review built from a period gathers when no type is asked for.
DEFAULT_TYPES = ("news", "press_release", "press_coverage", "event")
# The institute's own texts may be copied in full; nothing else may.
FULL_TEXT_TYPES = ("news", "press_release")
# Texts of other authors: listed as a reference only, and the document is for internal use.
THIRD_PARTY_TYPES = ("press_coverage",)

# What people type, at most (characters); longer input is refused, not cut.
MAX_TITLE = 300
MAX_SUMMARY = 3000
MAX_COMMENT = 3000
MAX_INTRO = 20000
MAX_SECTION_TITLE = 120
# A review built from a period or a search holds at most this many items: more is a
# query that was meant to be narrower.
MAX_ITEMS = 500

NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# C0 and C1 controls (tab and newline stay), the characters that turn text around or hide
# it (bidi overrides and isolates, zero-width joiners at word level), and non-characters:
# none of them belongs in a document, and XML (DOCX) refuses most of them.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)


def section_key_for(record_type: str) -> str:
    """The default section of a record type (unknown types go with the pages)."""
    for rule in SECTIONS:
        if record_type in rule.types:
            return rule.key
    return SECTIONS[-1].key


def may_include_full_text(record_type: str) -> bool:
    """True for the institute's own news and press releases, the only texts copied in full."""
    return record_type in FULL_TEXT_TYPES


def is_third_party(record_type: str) -> bool:
    """True for texts of other authors (press coverage): a reference only, never the text."""
    return record_type in THIRD_PARTY_TYPES


def type_label(record_type: str) -> str:
    """The German name of a record type."""
    return TYPE_NAMES.get(record_type, record_type)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address a reader may follow (``www.`` without a
    scheme gets ``https://``); None for anything else (``javascript:``, ``file:``, text)."""
    candidate = clean_text(url or "").strip()
    if candidate.lower().startswith("www."):
        candidate = f"https://{candidate}"
    if any(char.isspace() for char in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


def item_url(record: dict) -> str:
    """The address an item stands for: a post's own page; for press coverage and
    publications the link in the citation, or '' when the citation has none (their record
    URL is the site's list page, shared by every citation on it)."""
    if record.get("reference"):
        return web_url((record["reference"] or {}).get("url")) or ""
    return record.get("url") or ""


def url_key(url: str) -> str:
    """What two addresses of the same page share: no scheme, no ``www.``, no fragment, no
    trailing slash, host in lower case (the site links ``www.`` and bare hosts alike)."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"


def clean_text(value: str) -> str:
    """``value`` without the characters no document may hold (controls, bidi overrides,
    lone surrogates); line ends as ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("", value)


def checked_text(value: str | None, field: str, limit: int, *, required: bool = False) -> str:
    """``value`` cleaned and stripped; ``PressReviewError`` when it is longer than ``limit``
    (or empty while ``required``)."""
    text = clean_text(value or "").strip()
    if required and not text:
        raise PressReviewError(f"{field}: bitte einen Text angeben.")
    if len(text) > limit:
        raise PressReviewError(f"{field}: höchstens {limit} Zeichen (angegeben: {len(text)}).")
    return text


def check_name(name: str) -> str:
    """A saved review's name: lower-case letters, digits and hyphens, up to 80 characters."""
    if not NAME.match(name or ""):
        raise PressReviewError(
            f"„{clean_text(name or '')[:80]}“ taugt nicht als Name: erlaubt sind Kleinbuchstaben, "
            "Ziffern und Bindestriche (bis 80 Zeichen), etwa „pressespiegel-2026-03“."
        )
    return name


def suggest_name(title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A free name made from ``title`` (``Pressespiegel März 2026`` ->
    ``pressespiegel-maerz-2026``), numbered when it is taken."""
    ascii_title = (
        unicodedata.normalize("NFKD", clean_text(title).lower().translate(_UMLAUTS))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    base = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")[:70].strip("-") or "pressespiegel"
    name, number = base, 2
    while name in taken:
        name = f"{base}-{number}"
        number += 1
    return name


def check_period(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """A period of partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD), either end open (None or
    '', as a web form sends it); the start not after the end."""
    for label, value in (("Beginn", date_from), ("Ende", date_to)):
        if value and not PARTIAL_DATE.match(value):
            raise PressReviewError(
                f"{label} des Zeitraums: „{clean_text(value)[:40]}“ ist kein Datum "
                "(JJJJ, JJJJ-MM oder JJJJ-MM-TT)."
            )
    if date_from and date_to and date_from[: len(date_to)] > date_to:
        raise PressReviewError(f"Der Zeitraum beginnt ({date_from}) nach seinem Ende ({date_to}).")
    return date_from or None, date_to or None
