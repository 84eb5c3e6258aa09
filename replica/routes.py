"""Map a request of the replica to a response, the way WordPress would answer it."""

from __future__ import annotations

import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs

from replica import feeds, render, rest
from replica.pdf import make_pdf
from replica.site import REDIRECT_LOOP, Links, SiteView

AJAX_ACTION = "ikpe_publications"
THEME_CSS = (
    "body{font-family:sans-serif;max-width:60em;margin:auto}.accordion-content{display:none}\n"
)

_PAGED = re.compile(r"^(?P<base>/.*?/)page/(?P<number>\d+)/$")
_SITEMAP = re.compile(r"^/wp-sitemap-(posts-post|posts-page|taxonomies-category)-(\d+)\.xml$")
_UPLOAD = re.compile(r"^/wp-content/uploads/\d{4}/\d{2}/[^/]+$")


@dataclass
class Response:
    """What the server sends: status, type, body, extra headers, and Last-Modified if known."""

    status: int
    content_type: str
    body: bytes
    headers: dict = field(default_factory=dict)
    last_modified: datetime | None = None


def _html(text: str, last_modified: datetime | None = None, status: int = 200) -> Response:
    return Response(status, "text/html; charset=UTF-8", text.encode("utf-8"), {}, last_modified)


def _xml(text: str, content_type: str, last_modified: datetime) -> Response:
    return Response(200, content_type, text.encode("utf-8"), {}, last_modified)


def _redirect(location: str, status: int = 301) -> Response:
    return Response(status, "text/html; charset=UTF-8", b"", {"Location": location})


def not_found(view: SiteView, links: Links) -> Response:
    """WordPress's 404 page."""
    return _html(render.render_not_found(view, links), status=404)


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, served for every image upload."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def _rest(view: SiteView, links: Links, route: str, params: dict[str, str]) -> Response:
    result = rest.handle_rest(view, links, route, params)
    return Response(
        result.status,
        "application/json; charset=UTF-8",
        result.body(),
        result.headers,
        view.last_modified if result.status == 200 else None,
    )


def _ajax(view: SiteView, links: Links, params: dict[str, str]) -> Response:
    if params.get("action") != AJAX_ACTION:
        # admin-ajax.php answers an unknown action with a bare "0" and status 400.
        return Response(400, "text/html; charset=UTF-8", b"0")
    try:
        tab = int(params.get("tab", "0"))
    except ValueError:
        tab = -1
    if not 0 <= tab < len(view.content.tab_names):
        payload = {"success": False, "data": {"message": "Unbekannter Reiter"}}
        return Response(400, "application/json; charset=UTF-8", json.dumps(payload).encode())
    payload = {
        "success": True,
        "data": {
            "tab": tab,
            "name": view.content.tab_names[tab],
            "count": len(view.publications(tab)),
            "html": render.render_publications_fragment(view, links, tab),
        },
    }
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Response(200, "application/json; charset=UTF-8", body, {}, view.last_modified)


def _upload(view: SiteView, path: str) -> Response | None:
    if path in view.uploads:
        title, paragraphs, created = view.uploads[path]
        return Response(200, "application/pdf", make_pdf(title, paragraphs, created), {}, created)
    if path.lower().endswith((".jpg", ".jpeg", ".png")):
        return Response(200, "image/png", tiny_png(), {}, datetime(2020, 1, 1))
    return None


def _query_routes(view: SiteView, links: Links, params: dict[str, str]) -> Response | None:
    if "rest_route" in params:
        route = params.pop("rest_route")
        return _rest(view, links, route, params)
    if "mailpoet_router" in params and params.get("endpoint") == "view_in_browser":
        newsletter = view.newsletters_by_token.get(params.get("data", ""))
        if newsletter is None:
            return not_found(view, links)
        return _html(render.render_newsletter(view, links, newsletter), newsletter.modified)
    for key in ("p", "page_id"):
        if key in params:
            entry = view.by_id.get(int(params[key])) if params[key].isdigit() else None
            if entry is None:
                return not_found(view, links)
            return _redirect(links.canonical(entry))
    if "feed" in params:
        return _redirect(links.www_url("/feed/"))
    return None


