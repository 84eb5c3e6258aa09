"""The German analyzer: folding, stemming, compound splitting (archive/search/analysis.py)."""

from __future__ import annotations

import pickle

import pytest

from archive.search.analysis import (
    Vocabulary,
    edit_distance,
    feminine_base,
    fold,
    german_analyzer,
    highlight_spans,
    index_terms,
    pair_analyzer,
    pair_terms,
    prefix_term,
    query_term,
    split_compound,
)
from archive.search.documents import PART_BREAK, InvalidDateError, date_range
from archive.search.snippets import make_snippet


def _unique(table: list[tuple], note: str) -> list[tuple]:
    """Guard against duplicate inputs in a table (the first element is the input)."""
    inputs = [row[0] for row in table]
    assert len(inputs) == len(set(inputs)), f"duplicate inputs in {note}"
    return table


# A vocabulary as an archive would give it: words that stand alone in its texts.
ARCHIVE_TEXT = """
Armut Prävention Planung soziale Jugend Hilfe Kette Familie Befragung Strategie Kinder
Schutz Land Kreis Raum Analyse Teilhabe Fach Kräfte Arbeit Gebiet Körperschaften Ziel
Gruppen Beteiligung Integration Konzept Alten Lebens Lagen Schule Sozialarbeit Chancen
Gesundheit Bildung Planer Manager Innen Stadt Prof
aber dass werden sollen über
"""
VOCABULARY = Vocabulary.from_texts([ARCHIVE_TEXT])

# --------------------------------------------------------------------------------------
# Folding: case, umlauts and their spellings, ß
# --------------------------------------------------------------------------------------

FOLD_CASES = _unique(
    [
        ("Strüning", "struning", "umlaut"),
        ("Struening", "struning", "ue spelling"),
        ("Struning", "struning", "umlaut dropped"),
        ("STRÜNING", "struning", "upper case"),
        ("Straße", "strasse", "ß"),
        ("Strasse", "strasse", "ss"),
        ("GROẞ", "gross", "capital ß"),
        ("Übergang", "ubergang", "initial umlaut"),
        ("Uebergang", "ubergang", "initial ue"),
        ("Ärzte", "arzte", "Ä"),
        ("Aerzte", "arzte", "Ae"),
        ("Köln", "koln", "ö"),
        ("Koeln", "koln", "oe"),
        ("Quelle", "quelle", "ue after q is no umlaut"),
        ("neue", "neue", "ue after a vowel is no umlaut"),
        ("Bauer", "bauer", "ue after au"),
        ("Café", "cafe", "other diacritics"),
        ("2023", "2023", "digits"),
    ],
    "FOLD_CASES",
)


@pytest.mark.parametrize(("word", "expected", "note"), FOLD_CASES)
def test_fold(word: str, expected: str, note: str) -> None:
    assert fold(word) == expected, note


# --------------------------------------------------------------------------------------
# Query terms: stems and umlaut spellings meet
# --------------------------------------------------------------------------------------

SAME_TERM_CASES = _unique(
    [
        ("Präventionsketten", ("Präventionskette", "Praeventionsketten", "praventionskette")),
        ("Strüning", ("Struening", "Struning", "STRUENING")),
        ("Straße", ("Strasse", "STRASSE", "Strassen")),
        ("Kommunen", ("Kommune", "kommune")),
        ("Befragungen", ("Befragung",)),
        ("Strategien", ("Strategie",)),
        ("Familien", ("Familie",)),
        ("Arbeitskreise", ("Arbeitskreis",)),
        ("Thüringer", ("Thüringen", "Thueringen")),
        ("Kölleda", ("Koelleda", "Kolleda")),
        ("Sömmerda", ("Soemmerda",)),
        ("Mühlhausen", ("Muehlhausen",)),
        ("Übergang", ("Uebergang", "Ubergang")),
        ("Planungen", ("Planung",)),
    ],
    "SAME_TERM_CASES",
)


