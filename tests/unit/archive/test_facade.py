"""archive.facade over a real data directory: a SQLite store written as crawls write it
(records validated against the schema), a Whoosh index built by ``update_index``, WARC
captures written by ``archive.captures`` and attachment files on disk.

The facade is the one front door of the CLI and the web app, so each answer is checked
as they read it: missing data raises the documented error or gives None/[], never a
traceback from SQLite, Whoosh or the file system.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.config import DataDir
from archive.facade import Archive, ArchiveMissingError
from archive.search import IndexMissingError
from archive.store import ArchiveStore
from archive.validation import check
from tests.helpers import small_record, stored_file, write_capture

W = "https://www.ikpe-erfurt.de"
PDF_BYTES = b"%PDF-1.4\n% IKPE Testdokument\n%%EOF\n"
BODY_V1 = "<html><body><h1>Präventionsketten</h1><p>Kommunen</p></body></html>".encode()
BODY_V2 = "<html><body><h1>Präventionsketten</h1><p>Landkreise</p></body></html>".encode()
TEXT_V1 = "Das IKPE begleitet Kommunen beim Aufbau von Präventionsketten in Erfurt."
TEXT_V2 = "Das IKPE begleitet Landkreise beim Aufbau von Präventionsketten in Erfurt."


def record(record_id: str, title: str, text: str, **extra) -> dict:
    """A schema-valid record (``tests.helpers.small_record``), checked before it is stored."""
    return check(small_record(record_id, title, text, **extra))


def with_warc(rec: dict, warc: dict | None) -> dict:
    rec = copy.deepcopy(rec)
    rec["source"]["warc"] = warc
    return check(rec)


def save_crawl(data_dir: DataDir, crawl_id: str, records: list[dict]) -> None:
    with ArchiveStore(data_dir.store_path) as store:
        store.begin_crawl(crawl_id, f"{W}/")
        store.save(records, crawl_id)
        store.finish_crawl(crawl_id, "finished", {})


def pdf_attachment(data_dir: DataDir, **override) -> dict:
    """An attachment whose file is in the attachments directory."""
    return {
        "url": f"{W}/wp-content/uploads/pm.pdf",
        "title": "Pressemitteilung (PDF)",
        "media_type": "application/pdf",
        **stored_file(data_dir.attachments_dir, PDF_BYTES),
        "text": None,
        "error": None,
        **override,
    }


@dataclass(frozen=True)
class Harvest:
    data_dir: DataDir
    warc_v1: dict
    warc_v2: dict
    pdf_sha256: str


@pytest.fixture(scope="module")
def harvest(tmp_path_factory) -> Harvest:
    """Two crawls: wp-1 changes (two versions, each with its capture), wp-4 disappears;
    wp-2 has an attachment, wp-3 no capture. Then the index is built."""
    data_dir = DataDir(tmp_path_factory.mktemp("facade")).ensure()
    warc_v1 = write_capture(data_dir, "crawl-1", f"{W}/wp-1/", BODY_V1)
    warc_v2 = write_capture(data_dir, "crawl-2", f"{W}/wp-1/", BODY_V2)
    attachment = pdf_attachment(data_dir)
    wp1 = record("wp-1", "Präventionsketten in Erfurt", TEXT_V1)
    wp2 = record(
        "wp-2", "Sozialplanung in Jena", "Eine Pressemitteilung zur Sozialplanung in Jena.",
        type="press_release", type_rule="press_release:test", date="2023-05-02",
        attachments=[attachment],
    )  # fmt: skip
    wp3 = record("wp-3", "Fachtag Teilhabe", "Ein Fachtag über Teilhabe.", date="2022-09-01")
    wp4 = record("wp-4", "Ein entfernter Beitrag", "Nicht mehr auf der Seite.", date="2021-03-04")
    save_crawl(data_dir, "crawl-1", [with_warc(wp1, warc_v1), wp2, wp3, wp4])
    wp1_changed = with_warc(record("wp-1", "Präventionsketten in Erfurt", TEXT_V2), warc_v2)
    save_crawl(data_dir, "crawl-2", [wp1_changed, wp2, wp3])
    with Archive(data_dir) as archive:
        result = archive.update_index()
    assert (result["mode"], result["count"]) == ("rebuild", 3)
    return Harvest(data_dir, warc_v1, warc_v2, attachment["sha256"])


@pytest.fixture
def archive(harvest: Harvest):
    with Archive(harvest.data_dir) as opened:
        yield opened


@pytest.fixture
def empty(tmp_path: Path):
    with Archive(DataDir(tmp_path / "leer")) as opened:
        yield opened


# --------------------------------------------------------------------------------------
# Nothing harvested yet
# --------------------------------------------------------------------------------------

# (call), note: each needs the store and says so.
NEEDS_STORE_CASES = [
    (lambda a: a.record("wp-1"), "record"),
    (lambda a: a.versions("wp-1"), "versions"),
    (lambda a: a.version("wp-1", 1), "version"),
    (lambda a: list(a.records()), "records"),
    (lambda a: list(a.records(ids=["wp-1"])), "records by id"),
    (lambda a: a.stats(), "stats"),
    (lambda a: a.capture("wp-1"), "capture"),
    (lambda a: a.attachment("wp-1", "0" * 64), "attachment"),
    (lambda a: a.update_index(), "update_index"),
]


@pytest.mark.parametrize(
    "call", [c[0] for c in NEEDS_STORE_CASES], ids=[c[1] for c in NEEDS_STORE_CASES]
)
def test_without_a_store_every_read_says_so(empty: Archive, call) -> None:
    assert not empty.has_store()
    with pytest.raises(ArchiveMissingError, match="ikpe-archive crawl"):
        call(empty)
    assert not empty.has_store()  # asking created no store


def test_without_an_index_search_says_so_and_similar_is_empty(empty: Archive) -> None:
    assert not empty.has_index()
    with pytest.raises(IndexMissingError, match="ikpe-archive index"):
        empty.search("Armut")
    assert empty.similar("wp-1") == []


# --------------------------------------------------------------------------------------
# Health
# --------------------------------------------------------------------------------------


def _store_only(data_dir: DataDir) -> None:
    save_crawl(data_dir, "c1", [record("wp-1", "Titel", "Text über Armut.")])


def _store_and_index(data_dir: DataDir) -> None:
    _store_only(data_dir)
    Archive(data_dir).update_index()


def _broken_store(data_dir: DataDir) -> None:
    data_dir.root.mkdir(parents=True)
    data_dir.store_path.write_bytes(b"kein SQLite, nur Text " * 100)


def _index_naming_a_missing_generation(data_dir: DataDir) -> None:
    _store_only(data_dir)
    data_dir.index_dir.mkdir(parents=True)
    (data_dir.index_dir / "CURRENT").write_text("gen-verschwunden", encoding="utf-8")


# (setup, store ok, index ok, store records, index records), note.
HEALTH_CASES = [
    (lambda d: None, False, False, None, None, "nothing harvested"),
    (_store_only, True, False, 1, None, "a store, no index yet"),
    (_store_and_index, True, True, 1, 1, "store and index"),
    (_broken_store, False, False, None, None, "the store file is not SQLite"),
    (_index_naming_a_missing_generation, True, False, 1, None,
     "the index names a generation that is gone"),
]  # fmt: skip


@pytest.mark.parametrize(
    "setup, store_ok, index_ok, store_records, index_records",
    [c[:5] for c in HEALTH_CASES],
    ids=[c[5] for c in HEALTH_CASES],
)
def test_health(tmp_path: Path, setup, store_ok, index_ok, store_records, index_records) -> None:
    data_dir = DataDir(tmp_path / "data")
    setup(data_dir)
    with Archive(data_dir) as archive:
        health = archive.health()
    assert health["ok"] is (store_ok and index_ok)
    assert health["store"]["ok"] is store_ok
    assert health["index"]["ok"] is index_ok
    assert health["store"].get("records") == store_records
    assert health["index"].get("records") == index_records
    for part, ok in (("store", store_ok), ("index", index_ok)):
        assert ("error" in health[part]) is not ok  # every failure says why
    json.dumps(health)  # JSON-ready for /healthz


# --------------------------------------------------------------------------------------
# Searching
# --------------------------------------------------------------------------------------


def test_search_finds_current_records_only(archive: Archive) -> None:
    assert archive.has_store() and archive.has_index()
    assert [hit.id for hit in archive.search("Präventionsketten").hits] == ["wp-1"]
    assert archive.search("Landkreise").total == 1  # the current version is indexed
    assert archive.search("Kommunen").total == 0  # not the earlier one
    assert archive.search("entfernter").total == 0  # nor a removed record
    everything = archive.search("", sort="-date", facets=False)
    assert [hit.id for hit in everything.hits] == ["wp-1", "wp-2", "wp-3"]
    press = archive.search("", record_type="press_release")
    assert [hit.id for hit in press.hits] == ["wp-2"]


def test_update_index_again_is_incremental(archive: Archive) -> None:
    result = archive.update_index()
    assert result == {"mode": "incremental", "indexed": 0, "removed": 0, "count": 3}
    assert archive.search("Sozialplanung").total == 1  # the facade reopened the index


# --------------------------------------------------------------------------------------
# Records and versions
# --------------------------------------------------------------------------------------


def test_record_with_its_status(archive: Archive) -> None:
    row = archive.record("wp-1")
    assert row["record"]["text"] == TEXT_V2
    assert row["version"] == 2
    assert row["removed_at"] is None
    assert row["first_seen"] <= row["last_seen"]
    gone = archive.record("wp-4")
    assert gone["removed_at"] is not None  # removed records stay readable
    assert archive.record("wp-999") is None


def test_versions_oldest_first(archive: Archive, harvest: Harvest) -> None:
    versions = archive.versions("wp-1")
    assert [v.number for v in versions] == [1, 2]
    assert [v.crawl_id for v in versions] == ["crawl-1", "crawl-2"]
    assert [(v.warc_file, v.warc_offset) for v in versions] == [
        (harvest.warc_v1["file"], harvest.warc_v1["offset"]),
        (harvest.warc_v2["file"], harvest.warc_v2["offset"]),
    ]
    assert [v.record["text"] for v in versions] == [TEXT_V1, TEXT_V2]
    assert versions[0].changed_at < versions[1].changed_at
    assert [(v.number, v.warc_file) for v in archive.versions("wp-3")] == [(1, None)]
    assert archive.versions("wp-999") == []


# (record id, number, text of that version or None), note.
VERSION_CASES = [
    ("wp-1", 1, TEXT_V1, "the first version"),
    ("wp-1", 2, TEXT_V2, "the current version"),
    ("wp-1", 3, None, "a version that does not exist yet"),
    ("wp-1", 0, None, "versions count from 1"),
    ("wp-999", 1, None, "an unknown record"),
]


@pytest.mark.parametrize(
    "record_id, number, text", [c[:3] for c in VERSION_CASES], ids=[c[3] for c in VERSION_CASES]
)
def test_version(archive: Archive, record_id: str, number: int, text: str | None) -> None:
    found = archive.version(record_id, number)
    assert (found.record["text"] if found else None) == text


# (arguments, ids in order), note.
RECORDS_CASES = [
    ({}, ["wp-3", "wp-2", "wp-1"], "every present record, oldest first"),
    ({"ids": ["wp-2", "wp-1"]}, ["wp-2", "wp-1"], "by id, in the order asked"),
    ({"ids": ["wp-1", "wp-999", "wp-3"]}, ["wp-1", "wp-3"], "unknown ids left out"),
    ({"ids": ["wp-1", "wp-1"]}, ["wp-1", "wp-1"], "an id asked twice comes twice"),
    ({"ids": []}, [], "no ids: nothing, not everything"),
    ({"ids": ["wp-4"]}, ["wp-4"], "a removed record by its id (a permalink still works)"),
    ({"record_type": "press_release"}, ["wp-2"], "by type"),
    ({"record_type": "event"}, [], "a type without records"),
    ({"date_from": "2023"}, ["wp-2", "wp-1"], "from a year"),
    ({"date_to": "2023-06"}, ["wp-3", "wp-2"], "up to a month"),
    ({"date_from": "2022-09-01", "date_to": "2022-09-01"}, ["wp-3"], "one day"),
]


@pytest.mark.parametrize(
    "arguments, expected", [c[:2] for c in RECORDS_CASES], ids=[c[2] for c in RECORDS_CASES]
)
def test_records(archive: Archive, arguments: dict, expected: list[str]) -> None:
    assert [r["id"] for r in archive.records(**arguments)] == expected


def test_stats(archive: Archive) -> None:
    assert archive.stats() == {
        "by_type": {"news": 2, "press_release": 1},
        "by_year": {"2022": 1, "2023": 1, "2024": 1},
        "by_status": {"present": 3, "removed": 1},
        "versions": 5,
    }


# --------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------


def test_export_text_jsonl_is_the_stored_records(archive: Archive) -> None:
    records = list(archive.records())
    lines = archive.export_text(records, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == records


def test_export_csv_has_a_row_per_record(archive: Archive) -> None:
    out = io.StringIO()
    count = archive.export(archive.records(ids=["wp-2", "wp-1"]), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == 2
    assert [(r["id"], r["title"]) for r in rows] == [
        ("wp-2", "Sozialplanung in Jena"),
        ("wp-1", "Präventionsketten in Erfurt"),
    ]
    assert archive.export_text(archive.records(ids=["wp-2", "wp-1"]), "csv") == out.getvalue()


def test_an_unknown_export_format_is_refused(archive: Archive) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        archive.export_text(archive.records(), "xlsx")


# --------------------------------------------------------------------------------------
# Raw captures
# --------------------------------------------------------------------------------------

# (record id, version, body or None), note.
CAPTURE_CASES = [
    ("wp-1", None, BODY_V2, "the current version's capture"),
    ("wp-1", 1, BODY_V1, "an earlier version's capture"),
    ("wp-1", 2, BODY_V2, "the current version by number"),
    ("wp-1", 7, None, "no such version"),
    ("wp-3", None, None, "a record without a capture"),
    ("wp-3", 1, None, "a version without a capture"),
    ("wp-999", None, None, "an unknown record"),
]


@pytest.mark.parametrize(
    "record_id, version, body", [c[:3] for c in CAPTURE_CASES], ids=[c[3] for c in CAPTURE_CASES]
)
def test_capture(archive: Archive, record_id: str, version: int | None, body) -> None:
    found = archive.capture(record_id, version)
    if body is None:
        assert found is None
        return
    assert (found.url, found.status, found.body) == (f"{W}/wp-1/", 200, body)
    assert found.content_type == "text/html; charset=utf-8"


# (source.warc of the stored record), note: only the first reads a capture.
BAD_WARC_CASES = [
    ({"file": "{file}", "offset": 0}, "control: the real file and offset"),
    ({"file": "../archive.sqlite3", "offset": 0}, "a path out of the WARC directory"),
    ({"file": "/etc/passwd", "offset": 0}, "an absolute path"),
    ({"file": "gibt-es-nicht.warc.gz", "offset": 0}, "a file that is not there"),
    ({"file": "", "offset": 0}, "no file name"),
    ({"file": "{file}"}, "no offset"),
    ({"file": "{file}", "offset": 3}, "an offset inside a record"),
]


@pytest.mark.parametrize("warc", [c[0] for c in BAD_WARC_CASES], ids=[c[1] for c in BAD_WARC_CASES])
def test_a_bad_capture_reference_gives_none(tmp_path: Path, warc: dict) -> None:
    data_dir = DataDir(tmp_path / "data").ensure()
    real = write_capture(data_dir, "c1", f"{W}/wp-1/", BODY_V1)
    warc = {k: (v.format(file=real["file"]) if isinstance(v, str) else v) for k, v in warc.items()}
    save_crawl(data_dir, "c1", [with_warc(record("wp-1", "Titel", "Text."), warc)])
    expected = BODY_V1 if warc == real else None
    with Archive(data_dir) as archive:
        for found in (archive.capture("wp-1"), archive.capture("wp-1", 1)):
            assert (found.body if found else None) == expected


# --------------------------------------------------------------------------------------
# Attachments
# --------------------------------------------------------------------------------------


def test_an_attachment_and_its_file(archive: Archive, harvest: Harvest) -> None:
    found = archive.attachment("wp-2", harvest.pdf_sha256)
    assert found is not None
    attachment, path = found
    assert attachment["url"] == f"{W}/wp-content/uploads/pm.pdf"
    assert path.read_bytes() == PDF_BYTES
    assert path.is_relative_to(harvest.data_dir.attachments_dir.resolve())


# (how the stored attachment points at a file), note: only the first is served.
REFUSED_ATTACHMENT_CASES = [
    ("as downloaded", "control: the file the files pipeline wrote"),
    ("parent", "a path climbing out of the attachments directory"),
    ("absolute", "an absolute path"),
    ("symlink", "a link inside the directory to a file outside it"),
    ("missing", "the file is gone"),
    ("directory", "the path names a directory"),
    ("no path", "never downloaded (no path)"),
    ("other digest", "another digest than the one asked for"),
    ("other record", "the digest of another record's attachment"),
]


@pytest.mark.parametrize(
    "case", [c[0] for c in REFUSED_ATTACHMENT_CASES], ids=[c[1] for c in REFUSED_ATTACHMENT_CASES]
)
def test_an_attachment_outside_or_missing_is_refused(tmp_path: Path, case: str) -> None:
    data_dir = DataDir(tmp_path / "data").ensure()
    secret = tmp_path / "geheim.pdf"  # outside the data directory
    secret.write_bytes(PDF_BYTES)
    attachment = pdf_attachment(data_dir)
    digest = attachment["sha256"]
    asked_id = "wp-1"
    if case == "parent":
        attachment["path"] = "../../geheim.pdf"
    elif case == "absolute":
        attachment["path"] = str(secret)
    elif case == "symlink":
        os.symlink(secret, data_dir.attachments_dir / "link.pdf")
        attachment["path"] = "link.pdf"
    elif case == "missing":
        (data_dir.attachments_dir / attachment["path"]).unlink()
    elif case == "directory":
        attachment["path"] = attachment["path"].split("/")[0]
    elif case == "no path":
        attachment["path"] = None
    elif case == "other digest":
        digest = "f" * 64
    elif case == "other record":
        asked_id = "wp-2"
    records = [
        record("wp-1", "Mit Anhang", "Text.", attachments=[attachment]),
        record("wp-2", "Ohne Anhang", "Text."),
    ]
    save_crawl(data_dir, "c1", records)
    with Archive(data_dir) as archive:
        found = archive.attachment(asked_id, digest)
        assert (found is not None) is (case == "as downloaded")
        if found is not None:
            assert found[1].read_bytes() == PDF_BYTES
        assert archive.attachment("wp-999", digest) is None
