"""Property tests: random and hostile strings never break the date parser or the cleaner.

Invariants: no exception; every date returned lies in 1990-2100; the cleaned text is never
longer than the NFC form of its input. The other parsers are held to "no exception" too.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.citations import parse_citation
from archive.cleaning import clean_paragraphs, clean_text, normalise_whitespace
from archive.dates import (
    MAX_YEAR,
    MIN_YEAR,
    DateContext,
    DateSpan,
    find_dates,
    parse_date,
    parse_dateline,
    parse_event_line,
    parse_issue,
    parse_machine_date,
    parse_period,
    parse_time_range,
)
from archive.doctype import classify
from archive.entities import find_emails, find_organisations, find_people, find_places

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRAGMENTS = [
    "1", "06", "12", "31", "32", "99", "2024", "204", "20244", "1989", "2101", "99999", "24",
    ".", ". ", "/", "-", "–", "|", " | ", ":", " ", "\u00a0", "\t", "\n", "\n\n",
    "März", "Maerz", "Mrz.", "Sept.", "Okt", "Februar", "Mai", "Dezember", "Jänner",
    "bis", " bis ", "vom ", "am ", "Am ", "Anfang ", "Mitte ", "Ende ", "bis Mitte ", "seit ",
    "Sommer ", "Winter ", "Uhr", " Uhr", "13:00", "09.10", "online", "Heft ", "Laufzeit: ",
    "Jena/", "Erfurt, ", "Pressemitteilung, ", "Gemeinsame Pressemitteilung von TLMB, ",
    "T", "Z", "+01:00", "Tue, ", " Mar ", "GMT", "MEHR LESEN", "Mehr lesen",
    "Fotos (3): @ikpe/X", "Lorem ipsum", "Entscheidung widerrufen", "(Foto IKPE)", "ich ",
    "Accordeon", "\u200b", "\u200f", "\u202e", "\ufeff", "a\u0308", "\x00", "\x1b",
]  # fmt: skip

HOSTILE = [
    "99.99.99999",
    "9" * 400,
    "1." * 5000,
    "1 " * 5000,
    "31.12." * 1700,
    "März " * 2000,
    "bis " * 2500,
    "(" * 10_000,
    "Dr. " * 2500,
    "a" * 10_000,
    "\n" * 10_000,
    " " * 10_000 + "12.03.2024",
    "MEHR LESEN" * 1000,
    "MEHR LESEN\n" * 900,
    "\u202e\u200f12.03.2024\u200e",
    "\x00\x01\x02\x1b[31m12.03.2024",
    "12.03.2024" + "\u0301" * 50,
    "0000-00-00T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "Tue, 99 Foo 99999 99:99:99 +9999",
    "\U0010ffff" * 100,
    "a@" * 5000,
    "a(at)" * 2000,
    "Fischer, J./" * 800,
    "Erfurt " * 1500,
    "Ansprechpartner: " * 600,
    "e.V. " * 2000,
    "Institut (ABC) " * 700,
    "Prof. Dr. Fischer " * 500,
    "Landrätin " * 1000,
]

date_ish = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40).map("".join)
any_text = st.text(max_size=400)
texts = st.one_of(any_text, date_ish, st.sampled_from(HOSTILE))
contexts = st.one_of(
    st.none(),
    st.builds(
        DateContext,
        posting_date=st.one_of(st.none(), st.dates(min_value=date(1, 1, 1))),
        upload_year_month=st.one_of(
            st.none(), st.tuples(st.integers(-5, 10_000), st.integers(-5, 20))
        ),
    ),
)


def _in_range(span: DateSpan) -> bool:
    ends = [span.start] + ([span.end] if span.end is not None else [])
    return all(MIN_YEAR <= end.year <= MAX_YEAR for end in ends)


def _nfc_length(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


@SETTINGS
@given(text=texts, context=contexts)
def test_dates_in_range_and_no_exception(text: str, context: DateContext | None) -> None:
    spans = find_dates(text, context)
    assert all(_in_range(span) for span in spans)
    first = parse_date(text, context)
    assert first is None or (spans and first == spans[0])
    for line in text.split("\n")[:5]:
        dateline = parse_dateline(line, context)
        assert dateline is None or _in_range(dateline.span)
        event = parse_event_line(line, context)
        assert event is None or _in_range(event.span)
    period = parse_period(text)
    assert period is None or _in_range(period)
    issue = parse_issue(text)
    assert issue is None or MIN_YEAR <= issue[0].year <= MAX_YEAR
    times = parse_time_range(text)
    assert times is None or len(times[0]) == 5


@SETTINGS
@given(value=texts)
def test_machine_dates_are_aware_and_in_range(value: str) -> None:
    moment = parse_machine_date(value)
    assert moment is None or (moment.tzinfo is not None and MIN_YEAR <= moment.year <= MAX_YEAR)


@SETTINGS
@given(text=texts)
def test_cleaned_text_never_grows(text: str) -> None:
    result = clean_text(text)
    assert len(result.text) <= _nfc_length(text)
    assert unicodedata.is_normalized("NFC", result.text)
    assert "\n\n\n" not in result.text


@SETTINGS
@given(paragraphs=st.lists(texts, max_size=8))
def test_cleaned_paragraphs_never_grow(paragraphs: list[str]) -> None:
    result = clean_paragraphs(paragraphs)
    assert len(result.text) <= _nfc_length("\n\n".join(paragraphs))


@SETTINGS
@given(text=texts)
def test_normalise_whitespace_is_idempotent_and_shrinks(text: str) -> None:
    once = normalise_whitespace(text)
    assert normalise_whitespace(once) == once
    assert len(once) <= _nfc_length(text)


@SETTINGS
@given(text=texts, tab=st.one_of(st.none(), st.just("IKPE in der Presse"), any_text))
def test_other_parsers_never_raise(text: str, tab: str | None) -> None:
    reference = parse_citation(text, tab=tab)
    assert reference.raw == text
    find_people(text, known_names=[text[:40], "Dr. Stefan Huber"])
    find_emails(text)
    find_places(text)
    find_organisations(text)
    kind, rule = classify(title=text[:80], first_lines=text.split("\n")[:3], categories=[text])
    assert rule.startswith(kind + ":")


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_strings(text: str) -> None:
    assert all(_in_range(span) for span in find_dates(text, DateContext(date(2024, 3, 7))))
    assert len(clean_text(text).text) <= _nfc_length(text)
    assert parse_citation(text).raw == text
