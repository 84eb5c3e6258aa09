"""The German date classes of issue 15, over the table the benchmark uses too.

``tests/fixtures/dates/german_date_table.py`` holds the rows: each expression with the start,
end and precision it must give (and hours, place or venue where the row names them), the
look-alikes that must give no date, and the forms read only when a caller asks for them.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from archive.dates import find_dates, parse_date, parse_dateline, parse_invitation
from archive.dates.scanning import _BUILDERS, _COMPILED, KEYWORDS, UNREGISTERED
from archive.dates.tables import DATE_PATTERNS
from tests.fixtures.dates.german_date_table import (
    CASES,
    LOOK_ALIKES,
    OPT_IN_LOOK_ALIKES,
    OPT_IN_ONLY,
    Case,
    LookAlike,
)
from tests.fixtures.dates.project_reader import read
from tests.helpers import PROJECT_ROOT, SEEDS


def _case_id(case: Case) -> str:
    return f"{case.kind}:{case.text[:40]}"


def test_the_table_is_large_and_has_no_repeats() -> None:
    texts = [(c.text, c.reader) for c in CASES] + [(a.text, "date") for a in LOOK_ALIKES]
    repeated = [text for text, count in Counter(texts).items() if count > 1]
    assert repeated == []
    assert len(CASES) >= 150 and len(LOOK_ALIKES) >= 50


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_expression_is_read_exactly(case: Case) -> None:
    reading = read(case.text, case.reader)
    assert reading is not None, case
    assert (reading.start, reading.end, reading.precision) == (
        case.start,
        case.end,
        case.precision,
    ), case
    if case.times is not None:
        assert reading.times == case.times, case
    if case.extra is not None:
        assert reading.extra == case.extra, case


@pytest.mark.parametrize("look_alike", LOOK_ALIKES, ids=lambda a: f"{a.kind}:{a.text[:40]}")
def test_look_alike_gives_no_date(look_alike: LookAlike) -> None:
    spans = find_dates(look_alike.text)
    if look_alike.allowed_flag is None:
        assert spans == [], look_alike
    else:  # an impossible day: the month stays, flagged, and no day is made up
        assert all(look_alike.allowed_flag in s.issues for s in spans), look_alike
        assert all(s.precision != "day" for s in spans), look_alike


@pytest.mark.parametrize("text, option", OPT_IN_ONLY)
def test_years_that_are_no_text_date_are_read_only_when_asked(text: str, option: str) -> None:
    assert parse_date(text) is None
    assert find_dates(text) == []
    asked = parse_date(text, **{option: True})
    assert asked is not None and asked.precision == "year"


@pytest.mark.parametrize("text, option, note", OPT_IN_LOOK_ALIKES)
def test_asked_for_readers_skip_their_look_alikes(text: str, option: str, note: str) -> None:
    assert parse_date(text, **{option: True}) is None, note


# find_dates over running text: (text, options, ISO of every span, note).
RUNNING_TEXT = [
    (
        "Das Institut, gegründet 1994, begleitet seit 2014 Kommunen; © 2019 IKPE.",
        {},
        ["2014"],
        "by default only the text's own date",
    ),
    (
        "Das Institut, gegründet 1994, begleitet seit 2014 Kommunen; © 2019 IKPE.",
        {"context_years": True},
        ["1994", "2014", "2019"],
        "asked: the founding and copyright years too",
    ),
    (
        "Wie Becker (2015) und andere (Krause/Lange 2014b; Wagner et al. 2021, S. 12) zeigen.",
        {"references": True},
        ["2015", "2014", "2021"],
        "every cited year in order, two in one parenthesis",
    ),
    (
        "Laufzeit: 2017–2020. Die Tagung am 3. und 4. Juni 2021 und das 1. Halbjahr 2022.",
        {"periods": True},
        ["2017/2020", "2021-06-03/2021-06-04", "2022-01/2022-06"],
        "new classes side by side",
    ),
    (
        "Projekte: A (Laufzeit: 2015-2018), B (Laufzeit: 2017-2019).",
        {},
        [],
        "a topic page's list of runs gives a record no date unless asked",
    ),
    (
        "Es kamen 2015 bis 2018 Teilnehmende, Seiten 2019-2021, Tel. 0361 2019 2020.",
        {"periods": True},
        [],
        "numbers in running text stay no date",
    ),
]


@pytest.mark.parametrize("text, options, expected, note", RUNNING_TEXT)
def test_find_dates_in_running_text(text: str, options: dict, expected: list, note: str) -> None:
    assert [s.iso() for s in find_dates(text, **options)] == expected, note


# Lines that are no dateline although they hold a place and a month: (line, note).
NO_MONTH_DATELINE = [
    ("Erfurt, im April 2021 trafen sich die Fachkräfte", "a sentence going on"),
    ("Stand: März 2024", "a label is no place"),
    ("Seit April 2021", "a preposition is no place"),
]


@pytest.mark.parametrize("line, note", NO_MONTH_DATELINE)
def test_month_dateline_needs_a_place_and_no_sentence(line: str, note: str) -> None:
    assert parse_dateline(line) is None, note


# Sentences with a day that are no invitation: (text, note).
NO_INVITATION = [
    ("Am 4. Mai 2023 wurde der Bericht veröffentlicht.", "a day alone"),
    ("Im Mai 2023 laden wir in das Rathaus ein.", "no day"),
    ("", "empty"),
]


@pytest.mark.parametrize("text, note", NO_INVITATION)
def test_no_invitation(text: str, note: str) -> None:
    assert parse_invitation(text) is None, note


def test_invitation_online() -> None:
    event = parse_invitation("Wir laden Sie am 4. Mai 2023, 14 Uhr, zu einem Webinar ein.")
    assert event is not None
    assert (event.span.start.iso(), event.span.start_time, event.online) == (
        "2023-05-04",
        "14:00",
        True,
    )


def _texts() -> list[str]:
    table = [c.text for c in CASES] + [a.text for a in LOOK_ALIKES]
    content = PROJECT_ROOT / "replica" / "content"
    paths = sorted(SEEDS.glob("*.txt")) + sorted(content.rglob("*.md"))
    return table + [p.read_text(encoding="utf-8") for p in paths]


TEXTS = _texts()


@pytest.mark.parametrize("name", sorted(UNREGISTERED))
def test_unregistered_guards_find_what_plain_finds(name: str) -> None:
    """The guards test_patterns cannot check (no match in the replica), checked on the table."""
    plain = re.compile(DATE_PATTERNS[name], re.IGNORECASE)
    found = 0
    for text in TEXTS:
        expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _COMPILED[name].finditer(text)] == expected
        found += len(expected)
    assert found, name


@pytest.mark.parametrize("name", sorted(KEYWORDS))
def test_every_match_holds_a_keyword_of_its_pattern(name: str) -> None:
    """A text without the keywords is not scanned with the pattern: no date may be lost so.

    Every match its builder reads holds one; the keyword may stand just before the match (a
    year range's period word)."""
    plain = re.compile(DATE_PATTERNS[name], re.IGNORECASE)
    found = 0
    for text in TEXTS:
        for match in plain.finditer(text):
            if _BUILDERS[name](match, None) is None:
                continue
            window = text[max(0, match.start() - 60) : match.end()].lower()
            assert any(word in window for word in KEYWORDS[name]), (name, match.group(0))
            found += 1
    assert found, name
