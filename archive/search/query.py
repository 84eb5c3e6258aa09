"""The query language: parsing, bounds, and the terms a query may match.

Query syntax (Whoosh's parser, configured):

- words are ANDed: ``Armut Teilhabe``; ``OR``/``ODER`` between words; ``AND``/``UND``;
- ``"phrases"`` (outside ``title:``/``person:``/``place:``, a phrase is looked up as its
  adjacent word pairs: exact for two words; longer phrases match records holding every
  pair of the phrase);
- exclusion with ``-word``, ``NOT word`` or ``NICHT word``;
- ``prefix*`` (at least ``MIN_WILDCARD_PREFIX`` letters before the star);
- fields ``title:`` (``titel:``), ``person:`` (``autor:``), ``place:`` (``ort:``), ``type:``
  (``typ:``; German type names work: ``type:Pressemitteilung``), ``text:`` (everything but
  title and people), ``year:2023`` and ranges ``year:[2020 TO 2022]``;
- an empty query matches every record;
- a **year** among the plain words (``2016 Präventionsketten``), optionally after a German
  month (``März 2024``, ``Jan. 2020``), is a preference, not a requirement: the other
  words must match, and records dated then (their date overlapping that year or month)
  or holding the words in their text come first (``querydates.DATE_PREFERENCE_SCORE`` is
  added to their score). A query of nothing but dates finds the records dated then or mentioning
  them. What was understood is handed back (``ParsedQuery.dates``, the search result's
  ``understood_dates``) so that a user interface can offer it as a filter. Dates inside
  quotes, in fields (``year:2016``), excluded, or in queries with ``OR``/parentheses stay
  plain words;
- gender forms with a star, colon, slash or underscore (``Sozialplaner*innen``,
  ``Planer:in``) are searched as the joined word, which the analysis takes to its base.

A query that Whoosh cannot make sense of falls back to its plain words ANDed: a query never
raises. The filters beside a query live in ``archive.search.filters``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from whoosh import qparser, query
from whoosh.analysis import Filter, IDTokenizer, LowercaseFilter

from archive.search.analysis import pair_terms
from archive.search.querydates import DateClause, date_alternatives, query_dates
from archive.search.results import UnderstoodDate

logger = logging.getLogger(__name__)

# Fields searched by words without a field, with their weights: title matches count most.
# ``body`` holds text, summary, attachments, citation, organisations and places.
FIELD_BOOSTS = {"title": 4.0, "person": 2.0, "body": 1.0}
PAIRS_FIELD = "pairs"  # adjacent word pairs of title and body: phrases look these up
# Field names users may write, in German too.
FIELD_ALIASES = {
    "title": ["titel"],
    "person": ["people", "autor", "autorin"],
    "place": ["places", "ort"],
    "type": ["typ"],
    "year": ["jahr"],
    "body": ["text", "volltext"],
}
# German names of record types, usable in ``type:`` queries.
TYPE_ALIASES = {
    "nachricht": "news",
    "nachrichten": "news",
    "meldung": "news",
    "pressemitteilung": "press_release",
    "pressemitteilungen": "press_release",
    "pm": "press_release",
    "veranstaltung": "event",
    "veranstaltungen": "event",
    "termin": "event",
    "termine": "event",
    "publikation": "publication",
    "publikationen": "publication",
    "veroffentlichung": "publication",
    "veröffentlichung": "publication",
    "presse": "press_coverage",
    "presseschau": "press_coverage",
    "seite": "page",
}
SORTS = ("relevance", "date", "-date")
MIN_WILDCARD_PREFIX = 2  # ``a*`` would expand to half the lexicon
# Whoosh's query tagger tries its patterns at every position of a word, so its cost grows
# with the square of a word's length (a 10,000-letter word took 0.9 s, 70,000 letters a
# minute), and every word is looked up in three fields. Real queries are far below these
# bounds: longer ones are cut at the last whole word before them (see ``bound_query``).
MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 32
# Words with a wildcard per query: each may stand for up to ``vectors.MAX_EXPANDED_TERMS``
# words in each field. Further ones are searched as written, without their wildcards.
MAX_WILDCARDS = 4
OPERATORS = {
    "And": r"(?<=\s)(?:AND|UND)(?=\s)",
    "Or": r"(?<=\s)(?:OR|ODER)(?=\s)",
    "AndNot": r"(?<=\s)ANDNOT(?=\s)",
    "AndMaybe": None,
    "Not": r"(^|(?<=[\s(]))(?:NOT|NICHT)(?=\s)|(^|(?<=[\s(]))-(?=[\w\"(])",
}
OPERATOR_WORDS = frozenset({"AND", "UND", "OR", "ODER", "NOT", "NICHT", "ANDNOT"})
_FIELD_NAMES = sorted(
    {*FIELD_BOOSTS, *FIELD_ALIASES, *(a for aliases in FIELD_ALIASES.values() for a in aliases)},
    key=len,
    reverse=True,
)
_FIELD_PATTERN = "|".join(_FIELD_NAMES)
_WORD_OR_FIELD = re.compile(rf"(?P<field>\b(?:{_FIELD_PATTERN}):)|\w+", re.IGNORECASE)
_EMPTY_FIELD = re.compile(rf"\b(?:{_FIELD_PATTERN}):(?=\s|$|\(\s*\))", re.IGNORECASE)
# Lone surrogates (from undecodable bytes, or a broken client) cannot be encoded to UTF-8,
# which Whoosh does with every term; control characters mean nothing in a query.
_UNENCODABLE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_QUERY_WORD = re.compile(r"\S+")
# Field names as Germans write them (``Titel:``, ``Ort:``) are field names too.
_FIELD_PREFIX = re.compile(rf"\b(?:{_FIELD_PATTERN}):", re.IGNORECASE)
# A phrase of one word is that word: Whoosh's parser would make it a term without the
# field boosts (title 4x, person 2x).
_ONE_WORD_PHRASE = re.compile(r'"(\w+)"')
# An operator with nothing on one side joins nothing: "OR Armut", "Armut AND" mean "Armut"
# (a leading NOT/NICHT does mean something and stays).
_DANGLING_OPERATORS = re.compile(
    r"^(?:\s*\b(?:AND|UND|OR|ODER|ANDNOT)\b)+(?=\s|$)"
    r"|(?:(?<=\s)(?:AND|UND|OR|ODER|ANDNOT|NOT|NICHT)\s*)+$"
)


# ``Sozialplaner*innen``, ``Planer:in``, ``Planer/-innen``, ``Planer_innen``.
_GENDER_FORM = re.compile(r"\b(\w{3,}?)(?:\*|:|/-?|_)(innen|in)\b", re.IGNORECASE)


class QueryError(ValueError):
    """A search request that cannot be run as asked (a bad date, sort or page)."""


class TypeAliasFilter(Filter):
    """Maps German type names to record types (``Pressemitteilung`` -> ``press_release``)."""

    def __call__(self, tokens):  # Whoosh protocol
        for token in tokens:
            token.text = TYPE_ALIASES.get(token.text, token.text)
            yield token


def type_analyzer():
    """The analyzer of the type field: the whole value, lower case, aliases resolved."""
    return IDTokenizer() | LowercaseFilter() | TypeAliasFilter()


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query and the dates it was understood to prefer."""

    query: query.Query
    dates: tuple[UnderstoodDate, ...] = ()


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------


