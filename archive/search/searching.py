"""Running a query against an open generation: filters, one scoring pass, the page of
hits with snippets, the facets, and records similar to one.

A year or month in the query is a preference (``archive.search.query``); the result says
which dates were understood (``SearchResult.understood_dates``).

``search`` evaluates the query over per-document arrays (``archive.search.vectors``): every
match is scored at once, which gives the exact total, the top of the ranking and the facet
counts without a pass in Python per match. The ranking is BM25F times a recency factor
(``archive.search.ranking``); snippets are made for the requested page only. A date sort
reads the matches unscored. Queries with few hits get a "did you mean"
(``archive.search.suggestions``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as whoosh_query

from archive.search.filters import Filters
from archive.search.query import PAIRS_FIELD, parse_search, positive_terms
from archive.search.results import Hit, SearchResult
from archive.search.snippets import make_snippet
from archive.search.suggestions import SUGGEST_BELOW_HITS, suggest
from archive.search.views import SNIPPET_FIELDS, View

FACET_LIMIT = 20  # values per facet
SIMILAR_KEY_TERMS = 12
# Fields analysed with the German analyzer (their query terms are stems).
GERMAN_FIELDS = frozenset({"title", "body", "place"})


def search(
    view: View,
    query_text: str,
    filters: Filters,
    sort: str,
    limit: int,
    page: int,
    want_facets: bool,
) -> SearchResult:
    """One page of results for ``query_text`` (``SearchIndex.search`` checked the
    arguments)."""
    understood = parse_search(query_text, view.parser, view.fallback_parser)
    parsed = understood.query
    if isinstance(parsed, whoosh_query.Every) and sort == "relevance":
        sort = "-date"
    allowed = view.filter_mask(filters)
    wanted = page * limit
    arrays = view.arrays()
    matches = arrays.evaluate(parsed, scored=sort == "relevance")
    query_matches = matches.mask
    matched = query_matches if allowed is None else query_matches & allowed
    docs = np.flatnonzero(matched)
    if sort == "relevance":
        ranked_docs = top_documents(docs, matches.score[docs], wanted)
        ranked = [(docnum, round(float(matches.score[docnum]), 4)) for docnum in ranked_docs]
    else:
        starts = arrays.column("date_start")[docs]
        keys = starts if sort == "-date" else -starts
        ranked = [(docnum, None) for docnum in top_documents(docs, keys, wanted)]
    page_docs = ranked[(page - 1) * limit : wanted]
    terms = positive_terms(parsed, view.searcher.reader()) if page_docs else set()
    marked = MarkedTerms.of(terms)
    hits = [make_hit(view, docnum, score, marked) for docnum, score in page_docs]
    total = len(docs)
    suggestion = None
    if total < SUGGEST_BELOW_HITS:
        suggestion = suggest(view, query_text, total, allowed)
    return SearchResult(
        query=query_text,
        total=total,
        suggestion=suggestion,
        hits=hits,
        facets=_facets(view, query_matches, filters, matched) if want_facets else {},
        page=page,
        limit=limit,
        understood_dates=understood.dates,
    )


def top_documents(docs: np.ndarray, keys: np.ndarray, wanted: int) -> list[int]:
    """The ``wanted`` documents of ``docs`` with the highest ``keys``, highest first; equal
    keys in document order."""
    if len(docs) > wanted:
        cut = len(keys) - wanted
        keep = keys >= np.partition(keys, cut)[cut]
        docs, keys = docs[keep], keys[keep]
    return docs[np.lexsort((docs, -keys))][:wanted].tolist()


@dataclass(frozen=True)
class MarkedTerms:
    """What a page of hits marks in its snippets: the query's German terms (title, body,
    place and the words of phrase pairs) and its folded person names. Worked out once per
    search, not per hit; frozen sets, so the highlighter's cache key hashes once."""

    german: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, terms: set[tuple[str, str]]) -> MarkedTerms:
        """The terms to mark among the query's (field, term) pairs."""
        german = {text for fieldname, text in terms if fieldname in GERMAN_FIELDS}
        german.update(
            word for fieldname, text in terms if fieldname == PAIRS_FIELD for word in text.split()
        )
        names = {text for fieldname, text in terms if fieldname == "person"}
        return cls(frozenset(german), frozenset(names))


NOTHING_MARKED = MarkedTerms()


def make_hit(view: View, docnum: int, score: float | None, marked: MarkedTerms) -> Hit:
    stored = view.stored_fields(docnum)
    return Hit(
        id=stored["id"],
        url=stored["url"],
        type=stored["type"],
        date=stored["date"],
        title=stored["display_title"],
        score=score,
        snippet=_snippet(view, docnum, stored, marked),
    )


def _snippet(view: View, docnum: int, stored: dict, marked: MarkedTerms) -> str:
    if marked.german or marked.names:
        highlighter = view.highlighter()
        for fieldname in SNIPPET_FIELDS:
            value = stored.get(fieldname) or ""
            spans = highlighter.spans((docnum, fieldname), value, marked.german, marked.names)
            if spans:
                return make_snippet(value, spans)
    return make_snippet(stored.get("summary") or stored.get("text") or "", [])


def _facets(
    view: View, query_matches: np.ndarray, filters: Filters, matched: np.ndarray
) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value, disjunctive: a facet with a selection is counted under every
    filter but its own, so the other values of that facet show how many they would add.
    Selected values are always listed (with their count, 0 if none)."""
    selected = filters.selected_facets()
    facets: dict[str, list[tuple[str, int]]] = {}
    for facet, values in view.facet_values().items():
        docs = matched
        if facet in selected:
            others = view.filter_mask(filters.without(facet))
            docs = query_matches if others is None else query_matches & others
        counted = values.counted(docs)
        if facet == "year":
            years = values.counts(counted).items()
            shown = sorted(years, key=lambda item: item[0], reverse=True)[:FACET_LIMIT]
        else:
            shown = values.most_common(counted, FACET_LIMIT)
        listed = {value for value, _ in shown}
        shown += [(value, values.count_of(counted, value)) for value in filters.values(facet)
                  if value not in listed]  # fmt: skip
        facets[facet] = shown
    return facets


def similar(view: View, record_id: str, limit: int) -> list[Hit]:
    """Records most like ``record_id`` (by its key terms), best first; [] if unknown."""
    searcher = view.searcher
    docnum = searcher.document_number(id=record_id)
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    text = "\n".join(stored.get(name) or "" for name in ("display_title", "summary", "text"))
    results = searcher.more_like(docnum, "body", text=text, top=limit, numterms=SIMILAR_KEY_TERMS)
    return [make_hit(view, hit.docnum, round(hit.score, 4), NOTHING_MARKED) for hit in results]
