"""One open searcher of one index generation, and what every query reads through it.

A :class:`View` is what :class:`archive.search.SearchIndex` keeps open per generation: the
Whoosh searcher, the query parsers and compound vocabulary built for its schema, and the
caches derived from it (documents per filter combination, facet values per document, the
did-you-mean lookup). Both the query run (``archive.search.searching``) and the spelling
corrections (``archive.search.suggestions``) read through it, so it sits below both.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import numpy as np
from whoosh import query as whoosh_query

from archive.search.analysis import SpellingIndex, vocabulary_of
from archive.search.documents import InvalidDateError, date_range, day_number
from archive.search.filters import FACET_FILTER_FIELDS, Filters
from archive.search.highlighting import Highlighter
from archive.search.lru import LRU
from archive.search.query import build_fallback_parser, build_parser
from archive.search.vectors import QueryArrays

FILTER_CACHE_SIZE = 64
# Whole results, per generation: a researcher pages, sorts and goes back; the same
# searches come again (links shared, the feed polled). A new generation starts empty.
# IKPE_SEARCH_RESULT_CACHE sets the size (0: off, as the benchmark measures cold searches).
RESULT_CACHE_SIZE = int(os.environ.get("IKPE_SEARCH_RESULT_CACHE", "256") or 0)
NO_DATE = (1, 0)  # a first day after the last: never inside a range
STORED_CACHE_SIZE = 4096  # records read for hits, kept per generation
CACHED_STORED_CHARS = 20_000_000  # their text in all: long attachments must not pile up
_MISSING = object()
# Facet name -> index field.
FACET_FIELDS = {
    "type": "type",
    "year": "year",
    "place": "place_facet",
    "person": "person_facet",
    "category": "category",
}
# Stored fields a snippet may come from, in order of preference (did-you-mean reads how a
# word is written from them too).
SNIPPET_FIELDS = ("text", "summary", "attachment")


class View:
    """One open searcher of one generation, with what is derived from it."""

    def __init__(self, generation: str, ix, searcher) -> None:
        self.generation = generation
        self.ix = ix
        self.searcher = searcher
        self.schema = searcher.schema
        self.parser = build_parser(self.schema)
        self.fallback_parser = build_fallback_parser(self.schema)
        self.vocabulary = vocabulary_of(self.schema["body"].analyzer)
        self._arrays: QueryArrays | None = None
        self._filters: LRU[np.ndarray | None] = LRU(FILTER_CACHE_SIZE)
        self._results: LRU[object] = LRU(RESULT_CACHE_SIZE)
        self._stored: LRU[dict] = LRU(
            STORED_CACHE_SIZE, max_weight=CACHED_STORED_CHARS, weigh=_stored_chars
        )
        self._date_bounds: tuple[np.ndarray, np.ndarray] | None = None
        self._facet_values: dict[str, FacetValues] | None = None
        self._spelling: SpellingIndex | None = None
        self._highlighter: Highlighter | None = None

    def spelling(self) -> SpellingIndex:
        """The did-you-mean lookup over the vocabulary (built on first use)."""
        if self._spelling is None:
            self._spelling = SpellingIndex(self.vocabulary.words)
        return self._spelling

    def highlighter(self) -> Highlighter:
        """Marks matched words in snippets; remembers the texts it analysed."""
        if self._highlighter is None:
            self._highlighter = Highlighter(self.vocabulary)
        return self._highlighter

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.searcher.close()

    def arrays(self) -> QueryArrays:
        """Per-document arrays of this searcher and query evaluation over them."""
        if self._arrays is None:
            self._arrays = QueryArrays(self.searcher)
        return self._arrays

    def filter_mask(self, filters: Filters) -> np.ndarray | None:
        """The documents the filters allow, as a mask (None: all), cached per filter
        combination.

        Facet values are looked up in the facet fields' postings, years and dates in
        per-document arrays: Whoosh's numeric range queries over two fields took up to
        0.7 s at 10,000 records, and users pick a new range every time.
        """
        cached = self._filters.get(filters, _MISSING)
        if cached is not _MISSING:
            return cached
        arrays = self.arrays()
        mask: np.ndarray | None = None

        def narrow(allowed: np.ndarray) -> None:
            nonlocal mask
            mask = allowed if mask is None else mask & allowed

        for facet in FACET_FIELDS:
            values = filters.values(facet)
            if not values:
                continue
            if facet == "year":
                narrow(np.isin(arrays.column("year"), [int(value) for value in values]))
                continue
            allowed = np.zeros(arrays.size, dtype=bool)
            for value in values:
                allowed |= arrays.evaluate(
                    whoosh_query.Term(FACET_FILTER_FIELDS[facet], value), scored=False
                ).mask
            narrow(allowed)
        first, last = filters.day_bounds()
        if first is not None or last is not None:
            starts, ends = self.date_bounds()
            narrow((ends >= (first or 0)) & (starts <= (last or 99_999_999)))
        return self._filters.put(filters, mask)

    def date_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Per document number: the first and last day (``YYYYMMDD``) its date stands for,
        read once from the stored dates (deleted documents: never in a range)."""
        if self._date_bounds is None:
            reader = self.searcher.reader()
            size = reader.doc_count_all()
            starts = np.full(size, NO_DATE[0], dtype=np.int64)
            ends = np.full(size, NO_DATE[1], dtype=np.int64)
            for docnum, stored in reader.iter_docs():
                try:
                    start, end = date_range(stored.get("date") or "")
                except InvalidDateError:
                    continue
                starts[docnum], ends[docnum] = day_number(start), day_number(end)
            self._date_bounds = (starts, ends)
        return self._date_bounds

    def cached_result(self, key: tuple, compute):
        """The result of a search from the cache of this generation, else ``compute()``."""
        cached = self._results.get(key, _MISSING)
        if cached is not _MISSING:
            return cached
        return self._results.put(key, compute())

    def stored_fields(self, docnum: int) -> dict:
        """The stored fields of a document (hits read them for titles and snippets; the
        same records come up on many first pages)."""
        stored = self._stored.get(docnum)
        if stored is None:
            stored = self._stored.put(docnum, self.searcher.stored_fields(docnum))
        return stored

    def facet_values(self) -> dict[str, FacetValues]:
        """For each facet, every (document, value) pair as arrays."""
        if self._facet_values is None:
            reader = self.searcher.reader()
            size = reader.doc_count_all()
            facets: dict[str, FacetValues] = {}
            for facet, fieldname in FACET_FIELDS.items():
                if facet == "year":
                    years = self.arrays().column("year")
                    names, codes = np.unique(years, return_inverse=True)
                    facets[facet] = FacetValues(
                        tuple(str(year) for year in names.tolist()), None, codes.astype(np.int64)
                    )
                    continue
                names_list: list[str] = []
                docs: list[np.ndarray] = []
                codes_list: list[np.ndarray] = []
                for value in reader.field_terms(fieldname) if size else ():
                    ids, _ = self.arrays().read_postings(fieldname, value)
                    docs.append(ids)
                    codes_list.append(np.full(len(ids), len(names_list), dtype=np.int64))
                    names_list.append(value)
                facets[facet] = FacetValues(
                    tuple(names_list),
                    np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
                    np.concatenate(codes_list) if codes_list else np.zeros(0, dtype=np.int64),
                )
            self._facet_values = facets
        return self._facet_values


