"""The search page's state, read from and written back to its GET parameters.

The URL holds the whole state of a search, so a search can be bookmarked and shared:

=============  ====================================================================
``q``          the query (the index's query language), at most 1000 characters
``type``       record types, repeatable (``news``, ``press_release``, ...)
``year``       years, repeatable
``place``      places, repeatable
``person``     people, repeatable
``category``   categories, repeatable
``from``       start of the date range (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)
``to``         end of the date range (same forms)
``sort``       ``relevance`` (default), ``date`` (oldest first), ``-date`` (newest first)
``page``       page number, from 1
``per_page``   hits per page: 10 (default), 20 or 50 (the API's name and
               default: 20)
=============  ====================================================================

Several values of one facet are ORed, facets are ANDed. A malformed value raises
:class:`InvalidParameter` with a German message (the page answers 400 with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from search_app.web.params import BadParams, parse_search_args

PER_PAGE_CHOICES = (10, 20, 50)
SORTS = ("relevance", "-date", "date")
FACETS = ("type", "year", "place", "person", "category")
# The search options of ``Archive.search`` each facet parameter feeds.
FACET_OPTIONS = {
    "type": "record_type",
    "year": "year",
    "place": "place",
    "person": "person",
    "category": "category",
}

# The page's names of its fields, for error messages that speak of "from" and the like.
FIELD_LABELS = {
    "q": "Suchbegriffe",
    "from": "Von",
    "to": "Bis",
    "sort": "Sortierung",
    "page": "Seite",
    "per_page": "Treffer pro Seite",
    "type": "Typ",
    "year": "Jahr",
    "place": "Ort",
    "person": "Person",
    "category": "Kategorie",
}


class InvalidParameter(ValueError):
    """A search parameter that makes no sense; the message is German, for the page."""


@dataclass(frozen=True)
class SearchParams:
    """One search's state: what the URL says, validated."""

    q: str = ""
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: str = ""
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE_CHOICES[0]

    def selected(self, facet: str) -> tuple[str, ...]:
        """The values selected for ``facet``."""
        return self.facets.get(facet, ())

    def has_filters(self) -> bool:
        """True when a facet value or a date bound is chosen."""
        return any(self.facets.values()) or bool(self.date_from or self.date_to)

    def search_options(self) -> dict:
        """Keyword arguments for ``Archive.search`` (page and limit included)."""
        options: dict = {
            option: list(self.selected(facet))
            for facet, option in FACET_OPTIONS.items()
            if self.selected(facet)
        }
        if self.date_from:
            options["date_from"] = self.date_from
        if self.date_to:
            options["date_to"] = self.date_to
        options.update(sort=self.sort, page=self.page, limit=self.per_page)
        return options

    def to_args(self, *, paging: bool = True) -> dict[str, str | list[str]]:
        """The GET parameters that give this state back (defaults left out, so URLs stay
        short); ``paging=False`` leaves out page and per_page (a whole result list)."""
        args: dict[str, str | list[str]] = {}
        if self.q:
            args["q"] = self.q
        for facet in FACETS:
            if self.selected(facet):
                args[facet] = list(self.selected(facet))
        if self.date_from:
            args["from"] = self.date_from
        if self.date_to:
            args["to"] = self.date_to
        if self.sort != "relevance":
            args["sort"] = self.sort
        if paging:
            if self.page != 1:
                args["page"] = str(self.page)
            if self.per_page != PER_PAGE_CHOICES[0]:
                args["per_page"] = str(self.per_page)
        return args

    def twin_args(self, *, paging: bool = True) -> dict[str, str | list[str]]:
        """The parameters for the twins of this result list (JSON API, feed, exports),
        which name the page size ``per_page`` and default to another size: it is given
        always, so the JSON twin holds the same hits as the page."""
        args = self.to_args(paging=False)
        if paging:
            if self.page != 1:
                args["page"] = str(self.page)
            args["per_page"] = str(self.per_page)
        return args

    def with_page(self, page: int) -> SearchParams:
        """The same search on another page."""
        return replace(self, page=page)

    def toggled(self, facet: str, value: str) -> SearchParams:
        """The search with ``value`` of ``facet`` added, or removed if it was selected; back
        on the first page (the result list changes)."""
        current = self.selected(facet)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return replace(self, facets={**self.facets, facet: values}, page=1)

    def without_dates(self) -> SearchParams:
        """The search without its date range."""
        return replace(self, date_from="", date_to="", page=1)

    def cleared(self) -> SearchParams:
        """The query alone: no facet values, no dates, first page."""
        return replace(self, facets={}, date_from="", date_to="", page=1)


def parse(args) -> SearchParams:
    """The state of a search from GET parameters (a Werkzeug ``MultiDict``); unknown
    parameters are ignored. The checks are those of the API and the exports
    (``search_app.web.params``), so a search the page takes, its twins take too; the page
    adds its own choices of hits per page."""
    try:
        checked = parse_search_args(args, default_per_page=PER_PAGE_CHOICES[0])
    except BadParams as error:
        field = FIELD_LABELS.get(error.param)
        raise InvalidParameter(f"{field}: {error.german}" if field else error.german) from None
    if checked.per_page not in PER_PAGE_CHOICES:
        raise InvalidParameter(
            f"{checked.per_page} Treffer pro Seite gibt es nicht (möglich: "
            f"{', '.join(map(str, PER_PAGE_CHOICES))})."
        )
    facets = {
        "type": checked.types,
        "year": tuple(str(year) for year in checked.years),
        "place": checked.places,
        "person": checked.persons,
        "category": checked.categories,
    }
    return SearchParams(
        q=checked.q,
        facets={facet: values for facet, values in facets.items() if values},
        date_from=checked.date_from or "",
        date_to=checked.date_to or "",
        sort=checked.sort,
        page=checked.page,
        per_page=checked.per_page,
    )
