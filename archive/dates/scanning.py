"""Finding dates and times in free text: preparing the text, scanning it, picking matches.

Every pattern of :data:`archive.dates.tables.DATE_PATTERNS` runs over the text; where two
candidates overlap, the earliest, then the longest, then the preferred pattern wins, and a
time written right after a day date is attached to it. :func:`find_dates`,
:func:`parse_date` and :func:`parse_time_range` are the public readers; :func:`_scan` is
what the line readers (:mod:`.datelines`, :mod:`.periods`) build on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from archive.dates.builders import _BUILDERS as _DAY_BUILDERS
from archive.dates.references import OPTIONAL_BUILDERS
from archive.dates.spans import DateContext, DateSpan, _in_range, _int
from archive.dates.tables import (
    DATE_PATTERNS,
    MAX_INPUT_CHARS,
    MONTHS,
    OPTIONAL_PATTERNS,
    PART_WORDS,
    PREPOSITIONS,
    SEASONS,
    TIME_RANGE,
)
from archive.dates.units import UNIT_BUILDERS
from archive.patterns import first_letters, guarded

_BUILDERS = {**_DAY_BUILDERS, **UNIT_BUILDERS, **OPTIONAL_BUILDERS}
_OPTIONAL_NAMES = [name for group in OPTIONAL_PATTERNS.values() for name in group]
_PRIORITY = {name: index for index, name in enumerate([*DATE_PATTERNS, *_OPTIONAL_NAMES])}
# What each pattern's matches start with (see archive.patterns): a digit, a preposition,
# a part word, a label, a month or a season.
_STARTS = {
    "start_end": first_letters(["beginn", "start"], lower=True),
    "month_range": first_letters(MONTHS, lower=True),
    "labelled": first_letters(["stand", "datum", "aktualisiert"], lower=True),
    "part_of_year": first_letters(
        ["erst", "zweit", "dritt", "viert", "letzt", "i", "q", "h"], lower=True, digits=True
    ),
    "week": first_letters(["kw", "kalenderwoche"], lower=True, digits=True),
    "textual": first_letters(PREPOSITIONS, lower=True, digits=True),
    "month_year": first_letters([*PREPOSITIONS, *PART_WORDS, *MONTHS], lower=True),
    "season": first_letters([*PREPOSITIONS, *SEASONS], lower=True),
    "part_year": first_letters([*PREPOSITIONS, *PART_WORDS], lower=True),
    "prep_year": first_letters(["im", "seit"], lower=True),
}
# Patterns the replica's texts never show: tests/unit/archive/test_patterns.py checks a
# guard on the corpus and needs a match there, so these are compiled behind the same guard
# without registering; tests/unit/archive/test_dates_german_classes.py compares them with
# their plain forms over the table of cases instead.
UNREGISTERED = frozenset(
    {"timed_range", "start_end", "month_number_range", "labelled", "dashed", "week"}
)
# Words one of which every match of a pattern holds (lower-cased): a text without any is not
# scanned with it. Patterns of rare forms only: a scan with them costs as much as with the
# common ones. tests/unit/archive/test_dates_german_classes.py checks every match has one.
PART_OF_YEAR_LETTERS = ("q1", "q2", "q3", "q4", "h1", "h2")
KEYWORDS: dict[str, tuple[str, ...]] = {
    "timed_range": (":", "uhr"),
    "start_end": ("beginn", "start"),
    "labelled": ("stand", "datum", "aktualisiert"),
    "part_of_year": ("quartal", "halbjahr", "jahreshälfte", "hj.", *PART_OF_YEAR_LETTERS),
    "week": ("kw", "kalenderwoche"),
    "dashed": ("-",),
}


def _compile(name: str, pattern: str) -> re.Pattern[str]:
    first = _STARTS.get(name, r"\d")
    if name in UNREGISTERED:
        return re.compile(f"(?={first})(?:{pattern})", re.IGNORECASE)
    return guarded(pattern, first, re.IGNORECASE)


_COMPILED = {name: _compile(name, p) for name, p in DATE_PATTERNS.items()}
# Asked for by keyword (see archive.dates.references); compiled plain: their matches start
# with a name, a symbol or a word.
_OPTIONAL = {
    option: {name: re.compile(p, re.IGNORECASE) for name, p in group.items()}
    for option, group in OPTIONAL_PATTERNS.items()
}
_DIGIT_RE = re.compile(r"\d")
SCAN_CACHE_MAX_CHARS = 600  # a line, not a body: the cache stays small

_TIME_RE = re.compile(rf"(?<![\d.:])(?:(?:von|ab|um)\s+)?{TIME_RANGE}", re.IGNORECASE)
# A time right after a date: "21.03.2024 | 13:00 bis 14:30 Uhr", "am 12.10.2023 um 10 Uhr".
_TIME_AFTER_DATE_RE = re.compile(rf"\s*(?:[|,]\s*)?(?:(?:von|ab|um)\s+)?{TIME_RANGE}", re.I)
# Programme lines: "09.00 bis 09.10 Begrüßung" (no "Uhr"; dotted times at the line start).
_PROGRAMME_RE = re.compile(
    r"\s*(?P<h1>\d{1,2})[:.](?P<mi1>\d{2})\s*(?:Uhr\s*)?(?:-|–|—|bis)\s*"
    r"(?P<h2>\d{1,2})[:.](?P<mi2>\d{2})(?![.:]?\d)",
)

_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS), None)
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_SPACES_RE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")


@dataclass(frozen=True)
class _Found:
    """A span with where it sits in the scanned text (date part, and with its times)."""

    start: int
    date_end: int
    end: int
    span: DateSpan


def _prepare(text: object) -> str:
    """NFC, invisible characters out, exotic spaces to plain ones; never longer."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text[:MAX_INPUT_CHARS])
    if _ZERO_WIDTH_RE.search(text):  # rare: a search is far cheaper than translate()
        text = text.translate(_ZERO_WIDTH)
    return _SPACES_RE.sub(" ", text)


