"""crawler.cache without a running crawl: the policy that never trusts a cached page
without asking the site, and the HTTP cache in one real SQLite file, driven with Scrapy's
own Request and Response objects."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.cache import AlwaysRevalidatePolicy, SqliteCacheStorage

URL = "https://www.ikpe-erfurt.de/2024/03/fachtag/"
LAST_MODIFIED = b"Tue, 12 Mar 2024 09:00:00 GMT"
ETAG = b'"abc-123"'
BODY = "<html><body><h1>Fachtag „Armut“</h1><p>Ä Ö Ü ß</p></body></html>".encode()


def policy() -> AlwaysRevalidatePolicy:
    """The policy under the project's settings."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    return AlwaysRevalidatePolicy(settings)


def page(status: int = 200, headers: dict | None = None, body: bytes = BODY, **kw) -> Response:
    return HtmlResponse(URL, status=status, headers=headers or {}, body=body, **kw)


# --------------------------------------------------------------------------------------
# The policy
# --------------------------------------------------------------------------------------

# (cached response headers, conditional request headers expected), note.
REVALIDATE_CASES = [
    ({"Last-Modified": LAST_MODIFIED}, {b"If-Modified-Since": LAST_MODIFIED},
     "Last-Modified: asks If-Modified-Since (RFC 2616 would serve it for weeks)"),
    ({"ETag": ETAG}, {b"If-None-Match": ETAG}, "ETag: asks If-None-Match"),
    ({"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
     {b"If-None-Match": ETAG, b"If-Modified-Since": LAST_MODIFIED}, "both validators"),
    ({"Cache-Control": "max-age=31536000", "ETag": ETAG}, {b"If-None-Match": ETAG},
     "even a page the site calls fresh for a year"),
    ({"Expires": "Thu, 01 Jan 2099 00:00:00 GMT", "Last-Modified": LAST_MODIFIED},
     {b"If-Modified-Since": LAST_MODIFIED}, "even a page that expires in 2099"),
    ({}, {}, "no validators: nothing to ask with, a full fetch"),
]  # fmt: skip


@pytest.mark.parametrize(
    "cached_headers, asked",
    [c[:2] for c in REVALIDATE_CASES],
    ids=[c[2] for c in REVALIDATE_CASES],
)
def test_a_cached_page_is_never_fresh(cached_headers: dict, asked: dict) -> None:
    request = Request(URL)
    fresh = policy().is_cached_response_fresh(page(headers=cached_headers), request)
    assert fresh is False
    conditional = {
        name: request.headers.get(name)
        for name in (b"If-None-Match", b"If-Modified-Since")
        if name in request.headers
    }
    assert conditional == asked


# (response, stored in the cache), note.
STORE_CASES = [
    (page(), True, "a 200 without validators (HTTPCACHE_ALWAYS_STORE)"),
    (page(headers={"ETag": ETAG}), True, "a 200 with a validator"),
    (page(404), True, "a 404, so the next crawl can ask again cheaply"),
    (page(304), False, "a 304 is never stored (it has no body)"),
    (page(headers={"Cache-Control": "no-store"}), False, "the site says no-store"),
]


@pytest.mark.parametrize(
    "response, stored", [c[:2] for c in STORE_CASES], ids=[c[2] for c in STORE_CASES]
)
def test_what_the_crawl_keeps(response: Response, stored: bool) -> None:
    assert policy().should_cache_response(response, Request(URL)) is stored


# (fresh answer's status, the cached copy is used), note.
VALID_CASES = [
    (304, True, "not modified: the spider re-reads the cached copy"),
    (200, False, "a new body replaces the copy"),
    (503, True, "a server error: the cached copy stands in"),
    (404, False, "gone: the 404 is what the spider must see"),
]


@pytest.mark.parametrize(
    "status, valid", [c[:2] for c in VALID_CASES], ids=[c[2] for c in VALID_CASES]
)
def test_when_the_cached_copy_is_used(status: int, valid: bool) -> None:
    cached = page(headers={"ETag": ETAG})
    assert policy().is_cached_response_valid(cached, page(status, body=b""), Request(URL)) is valid


# --------------------------------------------------------------------------------------
# The SQLite storage
# --------------------------------------------------------------------------------------


class IkpeSpider(Spider):
    name = "ikpe"


@pytest.fixture
def spider() -> Spider:
    return IkpeSpider.from_crawler(get_crawler(IkpeSpider))


def storage_for(cache_dir: Path, expiration: int = 0) -> SqliteCacheStorage:
    return SqliteCacheStorage(
        Settings({"HTTPCACHE_DIR": str(cache_dir), "HTTPCACHE_EXPIRATION_SECS": expiration})
    )


@pytest.fixture
def storage(tmp_path: Path, spider: Spider):
    opened = storage_for(tmp_path / "httpcache")
    opened.open_spider(spider)
    yield opened
    opened.close_spider(spider)


def rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]


