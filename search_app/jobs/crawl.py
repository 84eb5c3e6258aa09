"""The crawl job: one crawl of the site into a data directory, under its lock."""

from __future__ import annotations

from archive.config import DataDir
from search_app.jobs.lock import nightly_lock


def run_locked_crawl(data_dir: DataDir, start_url: str, *, no_throttle: bool = False):
    """Crawl ``start_url`` into ``data_dir`` and return the ``crawler.run.CrawlResult``.

    Raises ``NightlyLocked`` when a crawl or a nightly run already works on ``data_dir``:
    two crawls into one directory would interleave their journals.
    """
    from crawler.run import run_crawl  # Scrapy loads only when a crawl starts

    with nightly_lock(data_dir):
        return run_crawl(data_dir, start_url, no_throttle=no_throttle)
