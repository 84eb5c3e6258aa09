"""Tables for archive.search.query: the query language parsed into Whoosh queries, and the
filters' validation.

Parsed queries are compared by their structure (query classes, fields and terms, see
:func:`shape`), not by their reprs. Words without a field are looked up in title, person
and body; the title and body analysers stem (``Teilhabe`` -> ``teilhab``), the person
analyser only folds (``teilhabe``).
"""

from __future__ import annotations

from functools import lru_cache

import pytest
from whoosh import query
from whoosh.filedb.filestore import RamStorage

from archive.search.analysis import Vocabulary
from archive.search.filters import Filters
from archive.search.generations import build_schema
from archive.search.query import (
    FIELD_BOOSTS,
    QueryError,
    build_fallback_parser,
    build_parser,
    parse_query,
    parse_search,
    plain_words,
    positive_terms,
    type_analyzer,
)
from archive.search.querydates import DATE_PREFERENCE_SCORE, DateClause


@lru_cache(maxsize=1)
def parsers():
    schema = build_schema(Vocabulary())
    return schema, build_parser(schema), build_fallback_parser(schema)


def parse(text: str) -> query.Query:
    _, parser, fallback = parsers()
    return parse_query(text, parser, fallback)


def shape(node: query.Query):
    """The structure of a query: class names, fields and terms, no boosts."""
    if node is query.NullQuery:
        return ("Null",)
    if isinstance(node, DateClause):
        return ("Date", node.first, node.last)
    if isinstance(node, query.Every):
        return ("Every",)
    if isinstance(node, query.Not):
        return ("Not", shape(node.query))
    if isinstance(node, query.AndNot):
        return ("AndNot", shape(node.a), shape(node.b))
    if isinstance(node, query.NumericRange):
        return ("NumericRange", node.fieldname, node.start, node.end)
    if isinstance(node, query.Phrase):
        return ("Phrase", node.fieldname, tuple(node.words))
    if isinstance(node, (query.Term, query.Prefix, query.Wildcard)):
        return (type(node).__name__, node.fieldname, node.text)
    if isinstance(node, query.compound.CompoundQuery):
        return (type(node).__name__, *(shape(child) for child in node.subqueries))
    raise AssertionError(f"unexpected query node {node!r}")


def anywhere(stem: str, folded: str | None = None, kind: str = "Term"):
    """A word without a field: looked up in title and body (stemmed) and person (folded)."""
    return ("Or", (kind, "title", stem), (kind, "person", folded or stem), (kind, "body", stem))


ARMUT = anywhere("armut")
TEILHABE = anywhere("teilhab", "teilhabe")
ERFURT = anywhere("erfurt")