def test_one_file_per_spider_in_the_cache_dir(tmp_path: Path, spider: Spider) -> None:
    cache_dir = tmp_path / "noch" / "nicht" / "da"
    storage = storage_for(cache_dir)
    assert cache_dir.is_dir()  # created on construction
    storage.open_spider(spider)
    storage.close_spider(spider)
    storage.close_spider(spider)  # a second close is harmless
    assert [p.name for p in cache_dir.iterdir() if p.suffix == ".sqlite3"] == ["ikpe.sqlite3"]


# (response), note: each must come back as it was stored.
ROUND_TRIP_CASES = [
    (page(headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED,
                   "Set-Cookie": ["a=1; Path=/", "b=2; Path=/"]}),
     "an HTML page, repeated headers kept"),
    (Response(URL + "programm.pdf", body=b"%PDF-1.4\n" + bytes(range(256)),
              headers={"Content-Type": "application/pdf"}), "a binary body"),
    (TextResponse(URL + "feed/", body=b"<rss/>", encoding="utf-8",
                  headers={"Content-Type": "application/rss+xml"}), "a text response"),
    (page(404, body=b"<p>Nicht gefunden</p>"), "a 404"),
    (page(body=b""), "an empty body"),
]  # fmt: skip


@pytest.mark.parametrize(
    "response", [c[0] for c in ROUND_TRIP_CASES], ids=[c[1] for c in ROUND_TRIP_CASES]
)
def test_a_stored_response_comes_back_as_it_was(storage, spider, response: Response) -> None:
    request = Request(response.url)
    before = time.time()
    storage.store_response(spider, request, response)
    again = Request(response.url)
    cached = storage.retrieve_response(spider, again)
    assert type(cached) is type(response)
    assert (cached.url, cached.status) == (response.url, response.status)
    assert cached.body == response.body
    assert cached.headers.to_unicode_dict() == response.headers.to_unicode_dict()
    assert cached.headers.getlist(b"Set-Cookie") == response.headers.getlist(b"Set-Cookie")
    assert before <= again.meta["cache_timestamp"] <= time.time()


