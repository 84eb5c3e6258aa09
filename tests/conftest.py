"""Fixtures for every test, and the ``e2e`` marker.

Tests under ``tests/e2e/`` start processes (the replica, the CLI, a crawl, a browser)
and are marked ``e2e`` here, so ``pytest -m "not e2e"`` runs the rules alone, in
seconds. Helpers shared by test files live in ``tests/helpers.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import Replica

E2E_DIR = Path(__file__).resolve().parent / "e2e"
BROWSER_DIR = E2E_DIR / "browser"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: starts processes (replica, CLI, crawl, browser); slower"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)
    # The browser tests run last: Playwright's sync API marks an asyncio loop as running in
    # the main thread until the session's browser stops, and asyncio.run() (the record
    # workers' tests) refuses to start inside a running loop.
    items.sort(key=lambda item: Path(str(item.fspath)).resolve().is_relative_to(BROWSER_DIR))


@pytest.fixture(scope="session")
def replica_server() -> Iterator[Replica]:
    """One replica for the whole session; tests that switch things use ``replica``."""
    server = Replica()
    yield server
    server.stop()


@pytest.fixture
def replica(replica_server: Replica) -> Iterator[Replica]:
    """The session's replica, reset to its defaults before and after the test."""
    replica_server.reset()
    yield replica_server
    replica_server.reset()


@pytest.fixture
def change_rules(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """The record rules read from a copy of ``archive/`` (the same bytes, so the same
    version); calling the fixture's value changes a rule file in the copy, as a new
    release would, and the rules' version with it."""
    from archive import rules

    copy = tmp_path_factory.mktemp("rules") / "archive"
    shutil.copytree(rules.ARCHIVE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(rules, "ARCHIVE_DIR", copy)
    rules.rules_version.cache_clear()

    def change() -> None:
        gazetteer = copy / "gazetteer.py"
        gazetteer.write_text(gazetteer.read_text(encoding="utf-8") + "\n# Gotha\n", "utf-8")
        rules.rules_version.cache_clear()

    yield change
    rules.rules_version.cache_clear()  # computed again from the real sources