# (query text, structure), note.
QUERY_CASES = [
    ("Armut", ARMUT, "one word, three fields"),
    ("Armut Teilhabe", ("And", ARMUT, TEILHABE), "words are ANDed"),
    ("Armut AND Teilhabe", ("And", ARMUT, TEILHABE), "AND"),
    ("Armut UND Teilhabe", ("And", ARMUT, TEILHABE), "UND"),
    ("Armut OR Teilhabe", ("Or", *ARMUT[1:], *TEILHABE[1:]), "OR flattens into one Or"),
    ("Titel:Armut", ("Term", "title", "armut"),
     "a capitalised field name is a field (was: 'Titel armut' as a phrase)"),
    ("Armut AND", ARMUT, "a dangling operator is dropped (was: searched as the word 'and')"),
    ("OR Armut", ARMUT, "a leading operator is dropped (was: searched as the word 'or')"),
    ("Armut NICHT", ARMUT, "a trailing NICHT excludes nothing"),
    ("Armut ODER Teilhabe", ("Or", *ARMUT[1:], *TEILHABE[1:]), "ODER"),
    ("(Armut OR Teilhabe) Erfurt", ("And", ("Or", *ARMUT[1:], *TEILHABE[1:]), ERFURT),
     "grouping"),
    ("Armut -Teilhabe", ("And", ARMUT, ("Not", TEILHABE)), "-exclusion"),
    ("Armut NOT Teilhabe", ("And", ARMUT, ("Not", TEILHABE)), "NOT"),
    ("Armut NICHT Teilhabe", ("And", ARMUT, ("Not", TEILHABE)), "NICHT"),
    ("-Armut", ("Not", ARMUT), "a lone exclusion"),
    ("Armut ANDNOT Teilhabe", ("AndNot", ARMUT, TEILHABE), "ANDNOT"),
    ("Armut oder Teilhabe", ("And", ARMUT, anywhere("oder"), TEILHABE),
     "operators are upper case: 'oder' is a word"),
    ("Kita-Sozialarbeit", ("Or", ("Phrase", "title", ("kita", "sozialarbeit")),
                           ("Phrase", "person", ("kita", "sozialarbeit")),
                           ("Term", "pairs", "kita sozialarbeit")),
     "a hyphen is no exclusion inside a word: the parts as a phrase"),
    ('"kommunale Planung"', ("Or", ("Phrase", "title", ("kommunal", "planung")),
                             ("Phrase", "person", ("kommunale", "planung")),
                             ("Term", "pairs", "kommunal planung")),
     "two-word phrase: positions in title and person, one word pair in the body"),
    ('"kommunale Planung vor Ort"',
     ("Or", ("Phrase", "title", ("kommunal", "planung", "vor", "ort")),
      ("Phrase", "person", ("kommunale", "planung", "vor", "ort")),
      ("And", ("Term", "pairs", "kommunal planung"), ("Term", "pairs", "planung vor"),
       ("Term", "pairs", "vor ort"))),
     "longer phrase: every adjacent pair in the body"),
    ('"Armut"', ARMUT, "a one-word phrase is the word"),
    ("Präv*", anywhere("prav", kind="Prefix"), "prefix*: folded, not stemmed"),
    ("Ar*", anywhere("ar", kind="Prefix"), "two letters are enough for a prefix"),
    ("A*", anywhere("a"), "one letter before the star: a plain term"),
    ("*Armut", ARMUT, "no letter before the star: the word"),
    ("Arm?t", anywhere("arm?t", kind="Wildcard"), "? wildcard"),
    ("title:Armut", ("Term", "title", "armut"), "title:"),
    ("titel:Armut", ("Term", "title", "armut"), "titel: (German alias)"),
    ("person:Huber", ("Term", "person", "huber"), "person:, names are not stemmed"),
    ("autor:Huber", ("Term", "person", "huber"), "autor:"),
    ("autorin:Huber", ("Term", "person", "huber"), "autorin:"),
    ("people:Huber", ("Term", "person", "huber"), "people:"),
    ('person:"Anna Huber"', ("Phrase", "person", ("anna", "huber")), "person phrase"),
    ("place:Erfurt", ("Term", "place", "erfurt"), "place:"),
    ("ort:Erfurt", ("Term", "place", "erfurt"), "ort:"),
    ('ort:"Bad Langensalza"', ("Phrase", "place", ("bad", "langensalza")), "place phrase"),
    ("text:Armut", ("Term", "body", "armut"), "text: is the body"),
    ("volltext:Armut", ("Term", "body", "armut"), "volltext:"),
    ("type:news", ("Term", "type", "news"), "type: a record type"),
    ("type:Pressemitteilung", ("Term", "type", "press_release"), "type: German name"),
    ("typ:PM", ("Term", "type", "press_release"), "typ: with an abbreviation"),
    ("typ:Veranstaltung", ("Term", "type", "event"), "typ: event"),
    ("title:Armu*", ("Prefix", "title", "armu"), "prefix in a field"),
    ("title:(Armut Teilhabe)", ("And", ("Term", "title", "armut"), ("Term", "title", "teilhab")),
     "a field over a group"),
    ("title:Armut OR person:Huber", ("Or", ("Term", "title", "armut"), ("Term", "person", "huber")),
     "fields with OR"),
    ("Armut -type:event", ("And", ARMUT, ("Not", ("Term", "type", "event"))),
     "excluding a type"),
    ("year:[2020 TO 2022]", ("NumericRange", "year", 2020, 2022), "year range"),
    ("jahr:[2020 TO]", ("NumericRange", "year", 2020, None), "open year range, German alias"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected", [c[:2] for c in QUERY_CASES], ids=[c[2] for c in QUERY_CASES]
)
def test_parse_query(text: str, expected) -> None:
    assert shape(parse(text)) == expected


# --------------------------------------------------------------------------------------
# Dates in a query: preferences, not required words
# --------------------------------------------------------------------------------------


def year_words(*words: str | tuple[str, str]) -> tuple:
    """The words of a date as the text alternative: every word in three fields, ANDed (a
    pair: the stem and the folded word)."""
    alternatives = [
        anywhere(*word) if isinstance(word, tuple) else anywhere(word) for word in words
    ]
    return alternatives[0] if len(alternatives) == 1 else ("And", *alternatives)


def prefers(date_words: tuple, first: int, last: int) -> tuple:
    """Records holding the date's words, or dated within first..last."""
    if date_words[0] == "Or":
        return ("Or", *date_words[1:], ("Date", first, last))
    return ("Or", date_words, ("Date", first, last))


Y2016 = prefers(year_words("2016"), 20160101, 20161231)

# (query text, structure, understood dates as (words, partial date)), note.
DATE_QUERY_CASES = [
    ("2016 Armut", ("AndMaybe", ARMUT, Y2016), [("2016", "2016")],
     "a year with a word: the word required, the year preferred"),
    ("Armut 2016", ("AndMaybe", ARMUT, Y2016), [("2016", "2016")], "anywhere in the query"),
    ("2016", Y2016, [("2016", "2016")], "a year alone: dated then or mentioning it"),
    ("März 2024", prefers(year_words("marz", "2024"), 20240301, 20240331),
     [("März 2024", "2024-03")], "a month and a year: the month's days"),
    ("Armut Feb. 2024", ("AndMaybe", ARMUT, prefers(year_words("feb", "2024"), 20240201,
                                                     20240229)),
     [("Feb. 2024", "2024-02")], "an abbreviated month, a leap year"),
    ("Armut Jänner 2020", ("AndMaybe", ARMUT, prefers(year_words(("jann", "janner"), "2020"),
                                                       20200101, 20200131)),
     [("Jänner 2020", "2020-01")], "Austrian month name"),
    ("Armut -Teilhabe 2016", ("AndMaybe", ("And", ARMUT, ("Not", TEILHABE)), Y2016),
     [("2016", "2016")], "exclusions stay required"),
    ("-Armut 2016", ("And", Y2016, ("Not", ARMUT)), [("2016", "2016")],
     "nothing but an exclusion beside: the date is what matches"),
    ("Armut UND 2016", ("AndMaybe", ARMUT, Y2016), [("2016", "2016")],
     "an operator left dangling is dropped"),
    ("2016 2018 Armut", ("AndMaybe", ARMUT, ("Or", *Y2016[1:], *prefers(
        year_words("2018"), 20180101, 20181231)[1:])),
     [("2016", "2016"), ("2018", "2018")], "two years: either"),
    ("Mai Armut 2016", ("AndMaybe", ("And", anywhere("mai"), ARMUT), Y2016), [("2016", "2016")],
     "a month not right before the year is a word"),
    ("Armut 1850", ("And", ARMUT, anywhere("1850")), [], "a number outside the years"),
    ("Armut 20161", ("And", ARMUT, anywhere("20161")), [], "five digits are no year"),
    ('"Armut 2016"', ("Or", ("Phrase", "title", ("armut", "2016")),
                      ("Phrase", "person", ("armut", "2016")), ("Term", "pairs", "armut 2016")),
     [], "inside a phrase: words"),
    ("Armut OR 2016", ("Or", *ARMUT[1:], *anywhere("2016")[1:]), [], "with OR: words"),
    ("Armut NICHT 2016", ("And", ARMUT, ("Not", anywhere("2016"))), [], "excluded: a word"),
    ("(Armut) 2016", ("And", ARMUT, anywhere("2016")), [], "with a group: words"),
    ("year:2016 Armut", None, [], "the year field stays a filter-like term"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected, dates",
    [c[:3] for c in DATE_QUERY_CASES],
    ids=[c[3] for c in DATE_QUERY_CASES],
)
def test_dates_in_queries_are_preferences(text: str, expected, dates) -> None:
    _, parser, fallback = parsers()
    parsed = parse_search(text, parser, fallback)
    assert [(when.text, when.date) for when in parsed.dates] == dates
    if expected is not None:
        assert shape(parsed.query) == expected
    assert shape(parse(text)) == shape(parsed.query)  # parse_query: the same query


def test_a_date_clause_scores_a_constant() -> None:
    clause = DateClause(20160101, 20161231)
    assert clause.score == DATE_PREFERENCE_SCORE
    assert shape(clause.with_boost(3.0)) == ("Date", 20160101, 20161231)
    assert clause.with_boost(3.0).score == DATE_PREFERENCE_SCORE


# Gender forms written with a separator are searched as the joined word (text, structure).
GENDER_FORM_CASES = [
    ("Sozialplaner*innen", anywhere("sozialplan", "sozialplanerinnen"), "gender star"),
    ("Planer:in", anywhere("plan", "planerin"), "gender colon"),
    ("Planer/-innen", anywhere("plan", "planerinnen"), "slash and hyphen"),
    ("Sozialplaner_innen", anywhere("sozialplan", "sozialplanerinnen"), "gender underscore"),
    ("titel:innen", ("Term", "title", "inn"), "a field name before :innen stays a field"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected", [c[:2] for c in GENDER_FORM_CASES], ids=[c[2] for c in GENDER_FORM_CASES]
)
def test_gender_forms(text: str, expected) -> None:
    assert shape(parse(text)) == expected


@pytest.mark.parametrize("text", ["year:2023", "jahr:2023"])
def test_year_is_a_numeric_term(text: str) -> None:
    schema, _, _ = parsers()
    parsed = parse(text)
    assert isinstance(parsed, query.Term)
    assert (parsed.fieldname, parsed.text) == ("year", schema["year"].to_bytes(2023))


# (query text, structure), note: what a broken query falls back to.
BROKEN_CASES = [
    ('"Armut', ARMUT, "unbalanced quote: plain words"),
    ('"Armut Teilhabe', ("And", ARMUT, TEILHABE), "unbalanced quote, two words"),
    ("(Armut", ARMUT, "unclosed parenthesis"),
    ("Armut)", ARMUT, "closing parenthesis first"),
    (")Armut(", ARMUT, "parentheses the wrong way round"),
    ("title:", ("Null",), "a field and nothing else"),
    ("title: Armut", ARMUT, "a field followed by a space: its plain words, all fields"),
    ("title:Armut person:", ARMUT, "a trailing empty field"),
    ("ort: ()", ("Null",), "a field over an empty group"),
    ("year:abc", anywhere("abc"), "not a number for the year: the plain word"),
    ('"', ("Null",), "a lone quote"),
    ("!!! ???", ("Null",), "no word at all"),
    ("Armut AND OR Teilhabe", ("And", ARMUT, TEILHABE), "two operators in a row"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected", [c[:2] for c in BROKEN_CASES], ids=[c[2] for c in BROKEN_CASES]
)
def test_broken_queries_fall_back_to_plain_words(text: str, expected) -> None:
    assert shape(parse(text)) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "*", " * "], ids=["empty", "blank", "star", "star with spaces"]
)
def test_empty_query_matches_everything(text: str) -> None:
    assert isinstance(parse(text), query.Every)


NEVER_RAISES = [
    "title:(", 'person:"', "((((", "))))", "a AND", "OR", "NOT", "-", "- -", "*:*",
    "year:[x TO y]", "year:[2020 TO", "type:", "^2", "Armut^", "Armut~2", "~", "\\", "\x00",
    "title:title:Armut", '""', "'Armut'", "Armut" * 200, "ä?ö*ü", "http://x.de/?a=b&c=d",
]  # fmt: skip


@pytest.mark.parametrize("text", NEVER_RAISES)
def test_parse_query_never_raises(text: str) -> None:
    assert isinstance(parse(text), query.Query)


def test_field_boosts_of_a_word() -> None:
    boosts = {leaf.fieldname: leaf.boost for leaf in parse("Armut").leaves()}
    assert boosts == FIELD_BOOSTS
    assert boosts["title"] > boosts["person"] > boosts["body"]


def test_field_boosts_of_a_one_word_phrase() -> None:
    boosts = {leaf.fieldname: leaf.boost for leaf in parse('"Armut"').leaves()}
    assert boosts == FIELD_BOOSTS


# (query text, plain words), note.
PLAIN_WORDS_CASES = [
    ("Armut Teilhabe", ["Armut", "Teilhabe"], "words"),
    ('title:Armut OR person:"Anna Huber"', ["Armut", "Anna", "Huber"],
     "field names and OR dropped, quotes gone"),
    ("-Teilhabe NICHT x UND y ODER z AND w", ["Teilhabe", "x", "y", "z", "w"],
     "operators dropped"),
    ("titel:Armut ort:Erfurt autorin:Huber", ["Armut", "Erfurt", "Huber"], "German field names"),
    ("Präv* (Armut", ["Präv", "Armut"], "syntax characters dropped"),
    ("und oder", ["und", "oder"], "lower-case operator words are words"),
    ("title: ", [], "only a field"),
    ("", [], "empty"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, words", [c[:2] for c in PLAIN_WORDS_CASES], ids=[c[2] for c in PLAIN_WORDS_CASES]
)
def test_plain_words(text: str, words: list[str]) -> None:
    assert plain_words(text) == words


# (type value, indexed term), note.
TYPE_ANALYZER_CASES = [
    ("news", "news", "a record type"),
    ("press_release", "press_release", "another record type"),
    ("Pressemitteilung", "press_release", "German, capitalised"),
    ("PRESSEMITTEILUNGEN", "press_release", "plural, upper case"),
    ("Veröffentlichung", "publication", "with umlaut"),
    ("Veroffentlichung", "publication", "without umlaut"),
    ("Termin", "event", "termin"),
    ("Presseschau", "press_coverage", "press coverage"),
    ("Seite", "page", "page"),
    ("Blog", "blog", "unknown: lower case, kept"),
]


@pytest.mark.parametrize(
    "value, term", [c[:2] for c in TYPE_ANALYZER_CASES], ids=[c[2] for c in TYPE_ANALYZER_CASES]
)
def test_type_analyzer(value: str, term: str) -> None:
    assert [token.text for token in type_analyzer()(value)] == [term]


def test_positive_terms_leave_out_exclusions_and_expand_prefixes() -> None:
    schema, _, _ = parsers()
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        writer.add_document(id="a", title="Armut und Armutsbericht", body="Teilhabe in Erfurt")
    with index.searcher() as searcher:
        terms = positive_terms(parse("Armut* -Teilhabe title:Erfurt"), searcher.reader())
    assert ("title", "armut") in terms
    assert ("title", "armutsbericht") in terms
    assert ("title", "erfurt") in terms
    assert not {text for field, text in terms if text.startswith("teilhab")}


def test_positive_terms_leave_out_date_clauses() -> None:
    schema, _, _ = parsers()
    index = RamStorage().create_index(schema)
    with index.writer() as writer:
        writer.add_document(id="a", title="Armut 2016", body="Teilhabe", date_start=20160101,
                            date_end=20161231)  # fmt: skip
    with index.searcher() as searcher:
        terms = positive_terms(parse("Armut 2016"), searcher.reader())
    assert {field for field, _ in terms} == {"title", "person", "body"}
    assert ("title", "2016") in terms


# --------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------

# (filter arguments, message fragment), note.
BAD_FILTER_CASES = [
    ({"record_type": "blog"}, "unknown record type 'blog'", "not a record type"),
    ({"record_type": "News"}, "unknown record type 'News'", "record types are lower case"),
    ({"record_type": "Pressemitteilung"}, "unknown record type",
     "German names work in type: queries, not in the filter"),
    ({"date_from": "2023-13"}, "--from: not a date", "month 13"),
    ({"date_from": "2023-02-30"}, "--from: not a date", "30 February"),
    ({"date_to": "12.03.2024"}, "--to: not a date", "German date form"),
    ({"date_to": "gestern"}, "--to: not a date", "a word"),
    ({"date_from": "23"}, "--from: not a date", "two-digit year"),
    ({"date_from": "2024", "date_to": "2023"}, "--from 2024 is after --to 2023",
     "an empty range"),
    ({"date_from": "2023-12-02", "date_to": "2023-12-01"}, "is after", "one day apart"),
    ({"year": "zwanzig"}, "not a year: 'zwanzig'", "a word for a year"),
    ({"year": "2023.5"}, "not a year", "a fraction"),
]  # fmt: skip


@pytest.mark.parametrize(
    "arguments, message", [c[:2] for c in BAD_FILTER_CASES], ids=[c[2] for c in BAD_FILTER_CASES]
)
def test_bad_filters_raise(arguments: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        Filters(**arguments).validate()


# (filter arguments, structure of the filter query or None), note.
GOOD_FILTER_CASES = [
    ({}, None, "no filter: every record"),
    ({"date_from": "", "date_to": ""}, None, "empty dates are no filter"),
    ({"record_type": "news"}, ("Term", "type", "news"), "one type"),
    ({"date_from": "2023"}, ("NumericRange", "date_end", 20230101, None),
     "from a year: records ending on or after 1 January"),
    ({"date_to": "2024-02"}, ("NumericRange", "date_start", None, 20240229),
     "to a month: records starting by its last day (leap year)"),
    ({"date_from": "2023-10", "date_to": "2023"},
     ("And", ("NumericRange", "date_end", 20231001, None),
      ("NumericRange", "date_start", None, 20231231)),
     "a month inside its year is a valid range"),
    ({"date_from": "2023-12-31", "date_to": "2023-12"},
     ("And", ("NumericRange", "date_end", 20231231, None),
      ("NumericRange", "date_start", None, 20231231)),
     "the last day of the month 'to' is not after it"),
    ({"year": 2023}, ("NumericRange", "year", 2023, 2023), "a year as a number"),
    ({"year": "2023"}, ("NumericRange", "year", 2023, 2023), "a year as text"),
    ({"place": "Erfurt"}, ("Term", "place_facet", "Erfurt"), "a place, as displayed"),
    ({"person": "Anna Schmidt"}, ("Term", "person_facet", "Anna Schmidt"), "a person"),
    ({"category": "news_archiv"}, ("Term", "category", "news_archiv"), "a category"),
    ({"record_type": "event", "place": "Jena"},
     ("And", ("Term", "type", "event"), ("Term", "place_facet", "Jena")), "filters are ANDed"),
]  # fmt: skip


@pytest.mark.parametrize(
    "arguments, expected",
    [c[:2] for c in GOOD_FILTER_CASES],
    ids=[c[2] for c in GOOD_FILTER_CASES],
)
def test_good_filters(arguments: dict, expected) -> None:
    filters = Filters(**arguments)
    assert filters.validate() is filters
    built = filters.to_query()
    assert (None if built is None else shape(built)) == expected
