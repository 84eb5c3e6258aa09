"""A nightly killed (SIGKILL, its whole process group, as the OOM killer or a power cut
would leave it) at a random moment, and the store checked afterwards: SQLite's
``integrity_check`` says ok, every record stored before is still there, no version is
lost, and every record's JSON still parses.

The moments are drawn from a seeded ``random.Random`` and spread over the length of a
whole run from its crawl's start (kill ``i`` of ``n`` falls in the ``i``-th ``n``-th of
it), so crawl, store and index are each hit over a few kills; the seed is in every
failure message.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tests.helpers import PROJECT_ROOT


@dataclass(frozen=True)
class StoreState:
    """What the store holds: each record's current version and how many versions it has."""

    integrity: str
    versions: dict[str, tuple[int, int]]  # id -> (current version, stored versions)
    unreadable: tuple[str, ...] = ()  # ids whose JSON does not parse

    def lost_since(self, before: StoreState) -> list[str]:
        """Ids stored ``before`` that are gone, or have fewer versions now."""
        return sorted(
            record_id
            for record_id, (version, count) in before.versions.items()
            if record_id not in self.versions
            or self.versions[record_id][0] < version
            or self.versions[record_id][1] < count
        )


def store_state(store: Path) -> StoreState:
    """Open the store as the next run would (a killed run's WAL is recovered) and read it."""
    db = sqlite3.connect(store, timeout=30)
    try:
        integrity = "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
        counts = dict(db.execute("SELECT id, COUNT(*) FROM versions GROUP BY id"))
        versions, unreadable = {}, []
        for record_id, version, data in db.execute("SELECT id, version, json FROM records"):
            versions[record_id] = (version, counts.get(record_id, 0))
            try:
                json.loads(data)
            except ValueError:
                unreadable.append(record_id)
    finally:
        db.close()
    return StoreState(integrity, versions, tuple(unreadable))


def progress(data_dir: Path) -> tuple:
    """How far the nightlies got: crawls begun, bytes journaled, the last time a record
    was seen (stored or touched), crawls finished, the index's generation and watermark.
    Compared before and after a kill, they say what it hit."""
    db = sqlite3.connect(data_dir / "archive.sqlite3", timeout=30)
    try:
        begun, finished = db.execute("SELECT COUNT(*), COUNT(finished_at) FROM crawls").fetchone()
        last_seen = db.execute("SELECT MAX(last_seen) FROM records").fetchone()[0]
    finally:
        db.close()
    journaled = sum(path.stat().st_size for path in (data_dir / "items").glob("*.jsonl"))
    index = tuple(
        (data_dir / "index" / name).read_text(errors="replace")
        for name in ("CURRENT", "store-watermark")
        if (data_dir / "index" / name).is_file()
    )
    return begun, journaled, last_seen, finished, index


def phase_hit(before: tuple, after: tuple) -> str:
    """What a killed run (killed after its crawl began) had reached: ``crawl`` (nothing
    stored yet: a resumed crawl skips what it journaled), ``store`` (records stored),
    ``index`` (the crawl finished: the index update or the report)."""
    _, _, last_seen, finished, index = (a != b for a, b in zip(before, after, strict=True))
    if finished or index:
        return "index"
    return "store" if last_seen else "crawl"


@dataclass
class KillOutcome:
    """One kill: when, what the run was doing (its last log line, the phase it had
    reached), what the store says."""

    moment: float
    killed: bool  # False when the run ended before the moment came
    last_line: str
    phase: str = ""
    integrity: str = ""
    lost: list[str] = field(default_factory=list)
    unreadable: tuple[str, ...] = ()

    @property
    def sound(self) -> bool:
        """The store survived: integrity ok, nothing lost, every record readable."""
        return self.integrity == "ok" and not self.lost and not self.unreadable


def nightly_command(data_dir: Path, url: str) -> list[str]:
    """``ikpe-archive nightly`` as cron runs it (without the politeness delays)."""
    return [sys.executable, "-m", "search_app.cli", "--data-dir", str(data_dir), "nightly",
            "--start-url", url, "--no-throttle"]  # fmt: skip


def timed_nightly(data_dir: Path, url: str, timeout: float = 300) -> tuple[int, float, str]:
    """A whole nightly: its exit code, the seconds from the crawl's start (Scrapy's
    ``Spider opened``) to its last log line, and its stderr."""
    started = time.monotonic()
    result = subprocess.run(nightly_command(data_dir, url), capture_output=True, text=True,
                            cwd=PROJECT_ROOT, timeout=timeout)  # fmt: skip
    span = log_span(result.stderr)
    return result.returncode, span or time.monotonic() - started, result.stderr


CRAWL_STARTED = "Spider opened"  # Scrapy's line when the crawl begins (imports are done)


def log_span(stderr: str, start: str = CRAWL_STARTED) -> float | None:
    """Seconds from the first log line holding ``start`` to the last timestamped line."""
    stamps = []
    for line in stderr.splitlines():
        try:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
        except ValueError:
            continue
        if stamps or start in line:
            stamps.append(stamp)
    return (stamps[-1] - stamps[0]).total_seconds() if len(stamps) > 1 else None


def kill_nightly(data_dir: Path, url: str, moment: float, log: Path) -> KillOutcome:
    """Start a nightly, SIGKILL its process group ``moment`` seconds after its crawl began
    (unless it ended), and check the store against what it held before. (Counted from
    the crawl's start, not the process's: Python's imports take a varying second or
    three, and a kill in them tests nothing.)"""
    store = data_dir / "archive.sqlite3"
    before, reached = store_state(store), progress(data_dir)
    with log.open("w") as stderr:
        process = subprocess.Popen(
            nightly_command(data_dir, url), stdout=subprocess.DEVNULL, stderr=stderr,
            cwd=PROJECT_ROOT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if CRAWL_STARTED in log.read_text(errors="replace"):
                break
            time.sleep(0.02)
        try:
            process.wait(timeout=moment)
            killed = False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group this test started, by its id
            process.wait(timeout=60)
            killed = True
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    after = store_state(store)
    return KillOutcome(
        moment=moment,
        killed=killed,
        last_line=lines[-1][:200] if lines else "",
        phase=phase_hit(reached, progress(data_dir)),
        integrity=after.integrity,
        lost=after.lost_since(before),
        unreadable=after.unreadable,
    )


def kill_moments(count: int, window: float, seed: int, start: float = 0.2) -> list[float]:
    """``count`` moments in ``(start, window)``, the ``i``-th drawn from the ``i``-th
    slice."""
    rng = random.Random(seed)
    width = (window - start) / count
    return [round(start + (i + rng.random()) * width, 2) for i in range(count)]
