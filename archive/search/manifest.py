"""The files of a generation as its last writer left them: names, sizes and CRC-32s.

Whoosh writes each segment file once and never changes it, so a file that no longer
matches what the writer recorded was damaged afterwards (truncated, overwritten, replaced
by a disk fault or a clumsy hand). Reading every posting to find that out took 35 s at
3,000 records; comparing the files with their manifest reads them once, at disk speed.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

MANIFEST_FILE = "files.json"
# Files of a generation that are not the index's own (or change by themselves).
NOT_LISTED = frozenset({MANIFEST_FILE, "meta.json", "records.spool.jsonl"})
CHUNK_BYTES = 1 << 20


def _crc32(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            crc = zlib.crc32(chunk, crc)
    return crc


def _listed(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and path.name not in NOT_LISTED and not path.name.endswith(".lock")
    )


def write_manifest(directory: Path) -> None:
    """Record the files of the generation in ``directory`` (after a commit)."""
    files = {path.name: [path.stat().st_size, _crc32(path)] for path in _listed(directory)}
    temporary = directory / f"{MANIFEST_FILE}.tmp"
    temporary.write_text(json.dumps(files, indent=0), encoding="utf-8")
    temporary.replace(directory / MANIFEST_FILE)


def manifest_problem(directory: Path) -> str | None:
    """What differs from the manifest (None: nothing, or no manifest: an older index)."""
    try:
        files = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        return f"{MANIFEST_FILE}: {error}"
    if not isinstance(files, dict):
        return f"{MANIFEST_FILE} holds no object"
    for name, expected in files.items():
        path = directory / str(name)
        try:
            actual = [path.stat().st_size, _crc32(path)]
        except OSError as error:
            return f"{name}: {error.strerror}"
        if actual != expected:
            return f"{name} changed since the index was written"
    return None
