"""HTTP cache policy for incremental crawls, and the requests it must not answer."""

from __future__ import annotations

import logging
import pickle
import sqlite3
import zlib
from pathlib import Path
from time import time

from scrapy import Spider
from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.project import data_path
from scrapy.utils.response import response_from_dict

from archive.store import is_damage

logger = logging.getLogger(__name__)


class AlwaysRevalidatePolicy(RFC2616Policy):
    """Never trust a cached page without asking the site: always send a conditional request.

    RFC 2616's heuristic freshness would serve an old page from the cache for weeks
    (a tenth of its age since Last-Modified) and miss an edit; an archive must not.
    A 304 then costs the site no body, and the spider re-reads the cached copy.
    """

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        """Cached copies are never fresh; set the validators for a conditional request."""
        self._set_conditional_validators(request, cachedresponse)
        return False


NO_STALE_META = "ikpe_no_stale"  # a request the HTTP cache must not answer on a failure


class NoStaleOnFailureMiddleware:
    """Scrapy's HTTP cache answers a request that fails on the network with its cached
    copy. For requests marked ``ikpe_no_stale`` (the start page) that would hide a site
    that is down: this middleware, nearer the network than the cache, takes the cached
    copy away before the cache sees the failure, so it reaches the retries and the spider.
    """

    def process_exception(self, request: Request, exception: Exception, spider=None) -> None:
        if request.meta.get(NO_STALE_META):
            request.meta.pop("cached_response", None)


class SqliteCacheStorage:
    """Scrapy's HTTP cache in one SQLite file (``<HTTPCACHE_DIR>/<spider>.sqlite3``).

    The filesystem storage writes six files and a directory per response, which costs more
    than the crawl itself; dbm's fast backends are not on every machine. Writes are
    committed in batches: a cache entry lost to a kill only means one more full fetch.
    """

    COMMIT_EVERY = 50
    LOCK_TIMEOUT_SECONDS = 5.0  # SQLite's wait for a lock another connection holds

    def __init__(self, settings: BaseSettings) -> None:
        self.cachedir = Path(data_path(settings["HTTPCACHE_DIR"], createdir=True))
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.db: sqlite3.Connection | None = None
        self.pending = 0

    def open_spider(self, spider: Spider) -> None:
        self._fingerprinter = spider.crawler.request_fingerprinter
        path = self.cachedir / f"{spider.name}.sqlite3"
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError as error:
            if not is_damage(error):  # locked or busy: another crawl has it, not damage
                raise
            # Only a cache: a damaged one is set aside and the crawl fetches afresh.
            logger.warning("the HTTP cache %s is damaged (%s): starting an empty one", path, error)
            path.replace(path.with_name(f"{path.name}.damaged"))
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=SqliteCacheStorage.LOCK_TIMEOUT_SECONDS)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS responses"
                " (key TEXT PRIMARY KEY, stored_at REAL, data BLOB)"
            )
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close_spider(self, spider: Spider) -> None:
        if self.db is not None:
            self.db.commit()
            self.db.close()
            self.db = None

    def _key(self, request: Request) -> str:
        return self._fingerprinter.fingerprint(request).hex()

    def retrieve_response(self, spider: Spider, request: Request) -> Response | None:
        row = self.db.execute(
            "SELECT stored_at, data FROM responses WHERE key = ?", (self._key(request),)
        ).fetchone()
        if row is None:
            return None
        stored_at, data = row
        if 0 < self.expiration_secs < time() - stored_at:
            return None
        request.meta["cache_timestamp"] = stored_at
        return response_from_dict(pickle.loads(zlib.decompress(data)))  # noqa: S301 - our own cache

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        data = zlib.compress(pickle.dumps(response.to_dict(), protocol=4), 1)
        self.db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?)", (self._key(request), time(), data)
        )
        self.pending += 1
        if self.pending >= self.COMMIT_EVERY:
            self.db.commit()
            self.pending = 0
