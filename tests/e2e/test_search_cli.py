"""`ikpe-archive index` and `search` over a real crawl of the replica."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import Replica, cli, nightly


@pytest.fixture(scope="module")
def archive_dir(replica_server: Replica, tmp_path_factory) -> Path:
    """A data directory after one nightly run of the replica (store and index)."""
    replica_server.reset()
    data_dir = tmp_path_factory.mktemp("search")
    result = nightly(data_dir, replica_server.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    return data_dir


def search(data_dir: Path, *args: str) -> dict:
    result = cli(data_dir, "search", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_shape(archive_dir: Path) -> None:
    answer = search(archive_dir, "Präventionsketten")
    assert set(answer) == {"query", "total", "suggestion", "hits"}
    assert answer["total"] > 0
    for hit in answer["hits"]:
        assert set(hit) == {"id", "url", "type", "date", "title", "score", "snippet"}
    assert any("<mark>" in hit["snippet"] for hit in answer["hits"])


@pytest.mark.parametrize(
    "query, expected_title_part",
    [
        ("Struening", "Strüning"),
        ("Strüning", "Strüning"),
        ('"Thüringer Präventionsketten"', "Präventionsketten"),
    ],
)
def test_german_queries_find_the_records(
    archive_dir: Path, query: str, expected_title_part: str
) -> None:
    answer = search(archive_dir, query, "--limit", "5")
    assert answer["total"] > 0
    joined = " ".join(h["title"] + " " + h["snippet"] for h in answer["hits"])
    assert expected_title_part in joined


def test_type_and_date_filters_and_date_sort(archive_dir: Path) -> None:
    answer = search(archive_dir, "Sozialplanung", "--type", "press_release", "--limit", "50")
    assert answer["hits"] and {h["type"] for h in answer["hits"]} == {"press_release"}
    dated = search(archive_dir, "Sozialplanung", "--from", "2023", "--to", "2023-12",
                   "--sort", "date", "--limit", "100")  # fmt: skip
    dates = [h["date"] for h in dated["hits"]]
    assert dates and all(d.startswith("2023") for d in dates)
    assert dates == sorted(dates)
    newest_first = search(archive_dir, "Sozialplanung", "--sort", "-date", "--limit", "100")
    dates = [h["date"] for h in newest_first["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_a_query_that_does_not_parse_falls_back_to_words(archive_dir: Path) -> None:
    answer = search(archive_dir, 'title:( "Armut')
    assert answer["total"] == search(archive_dir, "Armut")["total"] > 0


def test_did_you_mean(archive_dir: Path) -> None:
    answer = search(archive_dir, "Präventionsketen")
    assert answer["suggestion"]


def test_bad_date_is_a_usage_error(archive_dir: Path) -> None:
    result = cli(archive_dir, "search", "Armut", "--from", "März 2024")
    assert result.returncode == 2 and "YYYY" in result.stderr and "Traceback" not in result.stderr


def test_search_without_an_index_is_a_clear_error(tmp_path: Path) -> None:
    result = cli(tmp_path, "search", "Armut")
    assert result.returncode == 1 and "no search index" in result.stderr


def test_index_rebuild_swaps_in_a_complete_index(archive_dir: Path) -> None:
    before = search(archive_dir, "Sozialplanung", "--limit", "3")
    rebuilt = cli(archive_dir, "index", "--rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "index rebuild" in rebuilt.stdout
    after = search(archive_dir, "Sozialplanung", "--limit", "3")
    assert after["total"] == before["total"]
    again = cli(archive_dir, "index")
    assert "index incremental: 0 records indexed, 0 removed" in again.stdout


def test_similar_records(archive_dir: Path) -> None:
    first = search(archive_dir, "Präventionsketten", "--limit", "1")["hits"][0]
    result = cli(archive_dir, "similar", first["id"], "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and first["id"] not in {h["id"] for h in hits}
    assert cli(archive_dir, "similar", "wp-0", "--json").stdout.strip() == "[]"
