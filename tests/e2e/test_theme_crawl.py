"""Crawls over HTTP of the theme corpus (issue 14): every rendering, with the REST API,
sitemaps and feeds on and off, and the site name before or after the title in ``<title>``.

One server on 127.0.0.1 holds every rendering of every post at once (each copy its own
slug and post id), so one crawl covers all thirteen renderings in one discovery mode: five
crawls instead of sixty-five, for the full suite's time. Between crawls the server's
switches change: which discovery the site offers (REST, sitemaps, feeds, else only the
home page's links), the site name's side in ``<title>``, and the publication list (AJAX
tabs whose fragment carries project teasers and post titles, or a reference page in one
rendering's frame).

Every post must come out once, with its title, posting date, body key sentence and type
right and none of the frame in its body; the only other records are the list's citations
(nothing of a frame, no teaser, no post title). Every response carries a ``Last-Modified``
later than every post: it must never become a posting date.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.store import ArchiveStore
from tests.helpers import run_cli, serving
from tests.themes.corpus import (
    BASE,
    CITATIONS,
    FOOTER_ADDRESS,
    MENU,
    NOISE,
    POSTS,
    RENDERINGS,
    SITE_NAME,
    Post,
    Rendering,
    reference_page,
    site_name_swapped,
    tab_fragment,
)

LAST_MODIFIED = format_datetime(datetime(2025, 1, 10, 12, 0, tzinfo=UTC), usegmt=True)
AJAX_ACTION = "ikpe_publications"
CATEGORY_IDS = {"Aktuelles": 3}


@dataclass(frozen=True)
class Crawl:
    """What the site offers during one crawl."""

    name: str
    rest: bool
    sitemaps: bool
    feeds: bool
    discovery: str  # the layer the spider must report: rest, sitemap or archive
    site_name_first: bool  # swap the site name to the other side of every <title>
    tabs: bool  # AJAX publication tabs on the home page; else /category/referenzen/
    reference_rendering: int  # the frame of /category/referenzen/ (RENDERINGS index)


# One row per discovery path the spider takes (REST; sitemaps; feeds and home links; home
# links alone), the HTML paths with the site name on either side of the title. With the REST
# API on, the posts come from JSON and the theme only frames the home page.
CRAWLS = (
    Crawl("rest-on", rest=True, sitemaps=True, feeds=True, discovery="rest",
          site_name_first=False, tabs=True, reference_rendering=0),
    Crawl("sitemaps-and-feeds", rest=False, sitemaps=True, feeds=True, discovery="sitemap",
          site_name_first=False, tabs=False, reference_rendering=4),
    Crawl("sitemaps-only-swapped", rest=False, sitemaps=True, feeds=False, discovery="sitemap",
          site_name_first=True, tabs=True, reference_rendering=0),
    Crawl("feeds-only", rest=False, sitemaps=False, feeds=True, discovery="archive",
          site_name_first=False, tabs=False, reference_rendering=6),
    Crawl("links-only-swapped", rest=False, sitemaps=False, feeds=False, discovery="archive",
          site_name_first=True, tabs=False, reference_rendering=12),
)  # fmt: skip


@dataclass(frozen=True)
class Copy:
    """A post as one rendering shows it on the test site."""

    rendering: Rendering
    post: Post  # with the copy's own slug and id

    @property
    def path(self) -> str:
        return f"/{self.post.slug}/"


COPIES = tuple(
    Copy(
        rendering,
        replace(post, wp_id=post.wp_id * 100 + number, slug=f"{post.slug}-{rendering.name}"),
    )
    for number, rendering in enumerate(RENDERINGS)
    for post in POSTS
)


# With a feed, the home page shows the newest few posts: the others must come from the feed.
HOME_WITH_FEED_POSTS = 3


def _home(base: str, tabs: bool, feeds: bool) -> str:
    """The home page: a menu, links to posts, a footer; the AJAX tabs when on."""
    shown = COPIES[:HOME_WITH_FEED_POSTS] if feeds else COPIES
    listed = "".join(f'<li><a href="{c.path}">{c.post.title}</a></li>' for c in shown)
    menu = "".join(f'<a href="/{m.lower()}/">{m}</a> ' for m in MENU)
    script = (
        f'<script>var ikpeTabs = {{"ajaxurl": "{base}/wp-admin/admin-ajax.php", '
        f'"action": "{AJAX_ACTION}"}};</script><ul class="tabs"><li data-tab="0">Publikationen'
        "</li></ul>"
        if tabs
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{SITE_NAME}</title></head><body><header><h1>{SITE_NAME}</h1><nav>{menu}</nav>"
        f'</header><main><h2>Aktuelles</h2><ul class="neu">{listed}</ul>{script}</main>'
        f"<footer><p>{FOOTER_ADDRESS}</p></footer></body></html>"
    )


def _rest_post(base: str, copy: Copy) -> dict:
    post = copy.post
    posted = f"{post.posted.isoformat()}T09:30:00"
    return {
        "id": post.wp_id,
        "type": "post",
        "slug": post.slug,
        "link": base + copy.path,
        "date": posted,
        "date_gmt": f"{post.posted.isoformat()}T08:30:00",
        "modified": posted,
        "title": {"rendered": post.title},
        "content": {
            "rendered": "".join(f"<p>{escape(p, quote=False)}</p>" for p in post.paragraphs)
        },
        "excerpt": {"rendered": ""},
        "categories": [CATEGORY_IDS[c] for c in post.categories],
    }


def _sitemap(base: str) -> str:
    urls = "".join(
        f"<url><loc>{base}{c.path}</loc><lastmod>2025-01-10T12:00:00+00:00</lastmod></url>"
        for c in COPIES
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def _feed(base: str, page: int) -> str:
    # Ten items a page, as WordPress serves them; past the last page an empty channel.
    shown = COPIES[(page - 1) * 10 : page * 10]
    entries = "".join(
        f"<item><title>{c.post.title}</title><link>{base}{c.path}</link></item>" for c in shown
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{SITE_NAME}</title><link>{base}/</link>{entries}</channel></rss>"
    )


class _Site:
    """The answers of the test site for the current crawl's switches."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.crawl = CRAWLS[0]
        self.pages: dict[str, str] = {}

    def switch(self, crawl: Crawl) -> None:
        self.crawl = crawl
        pages = {}
        for copy in COPIES:
            page = copy.rendering.render(copy.post).replace(BASE, self.base)
            pages[copy.path] = site_name_swapped(page) if crawl.site_name_first else page
        pages["/"] = _home(self.base, crawl.tabs, crawl.feeds)
        if not crawl.tabs:
            rendering = RENDERINGS[crawl.reference_rendering]
            pages["/category/referenzen/"] = reference_page(rendering).replace(BASE, self.base)
        self.pages = pages

    def answer(self, path: str, query: str) -> tuple[int, str, str]:
        """(status, content type, body) for a GET."""
        crawl = self.crawl
        if path == "/robots.txt":
            listed = f"Sitemap: {self.base}/wp-sitemap.xml\n" if crawl.sitemaps else ""
            return 200, "text/plain", f"User-agent: *\nDisallow:\n{listed}"
        if path == "/wp-sitemap.xml" and crawl.sitemaps:
            return 200, "application/xml", _sitemap(self.base)
        if path == "/feed/" and crawl.feeds:
            page = int(query.removeprefix("paged=") or 1) if query.startswith("paged=") else 1
            return 200, "application/rss+xml", _feed(self.base, page)
        if path.startswith("/wp-json/wp/v2/") and crawl.rest:
            route = path.removeprefix("/wp-json/wp/v2/")
            listing: list = {
                "categories": [{"id": i, "name": n} for n, i in CATEGORY_IDS.items()],
                "posts": [_rest_post(self.base, c) for c in COPIES],
                "pages": [],
            }.get(route, [])
            return 200, "application/json", json.dumps(listing, ensure_ascii=False)
        if path in self.pages:
            return 200, "text/html", self.pages[path]
        return 404, "text/html", "<h1>Nicht gefunden</h1>"


