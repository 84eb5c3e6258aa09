"""What :class:`archive.search.SearchIndex` hands back: hits, a page of results, and the
errors it raises.

Plain values with no Whoosh in them. They sit in a module of their own, below every other
module of the package, so that the index directory (``generations``), the query run
(``searching``) and the front (``index``) can all return and raise them without importing
one another.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class SearchIndexError(RuntimeError):
    """The index cannot do what was asked (missing, busy, or from an older version)."""


class IndexMissingError(SearchIndexError):
    """There is no index yet: run ``ikpe-archive index``."""


class IndexBusyError(SearchIndexError):
    """Another process has been writing the index for too long."""


class IndexDamagedError(SearchIndexError):
    """The index's files cannot be read (truncated, overwritten, replaced): ``ikpe-archive
    index`` builds a new one from the store, which the index only mirrors."""


class IndexOutdatedError(IndexDamagedError):
    """The index was built by another version of the archive (another schema or analysis):
    like a damaged one, ``ikpe-archive index`` builds a new one from the store."""


@dataclass(frozen=True)
class UnderstoodDate:
    """A date a query named, taken as a preference (``archive.search.query``): the words
    (``März 2024``) and the partial ISO date they mean (``2024-03``), which a user
    interface may offer as a filter (``date_from`` = ``date_to`` = ``date``, or the year
    facet)."""

    text: str
    date: str

    def to_dict(self) -> dict:
        """``{"text": "März 2024", "date": "2024-03"}``."""
        return {"text": self.text, "date": self.date}


@dataclass(frozen=True)
class Hit:
    """One search hit. ``snippet`` is HTML (escaped text and ``<mark>``); ``score`` is None
    when results are sorted by date."""

    id: str
    url: str
    type: str
    date: str
    title: str
    score: float | None
    snippet: str

    def to_dict(self) -> dict:
        """The hit as JSON-ready data."""
        return {
            "id": self.id,
            "url": self.url,
            "type": self.type,
            "date": self.date,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class SearchResult:
    """One page of results, the total, a "did you mean", the facets of all matches, and
    the dates the query was understood to prefer (``understood_dates``, empty for most)."""

    query: str
    total: int
    suggestion: str | None
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    limit: int = 10
    understood_dates: tuple[UnderstoodDate, ...] = ()

    def to_dict(self) -> dict:
        """``{"query", "total", "suggestion", "hits": [...], "facets": {...}}``, and
        ``"understood_dates": [{"text", "date"}, ...]`` when the query named dates."""
        data = {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {name: [[v, c] for v, c in values] for name, values in self.facets.items()},
        }
        if self.understood_dates:
            data["understood_dates"] = [when.to_dict() for when in self.understood_dates]
        return data
