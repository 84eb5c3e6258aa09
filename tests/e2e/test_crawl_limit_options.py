"""The crawl's limits from the command line and from ``crawl.toml`` (issue 13): options
of ``crawl`` and ``nightly``, a file in the data directory, the environment still
working, each over the one before; a bad value is one line and exit 2, before any
request. Real crawls of a site on 127.0.0.1 with the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.hostile_bounds_site import BoundsSite

UPLOADS = "/wp-content/uploads/"

# (command, crawl.toml, environment, options, PDFs fetched), note. The site's 60 PDFs
# share one URL pattern; its four posts another.
LIMITS = [
    ("crawl", "[limits]\nmax_per_pattern = 5\n", {}, [], 5, "crawl.toml alone"),
    ("crawl", "[limits]\nmax_per_pattern = 5\n", {"IKPE_CRAWL_MAX_PER_PATTERN": "7"}, [], 7,
     "the environment over the file"),
    ("crawl", "[limits]\nmax_per_pattern = 5\n", {"IKPE_CRAWL_MAX_PER_PATTERN": "7"},
     ["--max-per-pattern", "4"], 4, "an option over the environment"),
    ("crawl", "", {}, ["--path-limit", "/wp-content/uploads/*=3"], 3, "a path limit"),
    ("crawl", "[limits.path]\n\"/wp-content/*\" = 8\n", {},
     ["--path-limit", "/wp-content/uploads/*=6"], 6, "two path limits: the tighter holds"),
    ("nightly", "", {}, ["--path-limit", "/wp-content/uploads/*=2"], 2, "nightly takes them"),
]  # fmt: skip


@pytest.mark.parametrize("command, toml, env, options, pdfs", [row[:5] for row in LIMITS],
                         ids=[row[5] for row in LIMITS])  # fmt: skip
def test_limits_from_options_file_and_environment_bound_a_real_crawl(
    tmp_path: Path, command: str, toml: str, env: dict, options: list[str], pdfs: int
) -> None:
    if toml:
        (tmp_path / "crawl.toml").write_text(toml)
    with BoundsSite() as site:
        result = run_cli(command, "--start-url", site.url, "--no-throttle", *options,
                         data_dir=tmp_path, env=env, timeout=240)  # fmt: skip
        fetched = site.hits(UPLOADS)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in (0, 3), result.stderr[-3000:]  # 3: nightly's cut monitor
    assert fetched == pdfs
    assert "cut off (limit) per_pattern" in result.stdout


# (arguments, environment, crawl.toml, message), note.
BAD_VALUES = [
    (["--max-pages", "abc"], {}, "", "--max-pages: 'abc' is not a whole number", "letters"),
    (["--max-pages", "0"], {}, "", "--max-pages: 0 is less than 1", "nothing"),
    (["--max-depth", "-3"], {}, "", "--max-depth: -3 is less than 0", "negative"),
    (["--max-per-pattern", "1e3"], {}, "", "'1e3' is not a whole number", "a float's spelling"),
    (["--path-limit", "kalender=3"], {}, "", "is not GLOB=N", "a glob that is no path"),
    (["--path-limit", "/k/*=drei"], {}, "", "'drei' is not a whole number", "a word for N"),
    ([], {"IKPE_CRAWL_PAGE_BUDGET": "viele"}, "", "IKPE_CRAWL_PAGE_BUDGET: 'viele'",
     "the environment, checked too"),
    ([], {}, "[limits]\nmax_depth = 'tief'\n", "limits.max_depth: 'tief'", "crawl.toml"),
    ([], {}, "[limits\n", "cannot be read as TOML", "crawl.toml that is no TOML"),
]  # fmt: skip


@pytest.mark.parametrize("command", ["crawl", "nightly"])
@pytest.mark.parametrize("args, env, toml, message", [row[:4] for row in BAD_VALUES],
                         ids=[row[4] for row in BAD_VALUES])  # fmt: skip
def test_a_bad_limit_is_one_line_and_exit_2_before_any_request(
    tmp_path: Path, command: str, args: list[str], env: dict, toml: str, message: str
) -> None:
    if toml:
        (tmp_path / "crawl.toml").write_text(toml)
    with BoundsSite() as site:
        result = run_cli(command, "--start-url", site.url, "--no-throttle", *args,
                         data_dir=tmp_path, env=env, timeout=60)  # fmt: skip
        requested = list(site.requests)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert message in lines[0]
    assert requested == [] and result.stdout == ""
