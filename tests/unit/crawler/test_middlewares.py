"""crawler.middlewares without a running reactor: Retry-After parsing and the retry
delay, the request/response pair as a WARC exchange, the WARC capture of responses (on a
real WARC file), and redirect loops failing instead of vanishing.

The waits themselves (``_sleep`` on the reactor) are left to the end-to-end crawls.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from archive import statkeys
from archive.captures import Exchange, read_capture
from crawler.middlewares import (
    BackoffRetryMiddleware,
    LoopAwareRedirectMiddleware,
    WarcCaptureMiddleware,
    exchange,
    retry_after_seconds,
)

W = "https://www.ikpe-erfurt.de"
URL = f"{W}/2024/03/fachtag/"
NOW = datetime(2024, 3, 12, 9, 0, 0, tzinfo=UTC)


def params(table: list) -> list:
    """Table rows as pytest params (the last value is the id); ``pytest.param`` rows pass."""
    return [pytest.param(*row[:-1], id=row[-1]) if type(row) is tuple else row for row in table]


def finish(coroutine):
    """Run a coroutine that never waits (the paths that do not retry) to its result."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("the coroutine waited")


# --------------------------------------------------------------------------------------
# Retry-After
# --------------------------------------------------------------------------------------

# (header value, seconds), note. "Now" is NOW.
RETRY_AFTER_CASES = [
    (None, None, "no header"),
    (b"", None, "an empty header"),
    ("", None, "an empty string"),
    (b"120", 120.0, "delta-seconds as bytes"),
    ("7", 7.0, "delta-seconds as text"),
    (b"  30 \r\n", 30.0, "surrounding space"),
    (b"0", 0.0, "retry at once"),
    (b"-5", None, "a negative delay is no delay"),
    (b"1.5", None, "delta-seconds are an integer"),
    (b"soon", None, "not a delay at all"),
    (format_datetime(NOW + timedelta(seconds=90), usegmt=True).encode(), 90.0,
     "an HTTP date 90 s ahead"),
    ("Tue, 12 Mar 2024 10:00:00 +0100", 0.0, "an RFC 2822 date with an offset: now"),
    (format_datetime(NOW - timedelta(hours=1), usegmt=True), 0.0,
     "a date in the past: at once, never negative"),
    ("Tue, 12 Mar 2024 09:02:00 -0000", None, "-0000 is 'no zone known': refused"),
    ("Tue, 32 Mar 2024 09:00:00 GMT", None, "an impossible date"),
    (b"\xb2", None, "a superscript two (latin-1 byte 0xB2) is no delay"),
]  # fmt: skip


@pytest.mark.parametrize("value, seconds", params(RETRY_AFTER_CASES))
def test_retry_after_seconds(value, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW.timestamp()) == seconds


# --------------------------------------------------------------------------------------
# The retry delay
# --------------------------------------------------------------------------------------


@pytest.fixture
def retry():
    crawler = get_crawler(
        settings_dict={"RETRY_BACKOFF_BASE": 0.5, "RETRY_BACKOFF_MAX": 30.0,
                       "RETRY_AFTER_MAX": 120.0}
    )  # fmt: skip
    return BackoffRetryMiddleware.from_crawler(crawler)


# (Retry-After header, retries so far, with a response, delay, Retry-After honoured), note.
DELAY_CASES = [
    (None, 0, True, 0.5, False, "no header, first retry: the base"),
    (None, 1, True, 1.0, False, "doubled"),
    (None, 3, True, 4.0, False, "doubled again"),
    (None, 10, True, 30.0, False, "capped at RETRY_BACKOFF_MAX"),
    (None, 2, False, 2.0, False, "an exception (no response): backoff"),
    ("45", 0, True, 45.0, True, "the site's Retry-After"),
    ("45", 5, True, 45.0, True, "Retry-After does not grow with the retries"),
    ("86400", 0, True, 120.0, True, "a day: capped at RETRY_AFTER_MAX"),
    ("0", 3, True, 0.0, True, "Retry-After: 0 means now"),
    ("bald", 1, True, 1.0, False, "an unreadable Retry-After: backoff"),
]  # fmt: skip


