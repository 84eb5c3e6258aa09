"""The nightly run against the replica: reports, monitors, the lock, kills and re-extraction."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.config import DataDir
from archive.store import ArchiveStore
from archive.validation import problems
from search_app.jobs.lock import nightly_lock
from tests.helpers import PROJECT_ROOT, Replica, cli, nightly


def latest_report(data_dir: Path) -> dict:
    reports = sorted((data_dir / "reports").glob("*.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(reports[-1].read_text())


def ids(entries: list[dict]) -> set[str]:
    return {e["id"] for e in entries}


def test_nightly_reports_new_nothing_then_exactly_the_changes_then_a_broken_layout(
    replica: Replica, tmp_path: Path
) -> None:
    manifest = replica.manifest()
    total = len(manifest["entries"]) + len(manifest["publications"])

    first = nightly(tmp_path, replica.url, "--no-throttle")
    assert first.returncode == 0, first.stderr[-3000:]
    report = latest_report(tmp_path)
    assert len(report["new"]) == total and report["changed"] == report["removed"] == []
    assert all(m["ok"] for m in report["monitors"])
    assert set(report) >= {"new", "changed", "removed", "unchanged", "stats", "monitors"}
    assert "new: " in first.stdout and "monitor item_count: ok" in first.stdout
    assert report["stats"]["records"]["built"] == total
    stored_before = _stored_records(tmp_path)

    replica.clear_requests()
    second = nightly(tmp_path, replica.url, "--no-throttle")
    assert second.returncode == 0, second.stderr[-3000:]
    report = latest_report(tmp_path)
    assert (len(report["new"]), len(report["changed"]), len(report["removed"])) == (0, 0, 0)
    assert len(report["unchanged"]) == total
    # Nothing changed: every record is the stored one, none was built again.
    assert report["stats"]["records"]["reused"] == total
    assert report["stats"]["records"].get("built", 0) == 0
    assert f"records: reused {total} from the store, built 0" in second.stdout
    assert _stored_records(tmp_path) == stored_before
    entry_paths = {urlsplit(e["url"]).path for e in manifest["entries"]}
    bodies = [r for r in replica.requests_log() if r["status"] == 200 and (
        urlsplit(r["path"]).path in entry_paths or "/wp/v2/posts" in r["path"])]  # fmt: skip
    assert bodies == []
    assert report["stats"]["not_modified"] > 0

    before = {e["id"]: e for e in manifest["entries"]}
    replica.switch(changed=True)
    after = {e["id"]: e for e in replica.manifest()["entries"]}
    third = nightly(tmp_path, replica.url, "--no-throttle")
    assert third.returncode == 0, third.stderr[-3000:]
    report = latest_report(tmp_path)
    edited = {f"wp-{i}" for i in set(before) & set(after)
              if before[i]["modified"] != after[i]["modified"]}  # fmt: skip
    assert ids(report["new"]) == {f"wp-{i}" for i in set(after) - set(before)}
    assert ids(report["removed"]) == {f"wp-{i}" for i in set(before) - set(after)}
    assert ids(report["changed"]) == edited and len(edited) == 1
    # Built again: the edited post and the new one; every other record was reused.
    added = len(set(after) - set(before))
    assert report["stats"]["records"]["built"] == len(edited) + added
    assert report["stats"]["records"]["reused"] == total - len(ids(report["removed"])) - len(edited)
    with ArchiveStore(tmp_path / "archive.sqlite3") as store:
        (edited_id,) = edited
        versions = store.history(edited_id)
        assert len(versions) == 2 and versions[0]["record"]["text"] != versions[1]["record"]["text"]
        (removed_id,) = ids(report["removed"])
        assert store.get(removed_id)["removed_at"] is not None
        good_text = store.get(edited_id)["record"]["text"]

    replica.switch(changed=True, rest=False, layout="broken")
    fourth = nightly(tmp_path, replica.url, "--no-throttle")
    assert fourth.returncode == 3, fourth.stderr[-3000:]
    assert "monitor failed: field_coverage" in fourth.stderr
    report = latest_report(tmp_path)
    failed = {m["name"] for m in report["monitors"] if not m["ok"]}
    assert "field_coverage" in failed and report["exit_code"] == 3
    with ArchiveStore(tmp_path / "archive.sqlite3") as store:
        assert store.get(edited_id)["record"]["text"] == good_text  # the broken text was not kept
        assert store.count() == len(after) + len(manifest["publications"])


def _stored_records(data_dir: Path) -> tuple[dict[str, tuple], int]:
    """The store's records (JSON, digest, version by id) and how many versions it holds."""
    with ArchiveStore(data_dir / "archive.sqlite3") as store:
        rows = store.db.execute("SELECT id, json, content_sha256, version FROM records")
        records = {row[0]: row[1:] for row in rows}
        return records, store.stats()["versions"]


