"""The first lines of a post: datelines, press-release lines and event lines.

A post often opens with where and when (``Jena/12.03.2024.``, ``Pressemitteilung,
13.09.2023``, ``08.09.2023 – Thüringer Ministerium ...``), or with a sentence that opens
with its date; an event announces itself as ``21.03.2024 | 13:00 bis 14:30 Uhr | online``.
:func:`parse_dateline` and :func:`parse_event_line` read such a line into its date, place,
issuer, venue and what is left over, on top of the scanner in :mod:`.scanning`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from archive.dates.scanning import _PROGRAMME_RE, _TIME_RE, _hhmm, _prepare, _scan, _times_from
from archive.dates.spans import DateContext, DateSpan, PartialDate, _distance_days, _in_range
from archive.dates.tables import (
    DATELINE_MAX_DRIFT_DAYS,
    ISSUER_WORDS,
    NOT_PLACES,
    ONLINE_WORDS,
    OPENING_WORDS,
)
from archive.gazetteer import PLACES

_ONLINE_RE = re.compile(
    rf"(?:{ONLINE_WORDS})(?:[- ]?(?:veranstaltung|seminar|meeting|format))?", re.IGNORECASE
)
_ISSUER_WORD_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(map(re.escape, ISSUER_WORDS)) + ")", re.IGNORECASE
)

_PRESS_PREFIX_RE = re.compile(
    r"^(?:gemeinsame\s+)?(?:pressemitteilung|presseinformation|pressemeldung|medieninformation)"
    r"(?:\s+(?:von|des|der)\s+(?P<issuer>.{1,160}?))?\s*(?:,|:|vom|–|-)?$",
    re.IGNORECASE,
)
_PLACE_PREFIX_RE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\w.\-]*(?:\s+(?:am|an\s+der|ob\s+der|[A-ZÄÖÜ(][\w.\-()]*)){0,3})"
    r"\s*(?:/|,)\s*(?:(?:den|am)\b\s*)?$"
)
# "Leipzig, im April 2021": a place and a month make a dateline too.
_PLACE_MONTH_PREFIX_RE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\w.\-]*(?:\s+(?:am|an\s+der|ob\s+der|[A-ZÄÖÜ(][\w.\-()]*)){0,3})"
    r"\s*(?:/|,)\s*(?:im\b\s*)?$"
)
_OPENING_WORDS_RE = re.compile(rf"(?:{'|'.join(OPENING_WORDS)})", re.IGNORECASE)
_IN_PLACE_RE = re.compile(
    r"\b(?:in|im)\s+(?:der\s+Stadt\s+|der\s+Gemeinde\s+|Landkreis\s+)?(?P<place>"
    + "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True))
    + r")(?![\w-])"
)
_SOURCE_SUFFIX_RE = re.compile(r"^\s*[–—-]\s+(?P<issuer>\S.{1,200})$")


@dataclass(frozen=True)
class Dateline:
    """The opening line of a post: ``Jena/12.03.2024.``, ``Pressemitteilung, 13.09.2023`` ...

    ``kind`` is ``dateline``, ``press_release``, ``source``, ``event`` or ``opening_sentence``
    (a first sentence that opens with its date: ``Am 05.12.2018 fand in Gotha ...``).
    ``rest`` is the text after the dateline on the same line; ``issuer`` names who issued a
    press release (``TLMB und IKPE Erfurt``) or a re-posted one (``Thüringer Ministerium
    für ...``).
    """

    place: str | None
    span: DateSpan
    kind: str
    rest: str
    issuer: str | None = None


@dataclass(frozen=True)
class EventLine:
    """An event's line: ``21.03.2024 | 13:00 bis 14:30 Uhr | online``."""

    span: DateSpan
    venue: str | None
    online: bool


def parse_dateline(first_line: str, context: DateContext | None = None) -> Dateline | None:
    """The dateline opening a post's body, or None when the line does not open with one.

    Besides the site's datelines (kinds ``dateline``, ``press_release``, ``source``,
    ``event``), a first sentence that opens with its date (``Am 05.12.2018 fand in Gotha
    ...``, ``Vom 23. bis 24. Mai 2017 trafen sich in Magdeburg``, ``Anfang Juli 2021
    übergaben ...``) gives kind ``opening_sentence``, with the place named ``in <Ort>`` in
    that sentence when the gazetteer knows it. Posts without a dateline often open so.
    """
    line = " ".join(_prepare(first_line).split())
    if not line:
        return None
    found = _scan(line, context)
    if not found:
        return None
    first = found[0]
    prefix = line[: first.start].strip()
    suffix = line[first.end :]
    rest = suffix.strip().lstrip(".").strip()
    span = first.span
    if context is not None and context.posting_date is not None:
        drift = _distance_days(
            span.start.year, span.start.month, span.start.day, context.posting_date
        )
        if drift > DATELINE_MAX_DRIFT_DAYS:
            span = replace(span, issues=(*span.issues, "far_from_posting_date"))

    opening = _OPENING_WORDS_RE.fullmatch(prefix) is not None
    names_a_day = span.precision == "day" or "impossible_day" in span.issues
    if opening or (not prefix and (not names_a_day or rest[:1].islower())):
        if span.precision == "year" or not rest or not rest[:1].islower():
            return None  # "Seit 2014 ...", or a date alone: not a dated opening sentence
        return Dateline(_sentence_place(rest), span, "opening_sentence", rest)
    if not names_a_day:
        return _month_dateline(prefix, span, rest)

    press = _PRESS_PREFIX_RE.match(prefix) if prefix else None
    if press is not None:
        issuer = press.group("issuer")
        return Dateline(None, span, "press_release", rest, issuer.strip() if issuer else None)

    if prefix:
        place_match = _PLACE_PREFIX_RE.match(prefix)
        if place_match is None:
            return None
        place = place_match.group("place").strip()
        if place.split()[0].lower() in NOT_PLACES:
            return None
        return Dateline(place, span, "dateline", rest)

    if line[first.date_end :].lstrip().startswith("|"):
        event = parse_event_line(line, context)
        if event is not None:
            event_rest = line[first.date_end :].strip().lstrip("|").strip()
            return Dateline(None, event.span, "event", event_rest)

    source = _SOURCE_SUFFIX_RE.match(suffix)
    if source is not None:
        issuer = source.group("issuer").strip()
        if _looks_like_issuer(issuer):
            return Dateline(None, span, "source", "", issuer)
    return Dateline(None, span, "dateline", rest.lstrip("–—-").strip())


