"""A store lost or damaged is rebuilt from the WARC captures alone (issue 13, Damaged
files): the replica is crawled over HTTP with the real command line, the store is lost,
and ``reextract --from-warc`` gives back every record, field by field, with its status
and its number of versions."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.store import ArchiveStore
from tests.helpers import Replica, cli, crawl

STORE = "archive.sqlite3"
RECOVERY_COMMAND = "ikpe-archive reextract --from-warc"


def stored(data_dir: Path) -> dict[str, tuple[dict, bool, int]]:
    """Every record of the store: its fields, whether it is removed, its version number.
    Left out: the store's own bookkeeping (when first and last seen, when removed)."""
    with ArchiveStore(data_dir / STORE) as store:
        return {
            row["record"]["id"]: (row["record"], row["removed_at"] is not None, row["version"])
            for row in store.iter_records(include_removed=True)
        }


def damaged_and_moved_aside(data_dir: Path) -> None:
    path = data_dir / STORE
    with path.open("r+b") as handle:
        handle.write(os.urandom(100))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    # A command that reads the damaged store names the way back; the way back refuses to
    # overwrite it in place.
    for command, said in ((["stats"], RECOVERY_COMMAND),
                          (["reextract", "--from-warc"], "never overwritten")):  # fmt: skip
        result = cli(data_dir, *command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert said in result.stderr, result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    path.rename(data_dir / f"{STORE}.damaged")


def lost_with_index_and_files(data_dir: Path) -> None:
    """Nothing but the WARC files: no store, no capture index, no attachment files."""
    (data_dir / STORE).unlink()
    (data_dir / "warc" / "captures.sqlite3").unlink()
    shutil.rmtree(data_dir / "attachments")


# (crawls: the replica's switches for each, loss, note)
SCENARIOS = [
    ([{"rest": False}], lost_with_index_and_files,
     "sitemaps and pages (REST off); only the WARC files are left"),
    # The first crawl: REST API, publication tabs, newsletters, PDFs.
    ([{}, {"changed": True}, {"changed": True, "rest": False}], damaged_and_moved_aside,
     "three crawls: an edit, an addition, a removal, 304 revisits, then REST off"),
]  # fmt: skip


@pytest.mark.parametrize("crawls, loss", [s[:2] for s in SCENARIOS], ids=[s[2] for s in SCENARIOS])
def test_a_lost_store_is_rebuilt_from_the_warc_captures_record_by_record(
    replica: Replica, tmp_path: Path, crawls: list[dict], loss: Callable[[Path], None]
) -> None:
    for switches in crawls:
        replica.switch(**{"rest": True, "changed": False, **switches})
        result = crawl(tmp_path, replica.url, "--no-throttle")
        assert result.returncode == 0, result.stderr[-3000:]
    before = stored(tmp_path)
    attachment_files = sorted(p.name for p in (tmp_path / "attachments").rglob("*.pdf"))
    assert attachment_files, "the replica's PDFs were not downloaded"
    loss(tmp_path)

    result = cli(tmp_path, "reextract", "--from-warc")
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"rebuilt {len(before)} records" in result.stdout
    after = stored(tmp_path)
    assert after.keys() == before.keys()
    for record_id, (record, removed, version) in before.items():
        rebuilt, rebuilt_removed, rebuilt_version = after[record_id]
        differing = sorted(k for k in record.keys() | rebuilt.keys()
                           if record.get(k) != rebuilt.get(k))  # fmt: skip
        assert not differing, (record_id, {k: (record.get(k), rebuilt.get(k)) for k in differing})
        assert (rebuilt_removed, rebuilt_version) == (removed, version), record_id
    assert sorted(p.name for p in (tmp_path / "attachments").rglob("*.pdf")) == attachment_files
    # The rebuilt store serves the commands again.
    assert cli(tmp_path, "index", "--rebuild").returncode == 0
    assert cli(tmp_path, "stats").returncode == 0


def test_a_store_or_its_log_in_place_is_never_overwritten_and_no_capture_says_so(
    tmp_path: Path,
) -> None:
    (tmp_path / "warc").mkdir(parents=True)
    (tmp_path / "warc" / "20261130T010000-1-00000.warc.gz").write_bytes(os.urandom(4096))
    nothing = cli(tmp_path, "reextract", "--from-warc")
    assert nothing.returncode == 1 and "Traceback" not in nothing.stderr
    assert "no record found in the WARC captures" in nothing.stderr
    assert not (tmp_path / STORE).exists()

    wal = tmp_path / f"{STORE}-wal"
    wal.write_bytes(b"the log of a store moved aside without it")
    refused = cli(tmp_path, "reextract", "--from-warc")
    assert refused.returncode == 1 and "write-ahead log" in refused.stderr
    assert wal.read_bytes() == b"the log of a store moved aside without it"
    wal.unlink()

    (tmp_path / STORE).write_bytes(b"a healthy store would be refused the same way")
    refused = cli(tmp_path, "reextract", "--from-warc")
    assert refused.returncode == 1 and "never overwritten" in refused.stderr
    assert len([line for line in refused.stderr.splitlines() if line.strip()]) == 1
    assert (tmp_path / STORE).read_bytes() == b"a healthy store would be refused the same way"