def build_parser(schema) -> qparser.QueryParser:
    """The parser of researchers' queries over ``schema``."""
    parser = qparser.MultifieldParser(list(FIELD_BOOSTS), schema, fieldboosts=FIELD_BOOSTS)
    parser.remove_plugin_class(qparser.SingleQuotePlugin)
    parser.replace_plugin(qparser.OperatorsPlugin(**OPERATORS))
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    return parser


def build_fallback_parser(schema) -> qparser.QueryParser:
    """The parser of plain words: no operators, fields, phrases or wildcards."""
    parser = qparser.MultifieldParser(
        list(FIELD_BOOSTS), schema, fieldboosts=FIELD_BOOSTS, plugins=[]
    )
    for plugin_class in (
        qparser.FieldsPlugin,
        qparser.WildcardPlugin,
        qparser.PhrasePlugin,
        qparser.RangePlugin,
        qparser.GroupPlugin,
        qparser.OperatorsPlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
        qparser.SingleQuotePlugin,
    ):
        parser.remove_plugin_class(plugin_class)
    return parser


def clean_query(text: str) -> str:
    """``text`` as a query may hold it: lone surrogates and control characters become
    spaces (word separators), and the whole is bounded by ``bound_query``."""
    return bound_query(_CONTROL.sub(" ", _UNENCODABLE.sub(" ", str(text))))


