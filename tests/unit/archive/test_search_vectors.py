"""The array evaluation of queries (``archive.search.vectors``) against Whoosh's own matchers.

On a one-segment index Whoosh's scores are the reference: every query kind the parser
makes must match the same records with the same scores. On an index of several segments
Whoosh leaves the recency factor out (its multi-segment matcher scores with the top-level
scorer); the arrays apply it there too, which is what ``archive.search.ranking`` promises.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from archive.search import SearchIndex
from archive.search.lru import LRU
from archive.search.query import parse_query
from archive.search.ranking import recency_factor
from tests.helpers import small_record, whoosh_matches

TODAY = date(2025, 6, 1)
RECORDS = [
    small_record("wp-1", "Armut und Teilhabe in Erfurt", "Die Armutsprävention in Erfurt wächst.",
                 date="2024-03-01", people=["Anna Huber"], places=["Erfurt"]),
    small_record("wp-2", "Kommunale Planung", "Sozialplanung und kommunale Planung in Gera.",
                 date="2019-05-02", places=["Gera"], type="press_release"),
    small_record("wp-3", "Präventionsketten in Thüringen", "Präventionsketten gegen Armut. "
                 "Armut Armut Armut.", date="2012-01-01", people=["Bernd Müller-Lüdenscheidt"]),
    small_record("wp-4", "Fachtag Sozialplanung", "Der Fachtag zur Sozialplanung in Jena.",
                 date="2025-05-30", categories=["termine"], type="event"),
    small_record("wp-5", "Workshop Teilhabe", "Teilhabe, Beteiligung und Armut im Quartier.",
                 date="2023-11-11", people=["Anna Huber"]),
    small_record("wp-6", "Ohne Bezug", "Ein ganz anderer Text über Haushalte.", date="2021"),
]  # fmt: skip

QUERIES = [
    ("one word in three fields", "Armut"),
    ("two words ANDed", "Armut Erfurt"),
    ("OR", "Teilhabe OR Sozialplanung"),
    ("ODER", "Teilhabe ODER Gera"),
    ("exclusion with minus", "Armut -Erfurt"),
    ("exclusion with NICHT", "Armut NICHT Teilhabe"),
    ("ANDNOT", "Armut ANDNOT Erfurt"),
    ("NOT alone", "NOT Armut"),
    ("phrase in title and body pairs", '"kommunale Planung"'),
    ("three-word phrase", '"Fachtag zur Sozialplanung"'),
    ("phrase that is no phrase anywhere", '"Planung kommunale"'),
    ("title phrase", 'title:"Kommunale Planung"'),
    ("person phrase", 'person:"Anna Huber"'),
    ("person word", "person:Huber"),
    ("prefix with several expansions", "Armu*"),
    ("prefix with one expansion", "Präventionsk*"),
    ("wildcard", "Arm?t"),
    ("title field", "titel:Workshop"),
    ("type in German", "typ:Pressemitteilung"),
    ("year range (Whoosh's own matcher)", "jahr:[2019 TO 2023]"),
    ("boost", "Armut^3 Teilhabe"),
    ("group with boost", "(Armut OR Gera)^2"),
    ("unknown word", "Quantenphysik"),
    ("empty", ""),
    ("umlaut spelling", "Praeventionsketten"),
]


@pytest.fixture(scope="module")
def one_segment(tmp_path_factory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("index"), today=TODAY)
    index.rebuild(RECORDS)
    return index


@pytest.mark.parametrize(("kind", "text"), QUERIES, ids=[kind for kind, _ in QUERIES])
def test_arrays_match_and_score_as_whoosh(one_segment: SearchIndex, kind: str, text: str) -> None:
    with one_segment._lock:
        view = one_segment._view()
        assert len(view.searcher.reader().segments()) == 1
        parsed = parse_query(text, view.parser, view.fallback_parser)
        if text == "":
            expected = list(range(len(RECORDS)))
            assert np.flatnonzero(view.arrays().evaluate(parsed).mask).tolist() == expected
            return
        ids, scores = whoosh_matches(view, parsed)
        matches = view.arrays().evaluate(parsed)
        unscored = view.arrays().evaluate(parsed, scored=False)
    assert np.flatnonzero(matches.mask).tolist() == ids, kind
    assert np.flatnonzero(unscored.mask).tolist() == ids, kind
    assert unscored.score is None
    assert matches.score[ids] == pytest.approx(scores, rel=1e-12, abs=1e-12), kind


def test_the_queries_cover_what_they_claim(one_segment: SearchIndex) -> None:
    """Guards the table: most rows match something, and not everything."""
    with one_segment._lock:
        view = one_segment._view()
        sizes = {
            text: len(whoosh_matches(view, parse_query(text, view.parser, view.fallback_parser))[0])
            for _, text in QUERIES
            if text
        }
    assert sum(1 for size in sizes.values() if 0 < size < len(RECORDS)) >= 18
    assert sizes["Quantenphysik"] == 0


def test_deleted_records_never_match(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", today=TODAY)
    index.rebuild(RECORDS)
    index.update([], removed_ids=["wp-1", "wp-3"])
    result = index.search("Armut", limit=10)
    assert {hit.id for hit in result.hits} == {"wp-5"}
    assert result.total == 1
    assert index.search("NOT Armut", limit=10).total == 3


def test_recency_counts_on_an_index_of_several_segments(tmp_path: Path) -> None:
    """The same text dated 2012 and 2025: the recent one first, by exactly the ratio of
    their recency factors, although they sit in different segments."""
    index = SearchIndex(tmp_path / "index", today=TODAY)
    old = small_record("wp-1", "Teilhabe", "Teilhabe im Quartier", date="2012-01-01")
    new = small_record("wp-2", "Teilhabe", "Teilhabe im Quartier", date="2025-05-01")
    index.rebuild([old])
    index.update([new], removed_ids=[])
    with index._lock:
        assert len(index._view().searcher.reader().segments()) == 2
    hits = index.search("Teilhabe", limit=10).hits
    assert [hit.id for hit in hits] == ["wp-2", "wp-1"]
    expected = recency_factor(date(2025, 5, 1).toordinal(), TODAY.toordinal()) / recency_factor(
        date(2012, 1, 1).toordinal(), TODAY.toordinal()
    )
    assert hits[0].score / hits[1].score == pytest.approx(expected, rel=1e-3)


def test_a_new_day_rescores(tmp_path: Path) -> None:
    """Recency is counted from today: a searcher kept open past midnight rescores."""
    index = SearchIndex(tmp_path / "index", today=TODAY)
    index.rebuild(RECORDS)
    first = index.search("Armut", limit=10, sort="relevance").hits
    with index._lock:
        index._view().searcher.weighting.today = date(2040, 1, 1)
        index._view()._results.clear()
    later = index.search("Armut", limit=10).hits
    assert {hit.id for hit in later} == {hit.id for hit in first}
    assert max(hit.score for hit in later) < max(hit.score for hit in first)


# --------------------------------------------------------------------------------------
# The bounded cache the arrays, texts and records are kept in
# --------------------------------------------------------------------------------------

LRU_CASES = [
    # (case, max_items, max_weight, keys put in order, keys kept)
    ("by count", 2, None, ["a", "b", "c"], {"b", "c"}),
    ("put again before the third", 2, None, ["a", "b", "a", "c"], {"a", "c"}),
    ("by weight", 10, 5, ["aa", "bbb", "cc"], {"bbb", "cc"}),
    ("one entry heavier than all", 10, 3, ["a", "bbbbb"], set()),
    ("nothing kept at size 0", 0, None, ["a"], set()),
]


@pytest.mark.parametrize(
    ("case", "items", "weight", "puts", "kept"), LRU_CASES, ids=[c[0] for c in LRU_CASES]
)
def test_lru_bounds(case, items, weight, puts, kept) -> None:
    cache: LRU[str] = LRU(items, max_weight=weight, weigh=len if weight else None)
    for key in puts:
        assert cache.put(key, key) == key
    assert {key for key in set(puts) if key in cache} == kept, case
    assert cache.get("missing", "default") == "default"
    if weight:
        assert cache.weight == sum(len(key) for key in kept) <= weight


def test_lru_a_read_keeps_an_entry() -> None:
    cache: LRU[str] = LRU(2)
    cache.put("a", "a")
    cache.put("b", "b")
    assert cache.get("a") == "a"  # now the most recently used
    cache.put("c", "c")
    assert "a" in cache and "b" not in cache and "c" in cache