def test_a_second_nightly_while_one_runs_exits_at_once(replica: Replica, tmp_path: Path) -> None:
    with nightly_lock(DataDir(tmp_path)):
        started = time.monotonic()
        result = nightly(tmp_path, replica.url, "--no-throttle")
        assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert (
        "another crawl or nightly run holds" in result.stderr and "Traceback" not in result.stderr
    )


def test_a_stale_lock_from_a_killed_run_is_taken_over(replica: Replica, tmp_path: Path) -> None:
    (tmp_path / "nightly.lock").write_text('{"pid": 999999, "started_at": "2024-01-01T00:00:00Z"}')
    result = nightly(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    assert latest_report(tmp_path)["lock_taken_over"]
    assert "taking over the lock" in result.stderr


def _wait_for_items(data_dir: Path, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        journals = (
            list((data_dir / "items").glob("*.jsonl")) if (data_dir / "items").exists() else []
        )
        if journals and len(journals[0].read_text(encoding="utf-8").splitlines()) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"no {count} items within {timeout} s")


def _store_state(data_dir: Path) -> dict[str, str]:
    path = data_dir / "archive.sqlite3"
    if not path.exists():
        return {}
    db = sqlite3.connect(path)
    try:
        return dict(db.execute("SELECT id, content_sha256 FROM records"))
    except sqlite3.OperationalError:  # killed before the schema was written
        return {}
    finally:
        db.close()


@pytest.mark.parametrize("kill_after_items", [0, 30])
def test_sigkill_at_any_point_then_rerun_is_consistent(
    replica: Replica, tmp_path: Path, kill_after_items: int
) -> None:
    replica.switch(rest=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "search_app.cli", "--data-dir", str(tmp_path), "nightly",
         "--start-url", replica.url],  # throttled: slow enough to be killed mid-crawl
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "IKPE_STORE_BATCH": "5", "IKPE_CRAWL_DELAY_MS": "250"},
    )  # fmt: skip
    if kill_after_items:
        _wait_for_items(tmp_path, kill_after_items)
    else:
        time.sleep(1.0)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    committed = _store_state(tmp_path)

    rerun = nightly(tmp_path, replica.url, "--no-throttle")
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    manifest = replica.manifest()
    with ArchiveStore(tmp_path / "archive.sqlite3") as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        records = [row["record"] for row in store.iter_records()]
        assert len(records) == len(manifest["entries"]) + len(manifest["publications"])
        assert all(problems(r) == [] for r in records)
        assert set(committed) <= {r["id"] for r in records}  # nothing committed was lost
        versions = store.db.execute("SELECT COUNT(*) FROM versions").fetchone()[0]
        assert versions == len(records)  # the rerun did not count old records as changed
    searched = cli(tmp_path, "search", "Sozialplanung", "--json", "--limit", "1000")
    assert searched.returncode == 0, searched.stderr
    assert json.loads(searched.stdout)["total"] > 0
    indexed = cli(tmp_path, "index")
    assert indexed.returncode == 0, indexed.stderr
    assert f"{len(records)} in the index" in indexed.stdout


def test_reextract_reproduces_the_crawl_and_repairs_an_old_version(
    replica: Replica, tmp_path: Path
) -> None:
    assert nightly(tmp_path, replica.url, "--no-throttle").returncode == 0
    replica.clear_requests()
    result = cli(tmp_path, "reextract", "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    with ArchiveStore(tmp_path / "archive.sqlite3") as store:
        count = store.count()
    assert (report["checked"], report["changed"], report["skipped"]) == (count, [], [])
    assert replica.requests_log() == []  # no network
    # A record stored by an older, worse normaliser is rebuilt from its raw capture.
    db = sqlite3.connect(tmp_path / "archive.sqlite3")
    row = db.execute("SELECT id, json FROM records WHERE type = 'news' LIMIT 1").fetchone()
    stale = json.loads(row[1])
    stale["text"] = "veralteter Text"
    db.execute("UPDATE records SET json = ?, content_sha256 = 'old' WHERE id = ?",
               (json.dumps(stale), row[0]))  # fmt: skip
    db.commit()
    db.close()
    result = cli(tmp_path, "reextract", "--json")
    report = json.loads(result.stdout)
    assert [c["id"] for c in report["changed"]] == [row[0]]
    with ArchiveStore(tmp_path / "archive.sqlite3") as store:
        assert store.get(row[0])["record"]["text"] != "veralteter Text"
