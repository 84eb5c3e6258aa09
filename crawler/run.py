"""Run the spider from Python (the CLI's ``crawl``): settings for a data directory and a site."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.config import DataDir
from crawler import settings as default_settings
from crawler.limits import resolve as crawl_limit_values
from crawler.logformat import quiet_network_tracebacks
from crawler.spiders.ikpe import IkpeSpider

logger = logging.getLogger(__name__)

NO_THROTTLE = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


@dataclass
class CrawlResult:
    """What a crawl did: its id, why it stopped, where its items are, and Scrapy's stats."""

    crawl_id: str
    finish_reason: str
    items_path: Path
    resumed: bool
    stats: dict

    @property
    def ok(self) -> bool:
        """True when the crawl ran to its end."""
        return self.finish_reason == "finished"


def crawl_settings(
    data_dir: DataDir, *, no_throttle: bool = False, log_level: str = "INFO"
) -> Settings:
    """The project settings, pointed at ``data_dir``, with its crawl's limits (a
    ``crawler.limits.LimitError`` when one is bad)."""
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("IKPE_DATA_DIR", str(data_dir.root), priority="cmdline")
    settings.set("HTTPCACHE_DIR", str(data_dir.http_cache_dir), priority="cmdline")
    settings.set("FILES_STORE", str(data_dir.attachments_dir), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    # The limits as they stand now: the data directory's crawl.toml under the environment
    # (the command line's options reach here as the environment; crawler.limits).
    limits = crawl_limit_values(data_dir.root, os.environ)
    settings.update(limits.settings(), priority="cmdline")
    if no_throttle:
        settings.update(NO_THROTTLE, priority="cmdline")
    return settings


def run_crawl(
    data_dir: DataDir, start_url: str, *, no_throttle: bool = False, log_level: str | None = None
) -> CrawlResult:
    """Crawl ``start_url`` into ``data_dir`` and return what happened (blocks until done).

    ``log_level`` defaults to the root logger's (``ikpe-archive -v`` makes it DEBUG).
    """
    data_dir.ensure()
    if log_level is None:
        log_level = logging.getLevelName(logging.getLogger().getEffectiveLevel())
    settings = crawl_settings(data_dir, no_throttle=no_throttle, log_level=log_level)
    # The CLI configures logging; a second root handler would print every line twice.
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    # Scrapy sets its loggers to DEBUG; without its root handler nothing filters them.
    logging.getLogger("scrapy").setLevel(log_level)
    quiet_network_tracebacks()
    crawler = process.create_crawler(IkpeSpider)
    process.crawl(crawler, start_url=start_url)
    process.start()
    spider = crawler.spider
    stats = crawler.stats.get_stats()
    return CrawlResult(
        crawl_id=spider.crawl_id,
        finish_reason=str(stats.get("finish_reason", "unknown")),
        items_path=spider.journal.items_path,
        resumed=spider.journal.resumed,
        stats=stats,
    )
