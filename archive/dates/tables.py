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
    "januar": 1, "jänner": 1, "jaenner": 1, "jän": 1, "jan": 1,
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
# Between two days that share their month and year: "3. und 4. Juni", "7. bis 9. Mai".
DAY_RANGE_SEPARATOR = r"(?:-|–|—|/|und|bis(?:\s+zum)?)"
YEAR_RANGE_SEPARATOR = r"(?:-|–|—|bis(?:\s+zum)?|/)"
# Weekdays written before a day ("Dienstag, 7.", "Mi., den 6."); they add nothing to the date.
WEEKDAYS = (
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
    "mo", "di", "mi", "do", "fr", "sa", "so",
)  # fmt: skip
WEEKDAY = r"(?:(?:" + "|".join(WEEKDAYS) + r")(?![a-zäöüß])\.?,?\s+(?:(?:dem|den)\s+)?)"
# Words that make a bare year range a period ("Laufzeit: 2017–2020", "in den Jahren 2015 bis
# 2018"); any word ending in -zeitraum or -laufzeit counts.
PERIOD_LABEL = (
    r"(?:[\wäöüß]*(?:zeitraum|laufzeit|periode)|dauer|in\s+den\s+jahren|zwischen\s+den\s+jahren"
    r"|für\s+die\s+jahre|von\s+den\s+jahren)"
)
# What must stand right before a year range for it to be a period ("Laufzeit: 2017–",
# "Förderzeitraum 2016 bis", "in den Jahren 2015 bis", "von 2015 bis" with "bis" only).
PERIOD_LABEL_BEFORE = (
    rf"(?:(?<![\w])(?P<label>{PERIOD_LABEL})\s*:?\s*(?:vo[nm]\s+)?|(?<![\w])(?P<von>vo[nm])\s+)"
    r"(?:(?:dem\s+)?jahre?\s+)?$"
)
# Labels after which short forms are dates: "Stand: 3/2015", "Stand: 4.7.19", "Stand: 2022-11".
STAND_LABEL = r"(?:stand(?:\s+vom)?|datum|aktualisiert(?:\s+am)?)"
# Half-years and quarters written as words: "zweite Jahreshälfte", "im ersten Quartal".
ORDINALS: dict[str, int] = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4,
}  # fmt: skip
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

# Words after a number that say it counts something: "von 2000 bis 2050 Euro" is no period.
UNIT_WORDS = (
    r"€|euro|eur\b|prozent|%|personen|menschen|teilnehm|mitglied|einwohner|kinder|fälle"
    r"|stück|exemplare|besucher|gäste|plätze|stunden|mal\b|m\b|km\b|kg\b|seiten"
)
# A cited work's authors: "Becker", "Krause/Lange", "Wagner et al.", "Schulz und Roth".
_NAME = r"(?-i:[A-ZÄÖÜ])[a-zäöüß'’-]+"
AUTHORS = rf"{_NAME}(?:\s*(?:/|&|und|u\.)\s*{_NAME})*(?:\s+(?:et\s+al\.|u\.\s?a\.))?"
# Words before "(2015)" that are not authors.
NOT_AUTHORS = (
    r"(?:seite|tabelle|tab|abb|abbildung|kapitel|anlage|anhang|heft|nr|band|jahre?|jahrgang"
    r"|stand|laufzeit|paragraph|artikel|art|ziffer|nummer|tel|telefon|fax|az|drucksache|drs"
    r"|plz|postfach|raum|zimmer|euro|summe|gesamt|insgesamt|quelle|version|ausgabe)\b"
)
CITED_PAGES = r"(?:\s*[,:]\s*(?:S\.\s*)?\d+(?:\s*[-–]\s*\d+|\s*ff?\.)?)?"


def _day_date(n: int) -> str:
    """A day date written with numbers or a month name; groups ``d<n>``, ``m<n>``/``mon<n>``,
    ``y<n>``."""
    return (
        rf"(?P<d{n}>\d{{1,2}})(?:\.\s?(?P<m{n}>\d{{1,2}})\.\s?|\.?\s*(?P<mon{n}>{MONTH})\s*)"
        rf"(?P<y{n}>\d{{4}})(?!\d)"
    )


def _clock(n: int) -> str:
    """A time that is clearly one: ``9:30``, ``9:30 Uhr``, ``9.30 Uhr``, ``9 Uhr``."""
    return rf"(?P<t{n}>\d{{1,2}}(?::\d{{2}}(?:\s*Uhr\b)?|(?:\.\d{{2}})?\s*Uhr\b))"


_PART_OF_YEAR_WORD = r"(?:erst|zweit|dritt|viert|letzt)(?:e[nsr]?|en)"

