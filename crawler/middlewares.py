"""Middlewares: retries with backoff and Retry-After, WARC raw captures, redirect loops
(downloader), and the crawl's bounds (spider, and downloader for the requests no spider
callback yields)."""

from __future__ import annotations

import logging
import time
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater

from archive import statkeys
from archive.captures import Exchange, WarcArchive, header_pairs
from archive.config import DataDir
from crawler.bounds import LIMIT_RULES, CrawlBounds, CrawlLimits, Hop
from crawler.limits import BY_NAME, PATH_LIMITS_SETTING
from crawler.traps import TrapRules

logger = logging.getLogger(__name__)


async def _sleep(seconds: float) -> None:
    """Wait without blocking the reactor (other requests go on meanwhile)."""
    if seconds > 0:
        await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isascii() and text.isdigit():  # "²" is a digit to str.isdigit, not to float()
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting before each: ``Retry-After`` when the site sends one
    (capped by ``RETRY_AFTER_MAX``), else exponential backoff from ``RETRY_BACKOFF_BASE``."""

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 0.5)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    def delay_for(self, request: Request, response: Response | None) -> float:
        """How long to wait before retrying ``request``."""
        if response is not None:
            wanted = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wanted is not None:
                self.crawler.stats.inc_value(statkeys.RETRY_AFTER_HONOURED)
                return min(wanted, self.retry_after_max)
        attempt = request.meta.get("retry_times", 0)
        return min(self.backoff_base * (2**attempt), self.backoff_max)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await _sleep(self.delay_for(request, response))
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await _sleep(self.delay_for(request, None))
        return retry


class WarcCaptureMiddleware:
    """Write every response as received from the network to the crawl's WARC files.

    It sits next to the downloader, so it sees 304s (written as WARC ``revisit`` records)
    and errors before the cache and the retries act on them. ``request.meta["capture"]``
    then names the WARC record that holds the body the spider parses.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.archive: WarcArchive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider) -> None:
        crawl_id = getattr(spider, "crawl_id", None) or time.strftime("%Y%m%dT%H%M%S")
        data_dir = DataDir.from_env(self.crawler.settings.get("IKPE_DATA_DIR"))
        self.archive = WarcArchive(data_dir.warc_dir, crawl_id)

    def spider_closed(self, spider) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if self.archive is None or "cached" in response.flags:
            return response
        try:
            capture = self.archive.record(exchange(request, response))
        except OSError as error:
            logger.error("could not write WARC record for %s: %s", response.url, error)
            self.crawler.stats.inc_value(statkeys.ERROR_WARC_WRITE)
            return response
        stats = self.crawler.stats
        stats.inc_value(statkeys.NETWORK_RESPONSES)
        stats.inc_value(statkeys.NETWORK_BYTES, len(response.body))
        if response.status == 304:
            stats.inc_value(statkeys.NETWORK_NOT_MODIFIED)
        if capture is not None:
            request.meta["capture"] = capture
        return response


def exchange(request: Request, response: Response) -> Exchange:
    """A request and its response as the plain values a WARC record holds."""
    return Exchange(
        url=response.url,
        method=request.method,
        request_url=request.url,
        request_headers=header_pairs(request.headers),
        request_body=request.body or b"",
        status=response.status,
        headers=header_pairs(response.headers),
        body=response.body,
    )


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """Redirects as usual, but a redirect back to a URL already visited is a loop: it
    fails the request with a reason the spider logs, instead of vanishing into the
    duplicate filter."""

    def _redirect(self, redirected: Request, request: Request, reason) -> Request:
        visited = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in visited:
            chain = " -> ".join([*visited, redirected.url])
            raise IgnoreRequest(f"redirect loop: {chain}")
        return super()._redirect(redirected, request, reason)


HOP_META = "ikpe_hop"  # (depth, pattern) of an admitted request, for its children
PAGE_BUDGET_REASON = "page_budget"  # the finish reason of a crawl that spent its budget


def crawl_limits(settings: BaseSettings, today: date | None = None) -> CrawlLimits:
    """The crawl's limits from its settings (``IKPE_CRAWL_*``: ``crawler.limits`` says
    where they come from, ``crawler.run`` puts them in)."""
    year = (today or date.today()).year

    def value(name: str) -> int:
        limit = BY_NAME[name]  # its setting and default are kept there only
        return settings.getint(limit.setting, limit.default)

    return CrawlLimits(
        page_budget=value("max_pages"),
        max_per_pattern=value("max_per_pattern"),
        max_depth=value("max_depth"),
        traps=TrapRules(
            first_year=value("first_year"),
            last_year=year + value("years_ahead"),
            max_page_number=value("max_page_number"),
        ),
        path_limits=tuple(
            (str(glob), int(count)) for glob, count in settings.get(PATH_LIMITS_SETTING) or ()
        ),
    )


