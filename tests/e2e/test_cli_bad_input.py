"""Clumsy and hostile input to the command line: queries that look like options, bytes
that are not UTF-8, huge queries, hostile titles, bad dates and missing folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.config import DataDir
from tests.helpers import PROJECT_ROOT, cli, small_record, store_crawl

HOSTILE_TITLE = "Armut \x1b[31mROT\x1b[0m \u202egnurednä\u202c \u200bnull\x07 Ende"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bad-input") / "data"
    store_crawl(DataDir(root), "crawl-1", [
        small_record("wp-1", HOSTILE_TITLE, "Armut und Teilhabe in Erfurt"),
        small_record("wp-2", "Teilhabe", "Teilhabe ohne das andere Wort"),
    ])  # fmt: skip
    assert cli(root, "index").returncode == 0
    return root


# (arguments after `search`, ids expected), note.
QUERY_ARGUMENTS = [
    (["-Armut", "Teilhabe"], ["wp-2"], "a leading -word excludes, no option error"),
    (["Teilhabe", "-Armut", "--json"], ["wp-2"], "-word after a word, --json still an option"),
    (["--json", "--", "-Armut", "Teilhabe"], ["wp-2"], "-- still works (all after it is query)"),
    (["Armut", "Teilhabe"], ["wp-1"], "unquoted words are one query"),
    (["-Erfurt"], ["wp-2"], "a lone -word"),
]  # fmt: skip


@pytest.mark.parametrize("args, ids", [c[:2] for c in QUERY_ARGUMENTS],
                         ids=[c[2] for c in QUERY_ARGUMENTS])  # fmt: skip
def test_queries_starting_with_a_minus(data_dir: Path, args: list[str], ids: list[str]) -> None:
    result = cli(data_dir, "search", *args, *([] if "--json" in args else ["--json"]))
    assert result.returncode == 0, result.stderr
    assert [hit["id"] for hit in json.loads(result.stdout)["hits"]] == ids


def test_an_unknown_long_option_is_still_an_error(data_dir: Path) -> None:
    result = cli(data_dir, "search", "Armut", "--jsn")
    assert result.returncode == 2 and "No such option" in result.stderr


def run_bytes(data_dir: Path, *args: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search_app.cli", "--data-dir", str(data_dir), *args],
        capture_output=True, cwd=PROJECT_ROOT, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip


@pytest.mark.parametrize("query", [b"Armut\xff", b"\xc3(Teilhabe", b"\xed\xa0\x80Armut*"])
def test_bytes_that_are_not_utf8_give_valid_json(data_dir: Path, query: bytes) -> None:
    result = run_bytes(data_dir, b"search", query, b"--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout.decode("utf-8"))  # strict: fails on invalid UTF-8
    assert "\ufffd" in payload["query"]


def test_a_huge_query_is_cut_with_a_note(data_dir: Path) -> None:
    result = cli(data_dir, "search", "Armut " + "x" * 70_000, "--json")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "the query was cut" in result.stderr
    assert json.loads(result.stdout)["query"] == "Armut"


def test_hostile_titles_do_not_reach_the_terminal_raw(data_dir: Path) -> None:
    result = cli(data_dir, "search", "Armut")
    assert result.returncode == 0, result.stderr
    for character in ("\x1b", "\u202e", "\u202c", "\u200b", "\x07"):
        assert character not in result.stdout
    assert "Armut [31mROT[0m gnurednä null Ende" in result.stdout


def test_json_escapes_hostile_titles(data_dir: Path) -> None:
    result = cli(data_dir, "search", "Armut", "--json")
    for character in ("\x1b", "\u202e", "\u200b", "\x07"):
        assert character not in result.stdout
    assert json.loads(result.stdout)["hits"][0]["title"] == HOSTILE_TITLE


# (arguments, exit code, message), note.
EXPORT_ARGUMENTS = [
    (["--from", "notadate"], 2, "is not YYYY", "not a date"),
    (["--to", "2023-13"], 2, "is not YYYY", "month 13"),
    (["--from", "2023-02-30"], 2, "is not a date", "a day February has not"),
    (["-o", "{root}/no/such/folder/out.csv"], 1, "does not exist", "a missing folder"),
]  # fmt: skip


@pytest.mark.parametrize("args, code, message", [c[:3] for c in EXPORT_ARGUMENTS],
                         ids=[c[3] for c in EXPORT_ARGUMENTS])  # fmt: skip
def test_export_refuses_bad_arguments(data_dir: Path, args: list[str], code: int,
                                      message: str) -> None:  # fmt: skip
    result = cli(data_dir, "export", "--format", "csv", *(a.format(root=data_dir) for a in args))
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
