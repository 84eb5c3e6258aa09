"""The replica's records, made by the real pipeline, for the search tests.

The replica is served on a free port of 127.0.0.1, crawled with ``ikpe-archive crawl``
into a temporary data directory, and the records are read back from the store: the
search tests run on exactly what a nightly run would index.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from archive.store import ArchiveStore
from replica.server import make_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def _crawled_records() -> tuple[dict, ...]:
    server, state = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            result = subprocess.run(
                [sys.executable, "-m", "search_app.cli", "--data-dir", data_dir, "crawl",
                 "--start-url", state.links.www, "--no-throttle"],
                capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300,
            )  # fmt: skip
            if result.returncode != 0:
                raise RuntimeError(f"crawl of the replica failed:\n{result.stderr[-3000:]}")
            with ArchiveStore(Path(data_dir) / "archive.sqlite3") as store:
                return tuple(row["record"] for row in store.iter_records())
    finally:
        server.shutdown()
        server.server_close()


def replica_records() -> list[dict]:
    """Every post, page, newsletter and publication of the replica as a stored record."""
    return [dict(record) for record in _crawled_records()]