@pytest.mark.parametrize(("word", "variants"), SAME_TERM_CASES)
def test_spellings_and_inflections_share_a_term(word: str, variants: tuple[str, ...]) -> None:
    assert {query_term(v) for v in variants} == {query_term(word)}


DIFFERENT_TERM_CASES = _unique(
    [
        ("Planung", "Plan", "derivation is not inflection"),
        ("Armut", "Arm", "different words"),
        ("Huber", "Hubert", "names stay apart"),
        ("Kinder", "Kino", "no fuzzy matching"),
    ],
    "DIFFERENT_TERM_CASES",
)


@pytest.mark.parametrize(("first", "second", "note"), DIFFERENT_TERM_CASES)
def test_different_words_keep_different_terms(first: str, second: str, note: str) -> None:
    assert query_term(first) != query_term(second), note


# Person nouns: feminine and plural forms meet their base (word, its variants, note).
PERSON_NOUN_CASES = _unique(
    [
        ("Sozialplaner", ("Sozialplanerinnen", "Sozialplanerin", "Sozialplanern"), "-in, -innen"),
        ("SozialplanerInnen", ("Sozialplaner_innen", "Sozialplanerinnen"), "Binnen-I, underscore"),
        ("Prozessbegleiter", ("Prozessbegleiterinnen", "Prozessbegleiterin"), "the brief's pair"),
        ("Beschäftigte", ("Beschäftigten", "Beschäftigter", "Beschaeftigte"), "nominal adjective"),
        ("Referentin", ("Referent", "Referenten", "Referentinnen"), "-ent"),
        ("Praktikantinnen", ("Praktikant", "Praktikanten"), "-ant"),
        ("Akteurinnen", ("Akteure", "Akteur"), "-eur"),
        ("Journalistin", ("Journalisten", "Journalist"), "-ist"),
        ("Autorinnen", ("Autoren", "Autor", "Autorin"), "-or"),
        ("Soziologin", ("Soziologen", "Soziologe"), "-og"),
        ("Kolleginnen", ("Kollegen", "Kollegin"), "-eg"),
        ("Bürgerinnen", ("Bürger", "Buergerin"), "umlaut spellings too"),
        ("Berliner", ("Berlin", "Berlinerin"), "decided: the place finds its adjective, as "
                                               "Thüringer finds Thüringen (Snowball's -er)"),
    ],
    "PERSON_NOUN_CASES",
)  # fmt: skip


@pytest.mark.parametrize(("word", "variants", "note"), PERSON_NOUN_CASES)
def test_person_nouns_meet_their_base(word: str, variants: tuple[str, ...], note: str) -> None:
    assert {query_term(v) for v in variants} == {query_term(word)}, note


# Look-alikes of feminine forms that keep their own term (word, what it must not become).
NOT_FEMININE_CASES = _unique(
    [
        ("Innen", "in", "the word Innen is no ending of nothing"),
        ("Termin", "term", "-in after no person ending"),
        ("Login", "log", "too short a base"),
        ("Berlin", "berl", "a place ending in -in"),
        ("Magazin", "magaz", "a thing ending in -in"),
        ("Medizin", "mediz", "a thing ending in -in"),
        ("Beginnen", "beg", "a verb ending in -innen"),
        ("Spinnen", "sp", "a verb ending in -innen"),
        ("Konstantin", "konstant", "a name that looks like -ant-in"),
        ("Valentin", "valent", "a name that looks like -ent-in"),
    ],
    "NOT_FEMININE_CASES",
)


@pytest.mark.parametrize(("word", "not_base", "note"), NOT_FEMININE_CASES)
def test_lookalikes_are_no_feminine_forms(word: str, not_base: str, note: str) -> None:
    assert feminine_base(fold(word)) is None, note
    assert query_term(word) != query_term(not_base), note


