"""The same posts in thirteen renderings (eleven of WordPress themes and builders, two
custom): title, posting date, body and type must come out right on each, with the site name
on either side of the title in ``<title>``, and the frame stay out.

Pure extraction: HTML string -> :func:`crawler.extract.extract_page` -> the item the spider
builds -> :func:`archive.records.build_record`, with no HTTP (the crawl over HTTP is in
``tests/e2e/test_theme_crawl.py``).
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from archive.records import build_record
from crawler.extract import extract_page
from crawler.items import entry_item
from crawler.urls import Site
from tests.themes.corpus import (
    NOISE,
    POSTS,
    RENDERINGS,
    SITE_NAME,
    Post,
    Rendering,
    site_name_swapped,
)

CASES = [(rendering, post) for rendering in RENDERINGS for post in POSTS]
IDS = [f"{rendering.name}-{post.slug[:24]}" for rendering, post in CASES]


def _record(rendering: Rendering, post: Post) -> dict:
    page = rendering.render(post)
    response = HtmlResponse(
        post.url, body=page.encode("utf-8"), encoding="utf-8", request=Request(post.url)
    )
    extracted = extract_page(page, post.url)
    item = entry_item(extracted, response, Site.from_url(post.url), via="html")
    return build_record(item)


@pytest.fixture(scope="module")
def records() -> dict[tuple[str, str], dict]:
    """Every rendering of every post, as the record it becomes (built once)."""
    return {(r.name, p.slug): _record(r, p) for r, p in CASES}


@pytest.mark.parametrize(("rendering", "post"), CASES, ids=IDS)
def test_title(records: dict, rendering: Rendering, post: Post) -> None:
    assert records[rendering.name, post.slug]["title"] == post.title


@pytest.mark.parametrize(("rendering", "post"), CASES, ids=IDS)
def test_title_with_the_site_name_on_the_other_side(rendering: Rendering, post: Post) -> None:
    page = site_name_swapped(rendering.render(post))
    assert page != rendering.render(post)  # the swap happened: the test is not vacuous
    assert extract_page(page, post.url).fields["title"] == post.title


@pytest.mark.parametrize(("rendering", "post"), CASES, ids=IDS)
def test_posting_date(records: dict, rendering: Rendering, post: Post) -> None:
    record = records[rendering.name, post.slug]
    assert record["published"] == post.posted.isoformat()
    assert record["date_source"] in ("posting_date", "event_line")


@pytest.mark.parametrize(("rendering", "post"), CASES, ids=IDS)
def test_body_holds_the_post_and_none_of_the_frame(
    records: dict, rendering: Rendering, post: Post
) -> None:
    text = " ".join(records[rendering.name, post.slug]["text"].split())
    assert post.key_sentence in text
    for noise in NOISE:
        assert noise not in text, noise
    assert SITE_NAME not in text


@pytest.mark.parametrize(("rendering", "post"), CASES, ids=IDS)
def test_type(records: dict, rendering: Rendering, post: Post) -> None:
    record = records[rendering.name, post.slug]
    assert record["type"] == post.expected_type, record["type_rule"]


# Which rule won on the pages without WordPress markup, kept in the record's provenance.
# (rendering, field, source, why)
PROVENANCE_CASES = [
    ("custom-site-first", "title", "theme:headline-in-title",
     "<title>Site – Post</title>: the heading after the site name, not the logo <h1>"),
    ("custom-site-last", "title", "theme:headline-in-title",
     "<title>Post | Site</title>: the heading before the site name"),
    ("custom-site-first", "body_html", "theme:content-after-headline",
     "the block after the headline, not the longer recent-posts column"),
    ("custom-site-last", "body_html", "theme:content-after-headline",
     "loose paragraphs after the headline, up to the share bar"),
    ("custom-site-last", "visible_date", "theme:date-line",
     "<p><b>DD.MM.YYYY</b></p> right above the headline"),
    ("elementor", "body_html", "theme:content-after-headline",
     "the post-content widget next to the title widget"),
    ("astra", "visible_date", "theme:date-line",
     "the visible German date in the entry meta under the headline"),
    ("twentytwentyone", "published", "html:time.published",
     "WordPress's own signal: no library consulted"),
    ("divi", "visible_date", "theme:date-line",
     "Divi's span.published in the post meta under the headline"),
    ("divi-default-date", "visible_date", "theme:date-line",
     "Divi's default 'Mär 13, 2024' read by the date line (archive.dates), not only by htmldate"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "field", "source"),
    [c[:3] for c in PROVENANCE_CASES],
    ids=[f"{c[0]}-{c[1]}" for c in PROVENANCE_CASES],
)
def test_provenance_names_the_winning_candidate(
    records: dict, name: str, field: str, source: str
) -> None:
    for post in POSTS:
        assert records[name, post.slug]["provenance"][field] == source


# htmldate's verdict beside the theme's date line (custom-site-last: htmldate in its
# markup-only mode finds nothing there; extensive search would take the dateline).
def test_the_library_verdicts_are_kept_beside_the_winner(records: dict) -> None:
    provenance = records["custom-site-first", POSTS[0].slug]["provenance"]
    assert provenance["visible_date.htmldate"] == "agrees"
    assert provenance["body_html.trafilatura"] in ("agrees", "differs")
    assert "body_html.trafilatura" not in records["divi", POSTS[0].slug]["provenance"]


def test_wordpress_signals_spare_the_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a page with WordPress's title, date and content the libraries never run."""
    import crawler.candidates as candidates

    def refuse(*_args, **_kwargs):
        raise AssertionError("a library ran on a page with WordPress signals")

    # A spy, not a stand-in: it only fails the test if the library is called at all.
    monkeypatch.setattr(candidates, "library_title_and_text", refuse)
    monkeypatch.setattr(candidates, "library_date", refuse)
    for post in POSTS:
        page = RENDERINGS[0].render(post)  # Twenty Twenty-One: every signal present
        assert extract_page(page, post.url).fields["title"] == post.title


def test_a_listing_page_runs_no_library() -> None:
    """An archive (``<body class="archive">``) is read for its entries, not as a post."""
    page = RENDERINGS[-1].render(POSTS[1]).replace("<body>", '<body class="archive category">')
    provenance = extract_page(page, POSTS[1].url).provenance
    assert not [key for key in provenance if "." in key]
    assert not [v for v in provenance.values() if v.startswith(("trafilatura", "htmldate"))]
