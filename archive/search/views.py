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
from collections import OrderedDict
from dataclasses import replace

from whoosh import query as whoosh_query

from archive.search.analysis import SpellingIndex, vocabulary_of
from archive.search.documents import InvalidDateError, date_range, day_number
from archive.search.query import Filters, build_fallback_parser, build_parser

FILTER_CACHE_SIZE = 64
# Whole results, per generation: a researcher pages, sorts and goes back; the same
# searches come again (links shared, the feed polled). A new generation starts empty.
# IKPE_SEARCH_RESULT_CACHE sets the size (0: off, as the benchmark measures cold searches).
RESULT_CACHE_SIZE = int(os.environ.get("IKPE_SEARCH_RESULT_CACHE", "256") or 0)
NO_DATE = (1, 0)  # a first day after the last: never inside a range
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
        self._filters: OrderedDict[Filters, set[int] | None] = OrderedDict()
        self._results: OrderedDict[tuple, object] = OrderedDict()
        self._date_bounds: list[tuple[int, int]] | None = None
        self._facet_values: dict[str, list[tuple[str, ...]]] | None = None
        self._spelling: SpellingIndex | None = None

    def spelling(self) -> SpellingIndex:
        """The did-you-mean lookup over the vocabulary (built on first use)."""
        if self._spelling is None:
            self._spelling = SpellingIndex(self.vocabulary.words)
        return self._spelling

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.searcher.close()

    def filter_docs(self, filters: Filters) -> set[int] | None:
        """The documents the filters allow (None: all), cached per filter combination.

        Facet filters are Whoosh term queries; a date range is read from
        :meth:`date_bounds` instead, since Whoosh's numeric range queries over two fields
        took up to 0.7 s at 10,000 records, and users pick a new range every time.
        """
        if filters in self._filters:
            self._filters.move_to_end(filters)
            return self._filters[filters]
        facet_query = replace(filters, date_from=None, date_to=None).to_query()
        docs = None if facet_query is None else set(self.searcher.docs_for_query(facet_query))
        first, last = filters.day_bounds()
        if first is not None or last is not None:
            low, high = first or 0, last or 99_999_999
            in_range = {
                docnum
                for docnum, (start, end) in enumerate(self.date_bounds())
                if end >= low and start <= high
            }
            docs = in_range if docs is None else docs & in_range
        self._filters[filters] = docs
        if len(self._filters) > FILTER_CACHE_SIZE:
            self._filters.popitem(last=False)
        return docs

    def date_bounds(self) -> list[tuple[int, int]]:
        """Per document number: the first and last day (``YYYYMMDD``) its date stands for,
        read once from the stored dates (deleted documents: never in a range)."""
        if self._date_bounds is None:
            reader = self.searcher.reader()
            bounds = [NO_DATE] * reader.doc_count_all()
            for docnum, stored in reader.iter_docs():
                try:
                    start, end = date_range(stored.get("date") or "")
                except InvalidDateError:
                    continue
                bounds[docnum] = (day_number(start), day_number(end))
            self._date_bounds = bounds
        return self._date_bounds

    def cached_result(self, key: tuple, compute):
        """The result of a search from the cache of this generation, else ``compute()``."""
        if key in self._results:
            self._results.move_to_end(key)
            return self._results[key]
        result = compute()
        if RESULT_CACHE_SIZE <= 0:
            return result
        self._results[key] = result
        if len(self._results) > RESULT_CACHE_SIZE:
            self._results.popitem(last=False)
        return result

    def facet_values(self) -> dict[str, list[tuple[str, ...]]]:
        """For each facet, the values of every document (by document number)."""
        if self._facet_values is None:
            reader = self.searcher.reader()
            size = reader.doc_count_all()
            values: dict[str, list[tuple[str, ...]]] = {facet: [] for facet in FACET_FIELDS}
            for facet, fieldname in FACET_FIELDS.items():
                if size == 0:  # an empty index has no columns
                    break
                if facet == "year":
                    column = reader.column_reader("year")
                    values[facet] = [(str(column[d]),) for d in range(size)]
                    continue
                per_doc: list[tuple[str, ...]] = [()] * size
                for value in reader.field_terms(fieldname):
                    for docnum in reader.postings(fieldname, value).all_ids():
                        per_doc[docnum] = (*per_doc[docnum], value)
                values[facet] = per_doc
            self._facet_values = values
        return self._facet_values


def unscored_matches(view: View, parsed: whoosh_query.Query, allowed: set[int] | None) -> list[int]:
    """Every match, unscored (for date sorts and did-you-mean counts)."""
    if parsed is whoosh_query.NullQuery:
        return []
    docs = view.searcher.docs_for_query(parsed)
    return list(docs) if allowed is None else [d for d in docs if d in allowed]