# Date patterns, in order of preference when two start at the same place.
DATE_PATTERNS: dict[str, str] = {
    "iso": (
        r"(?<![\d-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2})(?::\d{2}(?:[.,]\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
        r"(?![\d])"
    ),
    # "vom 02.03.2022, 9:30 Uhr, bis 03.03.2022, 15:00 Uhr": each end with its time.
    "timed_range": (
        rf"(?<![\w.]){_day_date(1)}\s*,?\s*(?:(?:um|ab|von)\s+)?{_clock(1)}\s*,?\s*"
        rf"(?:-|–|—|bis(?:\s+zum)?)\s*{WEEKDAY}?{_day_date(2)}"
        rf"(?:\s*,?\s*(?:(?:um|bis)\s+)?{_clock(2)})?"
    ),
    # "Beginn: 21.06.2024, 10:00 Uhr; Ende: 16:15 Uhr": start and end given apart.
    "start_end": (
        rf"(?<![\w])(?:beginn|start)\s*:\s*{WEEKDAY}?{_day_date(1)}"
        rf"(?:\s*,?\s*(?:um\s+|ab\s+)?{_clock(1)})?\s*[;,|/–—-]?\s*(?:ende|schluss)\s*:\s*"
        rf"(?:{WEEKDAY}?{_day_date(2)})?(?:\s*,?\s*(?:um\s+|bis\s+)?{_clock(2)})?"
    ),
    "numeric_range": (
        r"(?<![\d.])(?P<d1>\d{1,2})\.(?:\s?(?P<m1>\d{1,2})\.(?:\s?(?P<y1>\d{4}))?)?"
        rf"\s*{RANGE_SEPARATOR}\s*"
        r"(?P<d2>\d{1,2})\.\s?(?P<m2>\d{1,2})\.\s?(?P<y2>\d{2,5})(?!\d)"
    ),
    "textual_range": (
        rf"(?<![\w.])(?P<d1>\d{{1,2}})\.?\s*(?:(?P<mon1>{MONTH})\s*(?:(?P<y1>\d{{4}})\s*)?)?"
        rf"{DAY_RANGE_SEPARATOR}\s*{WEEKDAY}?"
        rf"(?P<d2>\d{{1,2}})\.?\s*(?P<mon2>{MONTH})\s*(?P<y2>\d{{3,5}})(?!\d)"
    ),
    # "Ende Februar/Anfang März 2022": the match starts at the first month (a part word before
    # it blurs the start, which stays the month), so the scan looks for month names only.
    "month_range": (
        rf"(?<![\w.])(?P<mon1>{MONTH})(?:\s*(?P<y1>\d{{4}}))?"
        rf"\s*(?:-|–|—|/|bis)\s*(?:(?P<part2>{_PART_ALT})\s+)?(?P<mon2>{MONTH})\s*"
        r"(?P<y2>\d{4})(?!\d)"
    ),
    # "01/2020 – 12/2022", "07.2021 bis 06.2024": months written as numbers, in a range.
    "month_number_range": (
        r"(?<![\w/.,-])(?P<m1>0?[1-9]|1[0-2])\s?[/.]\s?(?P<y1>\d{4})\s*(?:-|–|—|bis(?:\s+zum)?)\s*"
        r"(?P<m2>0?[1-9]|1[0-2])\s?[/.]\s?(?P<y2>\d{4})(?![\d/])"
    ),
    # Short forms read only after a label: "Stand: 4.7.19", "Stand: 3/2015", "Stand: 2022-11".
    "labelled": (
        rf"(?<![\w])(?P<label>{STAND_LABEL})\s*:?\s*(?:"
        r"(?P<sd>\d{1,2})\.\s?(?P<sm>\d{1,2})\.\s?(?P<syy>\d{2})(?![\d.:])"
        rf"|(?P<smon>{MONTH})\s*['’]?\s?(?P<smy>\d{{2}})(?![\d.:])"
        r"|(?P<snm>\d{1,2})\s?[/.]\s?(?P<sny>\d{4})(?![\d/.])"
        r"|(?P<siy>\d{4})-(?P<sim>\d{2})(?![\d-])"
        rf"|(?P<sy>\d{{4}})(?![\d./:-]|,\d)(?!\s*(?:{UNIT_WORDS})))"
    ),
    "dashed": (
        rf"(?<![\w.-])(?P<day>\d{{1,2}})-(?P<mon>{MONTH})-(?P<year>\d{{4}}|\d{{2}})(?![\d-])"
    ),
    "numeric": (r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{2,5})(?!\d)"),
    "textual": (
        rf"(?<![\w.])(?:(?P<prep>{'|'.join(PREPOSITIONS)})\s+(?:zum\s+)?)?"
        rf"(?P<day>\d{{1,2}})\.?\s*(?P<mon>{MONTH}),?\s*(?P<year>\d{{3,5}})(?!\d)"
    ),
    # "September 2023", "Okt. '22", and "Mär 13, 2024": the English order a theme (Divi)
    # prints with German month abbreviations, read here to scan for month names once.
    "month_year": (
        rf"(?<![\w.]){QUALIFIER}(?P<mon>{MONTH})\s*"
        r"(?:(?P<year>\d{3,5})|['’]\s?(?P<yy>\d{2})|(?P<mday>\d{1,2}),\s*(?P<myear>\d{4}))(?!\d)"
    ),
    # "3. Quartal 2021", "Q2 2022", "1. Halbjahr 2020", "zweite Jahreshälfte 2022".
    "part_of_year": (
        rf"(?<![\w.])(?:(?:(?P<n>[1-4])\.\s*|(?P<word>{_PART_OF_YEAR_WORD})\s+"
        r"|(?P<roman>iv|i{1,3})\.\s*)(?P<unit>quartal|halbjahr|jahreshälfte|hj\.)(?:e?s)?\s+"
        r"(?:des\s+jahres\s+)?(?P<year>\d{4})"
        r"|(?P<letter>q(?=[1-4])|h(?=[12]))(?P<ln>[1-4])\s*[/.-]?\s*(?P<ly>\d{4}))(?![\d.,]?\d)"
        rf"(?!\s*(?:{UNIT_WORDS}))"
    ),
    # "KW 7/2023", "20. Kalenderwoche 2021": ISO weeks, Monday to Sunday.
    "week": (
        r"(?<![\w.])(?:(?:kw|kalenderwoche)\s*(?P<w1>\d{1,2})\s*(?:[/.,]\s*|\s+)"
        r"(?:(?:des\s+jahres|im\s+jahr)\s+)?(?P<y1>\d{4}|\d{2})"
        r"|(?P<w2>\d{1,2})\.\s*(?:kw|kalenderwoche)\s+(?:(?:des\s+jahres|im\s+jahr)\s+)?"
        r"(?P<y2>\d{4}))(?![\d.,]?\d)"
        rf"(?!\s*(?:{UNIT_WORDS}))"
    ),
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

# Patterns a caller asks for by name (keyword arguments of the readers), because what they
# find must not become a record's date: a project's run listed on a topic page, a founding
# year, a copyright line, a cited work.
OPTIONAL_PATTERNS: dict[str, dict[str, str]] = {
    "periods": {
        # "Laufzeit: 2017–2020", "in den Jahren 2015 bis 2018": two years after a period word
        # (see PERIOD_LABEL_BEFORE; the words stand before the match, which starts at a digit).
        "year_range": (
            r"(?<![\w.,/-])(?P<y1>\d{4})\s*"
            rf"(?P<sep>{YEAR_RANGE_SEPARATOR})\s*(?:(?:zum\s+)?jahre?\s+)?(?P<y2>\d{{4}}|\d{{2}})"
            rf"(?![\d.,]?\d)(?![-/.]\d)(?!\s*(?:{UNIT_WORDS}))"
        ),
    },
    "context_years": {
        # "gegründet 1994", "Gründungsjahr: 1994", "im Jahr 1994 gegründet" is prep_year's.
        "founded": (
            r"(?<![\w])(?P<label>gegründet|gründungsjahr|gründung|errichtet|eröffnet)"
            r"\s*:?\s*(?:(?:im\s+jahre?|in|anno)\s+)?(?P<year>\d{4})(?![\d.,]?\d)"
        ),
        # "© 2019", "© 2011–2016", "Copyright 2019".
        "copyright": (
            r"(?:©|\(c\)|copyright\b)\s*(?P<y1>\d{4})(?:\s*(?:-|–|—|bis)\s*(?P<y2>\d{4}|\d{2}))?"
            r"(?![\d.,]?\d)"
        ),
    },
    "references": {
        # "Jg. 71, Heft 4 (2019)", "38. Jahrgang, Nr. 2, 2016", "40. Jg., Heft 2/2009".
        "journal": (
            r"(?<![\w])(?:(?:jg\.|jhg\.|jahrgang|vol\.|bd\.|band)\s*\d{1,3}|\d{1,3}\.\s*"
            r"(?:jg\.|jhg\.|jahrgang))\s*[,;]?\s*(?:(?:heft|h\.|nr\.|ausgabe|no\.)\s*\d{1,3}"
            r"(?:\s*[-–/]\s*\d{1,3})?\s*)?(?:[,;/]\s*|\(\s*)?(?P<year>\d{4})(?!\d)"
        ),
        # "Becker (2015)", "Becker et al. (2015, S. 12)".
        "author_year": (
            rf"(?<![\w.])(?!{NOT_AUTHORS}){AUTHORS}\s*\(\s*(?P<year>\d{{4}})[a-z]?{CITED_PAGES}\s*\)"
        ),
        # "(Wagner et al. 2021, S. 12)", "(Krause/Lange 2014b)", "(vgl. Becker 2015; ...)".
        "author_year_inside": (
            rf"(?<=[(;])\s*(?:vgl\.\s*|siehe\s*|s\.\s*)?(?!{NOT_AUTHORS}){AUTHORS},?\s+"
            rf"(?P<year>\d{{4}})[a-z]?{CITED_PAGES}\s*(?=[;)])"
        ),
    },
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
    "OPTIONAL_PATTERNS",
    "PERIOD_LABEL_BEFORE",
    "WEEKDAY",
    "WEEKDAYS",
    "ORDINALS",
    "TIME_RANGE",
    "OPENING_WORDS",
]
