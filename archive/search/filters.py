"""The filters beside a query: type, dates, year, place, person, category.

Validated here (:class:`archive.search.query.QueryError` for what makes no sense); the
facet filters take several values, ORed within a facet, and facets are ANDed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from whoosh import query

from archive.schema import RECORD_TYPES
from archive.search.documents import date_range, day_number
from archive.search.query import QueryError

# Years a filter may name: what a record date can hold (``YYYY``); larger ints overflow the
# index's integer arrays.
MIN_YEAR, MAX_YEAR = 1, 9999
_UNENCODABLE = re.compile(r"[\ud800-\udfff]")  # lone surrogates: Whoosh cannot encode them

# Filters that select values of a facet: the facet's name -> the attribute of Filters.
FACET_FILTERS = {
    "type": "record_type",
    "year": "year",
    "place": "place",
    "person": "person",
    "category": "category",
}
# The index field each facet filter looks up (years are a numeric column).
FACET_FILTER_FIELDS = {
    "type": "type",
    "place": "place_facet",
    "person": "person_facet",
    "category": "category",
}

Selection = str | int | tuple[str | int, ...] | None


def _selection(value) -> Selection:
    """A facet filter as given (a value or several), empties dropped: None, the single value
    as it came (backward compatible), or a tuple of distinct values in their order."""
    if value is None or isinstance(value, str | int):
        return None if value == "" else _encodable(value)
    values = tuple(dict.fromkeys(_encodable(v) for v in value if v is not None and v != ""))
    return values or None


def _encodable(value):
    """A filter value Whoosh can encode (lone surrogates replaced), else as it is."""
    return _UNENCODABLE.sub("\ufffd", value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Filters:
    """Restrictions on the records a search may return.

    Every filter is optional and the filters are ANDed. The facet filters (``record_type``,
    ``year``, ``place``, ``person``, ``category``) take one value or several (a list or
    tuple): several values of one facet are ORed. Lists are kept as tuples, so a
    ``Filters`` stays hashable (the views cache documents per combination).
    """

    record_type: Selection = None
    date_from: str | None = None
    date_to: str | None = None
    year: Selection = None
    place: Selection = None
    person: Selection = None
    category: Selection = None

    def __post_init__(self) -> None:
        for attribute in FACET_FILTERS.values():
            object.__setattr__(self, attribute, _selection(getattr(self, attribute)))

    def values(self, facet: str) -> tuple[str, ...]:
        """The values selected for ``facet`` (``type``, ``year``, ...), as strings."""
        selected = getattr(self, FACET_FILTERS[facet])
        if selected is None:
            return ()
        if isinstance(selected, tuple):
            return tuple(str(value) for value in selected)
        return (str(selected),)

    def selected_facets(self) -> tuple[str, ...]:
        """The facets with a selection."""
        return tuple(facet for facet in FACET_FILTERS if self.values(facet))

    def without(self, *facets: str) -> Filters:
        """These filters with the selections of ``facets`` dropped (for disjunctive facet
        counts: a facet is counted under every filter but its own)."""
        return replace(self, **{FACET_FILTERS[facet]: None for facet in facets})

    def validate(self) -> Filters:
        """Self, if every filter makes sense; else :class:`QueryError`."""
        for record_type in self.values("type"):
            if record_type not in RECORD_TYPES:
                raise QueryError(
                    f"unknown record type {record_type!r} (one of {', '.join(RECORD_TYPES)})"
                )
        start = self._bound(self.date_from, "from")
        end = self._bound(self.date_to, "to")
        if start is not None and end is not None and start > end:
            raise QueryError(f"--from {self.date_from} is after --to {self.date_to}")
        for year in self.values("year"):
            try:
                number = int(year)
            except (TypeError, ValueError):
                raise QueryError(f"not a year: {year!r}") from None
            if not MIN_YEAR <= number <= MAX_YEAR:
                raise QueryError(f"not a year: {year!r} (from {MIN_YEAR} to {MAX_YEAR})")
        return self

    @staticmethod
    def _bound(value: str | None, which: str) -> int | None:
        if value is None or value == "":
            return None
        try:
            first, last = date_range(str(value))
        except ValueError as error:
            raise QueryError(f"--{which}: {error}") from None
        return day_number(first if which == "from" else last)

    def day_bounds(self) -> tuple[int | None, int | None]:
        """The first and last day (``YYYYMMDD``) of the date range; None where open."""
        return self._bound(self.date_from, "from"), self._bound(self.date_to, "to")

    def to_query(self) -> query.Query | None:
        """The Whoosh query that selects the allowed records, or None for all."""
        parts: list[query.Query] = []
        start = self._bound(self.date_from, "from")
        if start is not None:
            # Overlap rule: the record's range must end on or after the filter's start.
            parts.append(query.NumericRange("date_end", start, None))
        end = self._bound(self.date_to, "to")
        if end is not None:
            parts.append(query.NumericRange("date_start", None, end))
        for facet in FACET_FILTERS:
            values = self.values(facet)
            if not values:
                continue
            if facet == "year":
                alternatives = [query.NumericRange("year", int(y), int(y)) for y in values]
            else:
                alternatives = [query.Term(FACET_FILTER_FIELDS[facet], v) for v in values]
            parts.append(alternatives[0] if len(alternatives) == 1 else query.Or(alternatives))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else query.And(parts)
