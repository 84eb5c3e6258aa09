"""The snippet highlighter (``archive.search.highlighting``) marks exactly the words
``archive.search.analysis.highlight_spans`` marks, however often and in whatever order it
is asked, while it learns new words and forgets old texts."""

from __future__ import annotations

import pytest

from archive.search import highlighting
from archive.search.analysis import Vocabulary, highlight_spans
from archive.search.highlighting import Highlighter

VOCABULARY = Vocabulary.from_texts(
    ["Armut Planung Kette Prävention Teilhabe Sozial Straße Quartier Kommune"] * 3
)
CASES = [
    ("a compound by its part", "Die Sozialplanung in Erfurt", {"planung"}, set()),
    ("stems and umlauts", "Prävention, Präventionsketten und Praevention", {"pravention"}, set()),
    ("names unstemmed", "Dr. Huber und Frau Hubers Bericht", set(), {"huber"}),
    ("both kinds", "Armut bei Huber; armut bei HUBER", {"armut"}, {"huber"}),
    ("ß folded", "Straße, Strasse, Straßen", {"strass"}, set()),
    ("nothing matches", "Ein Text ohne Treffer", {"armut"}, set()),
    ("no terms", "Armut", set(), set()),
    ("empty text", "", {"armut"}, set()),
    ("no words at all", " … – ! ", {"armut"}, set()),
    ("digits and underscores are words", "Armut 2024 a_b Armut", {"armut", "2024"}, set()),
    ("line breaks, odd spaces", "Teilhabe\n\nim\u00a0Quartier\u2029Teilhabe", {"teilhab"}, set()),
    ("a word twice in a new text", "Kommune Kommune Kommunen", {"kommun"}, set()),
]


@pytest.mark.parametrize(("case", "text", "terms", "names"), CASES, ids=[c[0] for c in CASES])
def test_the_same_spans_as_highlight_spans(case, text, terms, names) -> None:
    highlighter = Highlighter(VOCABULARY)
    expected = highlight_spans(text, VOCABULARY, terms, names)
    assert highlighter.spans("key", text, terms, names) == expected, case
    assert highlighter.spans("key", text, terms, names) == expected, "from the cache"


def test_one_highlighter_over_many_texts_and_searches(monkeypatch) -> None:
    """Texts analysed after a search's marks were computed (new words) still match, and
    texts dropped from the cache are analysed again."""
    monkeypatch.setattr(highlighting, "TEXT_CACHE_SIZE", 2)
    highlighter = Highlighter(VOCABULARY)
    for _round in range(2):
        for number, (_case, text, terms, names) in enumerate(CASES):
            expected = highlight_spans(text, VOCABULARY, terms, names)
            assert highlighter.spans(number, text, terms, names) == expected
            # The first search again, after other texts brought new words.
            first_text, first_terms = CASES[0][1], CASES[0][2]
            assert highlighter.spans(0, first_text, first_terms) == highlight_spans(
                first_text, VOCABULARY, first_terms
            )
