"""The constant tables of the date readers: limits, German words and pattern sources.

Month names and their abbreviations, the words that qualify a date (``Anfang``, ``bis``),
the seasons, the words a dateline's place or issuer slot holds, and the regular-expression
sources built from them. Data only: nothing here reads text. The other modules compile
these sources where they use them, so a table can be read and changed in one place.
"""

from __future__ import annotations

import re

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

# Times: "13:00 bis 14:30 Uhr", "10:00 – 16:00 Uhr", "09.10 bis 10.30 Uhr", "10 Uhr".
TIME_RANGE = (
    r"(?P<h1>\d{1,2})(?:(?P<sep1>[:.])(?P<mi1>\d{2}))?\s*(?:(?P<uhr0>Uhr)\s*)?"
    r"(?:(?:-|–|—|bis)\s*(?P<h2>\d{1,2})(?:(?P<sep2>[:.])(?P<mi2>\d{2}))?\s*)?"
    r"(?P<uhr>Uhr\b)?"
)

# Words a dated opening sentence may start with before its date ("Am 12.10.2023 fand ...").
OPENING_WORDS = ("am", "vom", "von", "im", "seit", "ab", "bereits am", "schon am")


__all__ = [
    "MIN_YEAR",
    "MAX_YEAR",
    "MAX_REPAIR_DISTANCE_DAYS",
    "DATELINE_MAX_DRIFT_DAYS",
    "TWO_DIGIT_YEAR_PIVOT",
    "MAX_INPUT_CHARS",
    "MONTHS",
    "PART_WORDS",
    "PREPOSITIONS",
    "SEASONS",
    "RANGE_SEPARATOR",
    "ONLINE_WORDS",
    "NOT_PLACES",
    "ISSUER_WORDS",
    "MONTH",
    "QUALIFIER",
    "DATE_PATTERNS",
    "TIME_RANGE",
    "OPENING_WORDS",
]
