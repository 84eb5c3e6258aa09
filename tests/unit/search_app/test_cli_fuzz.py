"""Property-based fuzzing of the command line in-process (click's runner): arbitrary query
words and options to ``search`` and ``similar`` end in exit 0 or a usage error (2), never an
exception; printed text holds no control or bidi characters."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.config import DataDir
from archive.facade import Archive
from search_app.cli import cli
from tests.helpers import small_record, store_crawl

HOSTILE = "Armut \x1b[2J\u202eTitel\u200b \x00 ende"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli-fuzz")
    store_crawl(DataDir(root), "crawl-1", [
        small_record("wp-1", HOSTILE, "Armut und Teilhabe in Erfurt"),
        small_record("wp-2", "Teilhabe", "Teilhabe, Sozialplanung"),
    ])  # fmt: skip
    with Archive(DataDir(root)) as archive:
        archive.update_index()
    return root


WORD = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["-Armut", "-h", "--", "--json", "--limit", "0", "--sort", "date",
                     "--type", "event", "--from", "2023-13", "--to", "2023", '"', "title:",
                     "Armut", "Teil*", "\ud800", "-", "--jsn"]),
)  # fmt: skip
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def printed_safely(output: str) -> bool:
    return not any(
        unicodedata.category(character) in {"Cc", "Cf"} and character != "\n"
        for character in output
    )


@SETTINGS
@given(words=st.lists(WORD, min_size=0, max_size=8))
def test_search_never_raises(data_dir: Path, words: list[str]) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "search", *words])
    assert result.exit_code in (0, 2), (result.output, result.exception)
    if result.exit_code == 0 and "--json" in words and "--" not in words and "-h" not in words:
        json.loads(result.stdout)
    if result.exit_code == 0:
        assert printed_safely(result.stdout), result.stdout


@SETTINGS
@given(record_id=st.text(max_size=40), as_json=st.booleans())
def test_similar_never_raises(data_dir: Path, record_id: str, as_json: bool) -> None:
    arguments = ["--data-dir", str(data_dir), "similar", "--", record_id]
    result = CliRunner().invoke(cli, [*arguments[:3], *(["--json"] if as_json else []),
                                      *arguments[3:]])  # fmt: skip
    assert result.exit_code == 0, (result.output, result.exception)
    assert printed_safely(result.stdout)


def test_a_hostile_title_is_printed_safely(data_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "search", "Armut"])
    assert result.exit_code == 0 and "Armut [2JTitel  ende" in result.stdout
