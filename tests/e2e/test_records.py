"""Records built from a real crawl of the replica: valid, and right about what the seeds say.

The expected values are the replica's ground truth (``[expect]`` of each content file,
read off the seed texts) as published in its manifest.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from archive.store import ArchiveStore
from archive.validation import problems
from tests.helpers import Replica, crawl, run_cli


@pytest.fixture(scope="module")
def harvest(replica_server: Replica, tmp_path_factory) -> dict:
    """One crawl of the replica (REST on), its records from the store, and the manifest."""
    replica_server.reset()
    data_dir = tmp_path_factory.mktemp("records")
    result = crawl(data_dir, replica_server.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    with ArchiveStore(data_dir / "archive.sqlite3") as store:
        records = [row["record"] for row in store.iter_records()]
    return {"records": records, "manifest": replica_server.manifest(), "data_dir": data_dir}


def _by_url(harvest: dict) -> dict:
    return {
        r["url"]: r
        for r in harvest["records"]
        if r["type"] not in ("publication",) and r["reference"] is None
    }


def _entries_with(harvest: dict, key: str) -> list[tuple[dict, dict]]:
    records = _by_url(harvest)
    return [(e, records[e["url"]]) for e in harvest["manifest"]["entries"] if key in e["expect"]]


def test_every_harvested_record_validates(harvest: dict) -> None:
    manifest = harvest["manifest"]
    assert len(harvest["records"]) == len(manifest["entries"]) + len(manifest["publications"])
    for record in harvest["records"]:
        assert problems(record) == [], record["url"]


def test_types_match_the_site(harvest: dict) -> None:
    records = _by_url(harvest)
    wrong = [
        (e["url"], e["type"], records[e["url"]]["type"], records[e["url"]]["type_rule"])
        for e in harvest["manifest"]["entries"]
        if records[e["url"]]["type"] != e["type"]
    ]
    assert wrong == []


def test_posting_date_is_the_date_of_news_and_press_releases(harvest: dict) -> None:
    records = _by_url(harvest)
    checked = 0
    for entry in harvest["manifest"]["entries"]:
        record = records[entry["url"]]
        assert record["published"] == entry["posted"][:10], entry["url"]
        if record["type"] in ("news", "press_release"):
            assert (record["date"], record["date_source"]) == (entry["posted"][:10], "posting_date")
            checked += 1
    assert checked >= 25


@pytest.mark.parametrize("field", ["dateline_date", "dateline_place", "dateline_date_end"])
def test_datelines(harvest: dict, field: str) -> None:
    pairs = _entries_with(harvest, field)
    assert pairs
    key = {"dateline_date": "date", "dateline_place": "place", "dateline_date_end": "date_end"}
    for entry, record in pairs:
        assert (record["dateline"] or {}).get(key[field]) == entry["expect"][field], entry["url"]


def test_dateline_year_typo_is_repaired_from_the_posting_date_and_flagged(harvest: dict) -> None:
    pairs = _entries_with(harvest, "date_issues")
    assert pairs
    for entry, record in pairs:
        assert set(entry["expect"]["date_issues"]) <= set(record["date_issues"]), entry["url"]
    altenburg = [r for e, r in pairs if (r["dateline"] or {}).get("place") == "Altenburg"]
    assert altenburg and altenburg[0]["dateline"]["date"] == "2024-02-06"


@pytest.mark.parametrize(
    "field, key",
    [
        ("event_start", "start"),
        ("event_end", "end"),
        ("event_start_time", "start_time"),
        ("event_end_time", "end_time"),
        ("venue", "venue"),
        ("online", "online"),
    ],
)
def test_events(harvest: dict, field: str, key: str) -> None:
    pairs = [(e, r) for e, r in _entries_with(harvest, field) if e["type"] == "event"]
    assert pairs
    for entry, record in pairs:
        assert record["event"][key] == entry["expect"][field], entry["url"]
        if key == "start":
            assert record["date"] == entry["expect"][field], entry["url"]
            assert record["date_source"] in ("event_line", "event_title")


@pytest.mark.parametrize("field", ["emails", "credits"])
def test_emails_and_credits(harvest: dict, field: str) -> None:
    pairs = _entries_with(harvest, field)
    assert pairs
    for entry, record in pairs:
        assert record[field] == entry["expect"][field], entry["url"]


def test_people_with_titles_stripped(harvest: dict) -> None:
    pairs = _entries_with(harvest, "people")
    exact = [e["url"] for e, r in pairs if r["people"] == e["expect"]["people"]]
    assert len(exact) >= 25
    for entry, record in pairs:
        assert not any(name.startswith(("Dr.", "Prof.")) for name in record["people"])
        # Whoever the parser finds, the text names (precision over recall).
        for name in record["people"]:
            assert name.split()[-1] in record["text"], (entry["url"], name)


def test_sub_posts_know_their_topic(harvest: dict) -> None:
    records = _by_url(harvest)
    subposts = [e for e in harvest["manifest"]["entries"] if e["kind"] == "subpost" and e["topic"]]
    assert subposts
    for entry in subposts:
        record = records[entry["url"]]
        if record["title"] in ("Zum Thema", "Unser Vorgehen", "Das Projekt im Einzelnen"):
            assert record["topic"] == entry["topic_title"], entry["url"]
            assert record["display_title"] == f"{entry['topic_title']} – {record['title']}"


def test_press_release_pdf_text_is_in_the_record(harvest: dict) -> None:
    releases = [r for r in harvest["records"] if r["type"] == "press_release" and r["attachments"]]
    assert releases
    for record in releases:
        pdf = next(a for a in record["attachments"] if a["media_type"] == "application/pdf")
        assert pdf["bytes"] > 0 and len(pdf["sha256"]) == 64
        assert pdf["text"] and len(pdf["text"]) > 100


def test_publications_are_parsed_with_their_tab(harvest: dict) -> None:
    citations = {" ".join(p["printed"].split()): p for p in harvest["manifest"]["publications"]}
    references = [r for r in harvest["records"] if r["reference"] is not None]
    assert len(references) == len(citations) >= 40
    for record in references:
        citation = citations[record["reference"]["raw"]]
        expect = citation["expect"]
        assert record["type"] == citation["type"]
        assert record["reference"]["tab"] == citation["tab_name"]
        assert record["reference"]["year"] == expect["year"]
        assert record["date"].startswith(str(expect["year"]))
        for role in ("authors", "editors"):
            names = [f"{p['family']}, {p['given']}".rstrip(", ") for p in record["reference"][role]]
            assert names == expect[role], record["reference"]["raw"]
        assert " ".join(record["reference"]["title"].split()) == " ".join(expect["title"].split())


def test_export_jsonl_sorted_by_date_then_id(harvest: dict) -> None:
    result = run_cli("export", "--format", "jsonl", data_dir=harvest["data_dir"])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(harvest["records"])
    keys = [(r["date"], r["id"]) for r in records]
    assert keys == sorted(keys)


@pytest.mark.parametrize("fmt", ["csv", "bibtex", "ris", "csljson"])
def test_other_export_formats(harvest: dict, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"export.{fmt}"
    result = run_cli(
        "export",
        "--format",
        fmt,
        "--type",
        "publication",
        "-o",
        str(out),
        data_dir=harvest["data_dir"],
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    publications = [r for r in harvest["records"] if r["type"] == "publication"]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {row["id"] for row in rows} == {r["id"] for r in publications}
    elif fmt == "csljson":
        items = json.loads(text)
        assert {item["id"] for item in items} == {r["id"] for r in publications}
        assert all(item["issued"]["date-parts"][0][0] >= 1990 for item in items)
    elif fmt == "ris":
        assert text.count("TY  - ") == text.count("ER  - ") == len(publications)
    else:
        entries = [line for line in text.splitlines() if line.startswith("@")]
        assert len(entries) == len(publications)
        assert len({line.split("{", 1)[1] for line in entries}) == len(entries)  # unique keys


def test_export_without_an_archive_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("export", "--format", "jsonl", data_dir=tmp_path)
    assert result.returncode == 1 and "no archive" in result.stderr
    assert "Traceback" not in result.stderr
