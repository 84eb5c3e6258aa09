"""Damaged files under the web app and the jobs: the rows ``tests/e2e/test_damaged_files.py``
does not have (it covers the store and the index under the command line).

Each row damages a copy of the hostile archive one way and asks for something: the web
app answers without a 5xx, or with a 503 that says the archive cannot be read (problem+json
under ``/api/``, the German page elsewhere); the WARC captures, the captures' index, the
session key, the HTTP cache, the crawl journal and its resume marker, the nightly's
reports and lock: each damaged, the command gives one clear line or carries on.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from search_app.web.app import create_app
from tests.faults.fault_data import SMALL_DOWNLOADS, HostileArchive
from tests.faults.fault_fuzz import markup_problems
from tests.helpers import cli, run_cli
from tests.hostile_site import HostileSite

pytestmark = pytest.mark.e2e


@pytest.fixture
def data_dir(hostile_archive: HostileArchive, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(hostile_archive.root, copy)
    return copy


def _generation(root: Path) -> Path:
    return root / "index" / (root / "index" / "CURRENT").read_text().strip()


def _overwrite_all(directory: Path, pattern: str) -> None:
    for path in directory.glob(pattern):
        path.write_bytes(os.urandom(max(path.stat().st_size // 2, 64)))


def warc_random(root: Path) -> None:
    _overwrite_all(root / "warc", "*.warc.gz")


def warc_truncated(root: Path) -> None:
    for path in (root / "warc").glob("*.warc.gz"):
        with path.open("r+b") as handle:
            handle.truncate(path.stat().st_size // 3)


def warc_missing(root: Path) -> None:
    for path in (root / "warc").glob("*.warc.gz"):
        path.unlink()


def captures_index_random(root: Path) -> None:
    (root / "warc" / "captures.sqlite3").write_bytes(os.urandom(8192))


def store_random(root: Path) -> None:
    (root / "archive.sqlite3").write_bytes(os.urandom(64 * 1024))
    for extra in ("-wal", "-shm"):
        Path(f"{root / 'archive.sqlite3'}{extra}").unlink(missing_ok=True)


def index_segments_random(root: Path) -> None:
    for path in _generation(root).iterdir():
        if path.name not in ("meta.json", "files.json"):
            path.write_bytes(os.urandom(max(path.stat().st_size, 64)))


def secret_key_garbage(root: Path) -> None:
    (root / "web-secret-key").write_bytes(b"\xff\x00short")


def secret_key_directory(root: Path) -> None:
    (root / "web-secret-key").unlink(missing_ok=True)
    (root / "web-secret-key").mkdir()


# damage -> (paths asked for, the statuses each may answer), note: never a 5xx but 503.
WEB_DAMAGES: dict[str, tuple[Callable[[Path], None], tuple[str, ...], set[int]]] = {
    "WARC files random bytes": (warc_random, ("/r/wp-201/kopie", "/r/wp-201/kopie/roh",
                                              "/api/records/wp-201/capture"), {404, 503}),
    "WARC files truncated": (warc_truncated, ("/r/wp-207/kopie/roh", "/r/wp-201/v/1/kopie",
                                              "/api/records/wp-207/capture"), {404, 503}),
    "WARC files gone": (warc_missing, ("/r/wp-201/kopie/roh", "/api/records/wp-201/capture"),
                        {404, 503}),
    "captures index random bytes": (captures_index_random,
                                    ("/r/wp-201/kopie", "/api/records/wp-201/capture"),
                                    {200, 404, 503}),  # the record's own WARC address
    "store random bytes, pages of the store": (store_random, (
        "/r/wp-201", "/api/records/wp-201", "/export.csv", "/pressespiegel/", "/healthz",
    ), {503}),
    "store random bytes, pages of the index": (store_random, (
        "/", "/suche?q=Armut", "/jahre", "/api/search?q=Armut", "/feed.atom",
    ), {200, 503}),
    "index segments random bytes": (index_segments_random,
                                    ("/suche?q=Armut", "/api/search?q=Armut", "/feed.atom",
                                     "/api/facets", "/healthz"), {200, 503}),
    "session key garbage": (secret_key_garbage, ("/pressespiegel/", "/suche?q=Armut"),
                            {200, 503}),
    "session key a directory": (secret_key_directory, ("/pressespiegel/", "/r/wp-201"),
                                {200, 503}),
}  # fmt: skip


@pytest.mark.parametrize("damage", WEB_DAMAGES, ids=list(WEB_DAMAGES))
def test_the_web_app_over_damaged_files(data_dir: Path, damage: str) -> None:
    apply, paths, allowed = WEB_DAMAGES[damage]
    apply(data_dir)
    app = create_app({"DATA_DIR": str(data_dir)})  # not TESTING: errors become pages
    try:
        client = app.test_client()
        for path in paths:
            response = client.get(path)
            assert response.status_code in allowed, (path, response.status_code)
            if response.status_code >= 400 and path != "/healthz":  # health is JSON
                api = path.startswith("/api/") or path.startswith(("/feed", "/export"))
                expected = "application/problem+json" if api else "text/html"
                assert response.mimetype == expected, (path, response.mimetype)
            if response.mimetype == "text/html" and "/roh" not in path:
                assert markup_problems(response.get_data(as_text=True)) == [], path
    finally:
        app.extensions["ikpe_archive"].close()


def crawl_state_garbage(root: Path) -> None:
    (root / "crawl-state").mkdir(exist_ok=True)
    (root / "crawl-state" / "current.json").write_bytes(b"{\xff not json")


def journal_garbage(root: Path) -> None:
    """A resume marker naming a crawl whose journal ends in a torn line and garbage (its
    one whole line names a post the site does not have: a journaled post is one the
    killed run stored, which this store never saw)."""
    (root / "crawl-state").mkdir(exist_ok=True)
    (root / "crawl-state" / "current.json").write_text(
        '{"crawl_id": "20261130T010000-1", "start_url": "{url}"}'
    )
    (root / "items" / "20261130T010000-1.jsonl").write_bytes(
        b'{"kind": "post", "key": "wp-999999"}\n\xff\xfe garbage\n{"kind": "po'
    )


def http_cache_random(root: Path) -> None:
    _overwrite_all(root / "httpcache", "*.sqlite3")


def reports_garbage(root: Path) -> None:
    (root / "reports").mkdir(exist_ok=True)
    (root / "reports" / "20000101T000000.json").write_bytes(b"\x00{not json")


def lock_garbage(root: Path) -> None:
    (root / "nightly.lock").write_bytes(os.urandom(512))


# damage -> the command's arguments ({url}: the hostile site), note: exit 0, or 1 with one
# clear line, never a traceback; nothing stored before is lost.
JOB_DAMAGES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "resume marker garbage": (crawl_state_garbage, ["nightly", "--start-url", "{url}",
                                                    "--no-throttle"]),
    "journal torn and garbage": (journal_garbage, ["nightly", "--start-url", "{url}",
                                                   "--no-throttle"]),
    "HTTP cache random bytes": (http_cache_random, ["crawl", "--start-url", "{url}",
                                                    "--no-throttle"]),
    "reports garbage, lock garbage": (lambda root: (reports_garbage(root), lock_garbage(root)),
                                      ["nightly", "--start-url", "{url}", "--no-throttle"]),
    "WARC files random bytes under reextract": (warc_random, ["reextract"]),
    "captures index random under reextract": (captures_index_random, ["reextract"]),
}  # fmt: skip


@pytest.mark.parametrize("damage", list(JOB_DAMAGES))
def test_jobs_over_damaged_files(data_dir: Path, damage: str) -> None:
    apply, arguments = JOB_DAMAGES[damage]
    with HostileSite(payloads=True, traps=False) as site:
        apply(data_dir)
        marker = data_dir / "crawl-state" / "current.json"
        if marker.exists():
            marker.write_bytes(marker.read_bytes().replace(b"{url}", site.url.encode()))
        before = cli(data_dir, "export", "--format", "jsonl").stdout.count("\n")
        result = run_cli(*(a.format(url=site.url) for a in arguments), data_dir=data_dir,
                         env=SMALL_DOWNLOADS, timeout=300)  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    if result.returncode not in (0, 3):  # 3: a monitor failed, the run itself went through
        lines = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        assert result.returncode == 1 and len(lines) == 1, result.stderr[-3000:]
    after = cli(data_dir, "export", "--format", "jsonl").stdout.count("\n")
    assert after >= before > 0
