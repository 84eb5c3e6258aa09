"""crawler.limits: where a crawl's limits come from (defaults, crawl.toml, the environment,
the options, each over the one before), the one-line messages for bad values, and the
path limits that crawler.bounds applies (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.bounds import PER_PATTERN, CrawlBounds, CrawlLimits
from crawler.limits import CONFIG_NAME, LIMITS, LimitError, as_environment, matches, resolve
from crawler.middlewares import crawl_limits

SITE = "https://www.ikpe-erfurt.de"

# (crawl.toml, environment, options, --path-limit values, expected values and path
#  limits (only what differs from the defaults)), note.
SOURCES = [
    ("", {}, {}, [], ({}, ()), "nothing given: the defaults"),
    ("[limits]\nmax_pages = 500\n", {}, {}, [], ({"max_pages": 500}, ()), "the file"),
    ("[limits]\nmax_pages = 500\n", {"IKPE_CRAWL_PAGE_BUDGET": "300"}, {}, [],
     ({"max_pages": 300}, ()), "the environment over the file"),
    ("[limits]\nmax_pages = 500\n", {"IKPE_CRAWL_PAGE_BUDGET": "300"}, {"max_pages": "40"}, [],
     ({"max_pages": 40}, ()), "an option over the environment"),
    ("", {"IKPE_CRAWL_PAGE_BUDGET": "  "}, {"max_depth": None}, [], ({}, ()),
     "an empty variable and an option not given set nothing"),
    ("[limits.path]\n\"/kalender/*\" = 50\n\"/liste/*\" = 9\n",
     {"IKPE_CRAWL_PATH_LIMITS": "/kalender/*=20 /archiv/*=5"}, {}, ["/liste/*=3"],
     ({}, (("/kalender/*", 20), ("/liste/*", 3), ("/archiv/*", 5))),
     "path limits merge by glob; a later source's N wins"),
    ("[limits]\nyears_ahead = 0\nfirst_year = 2010\n", {}, {"max_depth": "0"}, [],
     ({"years_ahead": 0, "first_year": 2010, "max_depth": 0}, ()), "zero where it means something"),
]  # fmt: skip


@pytest.mark.parametrize("toml, environ, options, paths, expected", [s[:5] for s in SOURCES],
                         ids=[s[5] for s in SOURCES])  # fmt: skip
def test_limits_come_from_file_environment_and_options_in_that_order(
    tmp_path: Path, toml: str, environ: dict, options: dict, paths: list, expected: tuple
) -> None:
    if toml:
        (tmp_path / CONFIG_NAME).write_text(toml)
    limits = resolve(tmp_path, environ, options, paths)
    defaults = {limit.name: limit.default for limit in LIMITS}
    assert dict(limits.values) == {**defaults, **expected[0]}
    assert limits.path_limits == expected[1]
    # Spelled as the environment, they resolve to themselves (how the CLI hands them on).
    assert resolve(None, as_environment(limits)) == limits


# (crawl.toml, environment, options, --path-limit values, the message), note.
BAD = [
    ("", {}, {"max_pages": "abc"}, [], "--max-pages: 'abc' is not a whole number", "letters"),
    ("", {}, {"max_pages": "0"}, [], "--max-pages: 0 is less than 1", "a budget of nothing"),
    ("", {}, {"max_depth": "-1"}, [], "--max-depth: -1 is less than 0", "negative depth"),
    ("", {}, {"max_pages": "²"}, [], "is not a whole number", "a digit to str, not to int"),
    ("", {}, {"max_pages": "1.5"}, [], "is not a whole number", "a fraction"),
    ("", {"IKPE_CRAWL_MAX_DEPTH": "tief"}, {}, [], "IKPE_CRAWL_MAX_DEPTH: 'tief'", "the env"),
    ("", {"IKPE_CRAWL_PATH_LIMITS": "kalender=3"}, {}, [], "IKPE_CRAWL_PATH_LIMITS:",
     "a glob that is no path"),
    ("", {}, {}, ["/x/*"], "is not GLOB=N", "no N"),
    ("", {}, {}, ["/x/*=0"], "0 is less than 1", "a path limit of nothing"),
    ("[limits\n", {}, {}, [], "cannot be read as TOML", "broken TOML"),
    ("[limits]\nmax_seiten = 3\n", {}, {}, [], "unknown limit 'max_seiten'", "a misspelt key"),
    ("[limits]\nmax_pages = true\n", {}, {}, [], "limits.max_pages: True is not", "a boolean"),
    ("[limits]\nmax_pages = 'viele'\n", {}, {}, [], "limits.max_pages: 'viele'", "a string"),
    ("[grenzen]\nmax_pages = 3\n", {}, {}, [], "only a [limits] table", "an unknown table"),
    ("[limits.path]\n\"/x/*\" = -2\n", {}, {}, [], "-2 is less than 1", "a negative path limit"),
]  # fmt: skip


@pytest.mark.parametrize("toml, environ, options, paths, message", [b[:5] for b in BAD],
                         ids=[b[5] for b in BAD])  # fmt: skip
def test_a_bad_limit_is_one_line_naming_its_source(
    tmp_path: Path, toml: str, environ: dict, options: dict, paths: list, message: str
) -> None:
    if toml:
        (tmp_path / CONFIG_NAME).write_text(toml)
    with pytest.raises(LimitError) as raised:
        resolve(tmp_path, environ, options, paths)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_config_that_is_a_directory_is_a_bad_limit(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).mkdir()
    with pytest.raises(LimitError, match="cannot be read"):
        resolve(tmp_path, {})


# (glob, url, matches), note.
GLOBS = [
    ("/veranstaltungen/*", f"{SITE}/veranstaltungen/monat/2031-05/", True, "a path below"),
    ("/veranstaltungen/*", f"{SITE}/termine/veranstaltungen/", False, "anchored at the start"),
    ("/kalender/?monat=*", f"{SITE}/kalender/?monat=2031-05", True, "the query counts"),
    ("/*.pdf", f"{SITE}/wp-content/uploads/2024/05/a.pdf", True, "* crosses slashes"),
    ("/*.pdf", f"{SITE}/wp-content/uploads/a.PDF", False, "case matters, as in URLs"),
]  # fmt: skip


@pytest.mark.parametrize("glob, url, expected", [g[:3] for g in GLOBS], ids=[g[3] for g in GLOBS])
def test_path_globs(glob: str, url: str, expected: bool) -> None:
    assert matches(glob, url) is expected


def test_a_path_limit_cuts_its_urls_together_as_a_limit_per_pattern() -> None:
    bounds = CrawlBounds(CrawlLimits(path_limits=(("/veranstaltungen/*", 3),)))
    urls = [f"{SITE}/veranstaltungen/{kind}/{n}/" for kind in ("monat", "woche") for n in range(3)]
    cuts = [bounds.decide(url, None).cut for url in urls]
    assert cuts == [None, None, None, PER_PATTERN, PER_PATTERN, PER_PATTERN]
    assert bounds.decide(f"{SITE}/beitrag/", None).cut is None  # other paths go on
    assert bounds.admitted == 4


def test_the_crawls_settings_carry_the_path_limits_to_the_bounds() -> None:
    settings = Settings()
    settings.setdict(resolve(None, {"IKPE_CRAWL_PATH_LIMITS": "/a/*=2"}).settings())
    assert crawl_limits(settings).path_limits == (("/a/*", 2),)
