"""Every export format of the replica's records, read back by strict parsers.

The records are those a crawl of the replica stores (``tests.helpers.replica_records``);
the parsers and LaTeX read-back are those of ``tests/unit/archive/test_export.py``:
bibtexparser and pybtex in strict mode for BibTeX, rispy for RIS, citeproc-py for CSL-JSON,
the csv module for CSV.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from archive import export
from tests.helpers import replica_records
from tests.unit.archive.test_export import from_latex, parse_bibtex, parse_ris, render_csl


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return sorted(replica_records(), key=lambda record: record["id"])


def test_the_replica_has_records_of_every_kind(records: list[dict]) -> None:
    kinds = {export.kind_of(record) for record in records}
    assert len(records) > 100
    assert len(kinds) >= 4  # posts, pages, citations and press coverage at least


def test_bibtex_of_the_replica(records: list[dict]) -> None:
    entries = parse_bibtex(export.export_text(records, "bibtex"))
    assert len(entries) == len(records)
    assert len({entry["ID"] for entry in entries}) == len(records)
    for entry, record in zip(entries, records, strict=True):
        title = entry.get("issuetitle") if entry["ENTRYTYPE"] == "periodical" else entry["title"]
        assert from_latex(title) == export.title_of(record)
        assert entry["url"] == export.to_csl(record)["URL"]


def test_ris_of_the_replica(records: list[dict]) -> None:
    entries = parse_ris(export.export_text(records, "ris"))
    assert [entry["id"] for entry in entries] == [record["id"] for record in records]
    for entry, record in zip(entries, records, strict=True):
        assert entry["title"] == export.title_of(record)


def test_csl_of_the_replica(records: list[dict]) -> None:
    items = json.loads(export.export_text(records, "csljson"))
    assert [item["id"] for item in items] == [record["id"] for record in records]
    rendered = render_csl(items)
    for item in items:
        assert item["title"] in rendered


def test_csv_of_the_replica(records: list[dict]) -> None:
    rows = list(csv.DictReader(io.StringIO(export.export_text(records, "csv"))))
    assert [row["id"] for row in rows] == [record["id"] for record in records]
    for row in rows:
        assert not any(cell.startswith(export.FORMULA_STARTS) for cell in row.values())
