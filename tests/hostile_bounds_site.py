"""A site on 127.0.0.1 whose requests bypassed the crawl's bounds (issue 13): posts that
attach many PDFs (downloaded by the files pipeline, not yielded by a spider callback),
and no REST API, sitemaps or feed, so a spent budget leaves the sitemap layer waiting
and the spider's idle fallback schedules the home page's links itself.

Every request is logged by path, so a test counts what the crawler fetched.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from tests.helpers import LocalSite, wp_page

POSTS = 4
PDFS_PER_POST = 15
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf_path(post: int, number: int) -> str:
    """The path of one attachment: every PDF shares one URL pattern (digits aside)."""
    return f"/wp-content/uploads/2024/05/bericht-{post}-{number}.pdf"


class BoundsSite(LocalSite):
    """The site, served from a thread; ``requests`` lists every path asked for."""

    def __init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                site.record(self.path)
                status, body, media = site.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # quiet tests
                pass

        super().__init__(Handler)

    def answer(self, path: str) -> tuple[int, bytes, str]:
        """Status, body and media type for ``path``."""
        html = "text/html; charset=utf-8"
        if path == "/":
            links = "".join(f"<p><a href='/beitrag-{n}/'>Beitrag {n}</a></p>" for n in range(POSTS))
            return 200, wp_page("Testseite", links, "home blog"), html
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path.startswith("/beitrag-"):
            post = int(path.strip("/").rsplit("-", 1)[1])
            return 200, self._post(post), html
        if path.startswith("/wp-content/uploads/") and path.endswith(".pdf"):
            return 200, PDF, "application/pdf"
        return 404, wp_page("Nicht gefunden", "", "error404"), html

    def _post(self, post: int) -> bytes:
        wp_id = 500 + post
        links = "".join(
            f"<li><a href='{pdf_path(post, n)}'>Bericht {post}-{n} (PDF)</a></li>"
            for n in range(PDFS_PER_POST)
        )
        head = (
            f"<link rel='shortlink' href='{self.url}?p={wp_id}'>"
            f"<link rel='canonical' href='{self.url}beitrag-{post}/'>"
        )
        day = f"2024-05-{post + 1:02d}"
        body = (
            f"<article class='post'><time class='entry-date published' datetime='{day}'>"
            f"{day}</time><div class='entry-content'><p>Erfurt. Beitrag {post} mit "
            f"Berichten zum Herunterladen.</p><ul>{links}</ul></div></article>"
        )
        return wp_page(f"Beitrag {post}", body, f"single postid-{wp_id}", head)
