"""crawler.bounds: URL patterns, link depth, the limit per pattern and the page budget
(issue 13); and the limits read from the crawl's settings."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy.settings import Settings

from archive import statkeys
from crawler import settings as default_settings
from crawler.bounds import (
    BUDGET,
    DEPTH,
    LIMIT_RULES,
    PER_PATTERN,
    CrawlBounds,
    CrawlLimits,
    Hop,
    url_pattern,
)
from crawler.middlewares import crawl_limits
from crawler.traps import DATE_OUT_OF_RANGE, TrapRules

SITE = "https://www.ikpe-erfurt.de"

# (url, pattern), note.
PATTERN_CASES = [
    (f"{SITE}/category/news/page/7/", "/category/news/page/N/", "digits become N"),
    (f"{SITE}/veranstaltungen/?monat=2031-05", "/veranstaltungen/?monat", "values dropped"),
    (f"{SITE}/wp-json/wp/v2/posts?per_page=100&page=2&orderby=id&order=asc",
     "/wp-json/wp/vN/posts?order&orderby&page&per_page", "parameter names sorted"),
    (f"{SITE}/?b=1&a=2&a=3", "/?a&b", "a repeated name once"),
    (f"{SITE}", "/", "no path"),
    (f"{SITE}/zum-thema-9", "/zum-thema-N", "a repeated slug shares its siblings' pattern"),
]  # fmt: skip


@pytest.mark.parametrize(
    "url, pattern", [c[:2] for c in PATTERN_CASES], ids=[c[2] for c in PATTERN_CASES]
)
def test_url_pattern(url: str, pattern: str) -> None:
    assert url_pattern(url) == pattern


def test_depth_grows_between_kinds_of_page_not_along_a_pagination() -> None:
    bounds = CrawlBounds(CrawlLimits())
    home = bounds.decide(f"{SITE}/", None).hop
    archive = bounds.decide(f"{SITE}/category/news/", home).hop
    page_2 = bounds.decide(f"{SITE}/category/news/page/2/", archive).hop
    page_3 = bounds.decide(f"{SITE}/category/news/page/3/", page_2).hop
    post = bounds.decide(f"{SITE}/ein-beitrag/", page_3).hop
    assert [h.depth for h in (home, archive, page_2, page_3, post)] == [0, 1, 2, 2, 3]


def test_depth_limit_cuts_a_chain_of_new_kinds_of_page() -> None:
    bounds = CrawlBounds(CrawlLimits(max_depth=3))
    hop, cuts = None, []
    for word in ("a", "aa", "aaa", "aaaa", "aaaaa"):
        decision = bounds.decide(f"{SITE}/kette/{word}/", hop)
        cuts.append(decision.cut)
        hop = decision.hop
    assert cuts == [None, None, None, None, DEPTH]  # depths 0, 1, 2, 3, then 4


def test_limit_per_pattern() -> None:
    bounds = CrawlBounds(CrawlLimits(max_per_pattern=3))
    cuts = [bounds.decide(f"{SITE}/liste/{n}/", Hop(1, "/")).cut for n in range(5)]
    assert cuts == [None, None, None, PER_PATTERN, PER_PATTERN]
    assert bounds.decide(f"{SITE}/anderes/", Hop(1, "/")).cut is None  # other patterns go on


def test_page_budget_is_spent_by_admitted_requests_only() -> None:
    bounds = CrawlBounds(CrawlLimits(page_budget=2))
    assert bounds.decide(f"{SITE}/2099/01/", None).cut == DATE_OUT_OF_RANGE  # costs nothing
    assert [bounds.decide(f"{SITE}/b{n}/", None).cut for n in range(3)] == [None, None, BUDGET]
    assert bounds.budget_spent and bounds.admitted == 2


def test_traps_are_checked_before_limits() -> None:
    bounds = CrawlBounds(CrawlLimits(page_budget=0))
    assert bounds.decide(f"{SITE}/2099/01/", None).cut == DATE_OUT_OF_RANGE
    assert not bounds.budget_spent


def test_limit_rules_are_the_ones_the_monitors_read() -> None:
    assert LIMIT_RULES == statkeys.LIMIT_CUTS


def test_limits_from_settings_and_the_calendar_window_from_today() -> None:
    settings = Settings()
    settings.setmodule(default_settings)
    limits = crawl_limits(settings, today=date(2026, 11, 30))
    assert limits == CrawlLimits(
        page_budget=10_000,
        max_per_pattern=1_000,
        max_depth=12,
        traps=TrapRules(first_year=2000, last_year=2028, max_page_number=1_000),
    )
    settings.set("IKPE_CRAWL_PAGE_BUDGET", "80")
    settings.set("IKPE_CRAWL_YEARS_AHEAD", "1")
    limits = crawl_limits(settings, today=date(2026, 11, 30))
    assert (limits.page_budget, limits.traps.last_year) == (80, 2027)


def test_defaults_leave_room_for_the_real_site() -> None:
    # 2-3k posts: ~300 archive pages of ten, ~30 REST pages of a hundred, one request per
    # post in the sitemap layer, depth about 7 (home, REST, robots, sitemaps, post, newsletter).
    limits = CrawlLimits()
    assert limits.page_budget >= 3 * 3_000
    assert limits.max_per_pattern >= 3 * 300 and limits.traps.max_page_number >= 3 * 300
    assert limits.max_depth >= 7 + 3
