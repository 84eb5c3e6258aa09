"""Dates in a query: a year (``2016``), or a German month and a year (``März 2024``,
``Jan. 2020``), among a query's plain words is a preference, not a required word.

:func:`query_dates` finds them in the query text (not in phrases, fields or exclusions, and
not in queries with ``OR`` or parentheses, where taking a word out would change what the
rest means); ``archive.search.query`` then requires the other words and adds, as an
optional part (Whoosh's ``AndMaybe``), what the date may match: its words in the text
(:func:`date_alternatives`), or the record's date (:class:`DateClause`, a constant score,
``DATE_PREFERENCE_SCORE``, for every record whose date range overlaps the year or month).
``archive.search.vectors`` evaluates a date clause over the index's date columns.
"""

from __future__ import annotations

import re

from whoosh import query

from archive.search.analysis import fold
from archive.search.documents import date_range, day_number

# Years a bare four-digit number in a query is taken for (beyond them it is a number).
DATE_YEARS = range(1900, 2100)
# What a date in a query adds to the score of a record dated then: about the score of a
# strong title match (BM25F scores of the archive's hits run from 1 to about 40), so
# records dated then come first unless another matches far better.
DATE_PREFERENCE_SCORE = 25.0
# German month names and abbreviations (``Jänner``, ``Feber``: Austrian): the words of
# archive.dates.tables.MONTHS, folded (a copy: the search side does not load the date
# rules; tests/unit/archive/test_search_query_dates.py keeps the two equal).
MONTHS = {
    **dict.fromkeys(("januar", "janner", "jan"), 1),
    **dict.fromkeys(("februar", "feber", "febr", "feb"), 2),
    **dict.fromkeys(("marz", "mrz", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "mai": 5,
    **dict.fromkeys(("juni", "jun"), 6),
    **dict.fromkeys(("juli", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "okt"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("dezember", "dez"), 12),
}
_YEAR_WORD = re.compile(r"\d{4}")
_MONTH_WORD = re.compile(r"(\w+)\.?")
# Queries where taking a year out of the required words would change what the rest means.
_NO_DATE_PREFERENCE = re.compile(r"[()]|(?<!\S)(?:OR|ODER)(?!\S)")
_NEGATIONS = frozenset({"NOT", "NICHT", "ANDNOT"})
# A year before ANDNOT is its left operand: taken out of the query, the operator would
# lose it and be dropped, and ``2016 ANDNOT Armut`` would require Armut. (A year beside
# AND or UND may go: AND is what words are joined by anyway.)
_EXCLUDES_NEXT = frozenset({"ANDNOT"})
_TOKEN = re.compile(r"\S+")  # the query's words, as ``archive.search.query`` counts them


class DateClause(query.ConstantScoreQuery):
    """Records whose date overlaps the days ``first``..``last`` (``YYYYMMDD``), each scored
    ``score``: Whoosh runs it as a constant-score range query over ``date_end`` and
    ``date_start``, ``archive.search.vectors`` over their columns."""

    boost = 1.0  # a constant score takes no boost (Whoosh's Or reads one when flattening)

    def __init__(self, first: int, last: int, score: float = DATE_PREFERENCE_SCORE) -> None:
        child = query.And(
            [
                query.NumericRange("date_end", first, None),
                query.NumericRange("date_start", None, last),
            ]
        )
        super().__init__(child, score)
        self.first = first
        self.last = last

    def _rewrap(self, child) -> DateClause:
        return DateClause(self.first, self.last, self.score)

    def __repr__(self) -> str:
        return f"DateClause({self.first}, {self.last}, score={self.score})"


def query_dates(text: str) -> tuple[list[tuple[str, str]], str]:
    """The dates among the plain words of ``text`` as (words, partial ISO date), and the
    text without them. ``"März 2024 Armut"`` -> ``([("März 2024", "2024-03")], " Armut")``.
    """
    if _NO_DATE_PREFERENCE.search(text):
        return [], text
    found: list[tuple[str, str]] = []
    cut: list[tuple[int, int]] = []
    tokens = list(_TOKEN.finditer(text))
    for number, token in enumerate(tokens):
        word = token.group(0)
        if not _YEAR_WORD.fullmatch(word) or int(word) not in DATE_YEARS:
            continue
        if text.count('"', 0, token.start()) % 2:
            continue  # inside a phrase
        start, when = token.start(), word
        before = tokens[number - 1] if number else None
        if before is not None and (not cut or cut[-1][1] <= before.start()):
            month = _MONTH_WORD.fullmatch(before.group(0))
            if month and fold(month.group(1)) in MONTHS:
                when = f"{word}-{MONTHS[fold(month.group(1))]:02d}"
                start = before.start()
                before = tokens[number - 2] if number > 1 else None
        after = tokens[number + 1] if number + 1 < len(tokens) else None
        if before is not None and before.group(0) in _NEGATIONS:
            continue
        if after is not None and after.group(0) in _EXCLUDES_NEXT:
            continue
        found.append((text[start : token.end()], when))
        cut.append((start, token.end()))
    rest = text
    for start, end in reversed(cut):
        rest = rest[:start] + rest[end:]
    return found, rest


def date_alternatives(
    words: str, when: str, schema, field_boosts: dict[str, float]
) -> list[query.Query]:
    """What a date's words may match: each word in the fields of words without a field (as
    the parser looks it up, analysed, with ``field_boosts``), all of them; or the record's
    date. ``schema`` is the index's (its analyzers).
    Built here rather than parsed: Whoosh's parser and ``normalize`` cost a millisecond."""
    per_word: list[query.Query] = []
    for word in _TOKEN.findall(words):
        terms = [
            query.Term(fieldname, token.text, boost=boost)
            for fieldname, boost in field_boosts.items()
            for token in schema[fieldname].analyzer(word, mode="query")
        ]
        if terms:
            per_word.append(terms[0] if len(terms) == 1 else query.Or(terms))
    first, last = date_range(when)
    clause = DateClause(day_number(first), day_number(last))
    if not per_word:
        return [clause]
    if len(per_word) == 1:
        text = per_word[0]
        return [*(text.subqueries if isinstance(text, query.Or) else [text]), clause]
    return [query.And(per_word), clause]
