"""A crawl over HTTP of a site in a plain custom theme (issue 14): no REST API, no sitemaps,
no feeds, no WordPress markup; the posting date on its own line above the headline, the site
name in ``<title>``, a long recent-posts column beside short posts, an address footer.

Every post must come out once, with its title, posting date, body and type right.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.store import ArchiveStore
from tests.helpers import run_cli
from tests.themes.corpus import NOISE, POSTS, RENDERINGS, SITE_NAME, Rendering

CUSTOM_RENDERINGS = [r for r in RENDERINGS if not r.wordpress]


def _home(rendering: Rendering) -> str:
    """A home page listing the posts by their links, in the theme's frame."""
    listed = "".join(f'<p><a href="/{p.slug}/">{p.title}</a></p>' for p in POSTS)
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{SITE_NAME}</title></head><body><h1>{SITE_NAME}</h1>"
        f'<div class="neu"><h2>Aktuelles</h2>{listed}</div></body></html>'
    )


def _site(rendering: Rendering) -> dict[str, str]:
    pages = {f"/{post.slug}/": rendering.render(post) for post in POSTS}
    return {"/": _home(rendering), **pages, "/robots.txt": "User-agent: *\nDisallow:\n"}


class _Handler(BaseHTTPRequestHandler):
    site: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        path = urlsplit(self.path).path
        content = self.site.get(path)
        status = 200 if content is not None else 404
        data = (content or "<h1>Nicht gefunden</h1>").encode("utf-8")
        kind = "text/plain" if path.endswith(".txt") else "text/html"
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(params=CUSTOM_RENDERINGS, ids=[r.name for r in CUSTOM_RENDERINGS])
def custom_site(request) -> Iterator[str]:
    """The posts in one custom theme, served on 127.0.0.1."""
    _Handler.site = _site(request.param)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_custom_theme_crawl_gets_every_post_right(custom_site: str, tmp_path: Path) -> None:
    result = run_cli(
        "crawl", "--start-url", custom_site, "--no-throttle", data_dir=tmp_path, timeout=180
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with ArchiveStore(tmp_path / "archive.sqlite3") as store:
        records = [row["record"] for row in store.iter_records()]
    by_title = {}
    for record in records:
        by_title.setdefault(record["title"], []).append(record)
    for post in POSTS:
        assert len(by_title.get(post.title, [])) == 1, sorted(by_title)
        record = by_title[post.title][0]
        assert record["published"] == post.posted.isoformat(), record["provenance"]
        assert record["type"] == post.expected_type, record["type_rule"]
        text = " ".join(record["text"].split())
        assert post.key_sentence in text
        assert not [noise for noise in NOISE if noise in text]