def _stored_chars(stored: dict) -> int:
    return sum(len(value) for value in stored.values() if isinstance(value, str))


@dataclass(frozen=True)
class FacetValues:
    """The values of one facet: ``names[codes[i]]`` is a value of document ``docs[i]``
    (``docs`` None: one value per document, ``codes[d]`` that of document ``d``)."""

    names: tuple[str, ...]
    docs: np.ndarray | None
    codes: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "_code", {name: code for code, name in enumerate(self.names)})

    def counted(self, mask: np.ndarray) -> np.ndarray:
        """How many documents of ``mask`` have each value, by value number."""
        if not len(self.codes):
            return np.zeros(len(self.names), dtype=np.int64)
        chosen = mask if self.docs is None else mask[self.docs]
        return np.bincount(self.codes[chosen], minlength=len(self.names))

    def counts(self, counted: np.ndarray) -> dict[str, int]:
        """``counted`` by value name, the values with none left out."""
        return {self.names[code]: int(counted[code]) for code in np.flatnonzero(counted)}

    def most_common(self, counted: np.ndarray, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` values with the highest ``counted``, with their counts, highest
        first and equal counts in the order of the names (sorted, as the index's terms
        are). A person or place facet has thousands of values: only the shown ones become
        Python objects."""
        present = np.flatnonzero(counted)
        top = present[np.lexsort((present, -counted[present]))[:limit]]
        return [(self.names[code], int(counted[code])) for code in top.tolist()]

    def count_of(self, counted: np.ndarray, name: str) -> int:
        """``counted`` of the value ``name`` (0 for a value no document has)."""
        code = self._code.get(name)
        return 0 if code is None else int(counted[code])


def query_mask(view: View, parsed: whoosh_query.Query, allowed: np.ndarray | None) -> np.ndarray:
    """The documents ``parsed`` matches among ``allowed``, unscored (date sorts, facet
    counts, did-you-mean)."""
    mask = view.arrays().evaluate(parsed, scored=False).mask
    return mask if allowed is None else mask & allowed
