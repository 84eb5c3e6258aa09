"""A table of damaged files under the real command line: one clear line on stderr and exit 1,
never a traceback; a damaged store is never written to; plain ``index`` rebuilds a damaged
index from the store by itself."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.config import DataDir
from tests.helpers import cli, small_record, store_crawl

RECORDS = [
    small_record(f"wp-{number}", f"Bericht {number} über Armut", f"Armut und Teilhabe {number} "
                 + "Text " * 400)
    for number in range(1, 40)
]  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A data directory with a store and a search index."""
    root = tmp_path_factory.mktemp("damaged") / "data"
    store_crawl(DataDir(root), "crawl-1", RECORDS)
    result = cli(root, "index")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def data_dir(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


def generation(root: Path) -> Path:
    return root / "index" / (root / "index" / "CURRENT").read_text().strip()


def overwrite(path: Path, offset: int, size: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(os.urandom(size))


def store_bad_header(root: Path) -> None:
    overwrite(root / "archive.sqlite3", 0, 100)


def store_bad_pages(root: Path) -> None:
    path = root / "archive.sqlite3"
    overwrite(path, 4096, path.stat().st_size - 4096)


def store_random_bytes(root: Path) -> None:
    (root / "archive.sqlite3").write_bytes(os.urandom(64 * 1024))


def store_a_directory(root: Path) -> None:
    (root / "archive.sqlite3").unlink()
    (root / "archive.sqlite3").mkdir()


STORE_DAMAGES: dict[str, Callable[[Path], None]] = {
    "bad header": store_bad_header,
    "bad pages": store_bad_pages,
    "random bytes": store_random_bytes,
    "a directory": store_a_directory,
}
STORE_COMMANDS = [
    ["stats"],
    ["export", "--format", "jsonl"],
    ["export", "--format", "csv", "-o", "{root}/out.csv"],
    ["index", "--rebuild"],
    ["reextract"],
]


def fingerprint(path: Path) -> str:
    if path.is_dir():
        return "directory"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_clear_line(result, *fragments: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize("damage", STORE_DAMAGES, ids=list(STORE_DAMAGES))
@pytest.mark.parametrize("command", STORE_COMMANDS, ids=[" ".join(c[:2]) for c in STORE_COMMANDS])
def test_a_damaged_store_gives_one_line_and_is_left_alone(
    data_dir: Path, damage: str, command: list[str]
) -> None:
    STORE_DAMAGES[damage](data_dir)
    before = fingerprint(data_dir / "archive.sqlite3")
    result = cli(data_dir, *(arg.format(root=data_dir) for arg in command))
    assert_one_clear_line(result, "archive store", "damaged", "reextract")
    assert fingerprint(data_dir / "archive.sqlite3") == before
    assert not (data_dir / "out.csv").exists()


def current_garbage(root: Path) -> None:
    (root / "index" / "CURRENT").write_bytes(b"\xff\xfe\x00garbage/../..\n")


def current_missing_generation(root: Path) -> None:
    (root / "index" / "CURRENT").write_text("gen-20000101T000000000000-abcdef\n")


def meta_garbage(root: Path) -> None:
    (generation(root) / "meta.json").write_bytes(b"{not json\xff")


def segments_random(root: Path) -> None:
    for path in generation(root).iterdir():
        if path.name not in ("meta.json", "files.json"):
            path.write_bytes(os.urandom(max(path.stat().st_size, 64)))


def segments_truncated(root: Path) -> None:
    for path in generation(root).iterdir():
        if path.name not in ("meta.json", "files.json", "_MAIN_1.toc"):
            with path.open("r+b") as handle:
                handle.truncate(path.stat().st_size // 2)


def index_a_file(root: Path) -> None:
    shutil.rmtree(root / "index")
    (root / "index").write_text("not an index")


# damage -> what `search` says about it
INDEX_DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "CURRENT garbage": (current_garbage, "damaged"),
    "CURRENT names a missing generation": (current_missing_generation, "no search index"),
    "meta.json garbage": (meta_garbage, "damaged"),
    "segments overwritten": (segments_random, "damaged"),
    "segments truncated": (segments_truncated, "damaged"),
    "index is a file": (index_a_file, "damaged"),
}


@pytest.mark.parametrize("damage", INDEX_DAMAGES, ids=list(INDEX_DAMAGES))
@pytest.mark.parametrize("command", [["search", "Armut"], ["similar", "wp-1"]], ids=str)
def test_a_damaged_index_gives_one_line(data_dir: Path, damage: str, command: list[str]) -> None:
    apply, said = INDEX_DAMAGES[damage]
    apply(data_dir)
    result = cli(data_dir, *command)
    assert_one_clear_line(result, said, "ikpe-archive index")


@pytest.mark.parametrize("damage", INDEX_DAMAGES, ids=list(INDEX_DAMAGES))
def test_plain_index_rebuilds_a_damaged_index(data_dir: Path, damage: str) -> None:
    INDEX_DAMAGES[damage][0](data_dir)
    result = cli(data_dir, "index")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "index rebuild" in result.stdout and "Traceback" not in result.stderr
    found = cli(data_dir, "search", "Armut", "--json")
    assert found.returncode == 0 and '"total": 39' in found.stdout, found.stderr[-2000:]