class _Handler(BaseHTTPRequestHandler):
    site: _Site

    def _send(self, status: int, kind: str, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", LAST_MODIFIED)
        if kind == "application/json":
            self.send_header("X-WP-TotalPages", "1")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        parts = urlsplit(self.path)
        self._send(*self.site.answer(parts.path, parts.query))

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace")
        if urlsplit(self.path).path != "/wp-admin/admin-ajax.php" or AJAX_ACTION not in form:
            self._send(400, "text/html", "0")
            return
        answer = {"success": True, "data": {"name": "Publikationen", "html": tab_fragment()}}
        self._send(200, "application/json", json.dumps(answer, ensure_ascii=False))

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[_Site]:
    """One server for every crawl of this module; each crawl switches what it offers."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    with serving(server) as url:
        _Handler.site = _Site(url.rstrip("/"))
        yield _Handler.site


def _crawl(site: _Site, crawl: Crawl, data_dir: Path) -> list[dict]:
    site.switch(crawl)
    result = run_cli(
        "crawl", "--start-url", site.base + "/", "--no-throttle", data_dir=data_dir, timeout=240
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"discovery: {crawl.discovery}" in result.stdout, result.stdout
    with ArchiveStore(data_dir / "archive.sqlite3") as store:
        return [row["record"] for row in store.iter_records()]


@pytest.mark.parametrize("crawl", CRAWLS, ids=[c.name for c in CRAWLS])
def test_every_rendering_crawled_gives_every_post_once_and_no_frame(
    site: _Site, crawl: Crawl, tmp_path: Path
) -> None:
    records = _crawl(site, crawl, tmp_path)
    posts = {c.path: c for c in COPIES}
    by_path: dict[str, list[dict]] = {}
    publications, strays = [], []
    for record in records:
        if record.get("reference") is not None:
            publications.append(record["reference"]["raw"])
        elif urlsplit(record["url"]).path in posts:
            by_path.setdefault(urlsplit(record["url"]).path, []).append(record)
        else:
            strays.append((record["url"], record["title"]))
    assert not strays, strays  # no record of a menu entry, a sidebar link or a listing
    assert sorted(publications) == sorted(CITATIONS)  # no teaser, post title or address
    wrong = []
    for path, copy in posts.items():
        found = by_path.get(path, [])
        if len(found) != 1:
            wrong.append((path, f"{len(found)} records"))
            continue
        record, post = found[0], copy.post
        text = " ".join(record["text"].split())
        checks = {
            "title": record["title"] == post.title,
            "posting date": record["published"] == post.posted.isoformat(),
            "type": record["type"] == post.expected_type,
            "key sentence": post.key_sentence in text,
            "no frame": not [n for n in NOISE if n in text] and SITE_NAME not in text,
        }
        wrong.extend((path, name, record["provenance"]) for name, ok in checks.items() if not ok)
    assert not wrong, wrong
