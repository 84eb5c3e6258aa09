"""The command line fuzzed in-process (click's runner) over the hostile archive, for the
commands ``tests/unit/search_app/test_cli_fuzz.py`` does not fuzz (``search`` and
``similar``): ``export`` and ``press-review`` with odd dates, types, formats, queries and
folders end in exit 0, 1 or 2 (a usage error), never an exception; what ``export`` writes
parses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.export import FORMATS
from archive.schema import RECORD_TYPES
from search_app.cli import cli
from tests.faults.fault_data import HostileArchive
from tests.faults.fault_fuzz import ODD_DATES, PAYLOADS, UNICODE

pytestmark = pytest.mark.e2e  # the hostile archive is crawled by the CLI

SETTINGS = settings(max_examples=25, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip
NAMES = st.one_of(st.sampled_from(list(FORMATS) + list(RECORD_TYPES)), UNICODE, PAYLOADS)


def option(name: str, values: st.SearchStrategy) -> st.SearchStrategy[list[str]]:
    """``[name, value]`` or nothing."""
    return st.one_of(st.just([]), values.map(lambda value: [name, value]))


def invoke(archive: HostileArchive, arguments: list[str]):
    result = CliRunner().invoke(cli, ["--data-dir", str(archive.root), *arguments])
    assert result.exit_code in (0, 1, 2), (arguments, result.output[-2000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        arguments, repr(result.exception))  # fmt: skip
    return result


@SETTINGS
@given(fmt=st.one_of(st.sampled_from(list(FORMATS)), NAMES), date_from=option("--from", ODD_DATES),
       date_to=option("--to", ODD_DATES), record_type=option("--type", NAMES))  # fmt: skip
def test_export_never_raises(hostile_archive: HostileArchive, fmt, date_from, date_to,
                             record_type) -> None:  # fmt: skip
    result = invoke(hostile_archive, ["export", "--format", fmt, *date_from, *date_to,
                                      *record_type])  # fmt: skip
    if result.exit_code == 0 and fmt == "jsonl":
        [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@SETTINGS
@given(period=st.one_of(option("--month", st.one_of(ODD_DATES, st.just("previous"))),
                        st.tuples(option("--from", ODD_DATES), option("--to", ODD_DATES))
                        .map(lambda p: p[0] + p[1])),
       query=option("--query", st.one_of(UNICODE, PAYLOADS)),
       saved=option("--saved", st.one_of(st.just("fuzz"), UNICODE)),
       folder=st.sampled_from(["", "fehlt/"]))  # fmt: skip
def test_press_review_never_raises(hostile_archive: HostileArchive, tmp_path_factory, period,
                                   query, saved, folder) -> None:  # fmt: skip
    out = tmp_path_factory.mktemp("review") / folder / "review-{from}.md"
    result = invoke(hostile_archive, ["press-review", "--format", "md", "-o", str(out),
                                      *period, *query, *saved])  # fmt: skip
    if result.exit_code == 0:
        assert list(Path(out).parent.glob("review-*.md")), result.output


def test_stats_and_a_hostile_search(hostile_archive: HostileArchive) -> None:
    assert json.loads(invoke(hostile_archive, ["stats", "--json"]).stdout)
    printed = invoke(hostile_archive, ["search", "Armut", "Fachtag", "alert"]).stdout
    assert "\x1b" not in printed and "\u202e" not in printed
