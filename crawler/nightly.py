"""The nightly run: crawl -> store -> index update -> report, under a lock.

Run from cron or a systemd timer (see ``scripts/``). A second run started while one is
going exits at once; a lock left by a killed run is taken over (the lock is an ``flock``,
which the kernel releases when its holder dies). Killing a run at any moment leaves the
store and the index consistent: the store commits whole batches, a resumed crawl picks
up its journal, and the index catches up from the store's change times.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.config import DataDir
from archive.monitors import HISTORY_RUNS, MonitorResult, run_monitors
from archive.store import ArchiveStore, now_utc

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_MONITOR = 0, 3
LOCK_NAME = "nightly.lock"


class NightlyLocked(RuntimeError):
    """Another nightly run holds the lock."""


@contextmanager
def nightly_lock(data_dir: DataDir) -> Iterator[dict]:
    """Hold the data directory's nightly lock; raise ``NightlyLocked`` if another run has it."""
    data_dir.root.mkdir(parents=True, exist_ok=True)
    path = data_dir.root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            raise NightlyLocked(
                f"another crawl or nightly run holds {path}: {holder or 'unknown'}"
            ) from None
        previous = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        if previous:
            logger.warning("taking over the lock left by a run that did not finish: %s", previous)
        info = {"pid": os.getpid(), "started_at": now_utc()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        try:
            yield {"took_over": previous or None, **info}
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


@dataclass
class NightlyResult:
    """The run's report (as written to ``reports/``), its path and its exit code."""

    report: dict
    path: Path
    exit_code: int


def _crawl_stats(stats: dict, duration: float) -> dict:
    errors = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("ikpe/errors/")}
    return {
        "pages_fetched": stats.get("ikpe/network/responses", 0),
        "bytes": stats.get("ikpe/network/bytes", 0),
        "not_modified": stats.get("ikpe/network/not_modified", 0),
        "errors": errors,
        "error_count": stats.get("ikpe/errors", 0),
        "records": {
            k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("ikpe/records/")
        },
        "discovery": stats.get("ikpe/discovery"),
        "finish_reason": stats.get("finish_reason"),
        "duration_seconds": round(duration, 1),
    }


def run_nightly(data_dir: DataDir, start_url: str, *, no_throttle: bool = False) -> NightlyResult:
    """One nightly run; raises ``NightlyLocked`` when another run is going."""
    # Imported here: ``crawl`` takes this module's lock and needs neither Scrapy's
    # runner twice nor the search engine.
    from archive.sync import sync_index
    from crawler.run import run_crawl

    with nightly_lock(data_dir) as lock:
        started_at, started = now_utc(), time.monotonic()
        crawl = run_crawl(data_dir, start_url, no_throttle=no_throttle)
        with ArchiveStore(data_dir.store_path) as store:
            changes = store.crawl_changes(crawl.crawl_id)
            history = [
                run["stats"]
                for run in store.crawl_history(HISTORY_RUNS + 1)
                if run["crawl_id"] != crawl.crawl_id
            ]
            monitors = run_monitors(crawl.stats, history)
            try:
                index = sync_index(data_dir, store)
            except Exception as error:  # the harvest is kept; the index catches up next run
                logger.exception("index update failed")
                index = {"mode": "failed", "error": str(error)}
                monitors.append(MonitorResult("index_update", False, str(error)))
        failed = [m for m in monitors if not m.ok]
        exit_code = EXIT_MONITOR if failed else EXIT_OK
        report = {
            "crawl_id": crawl.crawl_id,
            "start_url": start_url,
            "started_at": started_at,
            "finished_at": now_utc(),
            "resumed": crawl.resumed,
            "lock_taken_over": lock["took_over"],
            **{kind: getattr(changes, kind) for kind in ("new", "changed", "removed", "unchanged")},
            "removals_withheld": changes.removals_withheld,
            "stats": _crawl_stats(crawl.stats, time.monotonic() - started),
            "index": index,
            "monitors": [m.as_dict() for m in monitors],
            "exit_code": exit_code,
        }
        data_dir.reports_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir.reports_dir / f"{crawl.crawl_id}.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        return NightlyResult(report, path, exit_code)


def summary_text(result: NightlyResult) -> str:
    """The short human summary printed after a run."""
    report = result.report
    stats = report["stats"]
    lines = [
        f"nightly {report['crawl_id']}{' (resumed)' if report['resumed'] else ''}: "
        f"{stats['finish_reason']} in {stats['duration_seconds']} s"
    ]
    for kind in ("new", "changed", "removed"):
        entries = report[kind]
        lines.append(f"{kind}: {len(entries)}")
        lines += [f"  {e['title'][:70]}  <{e['url']}>" for e in entries[:50]]
        if len(entries) > 50:
            lines.append(f"  ... and {len(entries) - 50} more (see the report)")
    lines.append(f"unchanged: {len(report['unchanged'])}")
    if report["removals_withheld"]:
        lines.append("removals withheld: the crawl saw too few records to trust its absences")
    errors = ", ".join(f"{k} {v}" for k, v in sorted(stats["errors"].items())) or "none"
    lines.append(
        f"pages fetched {stats['pages_fetched']}, bytes {stats['bytes']}, "
        f"304s {stats['not_modified']}, errors {stats['error_count']} ({errors})"
    )
    lines.append(f"index: {report['index'].get('mode')}")
    for monitor in report["monitors"]:
        lines.append(
            f"monitor {monitor['name']}: {'ok' if monitor['ok'] else 'FAILED'} "
            f"({monitor['detail']})"
        )
    lines.append(f"report: {result.path}")
    return "\n".join(lines)
