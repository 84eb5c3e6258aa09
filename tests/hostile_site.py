"""A small hostile WordPress-like site on 127.0.0.1 for the crawler's fault tests.

It has three ordinary posts and the traps of issue 13: an event calendar whose months
never end (both ways, as path links and ``rel=next``), a chain of listings that each link
to a new one (``/kette/a/``, ``/kette/aa/``, ...), relative links that grow a path
(``/schleife/unterordner/unterordner/``), a filter whose next page adds a query
parameter, an endless numbered list (``/liste/N/``, only when asked for), a page larger
than the crawler keeps and a body that never ends. No REST API, no sitemaps, no feed:
the spider walks the home page's links, as on a site without WordPress's signals.

With ``payloads=True`` it also serves :data:`PAYLOAD_POSTS`, posts whose content is
hostile: script and style in the headline, script payloads as text and markup, control
characters, terminal escapes and bidi overrides, Latin-1 declared in the header, a
Windows-1252 page that says so only in a ``<meta>``, bytes that are not the UTF-8 the
header promises, nesting far deeper than libxml2 builds, and a large page under the
download limit. ``traps=False`` leaves the traps off the home page (a quicker crawl).

Every trap stops answering (404) after ``TRAP_CAP`` requests, so even a crawler without
bounds ends, and its test fails on the count instead of hanging. ``silent_port`` and
``closed_port`` give a port that accepts connections but never answers, and one that
refuses them.
"""

from __future__ import annotations

import socket
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.helpers import LocalSite, wp_page

TRAP_CAP = 3000
POSTS = {
    "beitrag-eins": (101, "Fachtag Sozialplanung in Erfurt", "2024-03-12"),
    "beitrag-zwei": (102, "Netzwerke gegen Kinderarmut", "2024-05-02"),
    "beitrag-drei": (103, "Präventionsketten in Thüringen", "2025-01-20"),
}
HUGE_BYTES = 3_000_000  # more than the tests let the crawler keep (IKPE_DOWNLOAD_MAXSIZE)
STREAM_CAP_BYTES = 200_000_000  # the endless body ends here, should a crawler not stop it
TRAP_PREFIXES = ("/veranstaltungen/", "/kette/", "/schleife/", "/filter/", "/liste/")
LARGE_WORDS = 60_000  # the large post: about 1.4 MB of words, under the tests' 2 MB limit
NESTING = 3000  # far past libxml2's 255 (and huge_tree's 2,048) levels


class PayloadPost:
    """A hostile post: its id, headline and body markup, how it is encoded and served,
    and what its record must say (``title_words``, ``text_words``)."""

    def __init__(self, wp_id: int, headline: str, body: str, *, title_words: tuple[str, ...],
                 text_words: tuple[str, ...], encoding: str = "utf-8",
                 header_charset: str | None = "utf-8", raw_tail: bytes = b"") -> None:  # fmt: skip
        self.wp_id = wp_id
        self.headline = headline
        self.body = body
        self.title_words = title_words
        self.text_words = text_words
        self.encoding = encoding
        self.header_charset = header_charset
        self.raw_tail = raw_tail  # bytes appended after encoding (not valid in it)