# (stored request, asked request), note: a different request is a miss.
MISS_CASES = [
    (Request(URL), Request(URL + "?p=2"), "another URL"),
    (Request(URL), Request(URL, method="POST"), "another method"),
    (Request(URL, method="POST", body=b"action=tab&id=1"),
     Request(URL, method="POST", body=b"action=tab&id=2"), "another POST body (admin-ajax tabs)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "stored, asked", [c[:2] for c in MISS_CASES], ids=[c[2] for c in MISS_CASES]
)
def test_another_request_is_a_miss(storage, spider, stored: Request, asked: Request) -> None:
    storage.store_response(spider, stored, page())
    assert storage.retrieve_response(spider, asked) is None
    assert "cache_timestamp" not in asked.meta
    assert storage.retrieve_response(spider, stored.replace()) is not None


def test_the_latest_response_replaces_the_earlier(storage, spider) -> None:
    storage.store_response(spider, Request(URL), page(body=b"<p>alt</p>"))
    storage.store_response(spider, Request(URL), page(body=b"<p>neu</p>"))
    assert storage.retrieve_response(spider, Request(URL)).body == b"<p>neu</p>"
    assert storage.db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 1


# (expiration seconds, age of the entry in seconds, found), note.
EXPIRY_CASES = [
    (0, 10 * 365 * 24 * 3600, True, "0: entries never expire"),
    (3600, 60, True, "younger than the expiration"),
    (3600, 7200, False, "older than the expiration"),
]


@pytest.mark.parametrize(
    "expiration, age, found", [c[:3] for c in EXPIRY_CASES], ids=[c[3] for c in EXPIRY_CASES]
)
def test_expiration(tmp_path: Path, spider, expiration: int, age: int, found: bool) -> None:
    storage = storage_for(tmp_path / "httpcache", expiration)
    storage.open_spider(spider)
    try:
        storage.store_response(spider, Request(URL), page())
        storage.db.execute("UPDATE responses SET stored_at = ?", (time.time() - age,))
        assert (storage.retrieve_response(spider, Request(URL)) is not None) is found
    finally:
        storage.close_spider(spider)


def test_writes_are_committed_in_batches_and_on_close(tmp_path: Path, spider) -> None:
    storage = storage_for(tmp_path / "httpcache")
    storage.open_spider(spider)
    path = tmp_path / "httpcache" / "ikpe.sqlite3"
    every = SqliteCacheStorage.COMMIT_EVERY
    for number in range(every - 1):
        storage.store_response(spider, Request(f"{URL}?p={number}"), page())
    assert rows(path) == 0  # not yet committed: another connection sees nothing
    storage.store_response(spider, Request(f"{URL}?p=last"), page())
    assert rows(path) == every
    storage.store_response(spider, Request(f"{URL}?p=after"), page())
    assert rows(path) == every
    storage.close_spider(spider)
    assert rows(path) == every + 1


def test_the_cache_outlives_the_crawl(tmp_path: Path, spider) -> None:
    first = storage_for(tmp_path / "httpcache")
    first.open_spider(spider)
    first.store_response(spider, Request(URL), page(headers={"ETag": ETAG}))
    first.close_spider(spider)
    second = storage_for(tmp_path / "httpcache")
    second.open_spider(spider)
    try:
        cached = second.retrieve_response(spider, Request(URL))
        assert cached.body == BODY and cached.headers[b"ETag"] == ETAG
    finally:
        second.close_spider(spider)


def test_a_damaged_cache_is_set_aside_a_locked_one_is_not(tmp_path: Path, spider, monkeypatch):
    """Random bytes are damage: the file moves aside and the crawl starts an empty cache.
    A lock another connection holds is not: the file stays, and the error says so."""
    cache_dir = tmp_path / "httpcache"
    cache_dir.mkdir()
    path = cache_dir / f"{spider.name}.sqlite3"
    path.write_bytes(b"\x00kein SQLite" * 300)
    damaged = storage_for(cache_dir)
    damaged.open_spider(spider)
    damaged.close_spider(spider)
    assert path.with_name(f"{path.name}.damaged").read_bytes().startswith(b"\x00kein")
    assert rows(path) == 0

    monkeypatch.setattr(SqliteCacheStorage, "LOCK_TIMEOUT_SECONDS", 0.05)
    locked_dir = tmp_path / "locked"
    locked_dir.mkdir()
    locked = locked_dir / f"{spider.name}.sqlite3"
    holder = sqlite3.connect(locked)  # a rollback journal: opening in WAL mode needs the lock
    holder.execute("CREATE TABLE responses (key TEXT PRIMARY KEY, stored_at REAL, data BLOB)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            storage_for(locked_dir).open_spider(spider)
    finally:
        holder.rollback()
        holder.close()
    assert [p.name for p in locked_dir.iterdir()] == [locked.name]  # not set aside
