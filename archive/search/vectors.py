"""Matching and scoring a parsed query with arrays instead of Whoosh's matchers.

Whoosh walks its matcher tree and scores one document at a time in Python: at 10,000
records a search cost 17-20 ms, most of it there (``BENCHMARKS.md``, "Profile"). Everything
a term contributes to a score is fixed once a generation's searcher is open, except the
query's boosts: the BM25F weight of each posting (term frequency, field length, the term's
idf) times the record's recency factor. :class:`QueryArrays` reads a term's postings once,
keeps its per-document scores as an array, and evaluates the query tree over dense arrays
(one boolean mask and one score per document): a union adds scores, an intersection keeps
what both match, an exclusion removes. The scores are Whoosh's, computed in the same order
of operations per posting; only the order in which the clauses of one ``Or`` are summed may
differ, in the last bit.

A date in a query (``archive.search.querydates.DateClause``) is two comparisons over the
index's ``date_start``/``date_end`` columns, and the optional part beside it (``AndMaybe``)
one masked addition.

Node kinds without an array rule here (phrases on fields with positions, numeric ranges,
anything a future parser may produce) are run by Whoosh's own matcher and their matches
read into arrays: correct for every query, and fast for the common ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as whoosh_query

from archive.search.lru import LRU
from archive.search.querydates import DateClause
from archive.search.ranking import RECENCY_COLUMN, recency_factor

TERM_CACHE_SIZE = 4096  # (field, term) -> postings; a generation's common words stay warm
POSITIONS_CACHE_SIZE = 1024  # (field, term) -> positions, for phrases in titles and names
# Postings kept per cache, in all (about 16 bytes each): a few common words of a large
# archive must not take the memory of a worker.
CACHED_POSTINGS = 4_000_000
# Words one prefix or wildcard stands for, at most: the ones found in most records. Reading
# a word's postings costs up to a millisecond; ``ar*`` expanded to 6,500 words over three
# fields, and 32 such prefixes took 4 s. Beyond this limit the rarest expansions are left
# out: a record holding only those is not found, and scores differ from Whoosh's (which
# expands without a limit). As Lucene's clause limit and Elasticsearch's max_expansions.
MAX_EXPANDED_TERMS = 128


@dataclass(frozen=True)
class Matches:
    """What a query (or part of one) matches: a mask over document numbers, and the
    score of each document (None when the caller asked for matches only)."""

    mask: np.ndarray
    score: np.ndarray | None


class QueryArrays:
    """Per-document arrays of one open searcher, and query evaluation over them.

    Not thread-safe on its own; :class:`archive.search.SearchIndex` serialises searches.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.weighting = searcher.weighting
        self._day = self._today()
        self._postings: LRU[tuple[np.ndarray, np.ndarray]] = LRU(
            TERM_CACHE_SIZE, max_weight=CACHED_POSTINGS, weigh=lambda entry: len(entry[0])
        )
        self._scores: LRU[np.ndarray] = LRU(TERM_CACHE_SIZE, max_weight=CACHED_POSTINGS, weigh=len)
        self._positions: LRU[dict[int, tuple[int, ...]]] = LRU(
            POSITIONS_CACHE_SIZE, max_weight=CACHED_POSTINGS, weigh=len
        )
        self._lengths: dict[str, np.ndarray] = {}
        self._live: np.ndarray | None = None
        self._recency: np.ndarray | None = None
        self._columns: dict[str, np.ndarray] = {}

    # ----------------------------------------------------------------------------------
    # Per-document arrays
    # ----------------------------------------------------------------------------------

    def live(self) -> np.ndarray:
        """True for every document that is not deleted."""
        if self._live is None:
            live = np.ones(self.size, dtype=bool)
            if self.reader.has_deletions():
                for docnum in range(self.size):
                    if self.reader.is_deleted(docnum):
                        live[docnum] = False
            self._live = live
        return self._live

    def column(self, fieldname: str) -> np.ndarray:
        """A numeric column of the index as an array (0 where a document has none)."""
        values = self._columns.get(fieldname)
        if values is None:
            if self.size and self.reader.has_column(fieldname):
                values = np.fromiter(
                    (int(v or 0) for v in self.reader.column_reader(fieldname)),
                    dtype=np.int64,
                    count=self.size,
                )
            else:
                values = np.zeros(self.size, dtype=np.int64)
            self._columns[fieldname] = values
        return values

    def _today(self) -> int | None:
        today = getattr(self.weighting, "today_ordinal", None)
        return today() if today is not None else None

    def _recency_factors(self) -> np.ndarray | None:
        if self._recency is None:
            today = self._day
            if today is None or not self.size or not self.reader.has_column(RECENCY_COLUMN):
                return None
            self._recency = np.array(
                [recency_factor(int(day), today) for day in self.column(RECENCY_COLUMN)],
                dtype=np.float64,
            )
        return self._recency

    def _field_lengths(self, fieldname: str) -> np.ndarray:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            length_of = self.searcher.doc_field_length
            lengths = np.array(
                [length_of(docnum, fieldname, 1) or 0 for docnum in range(self.size)],
                dtype=np.float64,
            )
            self._lengths[fieldname] = lengths
        return lengths

    def postings(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term and its weight (frequency) in each, cached."""
        key = (fieldname, self._bytes(fieldname, text))
        cached = self._postings.get(key)
        if cached is None:
            cached = self._postings.put(key, self.read_postings(*key))
        return cached

    def read_postings(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`postings` read from the index, not cached (facet values are read once
        per view and kept by the view in their own form)."""
        btext = self._bytes(fieldname, text)
        ids: list[int] = []
        weights: list[float] = []
        if (fieldname, btext) in self.reader:
            matcher = self.reader.postings(fieldname, btext)
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)

    def _bytes(self, fieldname: str, text) -> bytes:
        if isinstance(text, bytes):
            return text
        return self.searcher.schema[fieldname].to_bytes(text)

    def term_scores(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term and the score Whoosh gives each (boost 1)."""
        ids, weights = self.postings(fieldname, btext)
        key = (fieldname, btext)
        scores = self._scores.get(key)
        if scores is None:
            scores = self._bm25(fieldname, btext, ids, weights)
            factors = self._recency_factors()
            if factors is not None:
                scores = scores * factors[ids]
            self._scores.put(key, scores)
        return ids, scores

    def _bm25(self, fieldname: str, btext: bytes, ids, weights) -> np.ndarray:
        """``whoosh.scoring.bm25`` for every posting, in the same order of operations."""
        if not len(ids):
            return weights.copy()  # no postings, nothing to score (and no idf to take)
        if not self.searcher.schema[fieldname].scorable:
            return weights.copy()  # Whoosh's WeightScorer
        weighting = self.weighting
        b = weighting._field_B.get(fieldname, weighting.B)
        k1 = weighting.K1
        idf = self.searcher.idf(fieldname, btext)
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        fl = self._field_lengths(fieldname)[ids]
        return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))

    # ----------------------------------------------------------------------------------
    # Evaluation
    # ----------------------------------------------------------------------------------

    def evaluate(self, node: whoosh_query.Query, *, scored: bool = True) -> Matches:
        """The documents ``node`` matches (deleted ones never), with Whoosh's scores if
        ``scored``."""
        if scored and self._today() != self._day:  # a searcher kept open past midnight
            self._day = self._today()
            self._recency = None
            self._scores.clear()
        matches = self._evaluate(node, scored)
        return Matches(matches.mask & self.live(), matches.score)

    def _empty(self, scored: bool) -> Matches:
        return Matches(
            np.zeros(self.size, dtype=bool),
            np.zeros(self.size, dtype=np.float64) if scored else None,
        )

    def _evaluate(self, node: whoosh_query.Query, scored: bool) -> Matches:
        if node is whoosh_query.NullQuery:
            return self._empty(scored)
        kind = type(node)
        if kind is whoosh_query.Term:
            return self._term(node, scored)
        if kind in (whoosh_query.Or, whoosh_query.And) and not getattr(node, "scale", None):
            return self._compound(node, scored)
        if kind is whoosh_query.AndNot:
            positive = self._evaluate(node.a, scored)
            negative = self._evaluate(node.b, False)
            return self._boosted(
                Matches(positive.mask & ~negative.mask, positive.score), node.boost
            )
        if kind is whoosh_query.AndMaybe:
            # Whoosh's AndMaybeMatcher: the matches of ``a``, plus ``b``'s score where both
            # match (a binary query carries no boost of its own).
            required = self._evaluate(node.a, scored)
            if not scored:
                return required
            optional = self._evaluate(node.b, scored)
            both = required.mask & optional.mask
            score = required.score.copy()
            score[both] = required.score[both] + optional.score[both]
            return Matches(required.mask, score)
        if kind is DateClause:
            # Whoosh's ConstantScoreQuery over the two numeric ranges: a record whose
            # date range overlaps the clause's days scores the constant, boosts ignored.
            mask = (self.column("date_end") >= node.first) & (
                self.column("date_start") <= node.last
            )
            return Matches(mask, mask * float(node.score) if scored else None)
        if kind is whoosh_query.Not:
            # Whoosh's InverseMatcher: every other live document, weight 1.
            inner = self._evaluate(node.query, False)
            mask = self.live() & ~inner.mask
            return Matches(mask, mask.astype(np.float64) if scored else None)
        if kind is whoosh_query.Every and node.fieldname is None:
            mask = self.live().copy()
            return Matches(mask, mask * float(node.boost) if scored else None)
        if kind is whoosh_query.Phrase and node.slop == 1:
            return self._phrase(node, scored)
        if isinstance(node, whoosh_query.MultiTerm) and kind in (
            whoosh_query.Prefix,
            whoosh_query.Wildcard,
        ):
            return self._multiterm(node, scored)
        return self._by_whoosh(node, scored)

    def _term(self, node: whoosh_query.Term, scored: bool) -> Matches:
        fieldname = node.fieldname
        if fieldname not in self.searcher.schema:
            return self._empty(scored)
        try:
            btext = self.searcher.schema[fieldname].to_bytes(node.text)
        except ValueError:
            return self._empty(scored)
        mask = np.zeros(self.size, dtype=bool)
        if not scored:
            ids, _ = self.postings(fieldname, btext)
            mask[ids] = True
            return Matches(mask, None)
        ids, scores = self.term_scores(fieldname, btext)
        mask[ids] = True
        score = np.zeros(self.size, dtype=np.float64)
        score[ids] = scores
        return self._boosted(Matches(mask, score), node.boost)

    def _compound(self, node: whoosh_query.CompoundQuery, scored: bool) -> Matches:
        subs = list(node.subqueries)
        if not subs:
            return self._empty(scored)
        parts = [self._evaluate(sub, scored) for sub in subs]
        if len(parts) == 1:
            return parts[0]  # Whoosh uses the one sub-matcher as it is, boost and all
        union = type(node) is whoosh_query.Or
        mask = parts[0].mask.copy()
        for part in parts[1:]:
            if union:
                mask |= part.mask
            else:
                mask &= part.mask
        score = None
        if scored:
            score = parts[0].score.copy()
            for part in parts[1:]:
                score += part.score
            if not union:
                score *= mask
        return self._boosted(Matches(mask, score), node.boost)

    def _phrase(self, node: whoosh_query.Phrase, scored: bool) -> Matches:
        # Whoosh's Phrase (slop 1): the words at consecutive positions, in order; scored
        # as the intersection of its terms (the sum of their scores) times the boost.
        fieldname = node.fieldname
        schema = self.searcher.schema
        if fieldname not in schema or not node.words:
            return self._empty(scored)
        field = schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return self._empty(scored)
        try:
            words = [field.to_bytes(word) for word in node.words]
        except ValueError:
            return self._empty(scored)
        if any((fieldname, word) not in self.reader for word in words):
            return self._empty(scored)
        terms = [whoosh_query.Term(fieldname, word) for word in words]
        both = (
            self._compound(whoosh_query.And(terms), scored)
            if len(terms) > 1
            else (self._term(terms[0], scored))
        )
        positions = [self.positions(fieldname, word) for word in words]
        mask = np.zeros(self.size, dtype=bool)
        for docnum in np.flatnonzero(both.mask).tolist():
            starts = positions[0][docnum]
            later = [set(by_doc[docnum]) for by_doc in positions[1:]]
            if any(
                all(start + offset in seen for offset, seen in enumerate(later, 1))
                for start in starts
            ):
                mask[docnum] = True
        if not scored:
            return Matches(mask, None)
        return self._boosted(Matches(mask, both.score * mask), node.boost)

    def positions(self, fieldname: str, btext: bytes) -> dict[int, tuple[int, ...]]:
        """Where a term stands in each document holding it (fields with positions)."""
        key = (fieldname, btext)
        cached = self._positions.get(key)
        if cached is None:
            cached = {}
            if key in self.reader:
                matcher = self.reader.postings(fieldname, btext)
                while matcher.is_active():
                    cached[matcher.id()] = tuple(matcher.value_as("positions"))
                    matcher.next()
            self._positions.put(key, cached)
        return cached

    def _multiterm(self, node: whoosh_query.MultiTerm, scored: bool) -> Matches:
        # As Whoosh's MultiTerm.matcher: one expansion is that term (boost 1), several
        # are an Or of their terms carrying the node's boost.
        fieldname = node.field()
        if fieldname not in self.searcher.schema:
            return self._empty(scored)
        words = [word for word in node._btexts(self.reader) if word]
        if len(words) > MAX_EXPANDED_TERMS:
            words = self._most_frequent(fieldname, words)
        terms = [whoosh_query.Term(fieldname, word) for word in words]
        if not terms:
            return self._empty(scored)
        if len(terms) == 1:
            return self._evaluate(terms[0], scored)
        return self._compound(whoosh_query.Or(terms, boost=node.boost), scored)

    def _most_frequent(self, fieldname: str, words: list[bytes]) -> list[bytes]:
        """The ``MAX_EXPANDED_TERMS`` of ``words`` found in most records, in lexicon order
        (a short prefix may expand to thousands of words, each a postings list to read)."""
        frequency = {word: self.reader.doc_frequency(fieldname, word) for word in words}
        kept = set(sorted(words, key=lambda word: -frequency[word])[:MAX_EXPANDED_TERMS])
        return [word for word in words if word in kept]

    def _by_whoosh(self, node: whoosh_query.Query, scored: bool) -> Matches:
        searcher = self.searcher
        context = searcher.context() if scored else searcher.boolean_context()
        matcher = node.matcher(searcher, context)
        ids: list[int] = []
        scores: list[float] = []
        while matcher.is_active():
            ids.append(matcher.id())
            if scored:
                scores.append(matcher.score())
            matcher.next()
        mask = np.zeros(self.size, dtype=bool)
        index = np.array(ids, dtype=np.int64)
        mask[index] = True
        if not scored:
            return Matches(mask, None)
        score = np.zeros(self.size, dtype=np.float64)
        score[index] = np.array(scores, dtype=np.float64)
        return Matches(mask, score)

    @staticmethod
    def _boosted(matches: Matches, boost: float) -> Matches:
        if boost == 1.0 or matches.score is None:
            return matches
        return Matches(matches.mask, matches.score * boost)
