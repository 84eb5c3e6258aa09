"""Renderings of a WordPress site other than the replica's: stock themes, SEO plugins, servers
that misbehave. The spider must work from WordPress's own signals whatever the theme.

Table-driven extraction tests on small pages, and crawls of a tiny site served here on
127.0.0.1 whose feed ignores ``?paged=`` and whose ``/sitemap.xml`` redirects home.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.store import ArchiveStore
from crawler.discovery import next_page_link
from crawler.extract import extract_page, extract_rest_entry, is_listing_body
from tests.helpers import run_cli, serving

BASE = "https://www.ikpe-erfurt.de"


def _page(body_class: str, head: str = "", body: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="de-DE"><head><meta charset="UTF-8">{head}</head>'
        f'<body class="{body_class}">{body}</body></html>'
    )


BLOCK_THEME = _page(
    "post-template-default single single-post postid-125",
    f'<title>Unser Vorgehen &#8211; IKPE Erfurt</title><link rel="canonical" href="{BASE}/x/">',
    '<header><nav><a href="/">Start</a></nav></header><main>'
    '<h1 class="wp-block-post-title">Unser Vorgehen</h1>'
    '<div class="wp-block-post-date"><time datetime="2020-06-29T08:00:00+02:00">29. Juni 2020'
    '</time></div><div class="taxonomy-category wp-block-post-terms">'
    '<a href="/category/praeventionsketten/" rel="tag">Präventionsketten</a></div>'
    '<div class="entry-content wp-block-post-content"><p>Wir gehen schrittweise vor.</p>'
    '<p><time datetime="2019-01-01">damals</time></p></div></main>',
)
YOAST = _page(
    "post-template-default single single-post postid-202",
    "<title>Das neue Projekt – Teil 2 - IKPE Erfurt</title>"
    '<meta property="og:site_name" content="IKPE Erfurt">'
    '<meta property="og:title" content="Das neue Projekt – Teil 2 - IKPE Erfurt">',
    '<main><article id="post-202" class="post-202 post"><h1 class="entry-title">'
    'Das neue Projekt – Teil 2</h1><div class="entry-content"><p>Text.</p></div></article></main>',
)
RELATED_POSTS = _page(
    "single single-post postid-501",
    "<title>Lokale Sozialstrategien 2024 | IKPE</title>",
    '<main><article id="post-501" class="post-501 post"><h1 class="entry-title">Lokale '
    'Sozialstrategien 2024</h1><div class="entry-content"><p>Text.</p></div></article>'
    '<section class="related"><article class="post"><h3 class="entry-title"><a href="/alt/">'
    "Eine ältere Meldung</a></h3></article></section></main>",
)
POSTS_PAGE = _page(
    "blog",
    "<title>Aktuelles - IKPE Erfurt</title>",
    '<main><article id="post-201" class="post-201 post"><h2 class="entry-title">'
    '<a href="/apolda/">IKPE unterwegs</a></h2></article></main>',
)
NO_MAIN_LONG_MENU = _page(
    "single postid-502",
    "<title>Netzwerktreffen 2020</title>",
    '<nav id="menu"><ul>'
    + "".join(f'<li><a href="/m{n}/">Menüpunkt {n}</a></li>' for n in range(14))
    + '</ul></nav><div id="content"><div class="beitrag-datum">29.06.2020</div>'
    '<h1>Netzwerktreffen 2020</h1><div class="beitrag-inhalt"><p>Das Netzwerktreffen fand '
    "statt und war gut besucht, mit vielen Gästen aus den Kommunen.</p></div></div>",
)


@pytest.mark.parametrize(
    ("page", "field", "expected", "source"),
    [
        (BLOCK_THEME, "published", "2020-06-29T08:00:00+02:00", "html:wp-block-post-date"),
        (BLOCK_THEME, "title", "Unser Vorgehen", "html:.entry-title"),
        (BLOCK_THEME, "categories", ["Präventionsketten"], "html:taxonomy-category"),
        (YOAST, "title", "Das neue Projekt – Teil 2", "meta:og:title"),
        (RELATED_POSTS, "title", "Lokale Sozialstrategien 2024", "html:.entry-title"),
        (NO_MAIN_LONG_MENU, "visible_date", "2020-06-29", "theme:date-line"),
        (NO_MAIN_LONG_MENU, "wp_id", 502, "html:body-class"),
    ],
)
def test_fields_from_other_themes(page: str, field: str, expected, source: str) -> None:
    extracted = extract_page(page, f"{BASE}/x/")
    assert extracted.fields.get(field) == expected
    assert extracted.provenance.get(field) == source


def test_a_time_inside_the_content_is_not_the_posting_date() -> None:
    page = BLOCK_THEME.replace('<div class="wp-block-post-date">', "<div>")
    page = page.replace('<time datetime="2020-06-29T08:00:00+02:00">', "<span>")
    page = page.replace("29. Juni 2020</time>", "29. Juni 2020</span>")
    assert extract_page(page, f"{BASE}/x/").fields.get("published") is None


def test_a_posts_page_is_a_listing_not_the_first_listed_post() -> None:
    extracted = extract_page(POSTS_PAGE, f"{BASE}/aktuelles/")
    assert extracted.fields.get("wp_id") is None
    assert is_listing_body("blog")


@pytest.mark.parametrize(
    ("body_class", "listing"),
    [
        ("blog", True),
        ("archive category category-aktuelles", True),
        ("search search-results", True),
        ("home blog", True),
        ("post-template-default single single-post postid-12", False),
        ("page-template-default page page-id-7", False),
        ("home page-template-front-page", False),
        ("", False),
    ],
)
def test_listing_body_classes(body_class: str, listing: bool) -> None:
    assert is_listing_body(body_class) is listing


def test_rest_titles_lose_their_markup() -> None:
    entry = {"id": 403, "title": {"rendered": "Das <em>neue</em> Projekt &#8211; Teil&nbsp;2"}}
    assert extract_rest_entry(entry, {}).fields["title"] == "Das neue Projekt – Teil 2"


ARCHIVE = f"{BASE}/category/aktuelles/"


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        (f'<link rel="next" href="{ARCHIVE}page/2/">', ARCHIVE, f"{ARCHIVE}page/2/"),
        ('<a class="next page-numbers" href="/category/aktuelles/page/3/">»</a>',
         f"{ARCHIVE}page/2/", f"{ARCHIVE}page/3/"),
        ('<a href="/category/aktuelles/page/2/" class="wp-block-query-pagination-next">Weiter</a>',
         ARCHIVE, f"{ARCHIVE}page/2/"),
        ('<div class="nav-previous"><a href="/category/aktuelles/page/2/">Ältere</a></div>',
         ARCHIVE, f"{ARCHIVE}page/2/"),
        ('<a href="/category/aktuelles/page/1/">1</a><a href="/category/aktuelles/page/3/">3</a>',
         f"{ARCHIVE}page/2/", f"{ARCHIVE}page/3/"),
        ('<a href="/category/aktuelles/page/5/">5</a>', ARCHIVE, None),
        ("<p>Keine weiteren Seiten</p>", ARCHIVE, None),
    ],
)  # fmt: skip
def test_next_page_link(html: str, url: str, expected: str | None) -> None:
    assert next_page_link(html, url) == expected


# --- a crawl of a site whose servers misbehave -------------------------------------------

POSTS = [
    (301, "post-eins", "Erster Beitrag", "2024-03-12T10:00:00+01:00"),
    (302, "post-zwei", "Zweiter Beitrag", "2024-02-12T10:00:00+01:00"),
    (303, "post-drei", "Dritter Beitrag", "2023-12-12T10:00:00+01:00"),
]


def _single(pid: int, slug: str, title: str, when: str) -> str:
    return _page(
        f"single single-post postid-{pid}",
        f'<title>{title} - IKPE</title><link rel="shortlink" href="/?p={pid}">',
        f'<main><article id="post-{pid}" class="post-{pid} post"><h1 class="entry-title">{title}'
        f'</h1><time class="entry-date published" datetime="{when}">x</time><div class="entry-'
        f'content"><p>Pressemitteilung, 12.03.2024</p><p>Text von {title}.</p></div></article>'
        "</main>",
    )


def _listing(posts: list[tuple], next_url: str | None) -> str:
    listed = "".join(
        f'<li class="wp-block-post"><h2 class="wp-block-post-title"><a href="/{slug}/">{title}'
        "</a></h2></li>"
        for _pid, slug, title, _when in posts
    )
    more = (
        f'<a href="{next_url}" class="wp-block-query-pagination-next">Weiter</a>'
        if next_url
        else ""
    )
    return _page(
        "archive category", "<title>Aktuelles</title>", f"<main><ul>{listed}</ul>{more}</main>"
    )


FEED = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>IKPE</title>'
    + "".join(f"<item><title>{t}</title><link>/{s}/</link></item>" for _p, s, t, _w in POSTS[:2])
    + "</channel></rss>"
)
SITE = {
    "/": (
        200,
        _page("home", "<title>IKPE</title>", '<a href="/category/aktuelles/">Aktuelles</a>'),
    ),
    "/robots.txt": (200, "User-agent: *\nDisallow: /wp-admin/\n"),
    "/sitemap.xml": (302, "/"),  # a redirect plugin sends unknown URLs home
    "/feed/": (200, FEED),  # the same two items for every ?paged=N
    "/category/aktuelles/": (200, _listing(POSTS[:2], "/category/aktuelles/page/2/")),
    "/category/aktuelles/page/2/": (200, _listing(POSTS[2:], None)),
    **{f"/{p[1]}/": (200, _single(*p)) for p in POSTS},
}


# A page with no date signal at all (no time, no JSON-LD, no Last-Modified) but a sitemap
# entry with <lastmod>, on a site whose sitemap lists it.
KONTAKT = _page(
    "page-template-default page page-id-77",
    "<title>Kontakt - IKPE</title>",
    '<main><h1 class="entry-title">Kontakt</h1><div class="entry-content"><p>Institut für '
    "kommunale Planung und Entwicklung, Erfurt.</p></div></main>",
)
SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    "<url><loc>/kontakt/</loc><lastmod>2022-05-04T10:00:00+00:00</lastmod></url>"
    + "".join(f"<url><loc>/{slug}/</loc></url>" for _pid, slug, _t, _w in POSTS)
    + "</urlset>"
)
SITE_WITH_SITEMAP = {**SITE, "/wp-sitemap.xml": (200, SITEMAP), "/kontakt/": (200, KONTAKT)}


class _Handler(BaseHTTPRequestHandler):
    requests: list[str] = []
    site: dict = SITE

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        self.requests.append(self.path)
        path = urlsplit(self.path).path
        status, content = self.site.get(path, (404, "<h1>Nicht gefunden</h1>"))
        if path.endswith(".xml") and status == 200:
            content = content.replace("<loc>/", f"<loc>http://{self.headers['Host']}/")
        if status == 302:
            self.send_response(302)
            self.send_header("Location", content)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = content.encode("utf-8")
        kind = "text/html"
        if self.path.startswith("/feed") or path.endswith(".xml"):
            kind = "application/xml"
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(params=[SITE])
def odd_site(request) -> Iterator[tuple[str, list[str]]]:
    """The site above on 127.0.0.1, and the list of paths it was asked for."""
    _Handler.requests = []
    _Handler.site = request.param
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _Handler)) as url:
        yield url, _Handler.requests


def _crawl(url: str, data_dir: Path) -> dict[str, dict]:
    """Crawl ``url`` with the CLI; the stored records by id."""
    result = run_cli("crawl", "--start-url", url, "--no-throttle", data_dir=data_dir, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    with ArchiveStore(data_dir / "archive.sqlite3") as store:
        return {row["record"]["id"]: row["record"] for row in store.iter_records()}


def test_a_crawl_survives_a_feed_without_end_and_a_sitemap_that_redirects_home(
    odd_site: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, requests = odd_site
    records = _crawl(url, tmp_path)
    assert set(records) == {"wp-301", "wp-302", "wp-303"}  # page 2 of the block archive too
    assert records["wp-303"]["title"] == "Dritter Beitrag"
    feed_pages = [path for path in requests if path.startswith("/feed/")]
    assert 1 <= len(feed_pages) <= 3, feed_pages  # page 2 brings nothing new: the end


@pytest.mark.parametrize("odd_site", [SITE_WITH_SITEMAP], indirect=True)
def test_a_page_without_any_date_takes_its_sitemap_lastmod(
    odd_site: tuple[str, list[str]], tmp_path: Path
) -> None:
    records = _crawl(odd_site[0], tmp_path)
    assert set(records) == {"wp-77", "wp-301", "wp-302", "wp-303"}
    kontakt = records["wp-77"]
    assert (kontakt["date"], kontakt["date_source"]) == ("2022-05-04", "modified")
    assert kontakt["provenance"].get("modified") == "sitemap:lastmod"
