"""Tables for crawler.traps: URLs recognised as crawler traps by their shape alone
(issue 13), and ordinary URLs of the site that must never be."""

from __future__ import annotations

import pytest

from crawler.traps import (
    DATE_OUT_OF_RANGE,
    PAGE_NUMBER,
    QUERY_EXPLOSION,
    REPEATED_SEGMENTS,
    TrapRules,
    years_in,
)

RULES = TrapRules(first_year=2000, last_year=2028)
SITE = "https://www.ikpe-erfurt.de"

# (url, rule), note.
TRAP_CASES = [
    (f"{SITE}/veranstaltungen/monat/2029-01/", DATE_OUT_OF_RANGE,
     "a calendar month past the years ahead"),
    (f"{SITE}/veranstaltungen/monat/1999-12/", DATE_OUT_OF_RANGE,
     "a calendar month before the site's first year"),
    (f"{SITE}/veranstaltungen/?monat=2031-05", DATE_OUT_OF_RANGE, "a date parameter"),
    (f"{SITE}/events/?tribe-bar-date=2099-01-01", DATE_OUT_OF_RANGE,
     "The Events Calendar's date parameter"),
    (f"{SITE}/?m=203105", DATE_OUT_OF_RANGE, "WordPress's own month archive parameter"),
    (f"{SITE}/kalender/?jahr=1850", DATE_OUT_OF_RANGE, "a year parameter, German"),
    (f"{SITE}/2031/05/", DATE_OUT_OF_RANGE, "a date archive by path"),
    (f"{SITE}/kalender/20990517/", DATE_OUT_OF_RANGE, "a compact date in the path"),
    (f"{SITE}/liste/?beliebig=2100-02", DATE_OUT_OF_RANGE,
     "any parameter whose value is a dashed date"),
    (f"{SITE}/category/news/page/1001/", PAGE_NUMBER, "pagination past the page limit"),
    (f"{SITE}/feed/?paged=5000", PAGE_NUMBER, "a paged feed past the limit"),
    (f"{SITE}/suche/?seite=99999", PAGE_NUMBER, "a German page parameter"),
    (f"{SITE}/a/unterordner/unterordner/unterordner/", REPEATED_SEGMENTS,
     "a relative link that grows the path"),
    (f"{SITE}/a/b/A/b/a/", REPEATED_SEGMENTS, "a loop of two, case folded"),
    (f"{SITE}/{'/'.join(f's{n}' for n in range(17))}/", REPEATED_SEGMENTS,
     "a path deeper than any the site has"),
    (f"{SITE}/filter/?" + "&".join(f"f{n}=ja" for n in range(9)), QUERY_EXPLOSION,
     "faceted filters piling up parameters"),
    (f"{SITE}/suche/?s=" + "x" * 1100, QUERY_EXPLOSION, "a query longer than any real one"),
]  # fmt: skip

# url, note: ordinary URLs of the site (and of WordPress) that are not traps.
ORDINARY_CASES = [
    (f"{SITE}/", "the home page"),
    (f"{SITE}/ikpe-jahrestagung-und-mitgliederversammlung-2022", "a slug with a year"),
    (f"{SITE}/unser-vorgehen-7", "a repeated slug"),
    (f"{SITE}/category/willkommen/news_archiv/page/300/", "a deep but real archive page"),
    (f"{SITE}/wp-content/uploads/2023/11/Pressemitteilung.pdf", "an upload path"),
    (f"{SITE}/wp-json/wp/v2/posts?per_page=100&page=3&orderby=id&order=asc", "REST paging"),
    (f"{SITE}/?mailpoet_router&endpoint=view_in_browser&action=view&data=5f2c8e1a9b7d",
     "a MailPoet newsletter view"),
    (f"{SITE}/?p=2198", "a shortlink: a post id is not a year"),
    (f"{SITE}/veranstaltungen/monat/2028-12/", "the last month of the years ahead"),
    (f"{SITE}/veranstaltungen/?monat=2000-01", "the first month of the first year"),
    (f"{SITE}/page/999/", "a page number after /page/ is not a year"),
    (f"{SITE}/feed/?paged=500", "the feed's own bound"),
    (f"{SITE}/category/a/category/b/", "a segment twice is not yet a loop"),
    (f"{SITE}/wp-sitemap-posts-post-1.xml", "a sitemap"),
]  # fmt: skip


def test_tables_have_no_duplicate_inputs() -> None:
    urls = [c[0] for c in TRAP_CASES] + [c[0] for c in ORDINARY_CASES]
    assert len(urls) == len(set(urls))


@pytest.mark.parametrize("url, rule", [c[:2] for c in TRAP_CASES], ids=[c[2] for c in TRAP_CASES])
def test_traps_are_recognised(url: str, rule: str) -> None:
    assert RULES.trap(url) == rule


@pytest.mark.parametrize("url", [c[0] for c in ORDINARY_CASES], ids=[c[1] for c in ORDINARY_CASES])
def test_ordinary_urls_are_not_traps(url: str) -> None:
    assert RULES.trap(url) is None


# (segments, params, years), note.
YEARS_CASES = [
    (["kalender", "2024-05"], [], [2024], "year-month segment"),
    (["2023", "05", "beitrag"], [], [2023], "a date permalink: the month is not a year"),
    (["page", "2099"], [], [], "a page number, not a year"),
    ([], [("year", "2031")], [2031], "a year parameter"),
    ([], [("id", "2031")], [], "a number in another parameter"),
    ([], [("datum", "2024-13")], [], "no such month: not a date"),
    (["jahrestagung-2022"], [], [], "a year inside a slug"),
]  # fmt: skip


@pytest.mark.parametrize(
    "segments, params, years", [c[:3] for c in YEARS_CASES], ids=[c[3] for c in YEARS_CASES]
)
def test_years_in(segments: list[str], params: list[tuple[str, str]], years: list[int]) -> None:
    assert years_in(segments, params) == years
