"""Crawl the replica and keep its JSONL export, to show that a refactoring changed nothing.

    python scripts/export_snapshot.py snapshot before.jsonl   # on the old code
    python scripts/export_snapshot.py snapshot after.jsonl    # on the new code
    python scripts/export_snapshot.py compare before.jsonl after.jsonl

A snapshot crawls the replica twice through the project's own CLI (REST API on, and REST
off so that every record comes from HTML), exports each crawl as JSON Lines and writes
them into one file. The replica listens on one fixed port (18741), since its URLs, and
so some ids and digests, contain it. Only what differs between any two crawls of the
same site is neutralised: fetch times and the WARC file names and
offsets of the captures. ``compare`` prints the records that differ and exits 1 if any do.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VOLATILE_SOURCE_KEYS = ("fetched_at",)
REPLICA_PORT = 18741


def _cli(*args: str, data_dir: str | None = None) -> subprocess.CompletedProcess:
    prefix = ["--data-dir", data_dir] if data_dir else []
    return subprocess.run(
        [sys.executable, "-m", "search_app.cli", *prefix, *args],
        capture_output=True, text=True, cwd=PROJECT_ROOT, check=False, timeout=600,
    )  # fmt: skip


def _neutral(record: dict) -> dict:
    source = record.get("source") or {}
    for key in VOLATILE_SOURCE_KEYS:
        if key in source:
            source[key] = "<volatile>"
    if isinstance(source.get("warc"), dict):
        source["warc"] = {k: "<volatile>" for k in source["warc"]}
    return record


def crawl_export(replica_args: list[str]) -> list[dict]:
    """Serve the replica with ``replica_args``, crawl it, return the neutral export."""
    server = subprocess.Popen(
        [sys.executable, "-m", "search_app.cli", "replica", "serve", "--port",
         str(REPLICA_PORT), *replica_args],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=PROJECT_ROOT,
    )  # fmt: skip
    try:
        url = server.stdout.readline().strip()
        if not url.startswith("http://"):
            raise SystemExit(f"the replica did not start: {url!r}")
        with tempfile.TemporaryDirectory() as data_dir:
            crawl = _cli("crawl", "--start-url", url, "--no-throttle", data_dir=data_dir)
            if crawl.returncode != 0:
                raise SystemExit(f"the crawl failed:\n{crawl.stderr[-2000:]}")
            out = Path(data_dir) / "export.jsonl"
            export = _cli("export", "--format", "jsonl", "-o", str(out), data_dir=data_dir)
            if export.returncode != 0:
                raise SystemExit(f"the export failed:\n{export.stderr[-2000:]}")
            lines = out.read_text(encoding="utf-8").splitlines()
            return [_neutral(json.loads(line)) for line in lines if line.strip()]
    finally:
        server.terminate()
        server.wait(timeout=10)


def snapshot(path: Path) -> None:
    """Write the neutral exports of a REST-on and a REST-off crawl to ``path``."""
    with path.open("w", encoding="utf-8") as out:
        for label, args in (("rest", []), ("no-rest", ["--no-rest"])):
            records = crawl_export(args)
            for record in records:
                out.write(json.dumps({"crawl": label, "record": record}, ensure_ascii=False,
                                     sort_keys=True) + "\n")  # fmt: skip
            print(f"{label}: {len(records)} records", file=sys.stderr)


def _load(path: Path) -> dict[tuple[str, str], dict]:
    entries = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return {(e["crawl"], e["record"]["id"]): e["record"] for e in entries}


def compare(before: Path, after: Path) -> int:
    """Print what differs between two snapshots; 0 when they are identical."""
    old, new = _load(before), _load(after)
    differences = 0
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) == new.get(key):
            continue
        differences += 1
        if key not in new or key not in old:
            print(f"{key}: only in {'before' if key in old else 'after'}")
            continue
        fields = sorted(k for k in old[key].keys() | new[key].keys()
                        if old[key].get(k) != new[key].get(k))  # fmt: skip
        print(f"{key}: differs in {', '.join(fields)}")
    print(f"{len(old)} records before, {len(new)} after, {differences} differ")
    return 1 if differences else 0


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if len(argv) == 2 and argv[0] == "snapshot":
        snapshot(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