def dispatch(
    view: SiteView, links: Links, method: str, path: str, query: str, form: bytes = b""
) -> Response:
    """Answer one request of the replica's site."""
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if method == "POST" and form:
        params.update({k: v[-1] for k, v in parse_qs(form.decode("utf-8", "replace")).items()})

    if path == "/" and params:
        answer = _query_routes(view, links, params)
        if answer is not None:
            return answer
    if path == "/":
        return _html(render.render_home(view, links), view.last_modified)
    if path == "/robots.txt":
        return Response(200, "text/plain; charset=UTF-8", feeds.robots_txt(links).encode())
    if path == "/wp-sitemap.xml":
        return _xml(feeds.sitemap_index(view, links), "application/xml", view.last_modified)
    if match := _SITEMAP.match(path):
        text = feeds.sitemap(view, links, match.group(1), int(match.group(2)))
        return _xml(text, "application/xml", view.last_modified) if text else not_found(view, links)
    if path.startswith("/wp-json"):
        return _rest(view, links, path[len("/wp-json") :] or "/", params)
    if path == "/wp-admin/admin-ajax.php":
        return _ajax(view, links, params)
    if path.startswith("/wp-admin"):
        return _redirect(links.www_url("/wp-login.php"), 302)
    if path == "/wp-content/themes/ikpe/style.css":
        return Response(200, "text/css", THEME_CSS.encode(), {}, datetime(2023, 1, 1))
    if _UPLOAD.match(path):
        return _upload(view, path) or not_found(view, links)
    if path == "/feed/":
        page_no = int(params.get("paged", "1")) if params.get("paged", "1").isdigit() else 1
        posts = list(view.posts[(page_no - 1) * feeds.FEED_ITEMS : page_no * feeds.FEED_ITEMS])
        if not posts:
            return not_found(view, links)
        self_url = links.www_url("/feed/")
        text = feeds.rss(
            view, links, posts, "Institut für kommunale Planung und Entwicklung", self_url
        )
        return _xml(text, "application/rss+xml; charset=UTF-8", view.last_modified)
    if path.startswith("/category/") and path.endswith("/feed/"):
        category = view.category_by_path(path[len("/category/") : -len("feed/")])
        if category is None:
            return not_found(view, links)
        posts = view.posts_in_category(category.slug)[: feeds.FEED_ITEMS]
        text = feeds.rss(view, links, posts, f"IKPE – {category.name}", links.www_url(path))
        return _xml(text, "application/rss+xml; charset=UTF-8", view.last_modified)
    if view.switches.faults and path in REDIRECT_LOOP:
        other = REDIRECT_LOOP[1 - REDIRECT_LOOP.index(path)]
        return _redirect(links.www_url(other), 302)
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        return _redirect(links.www_url(path + "/"))
    return _listing_or_entry(view, links, path)


def _listing_or_entry(view: SiteView, links: Links, path: str) -> Response:
    page_no = 1
    if match := _PAGED.match(path):
        path, page_no = match.group("base"), int(match.group("number"))
    if path.startswith("/category/"):
        text = render.render_category(view, links, path[len("/category/") :], page_no)
        return _html(text, view.last_modified) if text else not_found(view, links)
    if path == "/aktuelles-archiv/":
        text = render.render_aktuelles(view, links, page_no)
        return _html(text, view.last_modified) if text else not_found(view, links)
    entry = view.by_slug.get(path.strip("/")) if page_no == 1 else None
    if entry is None or path.count("/") != 2:
        return not_found(view, links)
    modified = max([entry.modified] + [s.modified for s in view.subposts(entry.slug)])
    return _html(render.render_entry(view, links, entry), modified)
