"""Log lines for items that name the item, not its whole content.

Scrapy's default logs every scraped item as its full ``repr``: for a record with its text
that is kilobytes per item, megabytes per crawl, and most of the crawl's logging time.
"""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


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