def bound_query(text: str) -> str:
    """``text`` cut to at most ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_WORDS``
    words, at the end of the last whole word that fits (a single overlong word is cut
    at the limit)."""
    words = list(_QUERY_WORD.finditer(text))
    end = len(text)
    if len(words) > MAX_QUERY_WORDS:
        end = words[MAX_QUERY_WORDS - 1].end()
    if end > MAX_QUERY_CHARS:
        fitting = [word for word in words if word.end() <= MAX_QUERY_CHARS]
        end = fitting[-1].end() if fitting else MAX_QUERY_CHARS
    return text[:end]


def is_bounded(text: str) -> bool:
    """True when ``bound_query`` leaves ``text`` as it is (the CLI warns otherwise)."""
    return bound_query(text) == text


def parse_query(text: str, parser, fallback_parser) -> query.Query:
    """The query for ``text``: parsed with the full syntax, else as plain words.

    Never raises. An empty text gives :class:`whoosh.query.Every`; text without any word
    gives a query that matches nothing. The text is cleaned and bounded (``clean_query``).
    Years (and months) among the plain words are preferences (see the module's docstring).
    """
    return parse_search(text, parser, fallback_parser).query


def parse_search(text: str, parser, fallback_parser) -> ParsedQuery:
    """:func:`parse_query`'s query and the dates it prefers (never raises)."""
    text = _ONE_WORD_PHRASE.sub(r"\1", _DANGLING_OPERATORS.sub("", clean_query(text)))
    text = _FIELD_PREFIX.sub(lambda match: match.group(0).lower(), text)
    text = _GENDER_FORM.sub(_joined_gender_form, text)
    dates, rest = query_dates(text)
    if not dates:
        return ParsedQuery(_parse(text, parser, fallback_parser))
    preference = query.Or(
        [
            alternative
            for words, when in dates
            for alternative in date_alternatives(words, when, fallback_parser.schema, FIELD_BOOSTS)
        ]
    )
    rest = _DANGLING_OPERATORS.sub("", rest.strip())
    remaining = _parse(rest, parser, fallback_parser)
    if isinstance(remaining, query.Every) or not plain_words(rest):  # nothing but dates
        combined = preference
    elif isinstance(remaining, query.Not):  # nothing but exclusions: dates are the matches
        combined = query.And([preference, remaining])
    else:
        combined = query.AndMaybe(remaining, preference)
    understood = tuple(UnderstoodDate(words, when) for words, when in dates)
    return ParsedQuery(combined, understood)


def _joined_gender_form(match: re.Match) -> str:
    if match.group(1).lower() in _FIELD_NAMES:
        return match.group(0)  # ``titel:in`` is a field and a word
    return match.group(1) + match.group(2)


