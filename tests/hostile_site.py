"""A small hostile WordPress-like site on 127.0.0.1 for the crawler's fault tests.

It has three ordinary posts and the traps of issue 13: an event calendar whose months
never end (both ways, as path links and ``rel=next``), a chain of listings that each link
to a new one (``/kette/a/``, ``/kette/aa/``, ...), relative links that grow a path
(``/schleife/unterordner/unterordner/``), a filter whose next page adds a query
parameter, an endless numbered list (``/liste/N/``, only when asked for), a page larger
than the crawler keeps and a body that never ends. No REST API, no sitemaps, no feed:
the spider walks the home page's links, as on a site without WordPress's signals.

Every trap stops answering (404) after ``TRAP_CAP`` requests, so even a crawler without
bounds ends, and its test fails on the count instead of hanging. ``silent_port`` and
``closed_port`` give a port that accepts connections but never answers, and one that
refuses them.
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

TRAP_CAP = 3000
POSTS = {
    "beitrag-eins": (101, "Fachtag Sozialplanung in Erfurt", "2024-03-12"),
    "beitrag-zwei": (102, "Netzwerke gegen Kinderarmut", "2024-05-02"),
    "beitrag-drei": (103, "Präventionsketten in Thüringen", "2025-01-20"),
}
HUGE_BYTES = 3_000_000  # more than the tests let the crawler keep (IKPE_DOWNLOAD_MAXSIZE)
STREAM_CAP_BYTES = 200_000_000  # the endless body ends here, should a crawler not stop it
TRAP_PREFIXES = ("/veranstaltungen/", "/kette/", "/schleife/", "/filter/", "/liste/")


class _QuietServer(ThreadingHTTPServer):
    """A threading server that does not print a traceback when a client hangs up (the
    crawler does, on purpose, on the endless body)."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


def _page(title: str, body: str, body_class: str, head: str = "") -> bytes:
    return (
        "<!doctype html><html lang='de'><head><meta charset='utf-8'>"
        f"<title>{title}</title>{head}</head><body class='{body_class}'><main>"
        f"<h1 class='entry-title'>{title}</h1>{body}</main></body></html>"
    ).encode()


def _month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


class HostileSite:
    """The hostile site, served from a thread; ``trap_requests`` counts trap hits by prefix."""

    def __init__(self, *, endless_list: bool = False) -> None:
        self.endless_list = endless_list
        self.requests: list[str] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                site._record(self.path)
                site._answer(self)

            def log_message(self, *args) -> None:  # quiet tests
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HostileSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _record(self, path: str) -> None:
        with self.lock:
            self.requests.append(path)

    def hits(self, prefix: str) -> int:
        """How many requests went to paths under ``prefix``."""
        with self.lock:
            return sum(path.startswith(prefix) for path in self.requests)

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
        if path.startswith("/veranstaltungen/"):
            return self._send(handler, 200, self._calendar(path))
        if path.startswith("/kette/"):
            word = path.split("/")[2] or "a"
            link = f"<a href='/kette/{word}a/'>Weiter</a>"
            return self._send(handler, 200, _page(f"Kette {word}", link, "archive tag"))
        if path.startswith("/schleife/"):
            link = "<a href='unterordner/'>Unterordner</a>"
            return self._send(handler, 200, _page("Schleife", link, "archive category"))
        if path.startswith("/filter/"):
            params = parse_qsl(parts.query)
            following = urlencode([*params, (f"f{len(params) + 1}", "ja")])
            head = f"<link rel='next' href='/filter/?{following}'>"
            return self._send(handler, 200, _page("Filter", "", "archive search", head))
        if path.startswith("/liste/") and self.endless_list:
            number = int(path.split("/")[2] or 1)
            link = f"<a href='/liste/{number + 1}/'>Nächste</a>"
            return self._send(handler, 200, _page(f"Liste {number}", link, "archive"))
        if path == "/riesig/":
            return self._send(handler, 200, self._post("beitrag-eins", pad=HUGE_BYTES))
        if path == "/endlos/":
            return self._stream(handler)
        return self._send(handler, 404, _page("Nicht gefunden", "", "error404"))

    def _home(self) -> bytes:
        month = date.today().strftime("%Y-%m")
        links = [f"/{slug}/" for slug in POSTS] + [
            f"/veranstaltungen/monat/{month}/",
            "/kette/a/",
            "/schleife/",
            "/filter/",
            "/riesig/",
            "/endlos/",
        ]
        if self.endless_list:
            links.append("/liste/1/")
        body = "".join(f"<p><a href='{link}'>{link}</a></p>" for link in links)
        return _page("Feindliche Testseite", body, "home blog-home")

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
        return _page(title, body, f"single postid-{wp_id}", head)

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
        return _page(title, body, "archive post-type-archive-tribe_events", head)

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
