"""The search index's life cycle on small records: missing, empty, rebuilt, updated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from archive.search import IndexMissingError, QueryError, SearchIndex
from archive.search.index import GENERATION_PREFIX
from tests.helpers import small_record

TODAY = date(2025, 1, 1)


def test_query_error_is_a_value_error() -> None:
    assert issubclass(QueryError, ValueError)


def test_snippets_escape_untrusted_text(tmp_path: Path) -> None:
    text = "Vorher <script>alert('x')</script> und <b>fett</b>: Präventionsketten & mehr."
    index = SearchIndex(tmp_path / "index", today=TODAY)
    index.rebuild([small_record("wp-1", "Bericht", text)])
    snippet = index.search("Präventionsketten").hits[0].snippet
    assert "<script" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>Präventionsketten</mark> &amp; mehr." in snippet


def test_missing_index(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "nothing")
    assert not index.exists()
    with pytest.raises(IndexMissingError):
        index.search("Armut")


def test_an_empty_archive_gives_an_empty_index(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    assert index.rebuild([]) == 0
    result = index.search("Armut")
    assert (result.total, result.hits, result.suggestion) == (0, [], None)
    assert index.search("", sort="-date").total == 0
    assert index.count() == 0 and index.similar("wp-1") == []


def test_a_failed_rebuild_leaves_the_live_index(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    index = SearchIndex(directory)
    index.rebuild([small_record("wp-1", "Stand", "Kartoffel")])

    def broken_records():
        yield small_record("wp-2", "Neu", "Rübe")
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken_records())
    assert index.search("Kartoffel").total == 1
    assert len([p for p in directory.iterdir() if p.name.startswith(GENERATION_PREFIX)]) == 1


def test_update_creates_a_missing_index(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.update([small_record("wp-1", "Erster", "Kartoffel")], removed_ids=[])
    assert index.exists() and index.count() == 1


DATED = [("wp-1", "2022"), ("wp-2", "2023-02"), ("wp-3", "2023-02-28"), ("wp-4", "2023-03-01"),
         ("wp-5", "2024-12-31"), ("wp-6", "2025")]  # fmt: skip


@pytest.mark.parametrize(
    ("date_from", "date_to", "note"),
    [
        ("2023", None, "open end"),
        (None, "2023-02", "open start, a month"),
        ("2023-02-28", "2023-03-01", "two days across a month end"),
        ("2022-06", "2023-02-01", "a partial date counts by its range"),
        ("2024-12-31", "2025-01-01", "year end"),
        ("2030", None, "nothing after"),
    ],
)
def test_date_ranges_select_what_the_index_query_selects(
    tmp_path: Path, date_from, date_to, note
) -> None:
    from archive.search.filters import Filters

    index = SearchIndex(tmp_path / "index", today=TODAY)
    index.rebuild([small_record(i, "Titel", "Armut im Land", date=d) for i, d in DATED])
    filters = Filters(date_from=date_from, date_to=date_to)
    with index._lock:
        view = index._view()
        by_arrays = set(np.flatnonzero(view.filter_mask(filters)).tolist())
        by_query = set(view.searcher.docs_for_query(filters.to_query()))
    assert by_arrays == by_query, note


def test_results_are_cached_per_generation(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", today=TODAY)
    index.rebuild([small_record("wp-1", "Armut", "Armut im Land")])
    first = index.search("Armut")
    assert index.search("Armut") is first  # the same search, the same generation
    index.update([small_record("wp-2", "Armut", "Armut in der Stadt")], [])
    again = index.search("Armut")
    assert again is not first and again.total == 2  # a new generation is never stale