def _hhmm(hour: str | None, minute: str | None) -> str | None:
    h, m = _int(hour), _int(minute) if minute else 0
    if h is None or m is None or not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return f"{h:02d}:{m:02d}"


def _times_from(match: re.Match[str]) -> tuple[str, str | None, tuple[str, ...]] | None:
    """Start and end time of a time match; None unless it is clearly a time.

    Clearly a time: it says ``Uhr``, or it is written with colons (``13:00``, ``13:00-14:30``).
    """
    has_uhr = bool(match.group("uhr0") or match.group("uhr"))
    with_colons = match.group("sep1") == ":" and (
        match.group("h2") is None or match.group("sep2") == ":"
    )
    if not (has_uhr or with_colons):
        return None
    start = _hhmm(match.group("h1"), match.group("mi1"))
    if start is None:
        return None
    end = None
    if match.group("h2") is not None:
        end = _hhmm(match.group("h2"), match.group("mi2"))
        if end is None:
            return None
    issues: tuple[str, ...] = ()
    if end is not None and end < start:
        issues = ("end_time_before_start_time",)
    return start, end, issues


def _attach_time(span: DateSpan, text: str, pos: int) -> tuple[DateSpan, int]:
    """Times written right after a day date belong to it."""
    if span.start.precision != "day" or span.start_time is not None:
        return span, pos
    match = _TIME_AFTER_DATE_RE.match(text, pos)
    if match is None or match.end() == pos:
        return span, pos
    times = _times_from(match)
    if times is None:
        return span, pos
    start_time, end_time, issues = times
    snippet = text[pos : match.end()]
    return (
        replace(
            span,
            start_time=start_time,
            end_time=end_time,
            text=span.text + snippet,
            issues=span.issues + issues,
        ),
        match.end(),
    )


def _scan(
    text: str, context: DateContext | None, options: tuple[str, ...] = ()
) -> tuple[_Found, ...]:
    """All date expressions in ``text`` (already prepared), in order, without overlaps.

    ``options`` names groups of :data:`OPTIONAL_PATTERNS` to read as well. Short texts are
    cached: a record's first lines are read by the type rules, the dateline and the event
    line alike, and the results are immutable.
    """
    if len(text) <= SCAN_CACHE_MAX_CHARS:
        return _scan_cached(text, context, options)
    return _scan_text(text, context, options)