@pytest.mark.parametrize("header, retries, with_response, delay, honoured", params(DELAY_CASES))
def test_delay_for(retry, header, retries: int, with_response: bool, delay: float,
                   honoured: bool) -> None:  # fmt: skip
    request = Request(URL, meta={"retry_times": retries})
    headers = {"Retry-After": header} if header is not None else {}
    answer = Response(URL, status=503, headers=headers) if with_response else None
    assert retry.delay_for(request, answer) == delay
    assert retry.crawler.stats.get_value(statkeys.RETRY_AFTER_HONOURED, 0) == int(honoured)


# (status, meta), note: responses handed on at once, without a retry.
NO_RETRY_CASES = [
    (200, {}, "a success"),
    (404, {}, "not found is not retried"),
    (503, {"dont_retry": True}, "the request says dont_retry"),
]


@pytest.mark.parametrize("status, meta", params(NO_RETRY_CASES))
def test_responses_that_are_not_retried(retry, status: int, meta: dict) -> None:
    request = Request(URL, meta=meta)
    answer = Response(URL, status=status, headers={"Retry-After": "60"})
    assert finish(retry.process_response(request, answer)) is answer


def test_exceptions_that_are_not_retried(retry) -> None:
    assert finish(retry.process_exception(Request(URL), ValueError("kein Netzfehler"))) is None
    timeout = TimeoutError("zu langsam")
    request = Request(URL, meta={"dont_retry": True})
    assert finish(retry.process_exception(request, timeout)) is None


# --------------------------------------------------------------------------------------
# exchange(): the plain values of a WARC record
# --------------------------------------------------------------------------------------

# (request, response, expected exchange), note.
EXCHANGE_CASES = [
    (
        Request(URL, headers={"User-Agent": "ikpe-archive", "Accept": "text/html"}),
        HtmlResponse(URL, status=200, body="<p>Ä</p>".encode(),
                     headers={"Content-Type": "text/html; charset=UTF-8",
                              "Set-Cookie": ["a=1", "b=2"]}),
        Exchange(URL, "GET", URL, [("User-Agent", "ikpe-archive"), ("Accept", "text/html")], b"",
                 200, [("Content-Type", "text/html; charset=UTF-8"), ("Set-Cookie", "a=1"),
                       ("Set-Cookie", "b=2")], "<p>Ä</p>".encode()),
        "a GET: headers in order, repeated headers kept, no request body",
    ),
    (
        Request(f"{W}/wp-admin/admin-ajax.php", method="POST", body=b"action=tab&id=3"),
        Response(f"{W}/wp-admin/admin-ajax.php", status=200, body=b"<p>Tab</p>"),
        Exchange(f"{W}/wp-admin/admin-ajax.php", "POST", f"{W}/wp-admin/admin-ajax.php", [],
                 b"action=tab&id=3", 200, [], b"<p>Tab</p>"),
        "a POST keeps its body (the admin-ajax tabs)",
    ),
    (
        Request(URL, headers={"If-None-Match": '"abc"'}),
        Response(URL, status=304, headers={"ETag": '"abc"', "Connection": "keep-alive",
                                           "Transfer-Encoding": "chunked",
                                           "Keep-Alive": "timeout=5"}),
        Exchange(URL, "GET", URL, [("If-None-Match", '"abc"')], b"", 304, [("Etag", '"abc"')],
                 b""),
        "a 304 without the hop-by-hop headers",
    ),
    (
        Request(URL),
        Response(f"{W}/anderswo/", status=200, body=b"x"),
        Exchange(f"{W}/anderswo/", "GET", URL, [], b"", 200, [], b"x"),
        "the response's URL is the record's, the request's its request",
    ),
]  # fmt: skip


