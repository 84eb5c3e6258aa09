"""The press review as PDF, laid out by WeasyPrint from :mod:`htmldoc` and its stylesheet.

WeasyPrint fetches what a document names (stylesheets, images, fonts) through a URL
fetcher. Ours, :class:`LocalFilesOnly`, answers only for the local files it was given
(the stylesheet) and refuses everything else: no request leaves the machine, whatever a
record's text might smuggle in, and no other local file is read. Fonts come from the
system through fontconfig (DejaVu, installed by the set-up), not through the fetcher.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from archive.pressreview.errors import PressReviewError
from archive.pressreview.htmldoc import STYLESHEET, TEMPLATES, review_html
from archive.pressreview.model import Review

logger = logging.getLogger(__name__)
MEDIA_TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


class FetchRefusedError(ValueError):
    """The document asked for something other than the local files it may read."""


def _fetcher_class():
    # WeasyPrint (and its Pango) load only when a PDF is made.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFilesOnly(URLFetcher):
        """A URL fetcher that reads the given local files and refuses everything else."""

        def __init__(self, allowed: Iterable[Path]) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.allowed = frozenset(Path(path).resolve() for path in allowed)

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise FetchRefusedError(f"refused (not a local file): {url[:200]}")
            path = Path(unquote(parts.path)).resolve()
            if path not in self.allowed:
                raise FetchRefusedError(f"refused (not a file of the document): {url[:200]}")
            media_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": media_type})

    return LocalFilesOnly


def local_files_fetcher(allowed: Iterable[Path]):
    """A WeasyPrint URL fetcher that reads only the files in ``allowed``; every other URL
    (http, https, data, ftp, another file) raises :class:`FetchRefusedError`, which
    WeasyPrint logs and skips."""
    return _fetcher_class()(allowed)


def render_pdf(review: Review) -> bytes:
    """The review as PDF bytes: cover, table of contents with page numbers, running
    header, "Seite X von Y" and working links (outline bookmarks for each heading)."""
    try:
        from weasyprint import HTML
    except OSError as error:  # WeasyPrint loads Pango and HarfBuzz from the system
        raise PressReviewError(
            "Für PDF fehlen Systembibliotheken (Pango, HarfBuzz): unter Debian "
            "'apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0' "
            f"({error})"
        ) from None

    document = HTML(
        string=review_html(review, stylesheet=STYLESHEET.name),
        base_url=str(TEMPLATES) + "/",
        url_fetcher=local_files_fetcher([STYLESHEET]),
    )
    return document.write_pdf()
