"""Machine-written dates: ISO 8601, WordPress and HTTP (RFC 2822) forms, upload paths.

These come from markup and headers (``<time datetime>``, the REST API, ``Last-Modified``,
``/wp-content/uploads/2024/02/``), not from prose, so they are read with the standard
library's parsers rather than the German patterns. A naive time is Europe/Berlin, the
site's zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache

from archive.dates.spans import _in_range

_UPLOAD_PATH_RE = re.compile(r"/wp-content/uploads/(?P<year>\d{4})/(?P<month>\d{2})/")


def upload_year_month(url: str) -> tuple[int, int] | None:
    """The year and month of a WordPress upload path (``/wp-content/uploads/2024/02/...``)."""
    if not isinstance(url, str):
        return None
    match = _UPLOAD_PATH_RE.search(url)
    if match is None:
        return None
    year, month = int(match.group("year")), int(match.group("month"))
    if not (_in_range(year) and 1 <= month <= 12):
        return None
    return year, month


@lru_cache(maxsize=1)
def _berlin() -> tzinfo:
    """Europe/Berlin, from the system database or else from dateutil's bundled copy."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Berlin")
    except (ImportError, KeyError, OSError, ValueError):  # no tz database on the machine
        from dateutil import tz

        return tz.gettz("Europe/Berlin") or tz.UTC


_RFC2822_RE = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s")


def parse_machine_date(value: str) -> datetime | None:
    """A timezone-aware datetime from WordPress/HTTP forms; naive values are Europe/Berlin.

    ``2024-03-12``, ``2024-03-12T10:00:00+01:00``, ``2024-03-12 10:00:00`` (WordPress ``date``),
    ``2024-03-12T09:00:00Z`` and RFC 2822 (``Tue, 12 Mar 2024 09:00:00 +0000``, HTTP ``GMT``).
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    moment: datetime | None = None
    if _RFC2822_RE.match(text + " "):
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            moment = None
    else:
        iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            try:
                moment = datetime.combine(date.fromisoformat(iso), time())
            except ValueError:
                moment = None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_berlin())
    if not _in_range(moment.year):
        return None
    return moment


__all__ = [
    "parse_machine_date",
    "upload_year_month",
]
