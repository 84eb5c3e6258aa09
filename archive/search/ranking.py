"""Relevance: BM25F over the fields, with a gentle boost for recent records.

A record's score is its BM25F score (title matches weigh ``FIELD_BOOSTS["title"]`` times
a body match, see ``archive.search.query``) multiplied by

    recency = 1 + RECENCY_BOOST * 0.5 ** (age_in_days / RECENCY_HALF_LIFE_DAYS)

where the age is counted from the first day of the record's date to today (records dated
in the future count as today). A record of today gets x1.25, one two years old x1.125, one
ten years old x1.008: among equally good matches the recent come first, but a much better
old match still beats a weak new one.
"""

from __future__ import annotations

from datetime import date

from whoosh.scoring import BM25F, BaseScorer

RECENCY_BOOST = 0.25
RECENCY_HALF_LIFE_DAYS = 730
RECENCY_COLUMN = "day"  # the field holding each record's first day as a date ordinal
MAX_RECENCY = 1 + RECENCY_BOOST


def recency_factor(day_ordinal: int, today_ordinal: int) -> float:
    """The multiplier of a record first dated ``day_ordinal`` when it is ``today_ordinal``."""
    age = max(0, today_ordinal - day_ordinal)
    return 1 + RECENCY_BOOST * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS)


class RecencyBM25F(BM25F):
    """BM25F whose term scores are multiplied by the record's recency factor."""

    def __init__(self, today: date | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.today = today
        self._factors: dict[tuple[str, int], list[float]] = {}

    def today_ordinal(self) -> int:
        """The day recency is counted from, as a date ordinal."""
        return (self.today or date.today()).toordinal()

    def _segment_factors(self, reader) -> list[float] | None:
        if not reader.has_column(RECENCY_COLUMN):
            return None
        segment = reader.segment()
        if segment is None:
            return None
        today = self.today_ordinal()
        key = (segment.segment_id(), today)
        factors = self._factors.get(key)
        if factors is None:
            if len(self._factors) > 64:  # segments come and go with updates and days
                self._factors.clear()
            column = reader.column_reader(RECENCY_COLUMN)
            factors = [recency_factor(int(day), today) for day in column]
            self._factors[key] = factors
        return factors

    def scorer(self, searcher, fieldname, text, qf=1):
        inner = super().scorer(searcher, fieldname, text, qf=qf)
        factors = self._segment_factors(searcher.reader())
        return inner if factors is None else RecencyScorer(inner, factors)


class RecencyScorer(BaseScorer):
    """Wraps a term scorer; keeps its block-quality bounds valid (times the largest factor)."""

    def __init__(self, inner: BaseScorer, factors: list[float]) -> None:
        self.inner = inner
        self.factors = factors

    def supports_block_quality(self) -> bool:
        return self.inner.supports_block_quality()

    def score(self, matcher) -> float:
        return self.inner.score(matcher) * self.factors[matcher.id()]

    def max_quality(self) -> float:
        return self.inner.max_quality() * MAX_RECENCY

    def block_quality(self, matcher) -> float:
        return self.inner.block_quality(matcher) * MAX_RECENCY
