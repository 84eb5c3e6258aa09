"""Scrapy settings of the IKPE crawler: polite by default, incremental, fault tolerant.

The data directory (store, WARC captures, HTTP cache, items) comes from
``IKPE_ARCHIVE_DATA`` unless ``crawler.run`` passes ``IKPE_DATA_DIR``.
"""

import os

from scrapy.settings import default_settings

from archive.config import DataDir
from crawler.limits import resolve as crawl_limit_values


def _env_int(name: str, default: int) -> int:
    """An integer setting that an environment variable may override per deployment."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


BOT_NAME = "ikpe-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

CONTACT_URL = "https://github.com/ikpe-archive/ikpe-archive#contact"
USER_AGENT = f"ikpe-archive/0.1 (+{CONTACT_URL}; archive of the IKPE Erfurt website)"

# Politeness: robots.txt, at most two requests at a time to the site, AutoThrottle.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts this many asyncio tasks for the output of every response, however few
# items it holds: its default, 100, made task creation a third of Scrapy's own time in a
# crawl of 2,000 HTML pages (BENCHMARKS.md, issue 16). With 16, that crawl's nightly took
# 2-4 s less; a REST crawl (a hundred posts a response) took as long as with 100.
CONCURRENT_ITEMS = 16
# The pause between two requests to the site, at least (AutoThrottle only lengthens it):
# one second unless the site's owner agrees to another (IKPE_CRAWL_DELAY_MS).
DOWNLOAD_DELAY = max(0, _env_int("IKPE_CRAWL_DELAY_MS", 1000)) / 1000
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = DOWNLOAD_DELAY
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = _env_int("IKPE_DOWNLOAD_TIMEOUT", 30)

# Faults: retry 5xx and time-outs with backoff, honouring Retry-After (crawler.middlewares).
RETRY_ENABLED = True
RETRY_TIMES = _env_int("IKPE_RETRY_TIMES", 3)
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 0.5
RETRY_BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 120.0
REDIRECT_MAX_TIMES = 5
DOWNLOAD_FAIL_ON_DATALOSS = True
HTTPERROR_ALLOW_ALL = True  # the spider's callbacks see 404/410 to count and report them
# A response larger than this is cut off, logged and counted (ikpe/errors/too_large): a
# page or PDF that never ends must not fill the disk. Press-release PDFs are a few MB.
DOWNLOAD_MAXSIZE = _env_int("IKPE_DOWNLOAD_MAXSIZE", 64 * 1024 * 1024)
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

# Bounds of a crawl (crawler/traps.py, crawler/bounds.py): every request the spider makes
# is checked against the shapes of crawler traps and against these limits; what is cut
# off is counted (ikpe/cut/<rule>) and reported. Generous for the real site (2-3k posts,
# ~300 archive pages, depth ~6): only traps reach them. crawler/limits.py has their
# defaults and reads the environment (IKPE_CRAWL_*); crawler.run adds the data directory's
# crawl.toml and the command line's options for each crawl.
_CRAWL_LIMITS = crawl_limit_values(None, os.environ)
_LIMITS = _CRAWL_LIMITS.values
IKPE_CRAWL_PAGE_BUDGET = _LIMITS["max_pages"]  # requests per crawl
IKPE_CRAWL_MAX_PER_PATTERN = _LIMITS["max_per_pattern"]
IKPE_CRAWL_MAX_DEPTH = _LIMITS["max_depth"]  # hops between kinds of page
IKPE_CRAWL_MAX_PAGE_NUMBER = _LIMITS["max_page_number"]
# Dates in URLs (calendars, date archives) outside these years are traps: the site's
# posts start after 2000, and events are announced at most a year or two ahead.
IKPE_CRAWL_FIRST_YEAR = _LIMITS["first_year"]
IKPE_CRAWL_YEARS_AHEAD = _LIMITS["years_ahead"]
IKPE_CRAWL_PATH_LIMITS = [list(pair) for pair in _CRAWL_LIMITS.path_limits]  # [glob, n]

# Incremental: every cached response is revalidated with If-None-Match/If-Modified-Since.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawler.cache.AlwaysRevalidatePolicy"
HTTPCACHE_STORAGE = "crawler.cache.SqliteCacheStorage"
HTTPCACHE_ALWAYS_STORE = True
HTTPCACHE_IGNORE_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.LoopAwareRedirectMiddleware": 600,
    # Closest to the network, so it sees every response as received, 304s and 5xx included.
    "crawler.middlewares.WarcCaptureMiddleware": 950,
    # Nearer the network than the HTTP cache (900): a start page that fails is not
    # answered from the cache (a site that is down must say so).
    "crawler.cache.NoStaleOnFailureMiddleware": 940,
    # After the offsite filter (50), before robots.txt (100): the downloads no spider
    # callback yields (attachments) meet the crawl's bounds here.
    "crawler.middlewares.UnroutedBoundsMiddleware": 60,
}
SPIDER_MIDDLEWARES = {
    # After the offsite filter (500): only the site's own requests count against the bounds.
    "crawler.middlewares.CrawlBoundsMiddleware": 450,
}
ITEM_PIPELINES = {
    "crawler.pipelines.DeduplicatePipeline": 100,
    "crawler.pipelines.AttachmentsPipeline": 200,
    "crawler.pipelines.RecordPipeline": 300,
    "crawler.pipelines.StorePipeline": 400,
}
FILES_URLS_FIELD = "attachment_urls"
FILES_RESULT_FIELD = "attachment_files"
FILES_EXPIRES = 3650  # a press release's PDF is downloaded once and kept
MEDIA_ALLOW_REDIRECTS = True

# Most worker processes that normalise and validate records beside the crawl (0: in the
# crawl's process). One starts with the first record to build, the second only when
# records pile up (REST pages bring a hundred posts each); see crawler/record_workers.py.
IKPE_RECORD_WORKERS = int(os.environ.get("IKPE_RECORD_WORKERS", "2"))
# Records per store transaction (and journal write); tests set a small batch to be able to
# kill a crawl between batches early.
IKPE_STORE_BATCH = int(os.environ.get("IKPE_STORE_BATCH", "50"))

# No consoles into an unattended crawl: Scrapy's telnet console, and the remote-control
# server (Scrapy 2.19+) that runs Python sent to it and writes job files to the home dir.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Off, yet Scrapy imports every extension it lists (even one set to None in EXTENSIONS)
# before asking whether it is enabled: the remote control imports aiohttp's web server, a
# sixth of a second of every crawl's start. So it is left out of the list itself.
EXTENSIONS_BASE = {
    name: order
    for name, order in default_settings.EXTENSIONS_BASE.items()
    if name != "scrapy.extensions.remote_control.RemoteControl"
}
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformat.ItemLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"

# For `scrapy crawl ikpe` from the project root; crawler.run overrides these per data dir.
_DATA_DIR = DataDir.from_env()
IKPE_DATA_DIR = str(_DATA_DIR.root)
HTTPCACHE_DIR = str(_DATA_DIR.http_cache_dir)
FILES_STORE = str(_DATA_DIR.attachments_dir)