@lru_cache(maxsize=2048)
def _scan_cached(
    text: str, context: DateContext | None, options: tuple[str, ...]
) -> tuple[_Found, ...]:
    return _scan_text(text, context, options)


def _patterns(text: str, options: tuple[str, ...]) -> Iterator[tuple[str, re.Pattern[str]]]:
    """The patterns to scan ``text`` with: those its words allow, and the options asked."""
    lowered = text.lower()
    for name, pattern in _COMPILED.items():
        words = KEYWORDS.get(name)
        if words is None or any(word in lowered for word in words):
            yield name, pattern
    for option in options:
        yield from _OPTIONAL[option].items()


def _scan_text(
    text: str, context: DateContext | None, options: tuple[str, ...] = ()
) -> tuple[_Found, ...]:
    if not _DIGIT_RE.search(text):
        return ()  # every date pattern needs a digit: most lines are done here
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    for name, pattern in _patterns(text, options):
        for match in pattern.finditer(text):
            if match.end() > match.start():
                candidates.append(
                    (match.start(), -(match.end() - match.start()), _PRIORITY[name], name, match)
                )
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    found: list[_Found] = []
    taken_until = 0
    for start, _negative_length, _priority, name, match in candidates:
        if start < taken_until:
            continue
        # A candidate that fails still takes its text: no half-date is read out of it.
        taken_until = match.end()
        span = _BUILDERS[name](match, context)
        if span is None:
            continue
        if not (_in_range(span.start.year) and (span.end is None or _in_range(span.end.year))):
            continue
        span, end = _attach_time(span, text, match.end())
        taken_until = max(taken_until, end)
        found.append(_Found(start=start, date_end=match.end(), end=end, span=span))
    return tuple(found)


def _options(periods: bool, context_years: bool, references: bool) -> tuple[str, ...]:
    wanted = {"periods": periods, "context_years": context_years, "references": references}
    return tuple(name for name, asked in wanted.items() if asked)


def find_dates(
    text: str,
    context: DateContext | None = None,
    *,
    periods: bool = False,
    context_years: bool = False,
    references: bool = False,
) -> list[DateSpan]:
    """All date expressions in ``text``, in order of appearance.

    ``periods`` reads two years a period word introduces (``Laufzeit: 2017–2020``, ``in den
    Jahren 2015 bis 2018``); ``context_years`` reads years a word makes dates (``gegründet
    1994``, ``© 2011–2016``); ``references`` reads the years of cited works (``Jg. 71, Heft 4
    (2019)``, ``Becker (2015)``, ``(Krause/Lange 2014b)``). All are off by default: such a
    year is rarely the date of the text it stands in (a topic page lists its projects' runs),
    and a record takes its date from the first date of its text when nothing better says it.
    """
    options = _options(periods, context_years, references)
    return [item.span for item in _scan(_prepare(text), context, options)]


def parse_date(
    text: str,
    context: DateContext | None = None,
    *,
    periods: bool = False,
    context_years: bool = False,
    references: bool = False,
) -> DateSpan | None:
    """The first date expression in ``text``, or None (options as for :func:`find_dates`)."""
    found = _scan(_prepare(text), context, _options(periods, context_years, references))
    return found[0].span if found else None


def parse_time_range(text: str) -> tuple[str, str | None] | None:
    """The first time or time range: ``13:00 bis 14:30 Uhr`` -> ("13:00", "14:30").

    Dotted times need ``Uhr`` (``09.10 bis 10.30 Uhr``) unless they open the line as in a
    programme (``09.00 bis 09.10 Begrüßung``).
    """
    text = _prepare(text)
    programme = _PROGRAMME_RE.match(text)
    if programme is not None:
        start = _hhmm(programme.group("h1"), programme.group("mi1"))
        end = _hhmm(programme.group("h2"), programme.group("mi2"))
        if start is not None and end is not None:
            return start, end
    for match in _TIME_RE.finditer(text):
        times = _times_from(match)
        if times is not None:
            return times[0], times[1]
    return None


__all__ = [
    "SCAN_CACHE_MAX_CHARS",
    "find_dates",
    "parse_date",
    "parse_time_range",
]