@pytest.mark.parametrize("request_, response, expected", params(EXCHANGE_CASES))
def test_exchange(request_: Request, response: Response, expected: Exchange) -> None:
    assert exchange(request_, response) == expected


# --------------------------------------------------------------------------------------
# The WARC capture middleware
# --------------------------------------------------------------------------------------


@pytest.fixture
def capture(tmp_path: Path):
    crawler = get_crawler(settings_dict={"IKPE_DATA_DIR": str(tmp_path / "data")})
    middleware = WarcCaptureMiddleware.from_crawler(crawler)
    middleware.spider_opened(SimpleNamespace(crawl_id="20240312T090000-1"))
    yield middleware
    middleware.spider_closed(None)


def page(status: int = 200, body: bytes = b"<p>Fachtag</p>", flags=None) -> Response:
    return HtmlResponse(URL, status=status, body=body, flags=flags,
                        headers={"Content-Type": "text/html", "ETag": '"v1"'})  # fmt: skip


def test_a_response_is_written_and_named_in_the_request(capture, tmp_path: Path) -> None:
    request = Request(URL)
    answer = page()
    assert capture.process_response(request, answer) is answer
    where = request.meta["capture"]
    assert where["warc_file"] == "20240312T090000-1-00000.warc.gz"
    assert where["sha256"] == hashlib.sha256(answer.body).hexdigest()
    assert where["record_type"] == "response"
    stats = capture.crawler.stats
    assert stats.get_value(statkeys.NETWORK_RESPONSES) == 1
    assert stats.get_value(statkeys.NETWORK_BYTES) == len(answer.body)
    assert stats.get_value(statkeys.NETWORK_NOT_MODIFIED) is None
    warc_dir = tmp_path / "data" / "warc"
    stored = read_capture(warc_dir, where["warc_file"], where["offset"])
    assert (stored.url, stored.status, stored.body) == (URL, 200, answer.body)


def test_a_304_points_at_the_earlier_capture(capture) -> None:
    first = Request(URL)
    capture.process_response(first, page())
    again = Request(URL, headers={"If-None-Match": '"v1"'})
    capture.process_response(again, page(304, b""))
    revisit = again.meta["capture"]
    assert revisit["record_type"] == "revisit"
    assert (revisit["warc_file"], revisit["offset"], revisit["sha256"]) == (
        first.meta["capture"]["warc_file"],
        first.meta["capture"]["offset"],
        first.meta["capture"]["sha256"],
    )
    stats = capture.crawler.stats
    assert stats.get_value(statkeys.NETWORK_NOT_MODIFIED) == 1
    assert stats.get_value(statkeys.NETWORK_RESPONSES) == 2


def test_a_304_without_an_earlier_capture_names_none(capture) -> None:
    request = Request(URL)
    capture.process_response(request, page(304, b""))
    assert "capture" not in request.meta
    assert capture.crawler.stats.get_value(statkeys.NETWORK_NOT_MODIFIED) == 1


def test_a_response_from_the_http_cache_is_not_written_again(capture) -> None:
    request = Request(URL)
    answer = page(flags=["cached"])
    assert capture.process_response(request, answer) is answer
    assert "capture" not in request.meta
    assert capture.crawler.stats.get_value(statkeys.NETWORK_RESPONSES) is None


def test_a_write_error_is_counted_and_the_crawl_goes_on(capture, tmp_path: Path) -> None:
    # The crawl's first WARC file cannot be opened: a directory stands in its place.
    (tmp_path / "data" / "warc" / "20240312T090000-1-00000.warc.gz").mkdir()
    request = Request(URL)
    answer = page()
    assert capture.process_response(request, answer) is answer
    assert "capture" not in request.meta
    assert capture.crawler.stats.get_value(statkeys.ERROR_WARC_WRITE) == 1
    assert capture.crawler.stats.get_value(statkeys.NETWORK_RESPONSES) is None


