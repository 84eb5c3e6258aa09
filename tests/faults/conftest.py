"""Fixtures of the fault suite: the hostile archive (the hostile site crawled for real,
built once per session) and the web app over it, instrumented for fuzzing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search_app.web.app import create_app
from tests.faults.fault_data import HostileArchive, build_hostile_archive
from tests.faults.fault_fuzz import FuzzTarget, make_target


@pytest.fixture(scope="session")
def hostile_archive(tmp_path_factory) -> HostileArchive:
    """The hostile site's payload posts crawled, indexed, with a second version and a
    saved press review (``tests/faults/fault_data.py``)."""
    return build_hostile_archive(tmp_path_factory.mktemp("faults") / "data")


@pytest.fixture(scope="module")
def fuzz_target(hostile_archive: HostileArchive) -> Iterator[FuzzTarget]:
    """The web app over the hostile archive, noting what each request reached."""
    app = create_app({"TESTING": True, "DATA_DIR": str(hostile_archive.root)})
    yield make_target(app, hostile_archive)
    app.extensions["ikpe_archive"].close()
