"""The pipeline benchmark's measurements: one subprocess timed with its children's CPU
seconds and peak memory, a nightly against a replica, and what its report says.

Shared by ``bench/pipeline_bench.py`` (the comparison) and ``bench/pipeline_scale.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.crawl_bench import Replica

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
RUN_TIMEOUT = 3600.0
POLL_S = 0.01
CHECK_WORD = "Erfurt"


# --- one measured subprocess ---------------------------------------------------------------


def measured(command: list[str], log: Path, timeout: float = RUN_TIMEOUT) -> dict:
    """Run ``command`` to its end (killed at ``timeout``): wall, CPU and peak RSS of it and
    its children, from ``wait4``'s resource usage."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=sink, stderr=subprocess.STDOUT)
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            timed_out = True
            break
        time.sleep(POLL_S)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "user_s": round(usage.ru_utime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "exit_code": process.returncode,
        "timed_out": timed_out,
        "load_1min_before": round(load, 2),
    }


def on_replica(replica: Replica, command: list[str], log: Path) -> tuple[dict, list[dict]]:
    """A measured run with the replica's request log and CPU seconds for it."""
    replica.clear_log()
    replica_cpu = replica.cpu_seconds()
    result = measured(command, log)
    result["replica_cpu_s"] = round(replica.cpu_seconds() - replica_cpu, 3)
    requests = replica.log()
    result["requests"] = len(requests)
    result["bytes"] = sum(r["bytes"] for r in requests)
    result["not_modified"] = sum(1 for r in requests if r["status"] == 304)
    return result, requests


# --- the nightly ----------------------------------------------------------------------------


def nightly_command(data_dir: Path, url: str) -> list[str]:
    """The nightly as a user runs it against the replica."""
    cli = str(BIN_DIR / "ikpe-archive")
    return [cli, "--data-dir", str(data_dir), "nightly", "--start-url", url, "--no-throttle"]


def nightly_report(data_dir: Path) -> dict:
    """The newest nightly report of a data directory, reduced to what the bench shows."""
    reports = sorted((data_dir / "reports").glob("*.json"), key=lambda p: p.stat().st_mtime)
    if not reports:
        return {"missing": True}
    report = json.loads(reports[-1].read_text(encoding="utf-8"))
    stats, index = report.get("stats", {}), report.get("index", {})
    return {
        **{kind: len(report.get(kind) or []) for kind in ("new", "changed", "removed")},
        "unchanged": len(report.get("unchanged") or []),
        "pages_fetched": stats.get("pages_fetched"),
        "crawl_bytes": stats.get("bytes"),
        "not_modified": stats.get("not_modified"),
        "errors": stats.get("error_count"),
        "finish_reason": stats.get("finish_reason"),
        "discovery": stats.get("discovery"),
        "duration_s": stats.get("duration_seconds"),
        # Records taken from the store unchanged, and records built (crawler.pipelines).
        "records_reused": (stats.get("records") or {}).get("reused", 0),
        "records_built": (stats.get("records") or {}).get("built", 0),
        "index_mode": index.get("mode"),
        "index_count": index.get("count"),
        "exit_code": report.get("exit_code"),
    }


def searchable(data_dir: Path) -> bool:
    """True when ``ikpe-archive search`` finds the check word in the archive."""
    command = [str(BIN_DIR / "ikpe-archive"), "--data-dir", str(data_dir), "search", CHECK_WORD]
    try:
        done = subprocess.run(
            command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0 and CHECK_WORD.lower() in done.stdout.lower()