def _month_dateline(prefix: str, span: DateSpan, rest: str) -> Dateline | None:
    """``Leipzig, im April 2021``: a place before a month (not a sentence going on)."""
    if span.precision != "month" or rest[:1].islower():
        return None
    match = _PLACE_MONTH_PREFIX_RE.match(prefix)
    if match is None:
        return None
    place = match.group("place").strip()
    if place.split()[0].lower() in NOT_PLACES:
        return None
    return Dateline(place, span, "dateline", rest)


def _sentence_place(text: str) -> str | None:
    """The first gazetteer place named ``in <Ort>`` in the first sentence of ``text``."""
    sentence = re.split(r"(?<=[a-zäöüß)])[.!?](?:\s|$)", text, maxsplit=1)[0]
    match = _IN_PLACE_RE.search(sentence)
    return match.group("place") if match else None


def _looks_like_issuer(text: str) -> bool:
    if text.endswith(".") and not text.endswith(("e.V.", "e. V.")):
        return False
    if _ISSUER_WORD_RE.search(text):
        return True
    return bool(re.match(r"^[A-ZÄÖÜ]{2,}\b", text))


def parse_event_line(line: str, context: DateContext | None = None) -> EventLine | None:
    """An event line: date, times, venue and whether it is online.

    ``21.03.2024 | 13:00 bis 14:30 Uhr | online``; ``11.09.2024 | Freie Evangelische Gemeinde
    Erfurt | 09:30 bis 15:30 Uhr``. A line with times only (``10:00 – 16:00 Uhr | Landratsamt
    Ilmkreis``, a programme's ``09.10 bis 10.30 Uhr``) takes its day from
    ``context.posting_date`` (for a listing, the date shown above it), flagged
    ``event_date_from_posting_date``; without one it gives None. A bare date is not an event line.
    """
    text = " ".join(_prepare(line).split())
    if not text:
        return None
    piped = "|" in text
    parts = [p.strip() for p in text.split("|")] if piped else [text]
    span: DateSpan | None = None
    times: tuple[str, str | None] | None = None
    online = False
    venues: list[str] = []

    def take_other(part: str) -> None:
        nonlocal online
        for piece in (p.strip() for p in re.split(r"\s*[,;]\s+", part)):
            if not piece or re.fullmatch(r"(?i)uhr", piece):
                continue
            if _ONLINE_RE.fullmatch(piece):
                online = True
            else:
                venues.append(piece)

    for part in (p for p in parts if p):
        if _ONLINE_RE.fullmatch(part):
            online = True
            continue
        found = _scan(part, context)
        if span is None and found and found[0].start == 0 and found[0].span.precision == "day":
            span = found[0].span
            take_other(part[found[0].end :].strip(" ,;"))
            continue
        leading = _leading_times(part) if times is None else None
        if leading is not None:
            times, consumed = leading[:2], leading[2]
            if piped:
                take_other(part[consumed:].strip(" ,;"))
            continue  # without pipes the rest is a programme item, not a venue
        if piped or span is not None:
            take_other(part)
    if not piped and span is not None and span.start_time is None and times is None:
        return None  # "08.09.2023 – Thüringer Ministerium": a date line, not an event line
    if span is None:
        if times is None or context is None or context.posting_date is None:
            return None
        posting = context.posting_date
        if not _in_range(posting.year):
            return None
        span = DateSpan(
            start=PartialDate(posting.year, posting.month, posting.day),
            issues=("event_date_from_posting_date",),
        )
    elif times is None and span.start_time is None and not online and not venues:
        return None
    if times is not None and span.start_time is None:
        start_time, end_time = times
        issues = span.issues
        if end_time is not None and end_time < start_time:
            issues = (*issues, "end_time_before_start_time")
        span = replace(span, start_time=start_time, end_time=end_time, issues=issues)
    if span.issues and "event_date_from_posting_date" in span.issues:
        span = replace(span, text=text)
    venue = ", ".join(venues) or None
    return EventLine(span=span, venue=venue, online=online)


def _leading_times(part: str) -> tuple[str, str | None, int] | None:
    """A time (range) opening ``part``: (start, end, characters used)."""
    programme = _PROGRAMME_RE.match(part)
    if programme is not None:
        start = _hhmm(programme.group("h1"), programme.group("mi1"))
        end = _hhmm(programme.group("h2"), programme.group("mi2"))
        if start is None or end is None:
            return None
        used = programme.end()
        uhr = re.match(r"\s*Uhr\b", part[used:], re.IGNORECASE)
        return start, end, used + (uhr.end() if uhr else 0)
    match = _TIME_RE.match(part)
    if match is None:
        return None
    times = _times_from(match)
    if times is None:
        return None
    return times[0], times[1], match.end()


__all__ = [
    "Dateline",
    "EventLine",
    "parse_dateline",
    "parse_event_line",
]
