"""The search parameters of the web app, read and checked in one place.

The search page, the JSON API, the Atom feed and the export downloads take the same
parameters, so a search can move between them by changing the path alone:

``q`` (the query, at most :data:`MAX_QUERY_LENGTH` characters), ``type``, ``year``,
``place``, ``person``, ``category`` (each repeatable: several values of one facet are
ORed), ``from`` and ``to`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), ``sort``
(``relevance``, ``date``, ``-date``), ``page`` and ``per_page``.

:func:`parse_search_args` turns a request's query string into :class:`SearchParams` or
raises :class:`BadParams`, whose message names the parameter in German and English.
Parameters it does not know are left alone (the export takes ``id`` and ``all`` too).
No Whoosh here: the checks are plain Python, so the search package loads only when a
search runs.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from archive.schema import RECORD_TYPES

MAX_QUERY_LENGTH = 1000
MAX_VALUE_LENGTH = 200  # one place, person or category
MAX_VALUES = 20  # values of one facet
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
SORTS = ("relevance", "date", "-date")
FACETS = ("type", "year", "place", "person", "category")
YEAR_RANGE = (1000, 9999)
PARTIAL_DATE = re.compile(
    r"(?P<year>[1-9][0-9]{3})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?"
)
# Characters no query needs and no index holds: C0 controls but tab and newline, DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class BadParams(ValueError):
    """A search parameter that cannot be used; the message is German, then English."""

    def __init__(self, param: str, german: str, english: str) -> None:
        self.param = param
        self.german = german
        self.english = english
        super().__init__(f"{german} / {english}")


@dataclass(frozen=True)
class SearchParams:
    """One search as the URL asks for it (every value checked)."""

    q: str = ""
    types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    places: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def search_options(self, **overrides) -> dict:
        """Keyword arguments for ``Archive.search`` (``overrides`` win, e.g. ``limit``)."""
        options = {
            "record_type": list(self.types) or None,
            "year": list(self.years) or None,
            "place": list(self.places) or None,
            "person": list(self.persons) or None,
            "category": list(self.categories) or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "sort": self.sort,
            "limit": self.per_page,
            "page": self.page,
        }
        options.update(overrides)
        return options

    def query_args(self, *, paging: bool = True) -> list[tuple[str, str]]:
        """The parameters as ``(name, value)`` pairs for a URL, defaults left out, in a
        fixed order (so equal searches have equal URLs); ``paging=False`` leaves out
        ``page`` and ``per_page``."""
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name, values in (
            ("type", self.types),
            ("year", self.years),
            ("place", self.places),
            ("person", self.persons),
            ("category", self.categories),
        ):
            pairs += [(name, str(value)) for value in values]
        if self.date_from:
            pairs.append(("from", self.date_from))
        if self.date_to:
            pairs.append(("to", self.date_to))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if paging and self.page != 1:
            pairs.append(("page", str(self.page)))
        if paging and self.per_page != DEFAULT_PER_PAGE:
            pairs.append(("per_page", str(self.per_page)))
        return pairs

    def at_page(self, page: int) -> SearchParams:
        """The same search at another page."""
        return replace(self, page=page)

    def is_filtered(self) -> bool:
        """True when anything narrows the records (a query, a facet or a date)."""
        return bool(
            self.q or self.types or self.years or self.places or self.persons
            or self.categories or self.date_from or self.date_to
        )  # fmt: skip


def parse_search_args(args: Mapping, *, default_per_page: int = DEFAULT_PER_PAGE) -> SearchParams:
    """The search a query string asks for; :class:`BadParams` naming the first parameter
    that makes no sense. ``args`` is a werkzeug ``MultiDict`` (``request.args``) or any
    mapping of names to a value or a list of values. An empty ``q``, ``from``, ``to``,
    ``place``, ``person`` or ``category`` (a form's empty text field) counts as not given;
    an empty value of the others is refused."""
    q = _one(args, "q", blank_ok=True) or ""
    if len(q) > MAX_QUERY_LENGTH:
        raise BadParams(
            "q",
            f"Die Suchanfrage „q“ ist zu lang (höchstens {MAX_QUERY_LENGTH} Zeichen).",
            f"The query 'q' is too long (at most {MAX_QUERY_LENGTH} characters).",
        )
    q = _CONTROL.sub(" ", q).strip()
    types = tuple(_check_type(value) for value in _many(args, "type"))
    years = tuple(_check_year(value) for value in _many(args, "year"))
    places, persons, categories = (
        tuple(dict.fromkeys(
            text
            for value in _many(args, name, blank_ok=True)
            if (text := _check_text(name, value))
        ))
        for name in ("place", "person", "category")
    )  # fmt: skip
    date_from = _check_date(args, "from")
    date_to = _check_date(args, "to")
    if date_from and date_to and _day_range(date_from)[0] > _day_range(date_to)[1]:
        raise BadParams(
            "from",
            f"„from“ ({date_from}) liegt nach „to“ ({date_to}).",
            f"'from' ({date_from}) is after 'to' ({date_to}).",
        )
    sort = _one(args, "sort") or "relevance"
    if sort not in SORTS:
        raise BadParams(
            "sort",
            f"Unbekannte Sortierung „sort“ (erlaubt: {', '.join(SORTS)}).",
            f"Unknown 'sort' (one of {', '.join(SORTS)}).",
        )
    return SearchParams(
        q=q,
        types=types,
        years=years,
        places=places,
        persons=persons,
        categories=categories,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_check_int(args, "page", 1, MAX_PAGE, 1),
        per_page=_check_int(args, "per_page", 1, MAX_PER_PAGE, default_per_page),
    )


# --------------------------------------------------------------------------------------
# Reading values
# --------------------------------------------------------------------------------------


def _values(args: Mapping, name: str) -> list[str]:
    """Every value given for ``name``, empty ones too."""
    if hasattr(args, "getlist"):
        values = args.getlist(name)
    else:
        value = args.get(name)
        values = [] if value is None else value if isinstance(value, list | tuple) else [value]
    return [str(value) for value in values]


def _refuse_blank(name: str) -> BadParams:
    return BadParams(
        name,
        f"Der Parameter „{name}“ ist leer.",
        f"The parameter '{name}' is empty.",
    )


def _one(args: Mapping, name: str, *, blank_ok: bool = False) -> str | None:
    """The one value of ``name``, or None. An empty value is no value where a form's text
    field may send it (``blank_ok``), else a mistake."""
    values = _values(args, name)
    if len(values) > 1:
        raise BadParams(
            name,
            f"Der Parameter „{name}“ darf nur einmal angegeben werden.",
            f"The parameter '{name}' may be given only once.",
        )
    if values == [""]:
        if blank_ok:
            return None
        raise _refuse_blank(name)
    return values[0] if values else None


def _many(args: Mapping, name: str, *, blank_ok: bool = False) -> list[str]:
    """The values of a repeatable parameter, each once, in their order."""
    values = _values(args, name)
    if len(values) > MAX_VALUES:
        raise BadParams(
            name,
            f"Zu viele Werte für „{name}“ (höchstens {MAX_VALUES}).",
            f"Too many values for '{name}' (at most {MAX_VALUES}).",
        )
    if "" in values and not blank_ok:
        raise _refuse_blank(name)
    return list(dict.fromkeys(value for value in values if value != ""))


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------


def _check_type(value: str) -> str:
    if value not in RECORD_TYPES:
        raise BadParams(
            "type",
            f"Unbekannter Typ „type“ (erlaubt: {', '.join(RECORD_TYPES)}).",
            f"Unknown 'type' (one of {', '.join(RECORD_TYPES)}).",
        )
    return value


def _check_year(value: str) -> int:
    low, high = YEAR_RANGE
    # Four digits before int(): "10**20" digits or "١٢٣٤" are no years of this archive.
    if not re.fullmatch(r"[0-9]{4}", value) or not low <= int(value) <= high:
        raise BadParams(
            "year",
            "„year“ muss eine Jahreszahl mit vier Ziffern sein.",
            "'year' must be a year of four digits.",
        )
    return int(value)


def _check_text(name: str, value: str) -> str:
    if len(value) > MAX_VALUE_LENGTH or _CONTROL.search(value):
        raise BadParams(
            name,
            f"Der Wert von „{name}“ ist zu lang oder enthält Steuerzeichen.",
            f"The value of '{name}' is too long or holds control characters.",
        )
    return value.strip()  # "" for blanks: no value


def _check_int(args: Mapping, name: str, low: int, high: int, default: int) -> int:
    value = _one(args, name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", value) or not low <= int(value) <= high:
        raise BadParams(
            name,
            f"„{name}“ muss eine ganze Zahl von {low} bis {high} sein.",
            f"'{name}' must be a whole number from {low} to {high}.",
        )
    return int(value)


def _check_date(args: Mapping, name: str) -> str | None:
    value = _one(args, name, blank_ok=True)
    if value is None:
        return None
    try:
        _day_range(value)
    except ValueError:
        raise BadParams(
            name,
            f"„{name}“ ist kein Datum (JJJJ, JJJJ-MM oder JJJJ-MM-TT).",
            f"'{name}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD).",
        ) from None
    return value


def _day_range(value: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The first and last day (as ``(y, m, d)``) a partial date stands for; ValueError if
    it is no date (the search index reads dates the same way)."""
    match = PARTIAL_DATE.fullmatch(value)
    if not match:
        raise ValueError(value)
    year = int(match["year"])
    if not match["month"]:
        return (year, 1, 1), (year, 12, 31)
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise ValueError(value)
    last = calendar.monthrange(year, month)[1]
    if not match["day"]:
        return (year, month, 1), (year, month, last)
    day = int(match["day"])
    if not 1 <= day <= last:
        raise ValueError(value)
    return (year, month, day), (year, month, day)
