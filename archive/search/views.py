"""One open searcher of one index generation, and what every query reads through it.

A :class:`View` is what :class:`archive.search.SearchIndex` keeps open per generation: the
Whoosh searcher, the query parsers and compound vocabulary built for its schema, and the
caches derived from it (documents per filter combination, facet values per document, the
did-you-mean lookup). Both the query run (``archive.search.searching``) and the spelling
corrections (``archive.search.suggestions``) read through it, so it sits below both.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict

from whoosh import query as whoosh_query

from archive.search.analysis import SpellingIndex, vocabulary_of
from archive.search.query import Filters, build_fallback_parser, build_parser

FILTER_CACHE_SIZE = 64
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
        """The documents the filters allow (None: all), cached per filter combination."""
        if filters in self._filters:
            self._filters.move_to_end(filters)
            return self._filters[filters]
        filter_query = filters.to_query()
        docs = None if filter_query is None else set(self.searcher.docs_for_query(filter_query))
        self._filters[filters] = docs
        if len(self._filters) > FILTER_CACHE_SIZE:
            self._filters.popitem(last=False)
        return docs

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