# --------------------------------------------------------------------------------------
# Compounds, split against the archive's own vocabulary
# --------------------------------------------------------------------------------------

COMPOUND_CASES = _unique(
    [
        ("Armutsprävention", ["armut", "pravention"], "linking s"),
        ("Sozialplanung", ["sozial", "planung"], "modifier known by its stem (soziale)"),
        ("Jugendhilfeplanung", ["jugend", "hilfe", "planung"], "three parts"),
        ("Familienbefragung", ["familie", "befragung"], "linking n"),
        ("Präventionsketten", ["pravention", "ketten"], "inflected head"),
        ("Kinderschutz", ["kinder", "schutz"], "plain"),
        ("Landkreis", ["land", "kreis"], "four-letter part"),
        ("Sozialraumanalyse", ["sozial", "raum", "analyse"], "three parts"),
        ("Gebietskörperschaften", ["gebiet", "korperschaften"], "umlaut folded"),
        ("Zielgruppenbeteiligung", ["ziel", "gruppen", "beteiligung"], "linking-free plural"),
        ("Lebenslagen", ["lebens", "lagen"], "head known by its stem"),
        ("Schulsozialarbeit", ["schul", "sozial", "arbeit"], "elided modifier (Schule)"),
        ("Teilhabechancen", ["teilhabe", "chancen"], "habe is a function word"),
        ("Armutspräventionsstrategie", ["armut", "pravention", "strategie"], "chained"),
        ("Gesundheitswesen", ["gesundheit", "wesen"], "free head after -heit-s-"),
        ("Bildungslandschaft", ["bildung", "landschaft"], "free head after -ung-s-"),
        ("Bildungseinrichtungen", ["bildung", "einrichtungen"], "free head, inflected"),
        ("Integrationsmanager", ["integration", "manager"], "-ion-s-, known head"),
        ("Landesregierung", ["land", "regierung"], "free head after a word and -es-"),
        ("Sozialplanerinnen", ["sozial", "planer"], "a feminine form splits as its base"),
        ("Integrationsmanagerinnen", ["integration", "manager"], "feminine, -ion-s-"),
        ("Innenstadt", ["innen", "stadt"], "Innen as a modifier stays a part"),
    ],
    "COMPOUND_CASES",
)


@pytest.mark.parametrize(("word", "parts", "note"), COMPOUND_CASES)
def test_compounds_split(word: str, parts: list[str], note: str) -> None:
    assert split_compound(fold(word), VOCABULARY) == parts, note


NOT_COMPOUND_CASES = _unique(
    [
        ("Planung", "too short to hold two parts"),
        ("Beratung", "no parts in the vocabulary"),
        ("Wohnungslosigkeit", "losigkeit is not a word of the archive"),
        ("Erfurter", "an inflected name"),
        ("Kommunen", "a plain word"),
        ("Dassaber", "function words are never parts"),
        ("news_archiv", "not alphabetic"),
        ("Gesundheitsamt", "the rest is too short for a free head"),
        ("Armutsbericht", "Armut does not always take -s-: no free head after it"),
        ("Professionalisierung", "prof-es-sional: an s after -es- belongs to the rest"),
        ("Landesamt", "the rest after -es- is too short"),
    ],
    "NOT_COMPOUND_CASES",
)


@pytest.mark.parametrize(("word", "note"), NOT_COMPOUND_CASES)
def test_words_that_are_no_compounds(word: str, note: str) -> None:
    assert split_compound(fold(word), VOCABULARY) is None, note


