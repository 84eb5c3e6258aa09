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
    """One page of results, the total, a "did you mean" and the facets of all matches."""

    query: str
    total: int
    suggestion: str | None
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    limit: int = 10

    def to_dict(self) -> dict:
        """``{"query", "total", "suggestion", "hits": [...], "facets": {...}}``."""
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {name: [[v, c] for v, c in values] for name, values in self.facets.items()},
        }
