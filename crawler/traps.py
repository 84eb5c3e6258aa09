"""Crawler traps recognised by the shape of a URL alone.

An event calendar whose "next month" never ends, pagination that counts up forever,
relative links that grow a path (``/a/b/b/b/``), faceted filters that pile up query
parameters: each makes an infinite link space. These rules name such URLs before they
are requested. They look at the URL only (pure, no I/O); the limits that bound what the
rules cannot recognise (per pattern, depth, a page budget) live in ``crawler.bounds``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

# The names of the rules, as they appear in the crawl's counters (``ikpe/cut/<rule>``).
DATE_OUT_OF_RANGE = "date_out_of_range"
PAGE_NUMBER = "page_number"
REPEATED_SEGMENTS = "repeated_segments"
QUERY_EXPLOSION = "query_explosion"
TRAP_RULES = (DATE_OUT_OF_RANGE, PAGE_NUMBER, REPEATED_SEGMENTS, QUERY_EXPLOSION)

# A year, year-month or full date standing alone in a path segment or a query value:
# 2031, 2031-05, 2031-05-17, 2031/05 is two segments, 203105 and 20310517 (compact forms
# calendar plugins use). A slug that merely contains a year (``jahrestagung-2022``) is not.
DATE_VALUE = re.compile(r"^(\d{4})(?:-?(0[1-9]|1[0-2])(?:-?(0[1-9]|[12]\d|3[01]))?)?$")
# Query parameters that hold a date or a year in calendar and archive plugins (WordPress's
# own ``m=202301`` and ``year=``; The Events Calendar's ``tribe-bar-date``, ``eventDate``).
DATE_PARAMS = re.compile(
    r"^(m|y|year|month|day|date|jahr|monat|tag|datum|ym|calendar|kalender|eventdate"
    r"|tribe-bar-date|tribe_eventcategory_date|start|end|from|to|von|bis)$",
    re.I,
)
# Query parameters and path words that carry a page number.
PAGE_PARAMS = re.compile(r"^(page|paged|pg|seite|p_page|cpage|page_num|pagenum)$", re.I)
PAGE_WORDS = frozenset({"page", "seite", "comment-page"})


@dataclass(frozen=True)
class TrapRules:
    """The shapes of URL that are traps, with their thresholds (see ``crawler.settings``)."""

    first_year: int = 2000  # the site's posts and events lie within these years
    last_year: int = 2028
    max_page_number: int = 1000
    max_segment_repeats: int = 2  # a path segment seen a third time is a loop
    max_path_segments: int = 16
    max_query_params: int = 8
    max_query_length: int = 1024

    def trap(self, url: str) -> str | None:
        """The name of the first rule ``url`` breaks, or None for an ordinary URL."""
        parts = urlsplit(url)
        segments = [unquote(s) for s in parts.path.split("/") if s]
        params = parse_qsl(parts.query, keep_blank_values=True)
        if self._repeated(segments):
            return REPEATED_SEGMENTS
        if len(params) > self.max_query_params or len(parts.query) > self.max_query_length:
            return QUERY_EXPLOSION
        if self._page_too_high(segments, params):
            return PAGE_NUMBER
        years = years_in(segments, params)
        if any(not self.first_year <= year <= self.last_year for year in years):
            return DATE_OUT_OF_RANGE
        return None

    def _repeated(self, segments: list[str]) -> bool:
        if len(segments) > self.max_path_segments:
            return True
        counts = Counter(s.lower() for s in segments)
        return any(count > self.max_segment_repeats for count in counts.values())

    def _page_too_high(self, segments: list[str], params: list[tuple[str, str]]) -> bool:
        numbers = [int(v) for k, v in params if PAGE_PARAMS.match(k) and v.isdigit()]
        numbers += [
            int(after)
            for before, after in zip(segments, segments[1:], strict=False)
            if before.lower() in PAGE_WORDS and after.isdigit()
        ]
        return any(number > self.max_page_number for number in numbers)


def years_in(segments: list[str], params: list[tuple[str, str]]) -> list[int]:
    """The years a URL names as dates: date-shaped path segments (``/2031/``,
    ``/2031-05/``, except a page number after ``/page/``) and date-shaped values of
    date parameters (``?monat=2031-05``, ``?m=203105``, ``?year=2031``)."""
    years = [
        int(match.group(1))
        for position, segment in enumerate(segments)
        if (match := DATE_VALUE.match(segment))
        and not (position and segments[position - 1].lower() in PAGE_WORDS)
    ]
    for name, value in params:
        match = DATE_VALUE.match(value.strip())
        if match and (DATE_PARAMS.match(name) or "-" in value):
            years.append(int(match.group(1)))
    return years
