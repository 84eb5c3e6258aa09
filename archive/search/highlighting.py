"""Which words of a record's text to mark in a snippet, fast enough for every result page.

:func:`archive.search.analysis.highlight_spans` analyses every word of a text for every
search (fold, stem, compound parts): about 0.3 ms a hit, a third of a search at 10,000
records. A :class:`Highlighter` (one per open generation) analyses each distinct word
once and each record's text once: a text becomes an array of word numbers and their
character spans, and an index from every term to the words indexed under it tells which
word numbers a query's terms mark. The spans are the same as ``highlight_spans`` gives.
"""

from __future__ import annotations

import re

import numpy as np

from archive.search.analysis import WORD_PATTERN, Vocabulary, fold, index_terms
from archive.search.lru import LRU

TEXT_CACHE_SIZE = 4096  # analysed texts kept (a result page shows 10 to 20)
CACHED_WORDS = 2_000_000  # words of analysed texts kept in all (12 bytes each)
MARKS_CACHE_SIZE = 16  # the words a search's terms mark, for the hits of one page
_WORD_SPLIT = re.compile(f"({WORD_PATTERN})")


class Highlighter:
    """Marks the words of texts that match query terms, remembering what it analysed."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._ids: dict[str, int] = {}
        self._by_term: dict[str, list[int]] = {}
        self._by_folded: dict[str, list[int]] = {}
        self._texts: LRU[tuple[np.ndarray, np.ndarray, np.ndarray]] = LRU(
            TEXT_CACHE_SIZE, max_weight=CACHED_WORDS, weigh=lambda entry: len(entry[0])
        )
        self._marks: LRU[np.ndarray] = LRU(MARKS_CACHE_SIZE)

    def spans(
        self,
        key: object,
        text: str,
        terms: frozenset[str] | set[str],
        name_terms: frozenset[str] | set[str] = frozenset(),
    ) -> list[tuple[int, int]]:
        """Character spans of the words of ``text`` that match: one of the word's index
        terms is in ``terms``, or its folded form is in ``name_terms``. ``key`` names the
        text (the same key must always stand for the same text)."""
        ids, starts, ends = self._analysed(key, text)
        if not len(ids):
            return []
        hits = self._marked(frozenset(terms), frozenset(name_terms))[ids]
        return list(zip(starts[hits].tolist(), ends[hits].tolist(), strict=True))

    def _marked(self, terms: frozenset[str], name_terms: frozenset[str]) -> np.ndarray:
        """True for the number of every known word the terms mark (kept while no new
        word comes; np.isin would sort every time)."""
        key = (terms, name_terms)
        lookup = self._marks.get(key)
        if lookup is None or len(lookup) != len(self._ids):
            marked: set[int] = set()
            for term in terms:
                marked.update(self._by_term.get(term, ()))
            for name in name_terms:
                marked.update(self._by_folded.get(name, ()))
            lookup = np.zeros(len(self._ids), dtype=bool)
            lookup[list(marked)] = True
            self._marks.put(key, lookup)
        return lookup

    def _analysed(self, key: object, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        cached = self._texts.get(key)
        if cached is not None:
            return cached
        # split() keeps the words (odd places) and what lies between them (even places):
        # their lengths give every word's offset without a match object per word.
        parts = _WORD_SPLIT.split(text)
        words = parts[1::2]
        offsets = np.cumsum(np.fromiter(map(len, parts), dtype=np.int32, count=len(parts)))
        ends = offsets[1::2]
        starts = ends - np.fromiter(map(len, words), dtype=np.int32, count=len(words))
        known = self._ids
        ids = [known.get(word, -1) for word in words]
        if -1 in ids:
            ids = [self._register(word) if number < 0 else number
                   for word, number in zip(words, ids, strict=True)]  # fmt: skip
        return self._texts.put(key, (np.array(ids, dtype=np.int32), starts, ends))

    def _register(self, word: str) -> int:
        number = self._ids.get(word)
        if number is not None:  # a word twice in one new text
            return number
        number = len(self._ids)
        self._ids[word] = number
        for term in index_terms(word, self.vocabulary):
            self._by_term.setdefault(term, []).append(number)
        self._by_folded.setdefault(fold(word), []).append(number)
        return number
