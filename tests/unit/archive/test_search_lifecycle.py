"""The search index's life cycle on small records: missing, empty, rebuilt, updated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
