"""The export downloads (``/export.<fmt>``): content types and file names, every format
parsed back (rispy, bibtexparser, csv, JSON), ``all=1`` exporting every hit, ``id=``
choosing records in order, bad requests as problems.

Uses the ``app``/``client`` fixtures of ``conftest.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser

# format in the URL -> (media type, file extension)
FORMATS = {
    "jsonl": ("application/x-ndjson", "jsonl"),
    "csv": ("text/csv", "csv"),
    "bibtex": ("application/x-bibtex", "bib"),
    "bib": ("application/x-bibtex", "bib"),
    "ris": ("application/x-research-info-systems", "ris"),
    "csljson": ("application/vnd.citationstyles.csl+json", "json"),
}


def ids_in(fmt: str, text: str) -> list[str]:
    """The record ids of an export, in order, read with the format's parser."""
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in text.splitlines()]
    if fmt == "csv":
        return [row["id"] for row in csv.DictReader(io.StringIO(text))]
    if fmt == "csljson":
        return [item["id"] for item in json.loads(text)]
    if fmt == "ris":
        return [entry["id"] for entry in rispy.loads(text)]
    parser = BibTexParser(
        common_strings=False, ignore_nonstandard_types=False, interpolate_strings=False
    )
    entries = bibtexparser.loads(text, parser).entries
    assert len(entries) == text.count("\n@") + text.startswith("@")  # none dropped
    ids = []
    for entry in entries:  # the key ends with the end of the record's id
        match = re.search(r"-((?:wp-)?[0-9a-z]+)$", entry["ID"])
        ids.append(match.group(1))
    return ids


def download(client, fmt: str, query: str = ""):
    response = client.get(f"/export.{fmt}?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def api_ids(client, query: str) -> tuple[list[str], int]:
    body = client.get(f"/api/search?{query}").get_json()
    return [hit["id"] for hit in body["hits"]], body["total"]


def same_ids(exported: list[str], expected: list[str]) -> bool:
    """Equal, allowing BibTeX keys, which keep only the last 8 characters of an id."""
    return len(exported) == len(expected) and all(
        e == x or x.endswith(e) for e, x in zip(exported, expected, strict=True)
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_headers_of_a_download(client, fmt: str) -> None:
    response = download(client, fmt)
    media_type, extension = FORMATS[fmt]
    assert response.mimetype == media_type
    assert response.mimetype_params["charset"] == "utf-8"
    today = datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="ikpe-archiv-{today}.{extension}"'
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_page_of_a_search_by_default(client, fmt: str) -> None:
    query = "q=Sozialplanung&per_page=4&page=2"
    expected, total = api_ids(client, query)
    assert total > 8
    assert same_ids(ids_in(fmt, download(client, fmt, query).get_data(as_text=True)), expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_exports_every_hit_in_order(client, fmt: str) -> None:
    expected, total = api_ids(client, "q=Sozialplanung&per_page=100")
    text = download(client, fmt, "q=Sozialplanung&per_page=4&page=2&all=1").get_data(as_text=True)
    exported = ids_in(fmt, text)
    assert len(exported) == total
    assert same_ids(exported, expected)


def test_all_without_a_query_is_the_whole_archive(client, archive_data) -> None:
    text = download(client, "jsonl", "all=1").get_data(as_text=True)
    exported = [json.loads(line) for line in text.splitlines()]
    assert len(exported) == len(archive_data.records) - 1  # the removed record is not indexed
    for record in exported:  # the stored record, unchanged
        assert record == archive_data.records[record["id"]]
    dates = [record["date"] for record in exported]
    assert dates == sorted(dates, reverse=True)


def test_all_reads_the_index_in_batches(client, monkeypatch) -> None:
    from search_app.web import feeds

    monkeypatch.setattr(feeds, "SEARCH_BATCH", 3)
    expected, total = api_ids(client, "per_page=100")
    assert same_ids(ids_in("jsonl", download(client, "jsonl", "all=1").get_data(as_text=True)),
                    expected)  # fmt: skip
    monkeypatch.setattr(feeds, "MAX_EXPORT", 5)
    assert (
        ids_in("jsonl", download(client, "jsonl", "all=1").get_data(as_text=True)) == (expected[:5])
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_chosen_records_in_their_order(client, fmt: str) -> None:
    chosen = ["pub-fedcba9876543210", "wp-102", "pub-0123456789abcdef", "wp-106"]
    query = "&".join(f"id={record_id}" for record_id in [*chosen, "wp-102"])
    exported = ids_in(fmt, download(client, fmt, query).get_data(as_text=True))
    assert same_ids(exported, chosen)  # in order, each once, a removed record too


def test_exported_citations_parse_as_reference_managers_read_them(client) -> None:
    query = "id=wp-102&id=pub-0123456789abcdef&id=pub-fedcba9876543210"
    ris = rispy.loads(download(client, "ris", query).get_data(as_text=True))
    assert [entry["type_of_reference"] for entry in ris] == ["ELEC", "BOOK", "NEWS"]
    assert ris[0]["type_of_work"] == "Pressemitteilung"
    assert ris[0]["authors"] == ["Institut für kommunale Planung und Entwicklung (IKPE)"]
    items = json.loads(download(client, "csljson", query).get_data(as_text=True))
    assert [item["type"] for item in items] == ["report", "book", "article-newspaper"]
    assert items[0]["genre"] == "Pressemitteilung"


def test_scraped_markup_stays_text_in_every_format(client, archive_data) -> None:
    hostile = archive_data.records["wp-104"]
    for fmt in FORMATS:
        text = download(client, fmt, "id=wp-104").get_data(as_text=True)
        if fmt == "ris":
            assert rispy.loads(text)[0]["title"] == hostile["title"]
        elif fmt == "csljson":
            assert json.loads(text)[0]["title"] == hostile["title"]
        elif fmt == "csv":
            assert next(csv.DictReader(io.StringIO(text)))["title"] == hostile["title"]


@pytest.mark.parametrize(
    ("path", "status", "param"),
    [
        ("/export.docx", 404, None),
        ("/export.csv?id=nonsense", 400, "id"),
        ("/export.csv?id=", 400, "id"),
        ("/export.csv?id=wp-999", 404, None),
        ("/export.csv?id=wp-102&id=wp-999", 404, None),
        ("/export.csv?" + "&".join(f"id=wp-{n}" for n in range(1001)), 400, "id"),
        ("/export.csv?all=yes", 400, "all"),
        ("/export.csv?all=1&all=1", 400, "all"),
        ("/export.csv?type=blog", 400, "type"),
        ("/export.csv?type=blog&id=wp-102", 400, "type"),  # checked even with ids
        ("/export.ris?from=2024&to=2023&all=1", 400, "from"),
        ("/export.bib?page=99", 404, None),
    ],
)
def test_bad_requests_are_problems(client, path: str, status: int, param) -> None:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    if param:
        assert body["invalid-params"][0]["name"] == param


def test_an_empty_archive_is_503(empty_app) -> None:
    response = empty_app.test_client().get("/export.csv?all=1")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
