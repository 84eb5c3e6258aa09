"""Kept libraries as candidates: trafilatura (title, main text) and htmldate (posting date).

They need no knowledge of the site, so they hold where the spider's rules meet a theme they
were not written for. They are slow next to a CSS selector (trafilatura some milliseconds a
page), so :mod:`crawler.extract` calls them only for the fields a page gives no WordPress
signal for, and decides between their answer and its own rules (see ``extract.py``).

Messy input gives None, never an exception: a library's failure must not cost a page.
"""

from __future__ import annotations

import html
import logging
from datetime import date

logger = logging.getLogger(__name__)

# htmldate's search window: the archive's date range (schemas: 1990-2100), never the future.
EARLIEST_DATE = "1990-01-01"
DATE_FORMAT = "%Y-%m-%d"


def library_title_and_text(page_html: str, url: str) -> tuple[str | None, str | None]:
    """trafilatura's title and main text of a page (either may be None).

    ``fast`` skips trafilatura's second and third extractors (readability, jusText): the
    spider's own rules are the fallback here, and the crawl pays for every millisecond.
    """
    try:
        import trafilatura  # loaded on first use: most WordPress pages never need it

        document = trafilatura.bare_extraction(
            page_html,
            url=url,
            fast=True,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
        )
    except Exception:  # the library's own errors (ValueError on empty trees) and bugs alike
        logger.debug("trafilatura gave nothing for %s", url, exc_info=True)
        return None, None
    if document is None:
        return None, None
    title = " ".join((document.title or "").split()) or None
    text = (document.text or "").strip() or None
    return title, text


def library_date(
    page_html: str, url: str, today: date | None = None, *, extensive: bool = False
) -> str | None:
    """htmldate's posting date of a page as ``YYYY-MM-DD`` (the original, not the update).

    ``extensive``: also search the free text (htmldate's default; the benchmark compares it).
    """
    try:
        from htmldate import find_date

        return find_date(
            page_html,
            url=url,
            original_date=True,
            # Markup only (meta, time, itemprop, date classes, the URL): the free-text search
            # takes a dateline in the body for the posting date (tests/themes:
            # custom-site-last), which is what the spider must not do.
            extensive_search=extensive,
            outputformat=DATE_FORMAT,
            min_date=EARLIEST_DATE,
            max_date=(today or date.today()).isoformat(),
        )
    except Exception:
        logger.debug("htmldate gave nothing for %s", url, exc_info=True)
        return None


class Libraries:
    """trafilatura and htmldate on one page, each run at most once and only when asked."""

    def __init__(self, page_html: str, url: str, *, enabled: bool = True) -> None:
        """``enabled=False`` for a page that lists posts: its entries are read, not it."""
        self._html, self._url = page_html, url
        self.enabled = enabled
        self._title_text: tuple[str | None, str | None] | None = None if enabled else (None, None)
        self._date: tuple[str | None] | None = None if enabled else (None,)

    @property
    def title(self) -> str | None:
        """trafilatura's title of the page."""
        return self._title_and_text()[0]

    @property
    def text(self) -> str | None:
        """trafilatura's main text of the page."""
        return self._title_and_text()[1]

    @property
    def date(self) -> str | None:
        """htmldate's posting date of the page (markup only), ``YYYY-MM-DD``."""
        if self._date is None:
            self._date = (library_date(self._html, self._url),)
        return self._date[0]

    def _title_and_text(self) -> tuple[str | None, str | None]:
        if self._title_text is None:
            self._title_text = library_title_and_text(self._html, self._url)
        return self._title_text


def text_as_html(text: str) -> str:
    """A library's plain main text as paragraphs, the shape ``body_html`` has elsewhere."""
    lines = (line.strip() for line in text.split("\n"))
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


__all__ = ["Libraries", "library_date", "library_title_and_text", "text_as_html"]
