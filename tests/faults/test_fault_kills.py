"""A nightly SIGKILLed at random moments (crawl, store, index) leaves a sound store: SQLite's
integrity check says ok, no record or version stored before is lost, every record reads;
the next nightly then finishes over what the kills left, and the index agrees with the
store. ``python -m bench --faults`` does the same twenty times.

The moments come from ``IKPE_FAULT_SEED`` (random when unset); a failure names the seed.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from archive.config import DataDir
from archive.facade import Archive
from tests.faults.fault_kills import kill_moments, kill_nightly, store_state, timed_nightly
from tests.helpers import Replica

pytestmark = pytest.mark.e2e

KILLS = 3
SEED = int(os.environ.get("IKPE_FAULT_SEED") or random.randrange(10**6))
# The kills fall within this share of a second run's length (the first, uncached run with
# every record to build is far longer than the runs after it, and a kill after the end
# hits nothing), as python -m bench --faults does.
WINDOW_SHARE = 0.7


def test_a_nightly_killed_at_random_moments_leaves_a_sound_store(
    replica: Replica, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    code, _, stderr = timed_nightly(data_dir, replica.url)
    assert code == 0, stderr[-3000:]
    replica.switch(changed=True)
    code, duration, stderr = timed_nightly(data_dir, replica.url)
    assert code == 0, stderr[-3000:]
    before = store_state(data_dir / "archive.sqlite3")
    assert before.integrity == "ok" and len(before.versions) > 100

    outcomes = []
    moments = kill_moments(KILLS, duration * WINDOW_SHARE, SEED, start=0.05)
    for number, moment in enumerate(moments):
        replica.switch(changed=number % 2 == 1)  # every run has records to store anew
        log = tmp_path / f"kill-{number}.log"
        outcomes.append(kill_nightly(data_dir, replica.url, moment, log))
    assert all(outcome.sound for outcome in outcomes), (SEED, outcomes)
    assert sum(outcome.killed for outcome in outcomes) >= KILLS - 1, (SEED, outcomes)

    replica.switch(changed=True)
    code, _, stderr = timed_nightly(data_dir, replica.url)
    assert code == 0, (SEED, stderr[-3000:])
    after = store_state(data_dir / "archive.sqlite3")
    assert after.integrity == "ok" and not after.unreadable, SEED
    assert after.lost_since(before) == [], SEED
    with Archive(DataDir(data_dir)) as archive:
        health = archive.health()
    assert health["ok"] and health["index"]["records"] == health["store"]["records"], health
