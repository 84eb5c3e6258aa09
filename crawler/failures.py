"""The kind of a request that failed for good, as the crawl counts it
(``ikpe/errors/<kind>``): one name per cause, whichever spelling Scrapy and Twisted
give it. Scrapy 2.13+ wraps Twisted's network errors in its own (``DownloadTimeoutError``,
``DownloadConnectionRefusedError`` ...); both spellings are one kind."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.web._newclient import ResponseFailed


def failure_kind(failure) -> str | None:
    """The kind of a failed request (a Twisted ``Failure``); None for a request that
    robots.txt forbids (not an error)."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, (TimeoutError, TCPTimedOutError, DownloadTimeoutError)):
        return "timeout"
    if isinstance(error, (DNSLookupError, CannotResolveHostError)):
        return "dns"
    if isinstance(error, (ConnectionRefusedError, DownloadConnectionRefusedError)):
        return "connection_refused"
    if isinstance(error, ResponseDataLossError):
        return "dataloss"
    if isinstance(error, (ResponseFailed, DownloadFailedError)):
        reasons = repr(getattr(error, "reasons", error))
        return "dataloss" if "DataLoss" in reasons else "response_failed"
    if isinstance(error, ConnectionLost):
        return "connection_lost"
    if isinstance(error, (DownloadCancelledError, CancelledError)):
        # Scrapy cancels a download that exceeds DOWNLOAD_MAXSIZE (and logs the sizes).
        return "too_large"
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "robots.txt" in message:
            return None
        return "redirect_loop" if "redirect" in message.lower() else "ignored"
    return type(error).__name__
