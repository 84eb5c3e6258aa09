"""The nightly run: crawl -> store -> index update -> report, under a lock.

Run from cron or a systemd timer (see ``scripts/``). A second run started while one is
going exits at once; a lock left by a killed run is taken over (the lock is an ``flock``,
which the kernel releases when its holder dies). Killing a run at any moment leaves the
store and the index consistent: the store commits whole batches, a resumed crawl picks
up its journal, and the index catches up from the store's change times.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from archive.config import DataDir
from archive.monitors import (
    HISTORY_RUNS,
    MonitorResult,
    discovery_cut_short,
    incomplete_because,
    run_monitors,
    site_unreachable,
)
from archive.store import ArchiveStore, now_utc
from search_app.jobs.lock import nightly_lock
from search_app.jobs.reports import crawl_stats

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_MONITOR = 0, 1, 3
# Earlier runs asked for: enough to find HISTORY_RUNS complete ones among partial runs.
HISTORY_LOOKBACK = 4 * HISTORY_RUNS


@dataclass
class NightlyResult:
    """The run's report (as written to ``reports/``), its path and its exit code."""

    report: dict
    path: Path
    exit_code: int


def run_nightly(data_dir: DataDir, start_url: str, *, no_throttle: bool = False) -> NightlyResult:
    """One nightly run; raises ``NightlyLocked`` when another run is going."""
    # Imported here: Scrapy and the search engine load only when a run starts.
    from archive.sync import sync_index
    from crawler.run import run_crawl

    with nightly_lock(data_dir) as lock:
        started_at, started = now_utc(), time.monotonic()
        crawl = run_crawl(data_dir, start_url, no_throttle=no_throttle)
        with ArchiveStore(data_dir.store_path) as store:
            changes = store.crawl_changes(crawl.crawl_id)
            history = [
                run["stats"]
                for run in store.crawl_history(HISTORY_LOOKBACK + 1)
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
        # A site that never answered is a failed job, not a monitor's alarm about a harvest.
        unreachable = site_unreachable(crawl.stats)
        exit_code = EXIT_FAILED if unreachable else EXIT_MONITOR if failed else EXIT_OK
        incomplete = incomplete_because(crawl.stats)
        report = {
            "crawl_id": crawl.crawl_id,
            "start_url": start_url,
            "started_at": started_at,
            "finished_at": now_utc(),
            "resumed": crawl.resumed,
            "lock_taken_over": lock["took_over"],
            **{kind: getattr(changes, kind) for kind in ("new", "changed", "removed", "unchanged")},
            "removals_withheld": changes.removals_withheld
            or (crawl.ok and bool(discovery_cut_short(crawl.stats))),
            "discovery_complete": incomplete is None,
            "incomplete_because": incomplete,
            "site_unreachable": unreachable,
            "stats": crawl_stats(crawl.stats, time.monotonic() - started),
            "index": index,
            "monitors": [m.as_dict() for m in monitors],
            "exit_code": exit_code,
        }
        data_dir.reports_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir.reports_dir / f"{crawl.crawl_id}.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        return NightlyResult(report, path, exit_code)
