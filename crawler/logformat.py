"""Log lines for items that name the item, not its whole content; network failures
without their tracebacks.

Scrapy's default logs every scraped item as its full ``repr``: for a record with its text
that is kilobytes per item, megabytes per crawl, and most of the crawl's logging time.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.internet import defer
from twisted.internet.error import ConnectError, ConnectionLost, DNSLookupError, TimeoutError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

NETWORK_ERRORS = (
    # Scrapy's own wrappers (2.13+) of Twisted's errors, then Twisted's.
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
    defer.TimeoutError,
    ConnectError,  # refused, TCP timed out, ...
    ConnectionLost,
    DNSLookupError,
    TimeoutError,
    ResponseFailed,
    ResponseNeverReceived,
)


def _name(item: Any) -> str:
    if isinstance(item, dict):
        return f"{item.get('kind', 'item')} {item.get('key', '?')} ({item.get('url', '?')})"
    return type(item).__name__


class ItemLogFormatter(LogFormatter):
    """Scraped and dropped items logged by kind, key and URL."""

    def scraped(self, item, response, spider) -> LogFormatterResult:
        result = super().scraped(item, response, spider)
        return {**result, "msg": "Scraped %(item)s", "args": {"item": _name(item)}}

    def dropped(self, item, exception, response, spider) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        message = "Dropped %(item)s: %(exception)s"
        return {**result, "msg": message, "args": {"item": _name(item), "exception": exception}}


# Scrapy's loggers that print a whole traceback for a site that merely did not answer.
NETWORK_ERROR_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper")


class NoNetworkTracebacks(logging.Filter):
    """Keep the one-line message of a network failure (refused, timed out, cut off) and
    drop its traceback: it says nothing the message does not, and buries it."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        while error is not None and not isinstance(error, NETWORK_ERRORS):
            error = error.__cause__
        if error is not None:
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_network_tracebacks() -> None:
    """Install :class:`NoNetworkTracebacks` on the loggers that need it (once)."""
    for name in NETWORK_ERROR_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, NoNetworkTracebacks) for f in target.filters):
            target.addFilter(NoNetworkTracebacks())