# (query word, document word): the query finds the document word through its parts.
FINDS_CASES = _unique(
    [
        ("Planung", "Sozialplanung"),
        ("Armut", "Armutsprävention"),
        ("Prävention", "Armutspräventionsstrategien"),
        ("Armutsprävention", "Armutspräventionsstrategien"),
        ("Präventionsstrategie", "Armutspräventionsstrategien"),
        ("Strategie", "Armutspräventionsstrategien"),
        ("Hilfe", "Jugendhilfeplanung"),
        ("Jugendhilfe", "Jugendhilfeplanung"),
        ("Hilfeplanung", "Jugendhilfeplanung"),
        ("Kinder", "Kinderschutz"),
        ("Kette", "Präventionsketten"),
        ("Familie", "Familienbefragung"),
        ("Befragungen", "Familienbefragung"),
        ("Sozialplanung", "Sozialplanung"),
        ("Gesundheit", "Gesundheitswesen"),
        ("Bildung", "Bildungslandschaft"),
        ("Land", "Landesregierung"),
        ("Integration", "Integrationsmanagerinnen"),
        ("Sozialplaner", "Sozialplanerinnen"),
        ("Planer", "Sozialplanerinnen"),
        ("Planerinnen", "Sozialplaner"),
        ("Innen", "Innenstadt"),
    ],
    "FINDS_CASES",
)


@pytest.mark.parametrize(("query_word", "document_word"), FINDS_CASES)
def test_query_word_finds_compound(query_word: str, document_word: str) -> None:
    assert query_term(query_word) in index_terms(document_word, VOCABULARY)


DOES_NOT_FIND_CASES = _unique(
    [
        ("Planung", "Verwaltung", "a shared ending"),
        ("Armut", "Armee", "a shared beginning"),
        ("Kette", "Kettler", "a shared beginning"),
        ("Land", "Landung", "no linking element, no vocabulary head"),
        ("Innen", "Sozialplanerinnen", "the feminine ending is no part"),
        ("Wesen", "Gesundheitswesen", "a free head is not indexed alone"),
        ("Prof", "Professionalisierung", "no split at -es-s-"),
    ],
    "DOES_NOT_FIND_CASES",
)


@pytest.mark.parametrize(("query_word", "document_word", "note"), DOES_NOT_FIND_CASES)
def test_query_word_does_not_find_lookalike(query_word: str, document_word: str, note) -> None:
    assert query_term(query_word) not in index_terms(document_word, VOCABULARY), note


def test_vocabulary_keeps_standalone_words_only() -> None:
    vocabulary = Vocabulary.from_texts(["Die Planung und die Sozialplanung, aber ohne Armut."])
    assert "planung" in vocabulary.words
    assert "sozialplanung" in vocabulary.words  # a word standing alone, compound or not
    assert "aber" not in vocabulary.words  # function word
    assert "die" not in vocabulary.words  # too short to be a part
    assert "armut" in vocabulary.words


def test_vocabulary_min_count() -> None:
    counts = {"planung": 3, "armut": 1}
    assert Vocabulary.from_counts(counts, min_count=2).words == frozenset({"planung"})


# --------------------------------------------------------------------------------------
# The Whoosh analyzers
# --------------------------------------------------------------------------------------


def test_index_analysis_puts_parts_at_the_word_position() -> None:
    analyzer = german_analyzer(VOCABULARY)
    tokens = [(t.text, t.pos) for t in analyzer("Die Sozialplanung wirkt", positions=True)]
    assert ("sozialplan", 1) in tokens
    assert ("planung", 1) in tokens
    assert ("sozial", 1) in tokens
    assert ("wirkt", 2) in tokens


def test_query_analysis_does_not_split() -> None:
    analyzer = german_analyzer(VOCABULARY)
    assert [t.text for t in analyzer("Sozialplanung", mode="query")] == ["sozialplan"]


def test_untokenized_query_text_is_a_prefix() -> None:
    analyzer = german_analyzer(VOCABULARY)
    tokens = [t.text for t in analyzer("Strategien", mode="query", tokenize=False)]
    assert tokens == ["strategi"]


PREFIX_CASES = _unique(
    [
        ("Präventionsk", "praventionsk", "no suffix to remove"),
        ("Strategien", "strategi", "the stem is a prefix of the word"),
        ("Planungs", "planung", "linking s"),
        ("Sozial?lanung", "sozial?lanung", "wildcards are only folded"),
    ],
    "PREFIX_CASES",
)