SCRIPT_AS_TEXT = "<script>alert(4)</script>"  # in the page as text: it must stay text
PAYLOAD_POSTS = {
    "skript-im-titel": PayloadPost(
        201, "Fachtag<script>alert(2)</script><style>h1{color:red}</style> Teilhabe",
        "<p>Ein Wort &lt;script&gt;alert(4)&lt;/script&gt; als Text und ein Bild "
        "<img src=x onerror=alert(3)> in der Zeile.</p><script>alert(5)</script>",
        title_words=("Fachtag", "Teilhabe"), text_words=(SCRIPT_AS_TEXT,),
    ),
    "steuerzeichen": PayloadPost(
        202, "Armut \x1b[31mROT\x1b[0m \u202eKette\u202c \u200bnull\x07 Ende\x00",
        "<p>Steuerzeichen \x1b[2J im Text \u202eund Richtungswechsel\u202c.</p>",
        title_words=("Armut", "Ende"), text_words=("Steuerzeichen",),
    ),
    "latin1": PayloadPost(
        203, "Präventionsketten für Familien", "<p>Grüße aus Gößnitz, Straße 5.</p>",
        title_words=("Präventionsketten",), text_words=("Gößnitz",),
        encoding="latin-1", header_charset="iso-8859-1",
    ),
    "meta-charset": PayloadPost(
        204, "„Anführungszeichen“ im Titel", "<p>Ein Text in Windows-1252 – mit Strich.</p>",
        title_words=("Anführungszeichen",), text_words=("Windows-1252",),
        encoding="cp1252", header_charset=None,
    ),
    "falsch-kodiert": PayloadPost(
        205, "Kaputte Kodierung", "<p>Vor den kaputten Bytes.</p>",
        title_words=("Kaputte",), text_words=("Vor den kaputten Bytes",),
        raw_tail=b"<p>\xff\xfe\xc3( Gr\xfc\xdfe \xed\xa0\x80 Ende</p>",
    ),
    "tief-verschachtelt": PayloadPost(
        206, "Tief verschachtelt",
        "<div>" * NESTING + "Tiefenwort" + "</div>" * NESTING + "<p>Schlusswort danach.</p>",
        title_words=("verschachtelt",), text_words=("Tiefenwort", "Schlusswort"),
    ),
    "gross": PayloadPost(
        207, "Großer Beitrag", "<p>Anfangswort " + "Armutsbericht Teilhabe " * LARGE_WORDS
        + "</p>", title_words=("Großer",), text_words=("Anfangswort",),
    ),
}  # fmt: skip


