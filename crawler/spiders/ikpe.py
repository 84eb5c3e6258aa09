"""The IKPE spider: every post, page, newsletter and publication reference, each once.

Discovery comes in layers, as WordPress offers them: the REST API when it answers; else
the sitemaps; else the category archives (with their pagination) and the feeds. The
publication tabs come from the AJAX endpoint the home page's scripts call. Callbacks only
choose what to follow; extraction lives in ``crawler.extract`` and items in ``crawler.items``.

Over 400 lines on purpose: Scrapy wants the callbacks of one crawl on one spider; the
parsing itself lives in discovery, extract and items.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from scrapy.http import FormRequest, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from archive import statkeys
from archive.config import LIVE_SITE_URL, DataDir
from crawler import discovery, items
from crawler.bounds import Hop, url_pattern
from crawler.cache import NO_STALE_META
from crawler.extract import extract_page, extract_rest_entry, is_listing_body, iso_date
from crawler.failures import failure_kind
from crawler.journal import SITE_UNREACHABLE, CrawlJournal
from crawler.urls import Site, is_page_candidate

logger = logging.getLogger(__name__)

REST_PER_PAGE = 100
MAX_FEED_PAGES = 500  # a bound for feeds whose pages never run out
# Path prefixes that are never a post or page of their own.
NOT_ENTRY_PREFIXES = ("/category/", "/tag/", "/author/", "/feed", "/wp-", "/page/", "/comments/")
NEWSLETTER_MARKERS = ("mailpoet_router", "view_in_browser")
HTML_TYPES = (b"text/html", b"application/xhtml+xml")


def _is_html(response: Response) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    return isinstance(response, TextResponse) and any(t in content_type for t in HTML_TYPES)


def is_newsletter(url: str) -> bool:
    """A newsletter's browser view (MailPoet's router)."""
    return all(marker in url for marker in NEWSLETTER_MARKERS)


def is_entry_url(site: Site, url: str) -> bool:
    """True for a (normalised) URL the spider requests as a single post, page or
    newsletter: on the site, not a listing, feed, document or the home page. The rebuild
    from the WARC captures (``crawler.recovery``) asks the same."""
    if not site.owns(url) or not is_page_candidate(url):
        return False
    if is_newsletter(url):
        return True
    parts = urlsplit(url)
    return not parts.query and not parts.path.startswith(NOT_ENTRY_PREFIXES) and parts.path != "/"


class IkpeSpider(scrapy.Spider):
    """Harvest the IKPE site (``-a start_url=...``; the live site by default)."""

    name = "ikpe"

    def __init__(self, start_url: str = LIVE_SITE_URL, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.site = Site.from_url(start_url)
        self.start_url = self.site.normalise(start_url)
        self.allowed_domains = self.site.domains
        self.category_names: dict[int, str] = {}
        self.mode: str | None = None
        self.requested: set[str] = set()
        self.pending_sitemaps = 0
        self.sitemap_pages_found = 0
        self.feed_links: set[str] = set()
        self.home_html = ""
        self.rest_root = self.site.url("/wp-json/")
        self.journal: CrawlJournal | None = None
        self.crawl_id: str | None = None
        self.unreachable: str | None = None  # why the start page never answered

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs) -> IkpeSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        data_dir = DataDir.from_env(crawler.settings.get("IKPE_DATA_DIR"))
        spider.journal = CrawlJournal.open(data_dir, spider.start_url)
        spider.crawl_id = spider.journal.crawl_id
        if spider.journal.resumed:
            logger.info(
                "resuming crawl %s: %d items already harvested",
                spider.crawl_id,
                len(spider.journal.done_keys),
            )
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    def _opened(self, spider) -> None:
        """A resumed crawl starts from the counters of the items it harvested before, so
        its stats (and the monitors that read them) stand for the whole crawl."""
        if not self.journal.resumed:
            return
        stats = self.crawler.stats
        stats.set_value(statkeys.RESUME_CARRIED, 0)
        for counters in self.journal.done_counters:
            if counters is None:  # journaled by a version that did not record counters
                stats.set_value(statkeys.RESUME_PARTIAL_COUNTS, 1)
                continue
            for key in counters:
                stats.inc_value(key)
            stats.inc_value(statkeys.RESUME_CARRIED)

    def _idle(self, spider) -> None:
        """A last net under the sitemap layer: if it ended without listing any page (its
        answers lost on the way, say to a redirect), fall back to archives and feeds."""
        if self.unreachable:
            raise CloseSpider(SITE_UNREACHABLE)
        if self.mode != "sitemap" or self.sitemap_pages_found:
            return
        # Not at the top: crawler.middlewares imports twisted's reactor, which must not be
        # installed before Scrapy picks its own.
        from crawler.middlewares import bounds_keeper

        self.pending_sitemaps = 0
        # Scheduled past the spider middlewares, so the crawl's bounds are asked here: the
        # home page's links (and the first feed page), found on the home page at depth 0.
        home = Hop(0, url_pattern(self.start_url))
        keeper = bounds_keeper(self.crawler)
        fallback = [
            request
            for request in self._archive_fallback_if_sitemaps_failed()
            if keeper.admit(request, home) is None
        ]
        for request in fallback:
            self.crawler.engine.crawl(request)
        if fallback:
            raise DontCloseSpider

    def _closed(self, spider, reason: str) -> None:
        self.journal.finish(reason, self.crawler.stats.get_stats())

    # --- the start -------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        # Revalidated as usual, but never answered from the HTTP cache when the site does
        # not answer: a site that is down must not be "crawled" from yesterday's copies.
        yield Request(
            self.start_url,
            callback=self.parse_home,
            errback=self.home_failed,
            priority=100,
            meta={NO_STALE_META: True},
        )

    def home_failed(self, failure) -> None:
        """The start page failed for good: if no answer came at all (refused, timed out,
        cut off), the site is unreachable and the crawl ends with that reason."""
        self.failed(failure)
        error = failure.value
        if isinstance(error, (HttpError, IgnoreRequest)):
            return
        kind = failure_kind(failure) or type(error).__name__
        attempts = failure.request.meta.get("retry_times", 0) + 1
        self.unreachable = f"{failure.request.url} ({kind}, {attempts} attempts)"
        self.crawler.stats.set_value(statkeys.SITE_UNREACHABLE, self.unreachable)
        logger.error("the site does not answer: %s; nothing harvested", self.unreachable)

    def parse_home(self, response: Response) -> Iterator[Request]:
        if not _is_html(response) or response.status >= 400:
            self._error("home", response.url, f"HTTP {response.status}")
            yield from self._start_fallback()
            return
        self.home_html = response.text
        yield from self._publication_requests(response)
        rest_root = discovery.rest_root(response.text, response.url) or self.site.url("/wp-json/")
        self.rest_root = self.site.normalise(rest_root).rstrip("/") + "/"
        yield Request(
            self._rest_url("wp/v2/categories", per_page=REST_PER_PAGE, page=1),
            callback=self.parse_rest_categories,
            errback=self.rest_failed,
            priority=90,
        )

    def _rest_url(self, route: str, **params) -> str:
        return f"{self.rest_root}{route}?{urlencode(params)}"

    # --- layer 1: the REST API -------------------------------------------------------

    def parse_rest_categories(self, response: Response) -> Iterator[Request]:
        listing = discovery.parse_rest_list(response.body) if response.status == 200 else None
        if listing is None:
            logger.info(
                "REST API does not answer at %s (HTTP %s): falling back to sitemaps",
                response.url,
                response.status,
            )
            yield from self._start_fallback()
            return
        self.mode = "rest"
        self.crawler.stats.set_value(statkeys.DISCOVERY, "rest")
        for category in listing:
            if isinstance(category.get("id"), int):
                self.category_names[category["id"]] = str(category.get("name", ""))
        total_pages = int(response.headers.get(b"X-WP-TotalPages") or 1)
        page = int(response.meta.get("rest_page", 1))
        if page < total_pages:
            yield Request(
                self._rest_url("wp/v2/categories", per_page=REST_PER_PAGE, page=page + 1),
                callback=self.parse_rest_categories,
                errback=self.rest_failed,
                meta={"rest_page": page + 1},
                priority=90,
            )
            return
        for kind in ("posts", "pages"):
            yield self._rest_page_request(kind, 1)

    def _rest_page_request(self, kind: str, page: int) -> Request:
        # Ordered by id, so an added post lands on the last page and leaves the others'
        # validators (and so their 304s) untouched.
        url = self._rest_url(
            f"wp/v2/{kind}", per_page=REST_PER_PAGE, page=page, orderby="id", order="asc"
        )
        return Request(
            url,
            callback=self.parse_rest_entries,
            errback=self.failed,
            meta={"rest_kind": kind, "rest_page": page},
            priority=80,
        )

    def parse_rest_entries(self, response: Response) -> Iterator[dict | Request]:
        kind, page = response.meta["rest_kind"], response.meta["rest_page"]
        listing = discovery.parse_rest_list(response.body) if response.status == 200 else None
        if listing is None:
            self._error("rest", response.url, f"HTTP {response.status}, not a JSON list")
            if page == 1 and kind == "posts":
                yield from self._start_fallback()
            return
        if page == 1:
            total_pages = int(response.headers.get(b"X-WP-TotalPages") or 1)
            for number in range(2, total_pages + 1):
                yield self._rest_page_request(kind, number)
        source = items.response_source(response, "rest")  # one digest for the whole page
        for entry in listing:
            extracted = extract_rest_entry(entry, self.category_names)
            item = items.entry_item(extracted, response, self.site, via="rest", source=source)
            yield from self._emit(item)

    def rest_failed(self, failure) -> Iterator[Request]:
        self.failed(failure)
        yield from self._start_fallback()

    # --- layer 2: sitemaps; layer 3: archives and feeds -------------------------------

    def _start_fallback(self) -> Iterator[Request]:
        if self.mode in ("sitemap", "archive"):
            return
        self.mode = "sitemap"
        self.crawler.stats.set_value(statkeys.DISCOVERY, "sitemap")
        yield Request(
            self.site.url("/robots.txt"),
            callback=self.parse_robots,
            errback=self._robots_failed,
            priority=70,
        )

    def parse_robots(self, response: Response) -> Iterator[Request]:
        listed = discovery.sitemaps_in_robots(response.text) if response.status == 200 else []
        yield from self._sitemap_requests(listed)

    def _robots_failed(self, failure) -> Iterator[Request]:
        self.failed(failure)
        yield from self._sitemap_requests([])

    def _sitemap_requests(self, listed: list[str]) -> Iterator[Request]:
        urls = dict.fromkeys(self.site.normalise(u) for u in listed if self.site.owns(u))
        for path in discovery.SITEMAP_PATHS:
            urls.setdefault(self.site.url(path))
        for url in urls:
            yield self._sitemap_request(url)

    def _sitemap_request(self, url: str) -> Request:
        self.pending_sitemaps += 1
        # Not filtered: a sitemap URL redirected to a page already fetched (the home page)
        # must still come back here, or the count of pending sitemaps never reaches zero.
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self._sitemap_failed,
            priority=60,
            dont_filter=True,
        )

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        self.pending_sitemaps -= 1
        children, pages = ([], [])
        if response.status == 200:
            children, pages = discovery.parse_sitemap(response.body)
        for child in children:
            url = self.site.normalise(child.url)
            if (
                self.site.owns(url)
                and not discovery.is_listing_sitemap(url)
                and url not in self.requested
            ):
                self.requested.add(url)
                yield self._sitemap_request(url)
        for entry in pages:
            if self.site.owns(entry.url):
                self.sitemap_pages_found += 1
                yield from self._entry_request(entry.url, lastmod=entry.lastmod)
        yield from self._archive_fallback_if_sitemaps_failed()

    def _sitemap_failed(self, failure) -> Iterator[Request]:
        self.pending_sitemaps -= 1
        yield from self._archive_fallback_if_sitemaps_failed()

    def _archive_fallback_if_sitemaps_failed(self) -> Iterator[Request]:
        if self.pending_sitemaps > 0 or self.sitemap_pages_found > 0 or self.mode == "archive":
            return
        logger.info("no sitemap lists any page: crawling category archives and feeds")
        self.mode = "archive"
        self.crawler.stats.set_value(statkeys.DISCOVERY, "archive")
        yield Request(
            self.site.url("/feed/"),
            callback=self.parse_feed,
            errback=self.failed,
            meta={"feed_page": 1},
            priority=50,
        )
        for url in discovery.page_links(self.home_html, self.start_url):
            if not self.site.owns(url):
                continue
            url = self.site.normalise(url)
            path = urlsplit(url).path
            if path.startswith("/category/") and url not in self.requested:
                self.requested.add(url)
                yield Request(url, callback=self.parse_archive, errback=self.failed, priority=50)
            else:
                yield from self._entry_request(url)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            return
        links = [
            link for link in discovery.parse_feed(response.body) if link not in self.feed_links
        ]
        self.feed_links.update(links)
        for link in links:
            yield from self._entry_request(link)
        page = response.meta["feed_page"]
        # A server that ignores ?paged= serves the same items again: stop at no new ones.
        if links and page < MAX_FEED_PAGES:
            yield Request(
                f"{self.site.url('/feed/')}?paged={page + 1}",
                callback=self.parse_feed,
                errback=self.failed,
                meta={"feed_page": page + 1},
                priority=50,
            )

    def parse_archive(self, response: Response) -> Iterator[Request]:
        if response.status != 200 or not _is_html(response):
            return
        for url in discovery.page_links(response.text, response.url):
            yield from self._entry_request(url)
        following = discovery.next_page_link(response.text, response.url)
        if following:
            following = self.site.normalise(following)
            if self.site.owns(following) and following not in self.requested:
                self.requested.add(following)
                yield Request(
                    following, callback=self.parse_archive, errback=self.failed, priority=50
                )

    # --- single posts and pages -------------------------------------------------------

    def _entry_request(
        self, url: str, kind: str | None = None, lastmod: str | None = None
    ) -> Iterator[Request]:
        if not self.site.owns(url) or not is_page_candidate(url):
            return
        url = self.site.normalise(url)
        if not is_entry_url(self.site, url):
            return
        if url in self.requested:
            return
        self.requested.add(url)
        if self.journal is not None and url in self.journal.done_urls:
            # Harvested before the restart: not fetched again, but what it links to is
            # still followed, or pages reachable only from it would count as removed.
            self.crawler.stats.inc_value(statkeys.RESUME_SKIPPED)
            yield from self._follow_links(self.journal.done_links.get(url, ()))
            return
        yield Request(
            url,
            callback=self.parse_entry,
            errback=self.failed,
            meta={
                "entry_kind": kind or ("newsletter" if is_newsletter(url) else None),
                "sitemap_lastmod": lastmod,
            },
        )

    def parse_entry(self, response: Response) -> Iterator[dict | Request]:
        if response.status in (404, 410):
            self.crawler.stats.inc_value(statkeys.GONE)
            logger.info("gone (HTTP %s): %s", response.status, response.url)
            return
        if response.status >= 400:
            self._error(f"http_{response.status}", response.url, f"HTTP {response.status}")
            return
        if not _is_html(response):
            return
        extracted = extract_page(response.text, response.url)
        listing_possible = response.meta.get("entry_kind") != "newsletter"
        body_class = response.css("body::attr(class)").get() or ""
        if listing_possible and (
            is_listing_body(body_class)
            or extracted.fields.get("wp_id") is None
            and discovery.is_listing(response.text)
        ):
            # A listing reached through a link (an archive page of the theme): follow it.
            yield from self.parse_archive(response)
            return
        if extracted.fields.get("wp_id") is None and not extracted.fields.get("body_html"):
            self._error("extraction", response.url, "no post id and no content found")
            return
        # A page may carry no date at all; its sitemap entry's may be the only one.
        extracted.offer(
            "modified", iso_date(response.meta.get("sitemap_lastmod")), "sitemap:lastmod"
        )
        item = items.entry_item(
            extracted, response, self.site, via="html", kind=response.meta.get("entry_kind")
        )
        yield from self._emit(item)

    def _emit(self, item: dict) -> Iterator[dict | Request]:
        """Yield an item and follow the links of its body that lead to more of the site."""
        yield from self._follow_links(item.get("links", ()))
        yield item

    def _follow_links(self, links) -> Iterator[Request]:
        """Requests for the body links of a post that lead to more of the site."""
        for url in links:
            if is_newsletter(url):
                yield from self._entry_request(url, "newsletter")

    # --- publications ----------------------------------------------------------------

    def _publication_requests(self, response: Response) -> Iterator[Request]:
        tabs = discovery.find_ajax_tabs(response.text, response.url)
        if tabs is None or not tabs.tabs:
            logger.info(
                "no AJAX publication tabs on %s: reading the year-grouped list", response.url
            )
            yield Request(
                self.site.url("/category/referenzen/"),
                callback=self.parse_citation_page,
                errback=self.failed,
            )
            return
        for position, key in enumerate(tabs.tabs):
            name = tabs.names[position] if position < len(tabs.names) else None
            yield FormRequest(
                self.site.normalise(tabs.url),
                formdata={"action": tabs.action, "tab": key},
                callback=self.parse_tab,
                errback=self.failed,
                meta={"tab": position, "tab_name": name},
                priority=70,
            )

    def parse_tab(self, response: Response) -> Iterator[dict]:
        if response.status != 200:
            self._error(
                "ajax", response.url, f"HTTP {response.status} for tab {response.meta['tab']}"
            )
            return
        fragment, name = discovery.ajax_html(response.body)
        tab_name = name or response.meta.get("tab_name")
        citations, dropped = discovery.split_citations(
            discovery.parse_citation_list(fragment, response.url), tab_name
        )
        if dropped:
            self.crawler.stats.inc_value(statkeys.PUBLICATIONS_NOT_CITATIONS, len(dropped))
            logger.info(
                "tab %s: %d entries are no citation, not kept (first: %.80s)",
                response.meta["tab"],
                len(dropped),
                dropped[0].text,
            )
        for citation in citations:
            yield items.publication_item(
                citation,
                response,
                tab=response.meta["tab"],
                tab_name=tab_name,
                list_url=self.start_url,
                via="ajax",
            )

    def parse_citation_page(self, response: Response) -> Iterator[dict]:
        if response.status != 200 or not _is_html(response):
            return
        for citation in discovery.parse_citation_list(response.text, response.url):
            if citation.year_heading is None:
                continue
            yield items.publication_item(
                citation, response, tab=None, tab_name=None, list_url=response.url, via="html"
            )

    # --- errors ----------------------------------------------------------------------

    def _error(self, kind: str, url: str, reason: str) -> None:
        self.crawler.stats.inc_value(statkeys.ERRORS)
        self.crawler.stats.inc_value(statkeys.error(kind))
        logger.error("crawl error [%s] %s: %s", kind, url, reason)

    def failed(self, failure) -> None:
        """Log a request that failed for good (after retries), with its URL and reason."""
        kind = failure_kind(failure)
        if kind is None:
            self.crawler.stats.inc_value(statkeys.ROBOTS_FORBIDDEN)
            return
        self._error(kind, failure.request.url, repr(failure.value))
