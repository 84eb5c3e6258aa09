"""Record workers: real worker processes, fed in batches, give each item its own outcome."""

from __future__ import annotations

import asyncio
import copy

import pytest

from crawler import record_workers
from crawler.normalise import normalise_item
from crawler.record_workers import RecordWorkers
from tests.helpers import citation_item

CITATIONS = [
    "Fischer, J. (2019): Armut in Thüringen. Erfurt.",
    "Leipziger Volkszeitung (Altenburger Land), 09.02.2024: „Fast jeder Dritte hat mitgemacht“",
    "??? ohne Jahr und Form ???",
]


def _item(number: int) -> dict:
    return citation_item(f"{CITATIONS[number % len(CITATIONS)]} ({number})")


def _invalid_item() -> dict:
    item = _item(0)
    del item["source"]  # its record breaks the schema: the outcome says where
    return item


async def _normalise_all(workers: RecordWorkers, items: list[dict]) -> list[dict]:
    return await asyncio.gather(*(workers.normalise(item) for item in items))


def _run(max_workers: int, items: list[dict]) -> tuple[list[dict], int]:
    workers = RecordWorkers(max_workers, "/nonexistent")
    try:
        outcomes = asyncio.run(_normalise_all(workers, items))
    finally:
        workers.close()
    return outcomes, workers.started


def test_each_item_gets_its_own_outcome_in_order() -> None:
    items = [_item(n) for n in range(7)] + [_invalid_item()] + [_item(n) for n in range(7, 12)]
    outcomes, started = _run(2, copy.deepcopy(items))
    expected = [normalise_item(item, "/nonexistent") for item in items]
    assert [o.get("record") for o in outcomes] == [e.get("record") for e in expected]
    assert "/source/sha256" in [path for path, _message in outcomes[7]["problems"]]
    assert all("record" in o for i, o in enumerate(outcomes) if i != 7)
    assert started == 1  # a dozen items never make a backlog


def test_a_backlog_starts_a_second_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record_workers, "GROW_BACKLOG", 20)
    items = [_item(n) for n in range(200)]
    outcomes, started = _run(2, items)
    assert len(outcomes) == 200 and all("record" in o for o in outcomes)
    assert [o["record"]["reference"]["raw"] for o in outcomes] == [
        i["publication"]["raw"] for i in items
    ]
    assert started == 2


def test_never_more_workers_than_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(record_workers, "GROW_BACKLOG", 0)
    outcomes, started = _run(1, [_item(n) for n in range(120)])
    assert len(outcomes) == 120 and started == 1


def test_at_least_one_worker() -> None:
    with pytest.raises(ValueError):
        RecordWorkers(0, "/nonexistent")