@pytest.mark.parametrize(("typed", "expected", "note"), PREFIX_CASES)
def test_prefix_term(typed: str, expected: str, note: str) -> None:
    assert prefix_term(typed) == expected, note


def test_analyzer_survives_pickling_with_its_vocabulary() -> None:
    restored = pickle.loads(pickle.dumps(german_analyzer(VOCABULARY)))
    assert "planung" in [t.text for t in restored("Sozialplanung")]


def test_pairs_break_between_parts() -> None:
    text = f"Kommunale Planung{PART_BREAK}Armut heute"
    assert [t.text for t in pair_analyzer()(text)] == ["kommunal planung", "armut heut"]
    assert pair_terms(["kommunal", "planung", "heut"]) == ["kommunal planung", "planung heut"]


def test_highlight_spans_match_parts_and_names() -> None:
    text = "Die Sozialplanung und Dr. Huber"
    spans = highlight_spans(text, VOCABULARY, {"planung"}, {"huber"})
    assert [text[start:end] for start, end in spans] == ["Sozialplanung", "Huber"]


EDIT_DISTANCE_CASES = _unique(
    [
        (("präventionsketen", "präventionsketten"), 1),
        (("präventionsketen", "präventionskette"), 2),
        (("", "abc"), 3),
        (("gleich", "gleich"), 0),
    ],
    "EDIT_DISTANCE_CASES",
)


@pytest.mark.parametrize(("pair", "expected"), EDIT_DISTANCE_CASES)
def test_edit_distance(pair: tuple[str, str], expected: int) -> None:
    assert edit_distance(*pair) == expected


# --------------------------------------------------------------------------------------
# Dates as ranges, snippets
# --------------------------------------------------------------------------------------

DATE_RANGE_CASES = _unique(
    [
        ("2023", ("2023-01-01", "2023-12-31")),
        ("2023-10", ("2023-10-01", "2023-10-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2023-02", ("2023-02-01", "2023-02-28")),
        ("2023-10-05", ("2023-10-05", "2023-10-05")),
    ],
    "DATE_RANGE_CASES",
)


@pytest.mark.parametrize(("partial", "expected"), DATE_RANGE_CASES)
def test_date_range(partial: str, expected: tuple[str, str]) -> None:
    first, last = date_range(partial)
    assert (first.isoformat(), last.isoformat()) == expected


INVALID_DATES = ["2023-13", "23", "2023/10", "yesterday", "2023-02-30", "", "2023-1"]


@pytest.mark.parametrize("value", INVALID_DATES)
def test_invalid_dates(value: str) -> None:
    with pytest.raises(InvalidDateError):
        date_range(value)


SNIPPET_CASES = _unique(
    [
        ("<script>alert(1)</script> Armut", "Armut", "&lt;script&gt;alert(1)&lt;/script&gt; "),
        ('Armut & "Teilhabe"', "Armut", " &amp; &quot;Teilhabe&quot;"),
        ("<b>Armut</b>", "Armut", "&lt;b&gt;"),
    ],
    "SNIPPET_CASES",
)


@pytest.mark.parametrize(("text", "word", "escaped"), SNIPPET_CASES)
def test_snippets_escape_before_marking(text: str, word: str, escaped: str) -> None:
    start = text.index(word)
    snippet = make_snippet(text, [(start, start + len(word))])
    assert "<mark>Armut</mark>" in snippet
    assert escaped in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_snippet_window_moves_to_the_matches() -> None:
    text = "Anfang " + "Füllwort " * 80 + "hier steht Armut am Ende"
    start = text.index("Armut")
    snippet = make_snippet(text, [(start, start + 5)])
    assert snippet.startswith("…")
    assert "<mark>Armut</mark> am Ende" in snippet
    assert len(snippet) < 300
