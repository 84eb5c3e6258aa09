"""German dates as the IKPE site writes them, normalised to ISO 8601.

Pure functions: strings (and an optional :class:`DateContext`) in, values out. Messy input
gives ``None`` or an empty list, never an exception. Every date returned lies in
:data:`MIN_YEAR`..:data:`MAX_YEAR`.

Decisions on ambiguous forms (each has rows in ``tests/test_dates.py``):

- A year that is impossible (outside 1990-2100) or has the wrong number of digits
  (``06.02.204``) is repaired only from the context: the posting date, else the month of
  the upload path. The repaired year must be one edit (a dropped, added, changed or swapped
  digit) away from a year next to the reference, and the repaired date must lie within
  :data:`MAX_REPAIR_DISTANCE_DAYS` of it. The span then carries
  ``year_repaired_from_posting_date`` or ``year_repaired_from_upload_path``. Without a
  context that fits, the date is dropped: never a silent guess.
- Two-digit years are read only in the strict form ``DD.MM.YY`` (``01.02.24`` ->
  2024-02-01, ``15.06.98`` -> 1998-06-15; with a context the century nearest to it) and are
  flagged ``two_digit_year``. ``1.2.24`` and ``12. März 24`` are not read.
- An impossible day (``31.02.2024``) keeps the month (precision ``month``) and is flagged
  ``impossible_day``. A range whose end lies before its start keeps the start only and is
  flagged ``end_before_start``.
- ``Anfang/Mitte/Ende Februar 2024`` -> ``2024-02`` (precision month); the words are kept in
  :attr:`DateSpan.qualifier` (``"anfang"``, ``"bis mitte"``). ``Ende 2025`` -> year 2025.
- Seasons are meteorological month ranges: ``Frühjahr`` March-May, ``Sommer`` June-August,
  ``Herbst`` September-November, ``Winter 2023/24`` December 2023-February 2024. A bare
  ``Winter 2023`` is ambiguous (which winter?) and gives the year only.
- Issue numbers (``Sozialmagazin 9-10/2023``, ``Heft 7-8/2014``) give the year only: an issue
  number is not reliably a month. :func:`parse_issue` returns the issue as well.
- Bare years (``2023``), yearless days (``am 06. November``) and ``HH.MM`` times are not dates.
- A first line that is a sentence opening with its date is a Dateline of kind
  ``opening_sentence`` (day or month precision), its place the gazetteer place named
  ``in <Ort>`` in that sentence; ``Seit 2014 ...`` is not one.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache

from archive.entities import PLACES
from archive.patterns import first_letters, guarded

# --------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------

MIN_YEAR = 1990
MAX_YEAR = 2100
MAX_REPAIR_DISTANCE_DAYS = 120  # a repaired date must lie within four months of the context
DATELINE_MAX_DRIFT_DAYS = 366  # a dateline further than this from the posting date is flagged
TWO_DIGIT_YEAR_PIVOT = 90  # without context: 00-89 -> 20xx, 90-99 -> 19xx
MAX_INPUT_CHARS = 200_000  # longer input is cut before scanning (a post is far shorter)

MONTHS: dict[str, int] = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1,
    "februar": 2, "feber": 2, "febr": 2, "feb": 2,
    "märz": 3, "maerz": 3, "marz": 3, "mrz": 3, "mär": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
}  # fmt: skip

# Words before a date that change its meaning; kept (lower-cased) in DateSpan.qualifier.
PART_WORDS = ("Anfang", "Mitte", "Ende", "Beginn")
PREPOSITIONS = ("bis", "ab", "seit")
# Meteorological seasons: (first month, last month); winter runs into the next year.
SEASONS: dict[str, tuple[int, int]] = {
    "frühjahr": (3, 5),
    "frühling": (3, 5),
    "sommer": (6, 8),
    "herbst": (9, 11),
    "winter": (12, 2),
}

RANGE_SEPARATOR = r"(?:-|–|—|/|bis(?:\s+zum)?)"
ONLINE_WORDS = r"online|digital|virtuell|webinar|videokonferenz|per\s+zoom|zoom|webex"
_ONLINE_RE = re.compile(
    rf"(?:{ONLINE_WORDS})(?:[- ]?(?:veranstaltung|seminar|meeting|format))?", re.IGNORECASE
)

# Place words that are not places (a dateline's place slot).
NOT_PLACES = frozenset(
    {
        "am", "vom", "von", "bis", "ab", "seit", "stand", "im", "den", "der", "die", "das",
        "pressemitteilung", "presseinformation", "heute", "termin", "datum", "update",
    }
)  # fmt: skip
# Words that mark a re-posted press release's issuer (`08.09.2023 – Thüringer Ministerium ...`).
ISSUER_WORDS = (
    "ministerium", "staatskanzlei", "landtag", "landkreis", "landratsamt", "stadt", "gemeinde",
    "freistaat", "landesamt", "landesverwaltungsamt", "bundesministerium", "beauftragte",
    "institut", "hochschule", "universität", "stiftung", "verband", "agentur", "amt",
    "e.v.", "gmbh", "thüringer", "ikpe",
)  # fmt: skip

_ISSUER_WORD_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(map(re.escape, ISSUER_WORDS)) + ")", re.IGNORECASE
)
_MONTH_ALT = "|".join(sorted((re.escape(name) for name in MONTHS), key=len, reverse=True))
MONTH = rf"(?:{_MONTH_ALT})(?![a-zäöüß])\.?"

_PART_ALT = "|".join(PART_WORDS)
_SEASON_ALT = "|".join(SEASONS)
QUALIFIER = (
    rf"(?:(?P<prep>{'|'.join(PREPOSITIONS)})\s+(?:zum\s+|zur\s+)?)?(?:(?P<part>{_PART_ALT})\s+)?"
)

# Date patterns, in order of preference when two start at the same place.
DATE_PATTERNS: dict[str, str] = {
    "iso": (
        r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2})(?::\d{2}(?:[.,]\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
        r"(?![\d])"
    ),
    "numeric_range": (
        r"(?<![\d.])(?P<d1>\d{1,2})\.(?:\s?(?P<m1>\d{1,2})\.(?:\s?(?P<y1>\d{4}))?)?"
        rf"\s*{RANGE_SEPARATOR}\s*"
        r"(?P<d2>\d{1,2})\.\s?(?P<m2>\d{1,2})\.\s?(?P<y2>\d{2,5})(?!\d)"
    ),
    "textual_range": (
        rf"(?<![\w.])(?P<d1>\d{{1,2}})\.?\s*(?:(?P<mon1>{MONTH})\s*(?:(?P<y1>\d{{4}})\s*)?)?"
        rf"{RANGE_SEPARATOR}\s*"
        rf"(?P<d2>\d{{1,2}})\.?\s*(?P<mon2>{MONTH})\s*(?P<y2>\d{{3,5}})(?!\d)"
    ),
    "month_range": (
        rf"(?<![\w.])(?P<mon1>{MONTH})(?:\s*(?P<y1>\d{{4}}))?"
        rf"\s*(?:-|–|—|bis)\s*(?P<mon2>{MONTH})\s*(?P<y2>\d{{4}})(?!\d)"
    ),
    "numeric": (r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{2,5})(?!\d)"),
    "textual": (
        rf"(?<![\w.])(?:(?P<prep>{'|'.join(PREPOSITIONS)})\s+(?:zum\s+)?)?"
        rf"(?P<day>\d{{1,2}})\.?\s*(?P<mon>{MONTH})\s*(?P<year>\d{{3,5}})(?!\d)"
    ),
    "month_year": (rf"(?<![\w.]){QUALIFIER}(?P<mon>{MONTH})\s*(?P<year>\d{{3,5}})(?!\d)"),
    "season": (
        rf"(?<![\w.])(?:(?P<prep>{'|'.join(PREPOSITIONS)})\s+(?:zum\s+)?)?"
        rf"(?P<season>{_SEASON_ALT})\s+(?P<year>\d{{4}})(?:\s*/\s*(?P<y2>\d{{2}}|\d{{4}}))?(?!\d)"
    ),
    "part_year": (
        rf"(?<![\w.])(?:(?P<prep>{'|'.join(PREPOSITIONS)})\s+)?(?P<part>{_PART_ALT})\s+"
        r"(?:des\s+Jahres\s+)?(?P<year>\d{4})(?![\d.,]?\d)"
    ),
    "prep_year": (
        r"(?<![\w.])(?P<prep>im\s+Jahr(?:e)?|seit\s+dem\s+Jahr|seit)\s+"
        r"(?P<year>(?:19|20)\d{2})(?![\d.,]?\d)"
    ),
    "issue": (
        r"(?<![\w/.,-])(?P<issue>\d{1,2}(?:\s?[-–]\s?\d{1,2})?)\s?[/|]\s?"
        r"(?P<year>(?:19|20)\d{2})(?![\d/])"
    ),
}
_PRIORITY = {name: index for index, name in enumerate(DATE_PATTERNS)}
# What each pattern's matches start with (see archive.patterns): a digit, a preposition,
# a part word, a month or a season.
_STARTS = {
    "month_range": first_letters(MONTHS, lower=True),
    "textual": first_letters(PREPOSITIONS, lower=True, digits=True),
    "month_year": first_letters([*PREPOSITIONS, *PART_WORDS, *MONTHS], lower=True),
    "season": first_letters([*PREPOSITIONS, *SEASONS], lower=True),
    "part_year": first_letters([*PREPOSITIONS, *PART_WORDS], lower=True),
    "prep_year": first_letters(["im", "seit"], lower=True),
}
_COMPILED = {
    name: guarded(p, _STARTS.get(name, r"\d"), re.IGNORECASE) for name, p in DATE_PATTERNS.items()
}
_DIGIT_RE = re.compile(r"\d")
SCAN_CACHE_MAX_CHARS = 600  # a line, not a body: the cache stays small

# Times: "13:00 bis 14:30 Uhr", "10:00 – 16:00 Uhr", "09.10 bis 10.30 Uhr", "10 Uhr".
TIME_RANGE = (
    r"(?P<h1>\d{1,2})(?:(?P<sep1>[:.])(?P<mi1>\d{2}))?\s*(?:(?P<uhr0>Uhr)\s*)?"
    r"(?:(?:-|–|—|bis)\s*(?P<h2>\d{1,2})(?:(?P<sep2>[:.])(?P<mi2>\d{2}))?\s*)?"
    r"(?P<uhr>Uhr\b)?"
)
_TIME_RE = re.compile(rf"(?<![\d.:])(?:(?:von|ab|um)\s+)?{TIME_RANGE}", re.IGNORECASE)
# A time right after a date: "21.03.2024 | 13:00 bis 14:30 Uhr", "am 12.10.2023 um 10 Uhr".
_TIME_AFTER_DATE_RE = re.compile(rf"\s*(?:[|,]\s*)?(?:(?:von|ab|um)\s+)?{TIME_RANGE}", re.I)
# Programme lines: "09.00 bis 09.10 Begrüßung" (no "Uhr"; dotted times at the line start).
_PROGRAMME_RE = re.compile(
    r"\s*(?P<h1>\d{1,2})[:.](?P<mi1>\d{2})\s*(?:Uhr\s*)?(?:-|–|—|bis)\s*"
    r"(?P<h2>\d{1,2})[:.](?P<mi2>\d{2})(?![.:]?\d)",
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
# Words a dated opening sentence may start with before its date ("Am 12.10.2023 fand ...").
OPENING_WORDS = ("am", "vom", "von", "im", "seit", "ab", "bereits am", "schon am")
_OPENING_WORDS_RE = re.compile(rf"(?:{'|'.join(OPENING_WORDS)})", re.IGNORECASE)
_IN_PLACE_RE = re.compile(
    r"\b(?:in|im)\s+(?:der\s+Stadt\s+|der\s+Gemeinde\s+|Landkreis\s+)?(?P<place>"
    + "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True))
    + r")(?![\w-])"
)
_SOURCE_SUFFIX_RE = re.compile(r"^\s*[–—-]\s+(?P<issuer>\S.{1,200})$")
_PERIOD_LABEL_RE = re.compile(
    r"^\s*(?:projekt)?(?:laufzeit|zeitraum|dauer|förderzeitraum)\s*:?\s*", re.IGNORECASE
)
_YEAR_RANGE_RE = re.compile(
    r"^(?:vo[nm]\s+)?(?P<y1>\d{4})\s*(?:-|–|—|bis)\s*(?P<y2>\d{4})(?!\d)", re.IGNORECASE
)
_MONTH_NUM_RANGE_RE = re.compile(
    r"^(?P<m1>\d{1,2})\s?/\s?(?P<y1>\d{4})\s*(?:-|–|—|bis)\s*(?P<m2>\d{1,2})\s?/\s?(?P<y2>\d{4})"
    r"(?!\d)",
    re.IGNORECASE,
)
_SINGLE_YEAR_RE = re.compile(r"^(?:(?P<prep>seit|ab|bis)\s+)?(?P<year>\d{4})(?![\d.])", re.I)
_ISSUE_RE = re.compile(
    r"(?:(?:Heft|Ausgabe|Nr\.|H\.)\s*)?(?<![\d/.])(?P<issue>\d{1,3}(?:\s?[-–]\s?\d{1,3})?)"
    r"\s?[/|]\s?(?P<year>\d{4})(?![\d/])",
    re.IGNORECASE,
)
_UPLOAD_PATH_RE = re.compile(r"/wp-content/uploads/(?P<year>\d{4})/(?P<month>\d{2})/")

_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS), None)
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_SPACES_RE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year out of range: {self.year}")
        if self.month is None and self.day is not None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            assert self.month is not None
            if not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
                raise ValueError(f"day out of range: {self.year}-{self.month}-{self.day}")

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def iso(self) -> str:
        """ISO 8601 at its precision: ``2024``, ``2024-02`` or ``2024-02-06``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> date:
        """The first day this date covers."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The last day this date covers."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)


@dataclass(frozen=True)
class DateSpan:
    """A date or a range as found in text, with times ("HH:MM") and what was noticed.

    ``text`` is the matched source snippet; ``issues`` names what was repaired or doubtful;
    ``qualifier`` keeps words like ``"anfang"``, ``"bis mitte"``, ``"sommer"``, ``"issue"``.
    """

    start: PartialDate
    end: PartialDate | None = None
    start_time: str | None = None
    end_time: str | None = None
    text: str = ""
    issues: tuple[str, ...] = ()
    qualifier: str | None = None

    def iso(self) -> str:
        """ISO 8601: the start, or ``start/end`` for a range."""
        if self.end is None:
            return self.start.iso()
        return f"{self.start.iso()}/{self.end.iso()}"

    @property
    def precision(self) -> str:
        """The precision of the start."""
        return self.start.precision


@dataclass(frozen=True)
class DateContext:
    """What the page tells about when it was written: used to repair typo'd years."""

    posting_date: date | None = None
    upload_year_month: tuple[int, int] | None = None


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


