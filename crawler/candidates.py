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

from parsel import Selector

from archive.dates import parse_date, parse_machine_date

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


# What marks a date as the last edit rather than the posting: the class of its element (a
# classic theme's ``time.updated``, Avada's hidden ``span.updated``; not one that is also
# ``published``, as Twenty Twenty-One prints an unedited post's date), the schema.org
# property, or the meta tags of SEO plugins.
EDIT_META_XPATH = (
    "//meta[@property='article:modified_time' or @property='og:updated_time'"
    " or @itemprop='dateModified'] | //*[@itemprop='dateModified']"
)
_LOWER = "translate(@class, 'ADEFIKLMOPRSTU', 'adefiklmoprstu')"  # the words' letters
EDIT_CLASS_XPATH = (
    f"//body//*[@class][contains({_LOWER}, 'updated') or contains({_LOWER}, 'modified')"
    f" or contains({_LOWER}, 'aktualisiert')]"
)


def _edit_elements(page: Selector) -> list[Selector]:
    # The class test in XPath: a Selector for every classed element costs a millisecond a
    # page, and this runs on every page htmldate dates.
    marked = [
        node
        for node in page.xpath(EDIT_CLASS_XPATH)
        if "published" not in node.attrib["class"].lower()
    ]
    # Once each: an element may be marked twice (``class="updated"`` and
    # ``itemprop="dateModified"``), and dropping it twice fails.
    unique: dict[int, Selector] = {}
    for node in marked + page.xpath(EDIT_META_XPATH):
        unique.setdefault(id(node.root), node)
    return list(unique.values())


def _day_of(node: Selector) -> str | None:
    for value in (node.attrib.get("datetime"), node.attrib.get("content")):
        parsed = parse_machine_date(value) if value else None
        if parsed:
            return parsed.date().isoformat()
    text = " ".join(" ".join(node.css("::text").getall()).split())
    if not text or len(text) > 40:
        return None
    parsed = parse_machine_date(text)
    if parsed:
        return parsed.date().isoformat()
    span = parse_date(text)
    return span.start.iso() if span and span.start.precision == "day" else None


def edit_days(page: Selector) -> set[str]:
    """The days (``YYYY-MM-DD``) the page marks as its last edit."""
    return {day for day in map(_day_of, _edit_elements(page)) if day}


def without_edit_marks(page: Selector) -> str:
    """The page's HTML without the elements that mark its last edit."""
    copy = Selector(text=page.get())
    for node in _edit_elements(copy):
        node.drop()
    return copy.get()


class Libraries:
    """trafilatura and htmldate on one page, each run at most once and only when asked."""

    def __init__(self, page_html: str, url: str, *, enabled: bool = True) -> None:
        """``enabled=False`` for a page that lists posts: its entries are read, not it."""
        self._html, self.url = page_html, url
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
    def text_known(self) -> bool:
        """True once trafilatura has run on the page (its text costs nothing more)."""
        return self._title_text is not None

    @property
    def date(self) -> str | None:
        """htmldate's posting date of the page (markup only), ``YYYY-MM-DD``."""
        if self._date is None:
            self._date = (library_date(self._html, self.url),)
        return self._date[0]

    def _title_and_text(self) -> tuple[str | None, str | None]:
        if self._title_text is None:
            self._title_text = library_title_and_text(self._html, self.url)
        return self._title_text


def text_as_html(text: str) -> str:
    """A library's plain main text as paragraphs, the shape ``body_html`` has elsewhere."""
    lines = (line.strip() for line in text.split("\n"))
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)


__all__ = [
    "Libraries",
    "edit_days",
    "library_date",
    "library_title_and_text",
    "text_as_html",
    "without_edit_marks",
]