class _QuietServer(ThreadingHTTPServer):
    """A threading server that does not print a traceback when a client hangs up (the
    crawler does, on purpose, on the endless body)."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


def _month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


class HostileSite(LocalSite):
    """The hostile site, served from a thread; ``hits`` counts requests by path prefix."""

    def __init__(
        self, *, endless_list: bool = False, payloads: bool = False, traps: bool = True
    ) -> None:
        self.endless_list = endless_list
        self.payloads = payloads
        self.traps = traps
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                site.record(self.path)
                site._answer(self)

            def log_message(self, *args) -> None:  # quiet tests
                pass

        super().__init__(Handler, _QuietServer)

    # --- the pages ------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        if path.startswith(TRAP_PREFIXES) and self.hits("/") > TRAP_CAP:
            return self._send(handler, 404, b"trap cap reached")
        if path == "/":
            return self._send(handler, 200, self._home())
        if path == "/robots.txt":
            return self._send(handler, 200, b"User-agent: *\nAllow: /\n", "text/plain")
        if path.strip("/") in POSTS:
            return self._send(handler, 200, self._post(path.strip("/")))
        if self.payloads and path.strip("/") in PAYLOAD_POSTS:
            return self._payload(handler, PAYLOAD_POSTS[path.strip("/")])
        if path.startswith("/veranstaltungen/"):
            return self._send(handler, 200, self._calendar(path))
        if path.startswith("/kette/"):
            word = path.split("/")[2] or "a"
            link = f"<a href='/kette/{word}a/'>Weiter</a>"
            return self._send(handler, 200, wp_page(f"Kette {word}", link, "archive tag"))
        if path.startswith("/schleife/"):
            link = "<a href='unterordner/'>Unterordner</a>"
            return self._send(handler, 200, wp_page("Schleife", link, "archive category"))
        if path.startswith("/filter/"):
            params = parse_qsl(parts.query)
            following = urlencode([*params, (f"f{len(params) + 1}", "ja")])
            head = f"<link rel='next' href='/filter/?{following}'>"
            return self._send(handler, 200, wp_page("Filter", "", "archive search", head))
        if path.startswith("/liste/") and self.endless_list:
            number = int(path.split("/")[2] or 1)
            link = f"<a href='/liste/{number + 1}/'>Nächste</a>"
            return self._send(handler, 200, wp_page(f"Liste {number}", link, "archive"))
        if path == "/riesig/":
            return self._send(handler, 200, self._post("beitrag-eins", pad=HUGE_BYTES))
        if path == "/endlos/":
            return self._stream(handler)
        return self._send(handler, 404, wp_page("Nicht gefunden", "", "error404"))

    def _home(self) -> bytes:
        month = date.today().strftime("%Y-%m")
        links = [f"/{slug}/" for slug in POSTS]
        if self.traps:
            links += [
                f"/veranstaltungen/monat/{month}/",
                "/kette/a/",
                "/schleife/",
                "/filter/",
                "/riesig/",
                "/endlos/",
            ]
        if self.payloads:
            links += [f"/{slug}/" for slug in PAYLOAD_POSTS]
        if self.endless_list:
            links.append("/liste/1/")
        body = "".join(f"<p><a href='{link}'>{link}</a></p>" for link in links)
        return wp_page("Feindliche Testseite", body, "home blog-home")

    def _post(self, slug: str, pad: int = 0) -> bytes:
        wp_id, title, posted = POSTS[slug]
        head = (
            f"<link rel='shortlink' href='{self.url}?p={wp_id}'>"
            f"<link rel='canonical' href='{self.url}{slug}/'>"
        )
        body = (
            f"<article class='post'><time class='entry-date published' datetime='{posted}'>"
            f"{posted}</time><div class='entry-content'><p>Erfurt, {posted}. {title}: "
            "ein Beitrag der Testseite mit genug Text für einen Datensatz.</p>"
            f"<p>{'x' * pad}</p></div></article>"
        )
        return wp_page(title, body, f"single postid-{wp_id}", head)

    def _calendar(self, path: str) -> bytes:
        segment = path.rstrip("/").rsplit("/", 1)[-1]
        try:
            year, month = (int(part) for part in segment.split("-"))
        except ValueError:
            year, month = date.today().year, date.today().month
        before, after = _month(year, month, -1), _month(year, month, 1)
        previous = f"/veranstaltungen/monat/{before[0]:04d}-{before[1]:02d}/"
        following = f"/veranstaltungen/monat/{after[0]:04d}-{after[1]:02d}/"
        body = (
            f"<p><a href='{previous}'>Vorheriger Monat</a> "
            f"<a href='{following}'>Nächster Monat</a></p><p>Keine Veranstaltungen.</p>"
        )
        head = f"<link rel='next' href='{following}'>"
        title = f"Veranstaltungen {year:04d}-{month:02d}"
        return wp_page(title, body, "archive post-type-archive-tribe_events", head)

    def _payload(self, handler: BaseHTTPRequestHandler, post: PayloadPost) -> None:
        slug = next(slug for slug, known in PAYLOAD_POSTS.items() if known is post)
        declared = "" if post.header_charset else f"<meta charset='{post.encoding}'>"
        page = (
            f"<!doctype html><html lang='de'><head>{declared}<title>Testseite</title>"
            f"<link rel='shortlink' href='{self.url}?p={post.wp_id}'>"
            f"<link rel='canonical' href='{self.url}{slug}/'></head>"
            f"<body class='single postid-{post.wp_id}'><main><article class='post'>"
            f"<h1 class='entry-title'>{post.headline}</h1>"
            "<time class='entry-date published' datetime='2024-06-01'>2024-06-01</time>"
            f"<div class='entry-content'>{post.body}"
        )
        body = page.encode(post.encoding) + post.raw_tail + b"</div></article></main></body></html>"
        media = "text/html" + (f"; charset={post.header_charset}" if post.header_charset else "")
        handler.send_response(200)
        handler.send_header("Content-Type", media)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, body: bytes, media: str = "text/html"
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", f"{media}; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def _stream(handler: BaseHTTPRequestHandler) -> None:
        """A body without a length that never ends (until the client hangs up)."""
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b"<p>" + b"endlos " * 9000 + b"</p>\n"
        sent = 0
        try:
            handler.wfile.write(b"<!doctype html><html><body class='single'><main>")
            while sent < STREAM_CAP_BYTES:
                handler.wfile.write(chunk)
                sent += len(chunk)
        except OSError:  # the crawler hung up: what it should do
            pass
        handler.close_connection = True


@contextmanager
def silent_port():
    """A port on 127.0.0.1 that accepts connections (the kernel's backlog) and never
    answers; yields its URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        listener.close()


def closed_port() -> str:
    """The URL of a port on 127.0.0.1 where nothing listens (connections are refused)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}/"
