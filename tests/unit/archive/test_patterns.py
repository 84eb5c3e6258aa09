"""Guarded patterns (archive.patterns) find exactly what their plain forms find.

A guard names the characters a pattern's matches start with; one too narrow would lose
matches silently. Each guarded pattern of the normalisers is run beside its plain form on
the seed texts, on every text of the replica's content, and on generated text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import archive.dates
import archive.entities  # noqa: F401  (imported for the patterns it registers)
from archive.patterns import GUARDED, first_letters, guarded
from tests.helpers import PROJECT_ROOT, SEEDS

ROOT = PROJECT_ROOT
CONTENT = ROOT / "replica" / "content"


def _corpus() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt")) + sorted(CONTENT.rglob("*.md"))
    return [path.read_text(encoding="utf-8") for path in paths]


CORPUS = _corpus()
PATTERNS = [pytest.param(g, p, f, id=g.pattern[:40]) for g, p, f in GUARDED]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


def test_the_normalisers_register_their_guarded_patterns() -> None:
    assert len(GUARDED) >= 15
    assert archive.dates._COMPILED["month_year"] in [g for g, _p, _f in GUARDED]


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 100
    assert any("Pressemitteilung" in text for text in CORPUS)


@pytest.mark.parametrize(("guarded_re", "plain", "flags"), PATTERNS)
def test_guarded_finds_what_plain_finds_in_the_corpus(guarded_re, plain: str, flags) -> None:
    plain_re = re.compile(plain, flags)
    found = 0
    for text in CORPUS:
        expected = _matches(plain_re, text)
        assert _matches(guarded_re, text) == expected
        found += len(expected)
    assert found  # every pattern matches somewhere in the corpus, so the test has teeth


# Characters the patterns care about, so generated text hits them often.
ALPHABET = st.sampled_from(
    list("0123456789 .,;:-–/|()[]{}@\n")
    + list("abdefhijklmnoprsuvwzäöüß")
    + list("ABDEFGHIJKLMNPRSUVWZÄÖÜ")
    + ["Prof. ", "Dr. ", "März ", "Mai ", "bis ", "ab ", "seit ", "Anfang ", "Sommer ", "im Jahr ",
       "Erfurt", "Jena", "in Essen", "Referentin ", ", Leiterin", " (SPD)", "Kontakt: ", "e.V.",
       "v.l.n.r. ", "(at)", "Jörg Fischer", "12.03.2024", "2019", "Uhr"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(text=st.lists(ALPHABET, max_size=40).map("".join))
def test_guarded_finds_what_plain_finds_in_generated_text(text: str) -> None:
    for guarded_re, plain, flags in GUARDED:
        assert _matches(guarded_re, text) == _matches(re.compile(plain, flags), text), plain[:60]


def test_a_guard_that_is_too_narrow_loses_matches() -> None:
    """The comparison above can fail: a guard without 'J' misses 'Jena'."""
    narrow = guarded(r"(?<![\w-])(?:Erfurt|Jena)", first_letters(["Erfurt"]))
    GUARDED.remove((narrow, r"(?<![\w-])(?:Erfurt|Jena)", 0))
    text = "Von Jena nach Erfurt"
    assert _matches(narrow, text) != _matches(re.compile(r"(?<![\w-])(?:Erfurt|Jena)"), text)


@pytest.mark.parametrize(
    ("words", "kwargs", "expected"),
    [
        (["bis", "ab", "seit"], {}, "[abs]"),
        (["Bis", "ab"], {"lower": True}, "[ab]"),
        (["Bis", "ab"], {}, "[Ba]"),
        (["im"], {"digits": True}, r"[\di]"),
        (["(at)", "v.l.n.r."], {}, r"[\(v]"),
        (["", "x"], {}, "[x]"),
    ],
)
def test_first_letters(words: list[str], kwargs: dict, expected: str) -> None:
    assert first_letters(words, **kwargs) == expected