def test_before_the_spider_opens_nothing_is_written() -> None:
    middleware = WarcCaptureMiddleware.from_crawler(get_crawler())
    request = Request(URL)
    answer = page()
    assert middleware.process_response(request, answer) is answer
    assert "capture" not in request.meta
    middleware.spider_closed(None)  # nothing to close


# --------------------------------------------------------------------------------------
# Redirect loops
# --------------------------------------------------------------------------------------


@pytest.fixture
def redirects() -> LoopAwareRedirectMiddleware:
    return LoopAwareRedirectMiddleware.from_crawler(
        get_crawler(settings_dict={"REDIRECT_MAX_TIMES": 5})
    )


def follow(middleware, start: str, targets: list[str]) -> Request:
    """Answer ``start`` and each request after it with a 301 to the next target."""
    request = Request(start)
    for target in targets:
        moved = Response(request.url, status=301, headers={"Location": target})
        request = middleware.process_response(request, moved)
        assert isinstance(request, Request)
    return request


# (start, redirect targets in order, loop message or None), note.
LOOP_CASES = [
    (f"{W}/a/", [f"{W}/b/"], None, "one redirect"),
    (f"{W}/a/", [f"{W}/b/", f"{W}/c/", f"{W}/d/"], None, "a chain without a repeat"),
    ("http://www.ikpe-erfurt.de/a/", [f"{W}/a/"], None, "http to https is no loop"),
    (f"{W}/a", [f"{W}/a/"], None, "adding the slash is no loop"),
    (f"{W}/a/", [f"{W}/a/"], f"{W}/a/ -> {W}/a/", "a page redirecting to itself"),
    (f"{W}/a/", [f"{W}/b/", f"{W}/a/"], f"{W}/a/ -> {W}/b/ -> {W}/a/", "back and forth"),
    ("https://ikpe-erfurt.de/", [f"{W}/", "https://ikpe-erfurt.de/"],
     f"https://ikpe-erfurt.de/ -> {W}/ -> https://ikpe-erfurt.de/",
     "www and bare host sending to each other"),
    (f"{W}/a/", [f"{W}/b/", f"{W}/c/", f"{W}/b/"],
     f"{W}/a/ -> {W}/b/ -> {W}/c/ -> {W}/b/", "a loop further down the chain"),
    (f"{W}/a", ["/a/", "/a"], f"{W}/a -> {W}/a/ -> {W}/a", "relative Locations, slash and back"),
]  # fmt: skip


@pytest.mark.parametrize("start, targets, loop", params(LOOP_CASES))
def test_redirect_loops_fail_with_the_chain(redirects, start, targets, loop) -> None:
    if loop is None:
        final = follow(redirects, start, targets)
        assert final.meta["redirect_urls"][0] == start
        assert len(final.meta["redirect_urls"]) == len(targets)
        return
    with pytest.raises(IgnoreRequest, match="redirect loop") as failure:
        follow(redirects, start, targets)
    assert str(failure.value) == f"redirect loop: {loop}"


def test_redirect_checks_the_visited_urls_directly(redirects) -> None:
    request = Request(f"{W}/c/", meta={"redirect_urls": [f"{W}/a/", f"{W}/b/"]})
    assert redirects._redirect(Request(f"{W}/d/"), request, 301).url == f"{W}/d/"
    with pytest.raises(IgnoreRequest, match=f"{W}/a/ -> {W}/b/ -> {W}/c/ -> {W}/a/$"):
        redirects._redirect(Request(f"{W}/a/"), request, 301)


def test_a_long_chain_without_a_loop_still_stops_at_the_limit(redirects) -> None:
    targets = [f"{W}/{n}/" for n in range(1, 7)]  # six redirects, five allowed
    follow(redirects, f"{W}/0/", targets[:5])
    with pytest.raises(IgnoreRequest, match="max redirections"):
        follow(redirects, f"{W}/0/", targets)
