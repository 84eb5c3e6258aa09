"""crawler.failures: how the crawl names a request that failed for good
(``ikpe/errors/<kind>``), in both spellings Scrapy 2.13+ gives network errors; and the log
filter that keeps a site that does not answer to one line per failure (issue 13)."""

from __future__ import annotations

import logging

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Request
from twisted.internet import defer, error
from twisted.python.failure import Failure

from crawler.cache import NO_STALE_META, NoStaleOnFailureMiddleware
from crawler.failures import failure_kind
from crawler.logformat import NoNetworkTracebacks

# (exception, kind), note.
KIND_CASES = [
    (DownloadTimeoutError("took longer than 1.0 seconds"), "timeout", "Scrapy's timeout"),
    (error.TimeoutError(), "timeout", "Twisted's timeout"),
    (error.TCPTimedOutError(), "timeout", "a TCP time-out"),
    (DownloadConnectionRefusedError("refused"), "connection_refused", "Scrapy's refusal"),
    (error.ConnectionRefusedError(), "connection_refused", "Twisted's refusal"),
    (CannotResolveHostError("no such host"), "dns", "Scrapy's DNS failure"),
    (error.DNSLookupError(), "dns", "Twisted's DNS failure"),
    (ResponseDataLossError("cut"), "dataloss", "a truncated body"),
    (DownloadFailedError("[<Failure twisted.web._newclient.DataLoss>]"), "dataloss",
     "a failed response that lost data"),
    (DownloadFailedError("[<Failure ConnectionDone>]"), "response_failed", "another failure"),
    (error.ConnectionLost(), "connection_lost", "a lost connection"),
    (DownloadCancelledError("larger than download max size"), "too_large",
     "cut at DOWNLOAD_MAXSIZE"),
    (defer.CancelledError(), "too_large", "an endless body cut mid-stream"),
    (IgnoreRequest("Forbidden by robots.txt"), None, "robots.txt: not an error"),
    (IgnoreRequest("redirect loop: a -> b -> a"), "redirect_loop", "a redirect loop"),
    (IgnoreRequest("offsite"), "ignored", "another ignored request"),
    (ValueError("odd"), "ValueError", "anything else by its class"),
]  # fmt: skip


@pytest.mark.parametrize(
    "exception, kind", [c[:2] for c in KIND_CASES], ids=[c[2] for c in KIND_CASES]
)
def test_failure_kind(exception: Exception, kind: str | None) -> None:
    assert failure_kind(Failure(exception)) == kind


def _record(exception: Exception | None) -> logging.LogRecord:
    exc_info = (type(exception), exception, None) if exception else None
    return logging.LogRecord("scrapy", logging.ERROR, __file__, 1, "Error downloading", (),
                             exc_info)  # fmt: skip


def _wrapped(outer: Exception, cause: Exception) -> Exception:
    outer.__cause__ = cause
    return outer


# (exception, traceback kept), note.
FILTER_CASES = [
    (DownloadConnectionRefusedError("refused"), False, "a refused connection"),
    (_wrapped(RuntimeError("while downloading"), DownloadTimeoutError("slow")), False,
     "a network error as the cause"),
    (ValueError("a bug"), True, "a bug keeps its traceback"),
    (None, True, "no exception at all"),
]  # fmt: skip


@pytest.mark.parametrize(
    "exception, kept", [c[:2] for c in FILTER_CASES], ids=[c[2] for c in FILTER_CASES]
)
def test_network_failures_lose_their_traceback_only(exception, kept: bool) -> None:
    record = _record(exception)
    assert NoNetworkTracebacks().filter(record) is True  # the line itself is always kept
    assert (record.exc_info is not None) is (kept and exception is not None)


@pytest.mark.parametrize("marked", [True, False], ids=["the start page", "any other page"])
def test_a_marked_request_that_fails_is_not_answered_from_the_cache(marked: bool) -> None:
    meta = {"cached_response": HtmlResponse("https://x.test/", body=b"<html></html>")}
    if marked:
        meta[NO_STALE_META] = True
    request = Request("https://x.test/", meta=meta)
    assert NoStaleOnFailureMiddleware().process_exception(request, DownloadTimeoutError()) is None
    assert ("cached_response" in request.meta) is not marked