@dataclass(frozen=True)
class _Found:
    """A span with where it sits in the scanned text (date part, and with its times)."""

    start: int
    date_end: int
    end: int
    span: DateSpan


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def _prepare(text: object) -> str:
    """NFC, invisible characters out, exotic spaces to plain ones; never longer."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text[:MAX_INPUT_CHARS])
    if _ZERO_WIDTH_RE.search(text):  # rare: a search is far cheaper than translate()
        text = text.translate(_ZERO_WIDTH)
    return _SPACES_RE.sub(" ", text)


def _month_number(word: str | None) -> int | None:
    if not word:
        return None
    return MONTHS.get(word.lower().rstrip(".").strip())


def _in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, change or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _reference(context: DateContext | None) -> tuple[date, str] | None:
    """The day a context points at and the issue name a repair from it carries."""
    if context is None:
        return None
    if context.posting_date is not None:
        return context.posting_date, "year_repaired_from_posting_date"
    if context.upload_year_month is not None:
        year, month = context.upload_year_month
        if _in_range(year) and 1 <= month <= 12:
            return date(year, month, 15), "year_repaired_from_upload_path"
    return None


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _distance_days(year: int, month: int | None, day: int | None, ref: date) -> int:
    """Days between a (partial) date and ``ref``: 0 when the partial date covers ``ref``."""
    if month is None:
        first, last = date(year, 1, 1), date(year, 12, 31)
    else:
        if day is not None and not _valid_day(year, month, day):
            day = None
        first = date(year, month, day or 1)
        last = date(year, month, day or calendar.monthrange(year, month)[1])
    if first <= ref <= last:
        return 0
    return min(abs((first - ref).days), abs((last - ref).days))


def _resolve_year(
    token: str, month: int | None, day: int | None, context: DateContext | None
) -> tuple[int, tuple[str, ...]] | None:
    """The year a token stands for, repaired from the context only; None if unknowable."""
    if not token.isdigit() or len(token) > 5:
        return None
    if len(token) == 4 and _in_range(int(token)):
        return int(token), ()
    reference = _reference(context)
    if len(token) == 2:
        candidates = [year for year in (1900 + int(token), 2000 + int(token)) if _in_range(year)]
        if reference is not None:
            year = min(candidates, key=lambda y: abs(y - reference[0].year))
        else:
            year = 1900 + int(token) if int(token) >= TWO_DIGIT_YEAR_PIVOT else 2000 + int(token)
        return year, ("two_digit_year",)
    if reference is None:
        return None
    ref_day, issue = reference
    best: tuple[int, int] | None = None
    for candidate in (ref_day.year - 1, ref_day.year, ref_day.year + 1):
        if not _in_range(candidate) or not _within_one_edit(token, str(candidate)):
            continue
        distance = _distance_days(candidate, month, day, ref_day)
        if distance > MAX_REPAIR_DISTANCE_DAYS:
            continue
        if best is None or distance < best[0]:
            best = (distance, candidate)
    if best is None:
        return None
    return best[1], (issue,)


def _make_date(
    day: int | None, month: int | None, year_token: str, context: DateContext | None
) -> tuple[PartialDate, tuple[str, ...]] | None:
    """A validated PartialDate (impossible days fall back to the month, flagged)."""
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    resolved = _resolve_year(year_token, month, day, context)
    if resolved is None:
        return None
    year, issues = resolved
    if month is None:
        return PartialDate(year), issues
    if day is not None and not _valid_day(year, month, day):
        return PartialDate(year, month), (*issues, "impossible_day")
    return PartialDate(year, month, day), issues


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


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


def _qualifier(*words: str | None) -> str | None:
    cleaned = [" ".join(w.lower().split()) for w in words if w]
    return " ".join(cleaned) or None


def _combine(
    start: tuple[PartialDate, tuple[str, ...]],
    end: tuple[PartialDate, tuple[str, ...]] | None,
    text: str,
    qualifier: str | None = None,
) -> DateSpan:
    """A span from its ends; an end before the start is dropped and flagged."""
    issues = list(start[1])
    end_date = None
    if end is not None:
        issues.extend(i for i in end[1] if i not in issues)
        end_date = end[0]
        if end_date.last_day() < start[0].first_day():
            issues.append("end_before_start")
            end_date = None
        elif end_date == start[0]:
            end_date = None
    return DateSpan(
        start=start[0],
        end=end_date,
        text=text,
        issues=tuple(dict.fromkeys(issues)),
        qualifier=qualifier,
    )


# --------------------------------------------------------------------------------------
# Builders: one per pattern; each returns a DateSpan or None
# --------------------------------------------------------------------------------------

Builder = Callable[[re.Match[str], "DateContext | None"], "DateSpan | None"]


def _build_iso(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    if m.group("hh") is not None:
        moment = parse_machine_date(m.group(0))
        if moment is None:
            return None
        local = moment.astimezone(_berlin()) if m.group("tz") else moment
        return DateSpan(
            start=PartialDate(local.year, local.month, local.day),
            start_time=f"{local.hour:02d}:{local.minute:02d}",
            text=m.group(0),
        )
    made = _make_date(_int(m.group("day")), _int(m.group("month")), m.group("year"), None)
    if made is None or made[1]:
        return None
    return DateSpan(start=made[0], text=m.group(0))


def _build_numeric(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year_token = m.group("year")
    if len(year_token) == 2:
        # Only the strict DD.MM.YY form, and not a time or a longer number after it.
        if len(m.group("day")) != 2 or len(m.group("month")) != 2:
            return None
        if re.match(r"[.:,]\d", m.string[m.end() : m.end() + 2]):
            return None
    made = _make_date(_int(m.group("day")), _int(m.group("month")), year_token, context)
    if made is None:
        return None
    return _combine(made, None, m.group(0))


def _range_ends(
    d1: int | None,
    m1: int | None,
    y1: str | None,
    d2: int | None,
    m2: int | None,
    y2: str,
    context: DateContext | None,
) -> tuple[tuple[PartialDate, tuple[str, ...]], tuple[PartialDate, tuple[str, ...]]] | None:
    end = _make_date(d2, m2, y2, context)
    if end is None:
        return None
    if m1 is None:
        m1 = m2
    if y1:
        start = _make_date(d1, m1, y1, context)
    else:
        start_year = end[0].year
        if m1 is not None and m2 is not None and m1 > m2:
            start_year -= 1  # "30.12.-02.01.2024" runs over the new year
        start = _make_date(d1, m1, str(start_year), None)
    if start is None:
        return None
    return start, end


def _build_numeric_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    if len(m.group("y2")) == 2:
        return None
    ends = _range_ends(
        _int(m.group("d1")),
        _int(m.group("m1")),
        m.group("y1"),
        _int(m.group("d2")),
        _int(m.group("m2")),
        m.group("y2"),
        context,
    )
    return None if ends is None else _combine(ends[0], ends[1], m.group(0))


def _build_textual_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    ends = _range_ends(
        _int(m.group("d1")),
        _month_number(m.group("mon1")),
        m.group("y1"),
        _int(m.group("d2")),
        _month_number(m.group("mon2")),
        m.group("y2"),
        context,
    )
    return None if ends is None else _combine(ends[0], ends[1], m.group(0))


def _build_month_range(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    ends = _range_ends(
        None,
        _month_number(m.group("mon1")),
        m.group("y1"),
        None,
        _month_number(m.group("mon2")),
        m.group("y2"),
        context,
    )
    return None if ends is None else _combine(ends[0], ends[1], m.group(0))


def _build_textual(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    made = _make_date(_int(m.group("day")), _month_number(m.group("mon")), m.group("year"), context)
    if made is None:
        return None
    return _combine(made, None, m.group(0), _qualifier(m.group("prep")))


def _build_month_year(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    made = _make_date(None, _month_number(m.group("mon")), m.group("year"), context)
    if made is None:
        return None
    return _combine(made, None, m.group(0), _qualifier(m.group("prep"), m.group("part")))


def _build_season(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    season = m.group("season").lower()
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    first, last = SEASONS[season]
    qualifier = _qualifier(m.group("prep"), season)
    if first <= last:
        return DateSpan(
            start=PartialDate(year, first),
            end=PartialDate(year, last),
            text=m.group(0),
            qualifier=qualifier,
        )
    next_token = m.group("y2")
    if next_token:
        next_year = (
            int(next_token) if len(next_token) == 4 else (year // 100) * 100 + int(next_token)
        )
        if next_year == year + 1 and _in_range(next_year):
            return DateSpan(
                start=PartialDate(year, first),
                end=PartialDate(next_year, last),
                text=m.group(0),
                qualifier=qualifier,
            )
    # "Winter 2023": which winter is unknown; keep the year.
    return DateSpan(start=PartialDate(year), text=m.group(0), qualifier=qualifier)


def _build_part_year(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    return DateSpan(
        start=PartialDate(year),
        text=m.group(0),
        qualifier=_qualifier(m.group("prep"), m.group("part")),
    )


def _build_prep_year(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    return DateSpan(start=PartialDate(year), text=m.group(0), qualifier=_qualifier(m.group("prep")))


def _build_issue(m: re.Match[str], context: DateContext | None) -> DateSpan | None:
    year = int(m.group("year"))
    if not _in_range(year):
        return None
    return DateSpan(start=PartialDate(year), text=m.group(0), qualifier="issue")


_BUILDERS: dict[str, Builder] = {
    "iso": _build_iso,
    "numeric_range": _build_numeric_range,
    "textual_range": _build_textual_range,
    "month_range": _build_month_range,
    "numeric": _build_numeric,
    "textual": _build_textual,
    "month_year": _build_month_year,
    "season": _build_season,
    "part_year": _build_part_year,
    "prep_year": _build_prep_year,
    "issue": _build_issue,
}


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


def _scan(text: str, context: DateContext | None) -> tuple[_Found, ...]:
    """All date expressions in ``text`` (already prepared), in order, without overlaps.

    Short texts are cached: a record's first lines are read by the type rules, the
    dateline and the event line alike, and the results are immutable.
    """
    if len(text) <= SCAN_CACHE_MAX_CHARS:
        return _scan_cached(text, context)
    return _scan_text(text, context)


@lru_cache(maxsize=2048)
def _scan_cached(text: str, context: DateContext | None) -> tuple[_Found, ...]:
    return _scan_text(text, context)


def _scan_text(text: str, context: DateContext | None) -> tuple[_Found, ...]:
    if not _DIGIT_RE.search(text):
        return ()  # every date pattern needs a digit: most lines are done here
    candidates: list[tuple[int, int, int, str, re.Match[str]]] = []
    for name, pattern in _COMPILED.items():
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


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def find_dates(text: str, context: DateContext | None = None) -> list[DateSpan]:
    """All date expressions in ``text``, in order of appearance."""
    return [item.span for item in _scan(_prepare(text), context)]


def parse_date(text: str, context: DateContext | None = None) -> DateSpan | None:
    """The first date expression in ``text``, or None."""
    found = _scan(_prepare(text), context)
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
        return None

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


def parse_period(text: str) -> DateSpan | None:
    """A project's run: ``Laufzeit: September 2023 – Dezember 2025``, ``Laufzeit: 2016-2020``."""
    prepared = " ".join(_prepare(text).split())
    body = _PERIOD_LABEL_RE.sub("", prepared, count=1)
    if not body:
        return None
    years = _YEAR_RANGE_RE.match(body)
    if years is not None:
        y1, y2 = int(years.group("y1")), int(years.group("y2"))
        if not (_in_range(y1) and _in_range(y2)):
            return None
        return _combine((PartialDate(y1), ()), (PartialDate(y2), ()), years.group(0))
    months = _MONTH_NUM_RANGE_RE.match(body)
    if months is not None:
        start = _make_date(None, _int(months.group("m1")), months.group("y1"), None)
        end = _make_date(None, _int(months.group("m2")), months.group("y2"), None)
        if start is None or end is None:
            return None
        return _combine(start, end, months.group(0))
    found = _scan(body, None)
    if found and found[0].start <= 4 and found[0].span.qualifier != "issue":
        return found[0].span
    single = _SINGLE_YEAR_RE.match(body)
    if single is not None and _in_range(int(single.group("year"))):
        return DateSpan(
            start=PartialDate(int(single.group("year"))),
            text=single.group(0),
            qualifier=_qualifier(single.group("prep")),
        )
    return None


def parse_issue(text: str) -> tuple[PartialDate, str] | None:
    """A journal issue: ``9-10/2023`` -> (PartialDate(2023), "9-10"); ``Heft 7-8/2014``."""
    match = _ISSUE_RE.search(_prepare(text))
    if match is None:
        return None
    year = int(match.group("year"))
    if not _in_range(year):
        return None
    issue = re.sub(r"\s", "", match.group("issue")).replace("–", "-")
    return PartialDate(year), issue


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
    "MAX_YEAR",
    "MIN_YEAR",
    "DateContext",
    "Dateline",
    "DateSpan",
    "EventLine",
    "PartialDate",
    "find_dates",
    "parse_date",
    "parse_dateline",
    "parse_event_line",
    "parse_issue",
    "parse_machine_date",
    "parse_period",
    "parse_time_range",
    "upload_year_month",
]
