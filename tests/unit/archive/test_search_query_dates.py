"""Dates in queries (``archive.search.querydates``): a year or month is a preference evaluated
over arrays (``archive.search.vectors``) exactly as Whoosh scores it, records dated then
come first, and none is dropped; the search result says what was understood.

Also: an index built by another version of the analysis is refused as outdated, and
``archive.sync`` rebuilds it from the store.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from archive.config import DataDir
from archive.dates.tables import MONTHS as DATE_MONTHS
from archive.search import IndexDamagedError, SearchIndex
from archive.search.analysis import fold
from archive.search.generations import FORMAT_VERSION, META_FILE
from archive.search.query import parse_query
from archive.search.querydates import DATE_PREFERENCE_SCORE, MONTHS
from archive.search.results import IndexOutdatedError
from archive.store import ArchiveStore
from archive.sync import sync_index
from archive.validation import check
from tests.helpers import small_record, whoosh_matches

TODAY = date(2025, 6, 1)
RECORDS = [
    small_record("wp-1", "Armut in Erfurt", "Armut und Teilhabe.", date="2024-03-01"),
    small_record("wp-2", "Armut im Jahr 2016", "Ein Rückblick auf 2016: Armut.", date="2023-05-02"),
    small_record("wp-3", "Armut und Armut", "Armut, Armut, Armut in Gera.", date="2016-10-01"),
    small_record("wp-4", "Teilhabe", "Der Fachtag zur Teilhabe.", date="2016"),
    small_record("wp-5", "Sozialplanerinnen", "Die Sozialplanerinnen tagten.", date="2024-03"),
    small_record("wp-6", "Ohne Bezug", "Ein anderer Text über Haushalte.", date="2021"),
]  # fmt: skip

# (query, note): Whoosh's matcher and the arrays must agree on matches and scores.
ARRAY_CASES = [
    ("2016 Armut", "a year beside a word: AndMaybe with a date clause"),
    ("Armut 2016", "the year after the word"),
    ("2016", "a year alone: the text or the date"),
    ("März 2024", "a month and a year alone"),
    ("Sozialplaner März 2024", "a month beside a word, found through its feminine form"),
    ("-Armut 2016", "a year beside an exclusion"),
    ("Armut -Gera 2016", "a year beside a word and an exclusion"),
    ("2016 2024 Teilhabe", "two years"),
    ("Teilhabe 1999", "a year no record is dated in, in no text"),
    ("title:Armut 2016", "a year beside a field"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    opened = SearchIndex(tmp_path_factory.mktemp("index"), today=TODAY)
    opened.rebuild(RECORDS)
    yield opened
    opened.close()


@pytest.mark.parametrize(("text", "note"), ARRAY_CASES, ids=[note for _, note in ARRAY_CASES])
def test_arrays_score_dates_as_whoosh(index: SearchIndex, text: str, note: str) -> None:
    with index._lock:
        view = index._view()
        parsed = parse_query(text, view.parser, view.fallback_parser)
        ids, scores = whoosh_matches(view, parsed)
        matches = view.arrays().evaluate(parsed)
        unscored = view.arrays().evaluate(parsed, scored=False)
    assert np.flatnonzero(matches.mask).tolist() == ids, note
    assert np.flatnonzero(unscored.mask).tolist() == ids, note
    assert matches.score[ids] == pytest.approx(scores, rel=1e-12, abs=1e-12), note


# (query, the same query without its date, expected first hits, note)
RANKING_CASES = [
    ("2016 Armut", "Armut", ["wp-3", "wp-2"], "dated 2016 first, then the one saying 2016"),
    ("Teilhabe 2016", "Teilhabe", ["wp-4"], "a record dated only by its year"),
    ("März 2024 Sozialplaner", "Sozialplaner", ["wp-5"], "a month overlapping 2024-03"),
    ("Armut 2024", "Armut", ["wp-1"], "another year, another order"),
]


@pytest.mark.parametrize(("text", "without", "first", "note"), RANKING_CASES)
def test_dates_favour_records_dated_then(
    index: SearchIndex, text: str, without: str, first: list[str], note: str
) -> None:
    result = index.search(text, limit=10)
    plain = index.search(without, limit=10)
    assert [hit.id for hit in result.hits[: len(first)]] == first, note
    assert result.total == plain.total, "a date drops no record the words find"
    assert {hit.id for hit in result.hits} == {hit.id for hit in plain.hits}


def test_a_date_adds_its_preference_to_the_score(index: SearchIndex) -> None:
    dated = {hit.id: hit.score for hit in index.search("Teilhabe 2016", limit=10).hits}
    plain = {hit.id: hit.score for hit in index.search("Teilhabe", limit=10).hits}
    assert dated["wp-4"] == pytest.approx(plain["wp-4"] + DATE_PREFERENCE_SCORE, abs=1e-3)
    assert dated["wp-1"] == pytest.approx(plain["wp-1"], abs=1e-3)  # dated 2024, no "2016"


UNDERSTOOD_CASES = [
    ("Armut 2016", [{"text": "2016", "date": "2016"}]),
    ("März 2024", [{"text": "März 2024", "date": "2024-03"}]),
    ("Armut", None),
    ("year:2016 Armut", None),
    ("2016 ANDNOT Armut", None),
    ("Armut AND 2016 ANDNOT Gera", None),
]

# (query, the records it finds, note): a year before ANDNOT is its operand, a word to
# find, not a date preference taken out of the query (which left ANDNOT dangling).
OPERAND_CASES = [
    ("Armut AND 2016 ANDNOT Gera", {"wp-2"}, "the year must stand in the text; Gera excluded"),
    ("2016 ANDNOT Armut", set(), "the only text saying 2016 also says Armut"),
    ("2016 ANDNOT Gera", {"wp-2"}, "Gera's record does not say 2016"),
]


@pytest.mark.parametrize(("text", "found", "note"), OPERAND_CASES)
def test_a_year_before_andnot_is_its_operand(
    index: SearchIndex, text: str, found: set[str], note: str
) -> None:
    assert {hit.id for hit in index.search(text, limit=10).hits} == found, note


@pytest.mark.parametrize(("text", "understood"), UNDERSTOOD_CASES)
def test_the_result_says_which_dates_it_understood(
    index: SearchIndex, text: str, understood
) -> None:
    result = index.search(text, limit=3)
    data = json.loads(json.dumps(result.to_dict()))
    assert data.get("understood_dates") == understood
    assert [when.to_dict() for when in result.understood_dates] == (understood or [])


def test_a_date_sort_keeps_the_matches(index: SearchIndex) -> None:
    result = index.search("2016 Armut", sort="-date", limit=10)
    assert [hit.id for hit in result.hits] == ["wp-1", "wp-2", "wp-3"]
    assert all(hit.score is None for hit in result.hits)


# --------------------------------------------------------------------------------------
# An index of another format version: refused, and rebuilt by the sync
# --------------------------------------------------------------------------------------


def _set_format_version(index_dir: Path, version) -> None:
    generation = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    meta_path = index_dir / generation / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if version is None:
        meta.pop("format_version")
    else:
        meta["format_version"] = version
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


OUTDATED_CASES = [
    (FORMAT_VERSION - 1, "the version before this analysis"),
    (None, "no version at all"),
    ("2", "a version that is no number"),
]


@pytest.mark.parametrize(("version", "note"), OUTDATED_CASES, ids=[n for _, n in OUTDATED_CASES])
def test_an_outdated_index_is_refused(tmp_path: Path, version, note: str) -> None:
    index = SearchIndex(tmp_path / "index", today=TODAY)
    index.rebuild(RECORDS)
    index.close()
    _set_format_version(tmp_path / "index", version)
    reopened = SearchIndex(tmp_path / "index", today=TODAY)
    with pytest.raises(IndexOutdatedError, match="ikpe-archive index"):
        reopened.search("Armut")
    with pytest.raises(IndexDamagedError):  # what the sync rebuilds
        reopened.update([RECORDS[0]], [])


def test_the_sync_rebuilds_an_outdated_index(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data").ensure()
    with ArchiveStore(data_dir.store_path) as store:
        store.begin_crawl("c1", "https://www.ikpe-erfurt.de/")
        store.save([check(record) for record in RECORDS], "c1")
        store.finish_crawl("c1", "finished", {})
        assert sync_index(data_dir, store)["mode"] == "rebuild"
        _set_format_version(data_dir.index_dir, FORMAT_VERSION - 1)
        result = sync_index(data_dir, store)
    assert result["mode"] == "rebuild"
    assert "another version" in result["repaired"]
    with SearchIndex(data_dir.index_dir) as index:
        assert index.search("Sozialplaner").total == 1  # the new analysis: -innen found


def test_the_query_months_are_the_date_rules_months_folded() -> None:
    assert {fold(word): month for word, month in DATE_MONTHS.items()} == MONTHS