class BoundsKeeper:
    """The bounds of one crawl and the counting of what they cut off, shared by every
    way a request can enter the crawl: the spider's callbacks (``CrawlBoundsMiddleware``),
    the spider's idle fallback (``admit``, called by the spider) and the downloads no
    callback yields, an item's attachments (``UnroutedBoundsMiddleware``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.bounds = CrawlBounds(crawl_limits(crawler.settings))
        self.logged: set[tuple[str, str]] = set()

    def admit(self, request: Request, parent: Hop | None) -> str | None:
        """Ask the bounds about ``request`` found at ``parent``: None when admitted (its
        hop is noted in its meta, for its children), else the rule that cut it off
        (counted and logged)."""
        decision = self.bounds.decide(request.url, parent)
        if decision.cut is None:
            request.meta[HOP_META] = (decision.hop.depth, decision.hop.pattern)
            return None
        self._count_cut(decision.cut, request.url, decision.hop)
        return decision.cut

    def _count_cut(self, rule: str, url: str, hop: Hop) -> None:
        stats = self.crawler.stats
        stats.inc_value(statkeys.cut(rule))
        if stats.get_value(statkeys.cut_example(rule)) is None:
            stats.set_value(statkeys.cut_example(rule), url)
        # One line per rule and pattern: a trap of a thousand pages logs once.
        level = logging.DEBUG if (rule, hop.pattern) in self.logged else logging.WARNING
        if rule not in LIMIT_RULES and level == logging.WARNING:
            level = logging.INFO  # a recognised trap is expected; a limit hit is news
        self.logged.add((rule, hop.pattern))
        logger.log(level, "cut off [%s] %s (pattern %s, depth %d)", rule, url, hop.pattern,
                   hop.depth)  # fmt: skip


_KEEPERS: WeakKeyDictionary[Crawler, BoundsKeeper] = WeakKeyDictionary()


def bounds_keeper(crawler: Crawler) -> BoundsKeeper:
    """The one ``BoundsKeeper`` of a crawl (made on first use)."""
    if crawler not in _KEEPERS:
        _KEEPERS[crawler] = BoundsKeeper(crawler)
    return _KEEPERS[crawler]


class CrawlBoundsMiddleware(BaseSpiderMiddleware):
    """Ask ``crawler.bounds`` before every request the spider makes; drop, count
    (``ikpe/cut/<rule>``) and log what it cuts off. A crawl that spent its page budget
    closes with the reason ``page_budget`` once the requests already admitted are done."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.keeper = bounds_keeper(crawler)
        self.bounds = self.keeper.bounds
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        parent = None
        if response is not None and response.request is not None:
            depth_pattern = response.request.meta.get(HOP_META)
            parent = Hop(*depth_pattern) if depth_pattern else None
        return request if self.keeper.admit(request, parent) is None else None

    def spider_idle(self, spider) -> None:
        if self.bounds.budget_spent:
            raise CloseSpider(PAGE_BUDGET_REASON)


def is_robots_request(request: Request) -> bool:
    """Scrapy's own request for a host's robots.txt (``RobotsTxtMiddleware``)."""
    return bool(request.meta.get("dont_obey_robotstxt")) and (
        urlsplit(request.url).path == "/robots.txt"
    )


class UnroutedBoundsMiddleware:
    """The bounds for requests that reach the downloader without passing the spider
    middlewares: an item's attachments (the files pipeline downloads them directly).
    They count against the budget, the per-pattern limits and the trap rules like any
    page; as leaves the crawl never parses for links, they stand at depth 0.

    Let through unasked: requests already admitted (retries and redirects keep their
    hop), and Scrapy's robots.txt request, one per host of an admitted request: the file
    that says what the crawl may fetch is never what a budget should save on.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.keeper = bounds_keeper(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnroutedBoundsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider=None) -> None:
        if HOP_META in request.meta or is_robots_request(request):
            return None
        rule = self.keeper.admit(request, None)
        if rule is not None:
            raise IgnoreRequest(f"cut off by the crawl's bounds [{rule}]: {request.url}")
        return None
