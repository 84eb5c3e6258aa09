"""Multi-select facet filters and disjunctive facet counts of ``archive.search``.

Several values of one facet are ORed, facets are ANDed; a facet with a selection is
counted under the other filters only. A plain string (the older form) still works.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from archive.search import QueryError, SearchIndex
from archive.search.filters import Filters
from tests.helpers import small_record

TODAY = date(2025, 1, 1)


def _record(record_id: str, record_type: str, day: str, places: list[str], **extra) -> dict:
    return small_record(
        record_id, f"Bericht {record_id}", "Ein Bericht über Sozialplanung.",
        type=record_type, date=day, places=places, **extra,
    )  # fmt: skip


RECORDS = [
    _record("wp-1", "news", "2023-03-01", ["Erfurt"], people=["Anna Schmidt"]),
    _record("wp-2", "news", "2023-06-01", ["Jena"]),
    _record("wp-3", "press_release", "2024-01-10", ["Erfurt"], people=["Anna Schmidt"]),
    _record("wp-4", "event", "2024-05-05", ["Gotha"]),
    _record("wp-5", "press_release", "2022-02-02", ["Jena", "Erfurt"]),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("index"), today=TODAY)
    index.rebuild(RECORDS)
    yield index
    index.close()


def _ids(result) -> set[str]:
    return {hit.id for hit in result.hits}


SELECTIONS = [
    ({"record_type": "news"}, {"wp-1", "wp-2"}),
    ({"record_type": ["news"]}, {"wp-1", "wp-2"}),
    ({"record_type": ["news", "event"]}, {"wp-1", "wp-2", "wp-4"}),
    ({"place": ["Jena", "Gotha"]}, {"wp-2", "wp-4", "wp-5"}),
    ({"place": ["Jena", "Gotha"], "record_type": "news"}, {"wp-2"}),
    ({"year": [2022, "2024"]}, {"wp-3", "wp-4", "wp-5"}),
    ({"year": 2023}, {"wp-1", "wp-2"}),
    ({"year": ["2023"], "place": "Erfurt"}, {"wp-1"}),
    ({"person": ["Anna Schmidt"], "record_type": ["press_release"]}, {"wp-3"}),
    ({"record_type": [], "place": ""}, {"wp-1", "wp-2", "wp-3", "wp-4", "wp-5"}),
    ({"place": ["Erfurt"], "date_from": "2023-06"}, {"wp-3"}),
]


@pytest.mark.parametrize(("filters", "expected"), SELECTIONS)
def test_values_of_a_facet_are_ored_and_facets_anded(index, filters, expected) -> None:
    assert _ids(index.search("Bericht", limit=50, **filters)) == expected


def test_counts_of_a_selected_facet_leave_its_own_selection_out(index) -> None:
    result = index.search("Bericht", record_type=["news"], place="Erfurt")
    # type is counted under place=Erfurt only: the other types show what they would add
    assert dict(result.facets["type"]) == {"news": 1, "press_release": 2}
    # place is counted under type=news only
    assert dict(result.facets["place"]) == {"Erfurt": 1, "Jena": 1}
    # a facet without a selection is counted over the matches of every filter
    assert dict(result.facets["year"]) == {"2023": 1}
    assert result.total == 1


def test_selected_values_are_listed_even_without_matches(index) -> None:
    result = index.search("Bericht", place=["Gotha"], record_type="news")
    assert result.total == 0
    assert dict(result.facets["place"]) == {"Erfurt": 1, "Jena": 1, "Gotha": 0}
    assert dict(result.facets["type"]) == {"event": 1, "news": 0}


def test_without_selection_counts_are_unchanged(index) -> None:
    result = index.search("Bericht")
    assert dict(result.facets["type"]) == {"news": 2, "press_release": 2, "event": 1}
    assert sum(dict(result.facets["type"]).values()) == result.total


@pytest.mark.parametrize(
    "filters",
    [{"record_type": ["news", "blog"]}, {"year": [2023, "zwanzig"]}],
)
def test_every_selected_value_is_validated(index, filters) -> None:
    with pytest.raises(QueryError):
        index.search("Bericht", **filters)


def test_filters_stay_hashable_and_compare_by_value() -> None:
    assert Filters(place=["Jena", "Erfurt"]) == Filters(place=("Jena", "Erfurt"))
    assert hash(Filters(place=["Jena"])) == hash(Filters(place=("Jena",)))
    assert Filters(record_type="news").record_type == "news"  # the old form is kept
    assert Filters(year=[2023, 2024]).values("year") == ("2023", "2024")
    assert Filters(place=["Jena"], year=2023).without("place") == Filters(year=2023)
    assert Filters(place=["Jena"], year=2023).selected_facets() == ("year", "place")


def test_empty_query_with_selections(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index", today=TODAY)
    index.rebuild(RECORDS)
    result = index.search("", record_type=["event", "news"], sort="date", limit=10)
    assert [hit.id for hit in result.hits] == ["wp-1", "wp-2", "wp-4"]
    assert dict(result.facets["type"]) == {"news": 2, "press_release": 2, "event": 1}
    index.close()


@pytest.mark.parametrize("seed", range(5))
def test_most_common_values_are_those_sorting_counts_gives(seed: int) -> None:
    """The facet's top values from the arrays, against sorting every count in Python
    (most first, equal counts by name), with many ties and a value no document has."""
    import numpy as np

    from archive.search.views import FacetValues

    rng = np.random.default_rng(seed)
    names = tuple(sorted({f"Person {chr(65 + i % 26)}{i:03d}" for i in range(300)} | {"Ä", "ß"}))
    docs = rng.integers(0, 500, size=2000)
    codes = rng.integers(0, len(names) - 1, size=2000)  # the last name: no document
    values = FacetValues(names, docs, codes)
    mask = rng.random(500) < 0.5
    counted = values.counted(mask)
    counts = values.counts(counted)
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert values.most_common(counted, 20) == expected[:20]
    assert values.most_common(counted, 10_000) == expected
    assert [values.count_of(counted, name) for name in names] == [counts.get(n, 0) for n in names]
    assert values.count_of(counted, "nobody") == 0
