"""Running a query against an open generation: filters, one scoring pass, the page of
hits with snippets, the facets, and records similar to one.

``search`` scores every match once, which gives the exact total and the facets in the same
pass; the ranking is BM25F times a recency factor (``archive.search.ranking``); snippets
are made for the requested page only. A date sort reads the matches unscored. Queries with
few hits get a "did you mean" (``archive.search.suggestions``).
"""

from __future__ import annotations

import heapq
from collections import Counter
from itertools import chain

from whoosh import query as whoosh_query
from whoosh.collectors import ScoredCollector

from archive.search.analysis import highlight_spans
from archive.search.query import PAIRS_FIELD, Filters, parse_query, positive_terms
from archive.search.results import Hit, SearchResult
from archive.search.snippets import make_snippet
from archive.search.suggestions import SUGGEST_BELOW_HITS, suggest
from archive.search.views import SNIPPET_FIELDS, View, unscored_matches

FACET_LIMIT = 20  # values per facet
SIMILAR_KEY_TERMS = 12
# Fields analysed with the German analyzer (their query terms are stems).
GERMAN_FIELDS = frozenset({"title", "body", "place"})


class _TopAndAll(ScoredCollector):
    """Scores every match once: keeps the best ``limit`` and the numbers of all matches
    (for the exact total and the facets), skipping documents the filters exclude."""

    def __init__(self, limit: int, allowed: set[int] | None) -> None:
        super().__init__()
        self.limit = limit
        self.allowed = allowed
        self.matched: list[int] = []

    def collect(self, sub_docnum: int) -> float:
        docnum = self.offset + sub_docnum
        if self.allowed is not None and docnum not in self.allowed:
            return 0
        self.matched.append(docnum)
        score = self.matcher.score()
        items = self.items
        if len(items) < self.limit:
            heapq.heappush(items, (score, -docnum))
        elif score > items[0][0]:
            heapq.heapreplace(items, (score, -docnum))
        return 0 - score

    def top(self) -> list[tuple[int, float]]:
        """(document number, score), best first (ties: lower document number first)."""
        return [(-negated, score) for score, negated in sorted(self.items, reverse=True)]

    def results(self):  # pragma: no cover - Whoosh's protocol; we read top() and matched
        return self._results(sorted(self.items, reverse=True))


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
    parsed = parse_query(query_text, view.parser, view.fallback_parser)
    if isinstance(parsed, whoosh_query.Every) and sort == "relevance":
        sort = "-date"
    allowed = view.filter_docs(filters)
    wanted = page * limit
    ranked: list[tuple[int, float | None]]
    if parsed is whoosh_query.NullQuery or (allowed is not None and not allowed):
        matched: list[int] = []
        ranked = []
    elif sort == "relevance":
        collector = _TopAndAll(wanted, allowed)
        view.searcher.search_with_collector(parsed, collector)
        matched = collector.matched
        ranked = [(docnum, round(score, 4)) for docnum, score in collector.top()]
    else:
        matched = unscored_matches(view, parsed, allowed)
        ranked = _by_date(view, matched, wanted, newest_first=sort == "-date")
    page_docs = ranked[(page - 1) * limit : wanted]
    terms = positive_terms(parsed, view.searcher.reader()) if page_docs else set()
    hits = [make_hit(view, docnum, score, terms) for docnum, score in page_docs]
    suggestion = None
    if len(matched) < SUGGEST_BELOW_HITS:
        suggestion = suggest(view, query_text, len(matched), allowed)
    return SearchResult(
        query=query_text,
        total=len(matched),
        suggestion=suggestion,
        hits=hits,
        facets=_facets(view, parsed, filters, matched) if want_facets else {},
        page=page,
        limit=limit,
    )


def _by_date(
    view: View, matched: list[int], wanted: int, *, newest_first: bool
) -> list[tuple[int, float | None]]:
    if not matched:
        return []
    column = view.searcher.reader().column_reader("date_start")
    if newest_first:
        docs = heapq.nlargest(wanted, matched, key=lambda d: (column[d], -d))
    else:
        docs = heapq.nsmallest(wanted, matched, key=lambda d: (column[d], d))
    return [(docnum, None) for docnum in docs]


def make_hit(view: View, docnum: int, score: float | None, terms: set[tuple[str, str]]) -> Hit:
    stored = view.searcher.stored_fields(docnum)
    return Hit(
        id=stored["id"],
        url=stored["url"],
        type=stored["type"],
        date=stored["date"],
        title=stored["display_title"],
        score=score,
        snippet=_snippet(view, stored, terms),
    )


def _snippet(view: View, stored: dict, terms: set[tuple[str, str]]) -> str:
    german_terms = {text for fieldname, text in terms if fieldname in GERMAN_FIELDS}
    german_terms.update(
        word for fieldname, text in terms if fieldname == PAIRS_FIELD for word in text.split()
    )
    name_terms = {text for fieldname, text in terms if fieldname == "person"}
    if german_terms or name_terms:
        for fieldname in SNIPPET_FIELDS:
            value = stored.get(fieldname) or ""
            spans = highlight_spans(value, view.vocabulary, german_terms, name_terms)
            if spans:
                return make_snippet(value, spans)
    return make_snippet(stored.get("summary") or stored.get("text") or "", [])


def _facets(
    view: View, parsed: whoosh_query.Query, filters: Filters, matched: list[int]
) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value, disjunctive: a facet with a selection is counted under every
    filter but its own, so the other values of that facet show how many they would add.
    Selected values are always listed (with their count, 0 if none)."""
    selected = filters.selected_facets()
    unselected_matches: list[int] = []
    if selected:
        # The query's matches under the filters that are no facet selection (dates), once.
        unselected_matches = unscored_matches(
            view, parsed, view.filter_docs(filters.without(*selected))
        )
    facets: dict[str, list[tuple[str, int]]] = {}
    for facet, per_doc in view.facet_values().items():
        docs = matched
        if facet in selected:
            others = view.filter_docs(filters.without(facet))
            docs = (
                unselected_matches
                if others is None
                else [d for d in unselected_matches if d in others]
            )
        counts = Counter(chain.from_iterable(map(per_doc.__getitem__, docs)))
        if facet == "year":
            ordered = sorted(counts.items(), key=lambda item: item[0], reverse=True)
        else:
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        shown = ordered[:FACET_LIMIT]
        listed = {value for value, _ in shown}
        shown += [(value, counts.get(value, 0)) for value in filters.values(facet)
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
    return [make_hit(view, hit.docnum, round(hit.score, 4), set()) for hit in results]
