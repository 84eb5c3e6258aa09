"""The rules' version: the record-building modules found by their imports, and a version
that changes with their bytes (and only theirs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from archive import rules


def _names(files: list[Path], root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in files}


# (module file, why it builds records)
RULE_FILES = [
    ("records.py", "the recipe"),
    ("validation.py", "the schema check"),
    ("schema.py", "the schema's types"),
    ("pdftext.py", "attachments' texts"),
    ("dates/scanning.py", "dates, through the package"),
    ("dates/tables.py", "the date words"),
    ("gazetteer.py", "places, through entities"),
    ("patterns.py", "guarded patterns, through entities"),
    ("citations.py", "citations"),
    ("doctype.py", "the record type"),
    ("cleaning.py", "the text"),
    ("htmltext.py", "HTML to text"),
    ("ids.py", "record ids"),
]  # fmt: skip
NOT_RULE_FILES = ["store.py", "facade.py", "captures.py", "search/index.py", "rules.py"]


@pytest.fixture(scope="module")
def found() -> tuple[set[str], set[str]]:
    """(rule files relative to ``archive/``, third-party modules they import), walked once."""
    files, libraries = rules.rule_files()
    return _names(files, rules.ARCHIVE_DIR), libraries


@pytest.mark.parametrize("name", [c[0] for c in RULE_FILES], ids=[c[1] for c in RULE_FILES])
def test_the_modules_that_build_records_are_found(found, name: str) -> None:
    assert name in found[0]


@pytest.mark.parametrize("name", NOT_RULE_FILES)
def test_the_rest_of_the_library_is_not_a_rule(found, name: str) -> None:
    assert name not in found[0]


def test_the_libraries_they_import_are_named(found) -> None:
    libraries = found[1]
    assert {"lxml", "pypdf", "jsonschema", "jsonschema_rs"} <= libraries
    assert not {"re", "json", "archive", "schemas"} & libraries


@pytest.fixture
def archive_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The library's sources copied, and the rules read from the copy."""
    copy = tmp_path / "archive"
    shutil.copytree(rules.ARCHIVE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(rules, "ARCHIVE_DIR", copy)
    return copy


def _version(*extra: Path) -> str:
    return rules.rules_version.__wrapped__(*extra)  # not the per-process cache


def test_a_changed_rule_changes_the_version(archive_copy: Path) -> None:
    before = _version()
    gazetteer = archive_copy / "gazetteer.py"
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8") + "\n# Gotha\n", encoding="utf-8")
    assert _version() != before


def test_a_changed_store_or_search_leaves_the_version(archive_copy: Path) -> None:
    before = _version()
    for name in ("store.py", "search/index.py"):
        path = archive_copy / name
        path.write_text(path.read_text(encoding="utf-8") + "\n# elsewhere\n", encoding="utf-8")
    assert _version() == before


def test_the_callers_own_files_count(tmp_path: Path) -> None:
    glue = tmp_path / "normalise.py"
    glue.write_text("A = 1\n", encoding="utf-8")
    first = _version(glue)
    glue.write_text("A = 2\n", encoding="utf-8")
    assert _version(glue) != first and _version() not in (first, _version(glue))


def test_the_version_is_computed_once_per_process() -> None:
    assert rules.rules_version() == rules.rules_version()
    assert rules.rules_version.cache_info().hits >= 1
