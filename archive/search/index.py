"""The search index: :class:`SearchIndex`, a small front over a Whoosh index under the data
directory, kept in generations.

The work is done by the modules beside this one:

- ``generations``: the on-disk generations, the writer lock, building a new generation and
  swapping it in atomically (``rebuild``), changing the live one in place (``update``);
- ``views``: one open searcher of one generation and the caches derived from it;
- ``searching``: running a query (filters, one scoring pass, sorting by date, hits with
  snippets, facets) and finding similar records;
- ``suggestions``: "did you mean" for queries with few hits;
- ``results``: the hits, result pages and errors handed back.

This module keeps what ties them together: which generation is live and the one searcher
kept open on it. Readers never take a lock; writers (``rebuild``, ``update``) take the
writer lock so two nightly jobs cannot interleave. One searcher per generation is kept
open and refreshed when a writer commits.

Nothing outside ``archive.search`` imports Whoosh, so the engine can be swapped behind
:class:`SearchIndex`.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from whoosh import index
from whoosh.index import EmptyIndexError

from archive.search import searching
from archive.search.filters import Filters
from archive.search.generations import (
    CURRENT_FILE,
    FORMAT_VERSION,
    GENERATION_PREFIX,
    META_FILE,
    PARALLEL_BUILD_MIN_RECORDS,
    Generations,
)
from archive.search.query import SORTS, QueryError, clean_query
from archive.search.ranking import RecencyBM25F
from archive.search.results import (
    Hit,
    IndexBusyError,
    IndexDamagedError,
    IndexMissingError,
    IndexOutdatedError,
    SearchIndexError,
    SearchResult,
    UnderstoodDate,
)
from archive.search.views import View

# The names other modules and the tests import from here (re-exported from where they live).
__all__ = [
    "CURRENT_FILE",
    "FORMAT_VERSION",
    "GENERATION_PREFIX",
    "PARALLEL_BUILD_MIN_RECORDS",
    "Hit",
    "IndexBusyError",
    "IndexDamagedError",
    "IndexMissingError",
    "IndexOutdatedError",
    "SearchIndex",
    "SearchIndexError",
    "SearchResult",
    "UnderstoodDate",
]

logger = logging.getLogger(__name__)

MAX_LIMIT = 1000
MAX_PAGE = 1_000_000  # beyond any archive's last page; bounds the work a page number asks
OPEN_RETRIES = 3


class SearchIndex:
    """The archive's search index in ``directory`` (normally ``DataDir.index_dir``).

    Safe to share between threads (searches are serialised); other processes may read
    while one writes. ``today`` fixes the date recency is counted from (tests).
    """

    def __init__(self, directory: Path | str, *, today: date | None = None) -> None:
        self.directory = Path(directory)
        self.today = today
        self._lock = threading.RLock()
        self._view_: View | None = None
        self._generations = Generations(self.directory)

    # ----------------------------------------------------------------------------------
    # State
    # ----------------------------------------------------------------------------------

    def exists(self) -> bool:
        """True if a complete index is live; :class:`IndexDamagedError` when the index
        directory holds something that is not one (see ``check``)."""
        generation = self._generations.current_generation()
        return generation is not None and (self.directory / generation / META_FILE).exists()

    def count(self) -> int:
        """The number of records in the live index."""
        with self._lock, self._damage_reported():
            return self._view().searcher.doc_count()

    def check(self) -> None:
        """Compare the live generation's files with what its last writer recorded, open it
        and read its stored records: :class:`IndexDamagedError` (or ``IndexMissingError``)
        when that fails, so that a writer rebuilds rather than updates a damaged index."""
        with self._lock, self._damage_reported():
            view = self._view()
            self._generations.check_files(view.generation)
            for _ in view.searcher.reader().iter_docs():
                pass

    @contextlib.contextmanager
    def _damage_reported(self) -> Iterator[None]:
        """Turn what a damaged generation raises into :class:`IndexDamagedError`.

        A truncated or overwritten segment can make Whoosh raise almost anything (struct,
        zlib, EOF, key, index, value errors); none of them tells the user what to do.
        The search's own errors pass through unchanged.
        """
        try:
            yield
        except (SearchIndexError, QueryError):
            raise
        except Exception as error:
            logger.debug("the search index failed", exc_info=True)
            self.close()  # the next search reopens the files
            raise IndexDamagedError(
                self._generations.damaged(f"{type(error).__name__}: {error}"[:200])
            ) from error

    def close(self) -> None:
        """Close the open searcher (a later search reopens it)."""
        with self._lock:
            if self._view_ is not None:
                self._view_.close()
                self._view_ = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _view(self) -> View:
        """The searcher of the live generation, reopened when it changed."""
        for attempt in range(OPEN_RETRIES):
            generation = self._generations.current_generation()
            if generation is None:
                raise IndexMissingError(f"no search index in {self.directory}")
            view = self._view_
            try:
                if view is not None and view.generation == generation:
                    if not view.searcher.up_to_date():
                        self._view_ = View(generation, view.ix, self._refreshed(view))
                    return self._view_
                self._generations.check_format(generation)
                ix = index.open_dir(str(self.directory / generation))
                searcher = ix.searcher(weighting=RecencyBM25F(today=self.today))
            except (FileNotFoundError, EmptyIndexError) as error:
                if not self._generation_complete(generation):
                    # CURRENT still names a generation that was never finished: no index
                    # (what exists() says), not a swap to wait for.
                    raise IndexMissingError(f"no search index in {self.directory}") from None
                # A writer may have swapped and cleaned up between our read and our open.
                logger.info("reopening the index after %s (attempt %d)", error, attempt + 1)
                time.sleep(0.05 * (attempt + 1))
                continue
            if view is not None:
                view.close()
            self._view_ = View(generation, ix, searcher)
            return self._view_
        raise IndexDamagedError(self._generations.damaged("its files cannot be opened"))

    def _generation_complete(self, generation: str) -> bool:
        """False when CURRENT (read again) still names ``generation`` and it has no
        ``meta.json``; True when it does, or when CURRENT moved on (a swap)."""
        return (
            self._generations.current_generation() != generation
            or (self.directory / generation / META_FILE).exists()
        )

    @staticmethod
    def _refreshed(view: View):
        """A searcher of the generation's latest commit.

        Not ``Searcher.refresh()``: it re-uses the readers of segments that only gained
        deletions since, and so still finds the deleted records (and it cannot refresh an
        empty index).
        """
        view.close()
        return view.ix.searcher(weighting=view.searcher.weighting)

    # ----------------------------------------------------------------------------------
    # Writing (archive.search.generations)
    # ----------------------------------------------------------------------------------

    def rebuild(self, records: Iterable[dict]) -> int:
        """Build a fresh index from ``records`` beside the live one and swap it in.

        Returns the number of records indexed. The records are read once; they are spooled
        to a file in the new generation between the vocabulary pass and the indexing pass.
        """
        return self._generations.rebuild(records)

    def update(self, changed: Iterable[dict], removed_ids: Iterable[str]) -> None:
        """Index the records that changed (added or edited) and drop the removed ones."""
        self._generations.update(changed, removed_ids)

    # ----------------------------------------------------------------------------------
    # Searching
    # ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        record_type: str | Sequence[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        year: int | str | Sequence[int | str] | None = None,
        place: str | Sequence[str] | None = None,
        person: str | Sequence[str] | None = None,
        category: str | Sequence[str] | None = None,
        sort: str = "relevance",
        limit: int = 10,
        page: int = 1,
        facets: bool = True,
    ) -> SearchResult:
        """Search the archive.

        ``query`` uses the query language of ``archive.search.query`` and never raises (a
        year or month in it is a preference; ``SearchResult.understood_dates`` says which);
        the filters, ``sort`` (``relevance``, ``date`` = oldest first, ``-date`` = newest
        first), ``limit`` and ``page`` (from 1) raise :class:`QueryError` when invalid. An
        empty query lists every record (newest first unless a date sort is asked for).
        ``facets=False`` skips counting facets (the command line needs none).

        The facet filters (``record_type``, ``year``, ``place``, ``person``, ``category``)
        take one value or a list: several values of one facet are ORed, facets are ANDed.
        Facet counts are disjunctive: a facet with a selection is counted under the other
        filters only, so its unselected values show what they would add.
        """
        filters = Filters(record_type, date_from, date_to, year, place, person, category)
        filters.validate()
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
        limit, page = _whole_number(limit, "limit"), _whole_number(page, "page")
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if not 1 <= page <= MAX_PAGE:
            raise QueryError(f"page must be between 1 and {MAX_PAGE}")
        query = clean_query(query)
        key = (query, filters, sort, limit, page, bool(facets))
        with self._lock, self._damage_reported():
            view = self._view()
            return view.cached_result(
                key,
                lambda: searching.search(view, query, filters, sort, limit, page, facets),
            )

    def similar(self, record_id: str, limit: int = 5) -> list[Hit]:
        """Records most like ``record_id`` (by its key terms), best first; [] if unknown."""
        if not isinstance(record_id, str) or clean_query(record_id) != record_id:
            return []  # no record has such an id (ids are short, printable, UTF-8)
        with self._lock, self._damage_reported():
            return searching.similar(self._view(), record_id, limit)


def _whole_number(value, name: str) -> int:
    """``value`` as an int (``"3"`` too), else :class:`QueryError`."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise QueryError(f"{name} must be a whole number, not {value!r}") from None
