"""Record validation: the fast compiled check and the detailed one agree on every record.

``archive.validation`` checks each record with ``jsonschema-rs`` and asks ``jsonschema`` for
the messages only when a record fails; these tests make sure the two never disagree.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import validation
from archive.records import build_record
from tests.helpers import citation_item

CITATION = "Fischer, J. (2019): Armut in Thüringen. Erfurt."


def _record() -> dict:
    return build_record(citation_item(CITATION))


def _set(path: tuple, value):
    def mutate(record: dict) -> None:
        node = record
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(key: str):
    return lambda record: record.pop(key)


# (mutation, the JSON pointer the report must name)
BROKEN = [
    (_set(("id",), "nope"), "/id"),
    (_set(("url",), "ftp://example.org/"), "/url"),
    (_set(("date",), "2019-13"), "/date"),
    (_set(("date",), "1899"), "/date"),
    (_set(("type",), "blog"), "/type"),
    (_set(("people",), "J. Fischer"), "/people"),
    (_set(("source", "sha256"), "xyz"), "/source/sha256"),
    (_set(("source", "fetched_at"), "gestern"), "/source/fetched_at"),
    (_set(("reference", "year"), "2019"), "/reference/year"),
    (_set(("schema_version",), "1"), "/schema_version"),
    (_set(("unexpected",), 1), "/"),
    (_delete("text"), "/"),
]


def test_a_built_record_is_valid() -> None:
    assert validation.problems(_record()) == []


@pytest.mark.parametrize(("mutate", "pointer"), BROKEN)
def test_a_broken_record_is_reported_with_its_path(mutate, pointer: str) -> None:
    record = _record()
    mutate(record)
    assert not validation._fast_validator().is_valid(record)
    found = validation.problems(record)
    assert found, record
    assert pointer in [problem.path for problem in found]
    assert not any("(jsonschema-rs)" in problem.message for problem in found)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_both_validators_agree_on_any_change(data) -> None:
    record = _record()
    node = record
    # Walk down to a random object in the record, then replace one of its values.
    while True:
        keys = [k for k, v in node.items() if isinstance(v, dict)]
        if not keys or data.draw(st.booleans()):
            break
        node = node[data.draw(st.sampled_from(keys))]
    key = data.draw(st.sampled_from(sorted(node)) | st.text(max_size=6))
    node[key] = data.draw(JSON_VALUES)
    fast = validation._fast_validator().is_valid(record)
    detailed = not list(validation._validator().iter_errors(record))
    assert fast == detailed
    assert (validation.problems(record) == []) == fast