def _parse(text: str, parser, fallback_parser) -> query.Query:
    """``text`` parsed with the full syntax, else as plain words (never raises)."""
    if not text.strip() or text.strip() == "*":
        return query.Every()
    parsed = None
    if not _looks_malformed(text):
        try:
            parsed = _phrases_as_pairs(_tame_wildcards(parser.parse(text))).normalize()
        except Exception:  # Whoosh's parser raises many kinds; the user gets plain words
            parsed = None
    if parsed is None or _is_broken(parsed):
        logger.info("query %r did not parse; searching its plain words", text)
        plain = plain_words(text)
        if not plain:
            return query.NullQuery
        try:
            parsed = fallback_parser.parse(" ".join(plain)).normalize()
        except Exception:  # pragma: no cover - the plain parser has nothing to fail on
            return query.NullQuery
    return parsed


def plain_words(text: str) -> list[str]:
    """The words of a query without its syntax: operators and field names dropped."""
    return [
        match.group(0)
        for match in _WORD_OR_FIELD.finditer(text)
        if not match.group("field") and match.group(0) not in OPERATOR_WORDS
    ]


def _looks_malformed(text: str) -> bool:
    """Unbalanced quotes or parentheses, or a field name with nothing after it."""
    if text.count('"') % 2:
        return True
    depth = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth < 0:
            return True
    return depth != 0 or bool(_EMPTY_FIELD.search(text))


def _is_broken(parsed: query.Query) -> bool:
    if parsed is query.NullQuery or getattr(parsed, "error", None):
        return True
    return any(getattr(node, "error", None) for node in parsed.leaves())


def _phrases_as_pairs(parsed: query.Query) -> query.Query:
    """Phrases in the body (which keeps no positions) become lookups of their word pairs."""

    def visit(node: query.Query) -> query.Query:
        if isinstance(node, query.Phrase) and node.fieldname == "body":
            terms = [str(word) for word in node.words]
            if len(terms) == 1:
                return query.Term("body", terms[0], boost=node.boost)
            pairs = [query.Term(PAIRS_FIELD, pair) for pair in pair_terms(terms)]
            return pairs[0].with_boost(node.boost) if len(pairs) == 1 else query.And(pairs)
        return node

    return parsed.accept(visit)


def _tame_wildcards(parsed: query.Query) -> query.Query:
    """Wildcards with too short a literal prefix, and those past the first
    ``MAX_WILDCARDS`` words with one, become plain terms."""
    seen: list[str] = []

    def visit(node: query.Query) -> query.Query:
        if isinstance(node, (query.Prefix, query.Wildcard)):
            literal = str(node.text).split("*")[0].split("?")[0]
            if str(node.text) not in seen:
                seen.append(str(node.text))  # one word is a node in each of three fields
            if len(literal) < MIN_WILDCARD_PREFIX or seen.index(str(node.text)) >= MAX_WILDCARDS:
                stripped = str(node.text).replace("*", "").replace("?", "")
                if not stripped:
                    return query.NullQuery
                return query.Term(node.fieldname, stripped, boost=node.boost)
        return node

    return parsed.accept(visit)


def positive_terms(parsed: query.Query, reader) -> set[tuple[str, str]]:
    """The (field, term) pairs a matching record may contain: excluded terms left out,
    prefixes and wildcards expanded against the index."""

    def drop_negations(node: query.Query) -> query.Query:
        if isinstance(node, (query.Not, DateClause)):  # a date clause holds no words
            return query.NullQuery
        if isinstance(node, query.AndNot):
            return node.a
        return node

    positive = parsed.accept(drop_negations)
    terms: set[tuple[str, str]] = set()
    # Query.existing_terms() would do, but it skips every field after the first one.
    for leaf in positive.leaves():
        try:
            expanded = leaf.expanded_terms(reader, phrases=True)
        except Exception:  # a query kind without terms
            continue
        for fieldname, text in expanded:
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            if isinstance(text, str):
                terms.add((fieldname, text))
    return terms
