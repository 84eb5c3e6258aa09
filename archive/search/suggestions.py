"""Did you mean: a corrected query for a query with few hits.

Only words the index does not know are corrected, to words of the compound vocabulary of
the generation (every word the archive had when it was built), written as the archive
writes them. :func:`suggest` is called by the query run (``archive.search.searching``)
when a query has fewer than ``SUGGEST_BELOW_HITS`` hits.
"""

from __future__ import annotations

import re
from itertools import islice

import numpy as np

from archive.search.analysis import edit_distance, fold, query_term, words
from archive.search.query import OPERATOR_WORDS, parse_query
from archive.search.views import SNIPPET_FIELDS, View, query_mask

SUGGEST_BELOW_HITS = 3  # "did you mean" is computed for queries with fewer hits
SUGGEST_MAX_DISTANCE = 2
SUGGEST_MIN_CHARS = 4
SUGGEST_SAMPLE_DOCS = 3  # records read to learn how a suggested word is written


def suggest(view: View, query_text: str, total: int, allowed: np.ndarray | None) -> str | None:
    """A corrected query with more hits, or None.

    Only words the index does not know are corrected: to the nearest (then most
    frequent) term of the body within ``SUGGEST_MAX_DISTANCE`` edits, written as the
    archive writes it.
    """
    reader = view.searcher.reader()
    pieces: list[str] = []
    position = 0
    for match in re.finditer(r"\w+", query_text):
        word = match.group(0)
        following = query_text[match.end() : match.end() + 1]
        if (
            word in OPERATOR_WORDS
            or following in (":", "*", "?")
            or len(word) < SUGGEST_MIN_CHARS
            or not word.isalpha()
        ):
            continue
        term = query_term(word)
        if reader.doc_frequency("body", term) or reader.doc_frequency("title", term):
            continue
        replacement = _correction(view, word, term)
        if replacement is None:
            continue
        pieces.append(query_text[position : match.start()] + replacement)
        position = match.end()
    if not pieces:
        return None
    suggestion = "".join(pieces) + query_text[position:]
    parsed = parse_query(suggestion, view.parser, view.fallback_parser)
    if int(query_mask(view, parsed, allowed).sum()) > total:
        return suggestion
    return None


def _correction(view: View, word: str, term: str) -> str | None:
    """How the archive writes the known word nearest to ``word``, or None.

    Candidates are the words of the compound vocabulary (every word the archive had
    when the index was built) within ``SUGGEST_MAX_DISTANCE`` edits, closest and then
    most frequent first; their spelling is read from a record that has them.
    """
    reader = view.searcher.reader()
    folded = fold(word)
    best: tuple[int, int, str] | None = None
    for distance, candidate in view.spelling().nearest(folded, SUGGEST_MAX_DISTANCE):
        frequency = reader.doc_frequency("body", query_term(candidate))
        if frequency and (best is None or (distance, -frequency) < best[:2]):
            best = (distance, -frequency, candidate)
    if best is None:
        return None
    candidate = best[2]
    spellings: set[str] = set()
    postings = reader.postings("body", query_term(candidate))
    for docnum in islice(postings.all_ids(), SUGGEST_SAMPLE_DOCS):
        stored = view.searcher.stored_fields(docnum)
        for fieldname in SNIPPET_FIELDS:
            spellings.update(w for w in words(stored.get(fieldname) or "") if fold(w) == candidate)
    if not spellings:
        return None
    typed = word.lower()
    spelled = min(spellings, key=lambda w: (edit_distance(typed, w.lower()), w))
    return spelled[0].upper() + spelled[1:] if word[0].isupper() else spelled.lower()
