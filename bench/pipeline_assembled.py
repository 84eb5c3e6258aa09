"""The pipeline a user would assemble instead of the archive, the contender in
``bench/pipeline_bench.py``:

    .venv/bin/python bench/pipeline_assembled.py BASE_URL DB_PATH

1. read the WordPress sitemaps (``wp-sitemap.xml`` and its post and page sitemaps; the
   taxonomy sitemaps list archive pages, not content, and are left out as a user would);
2. download every page with 16 threads (``requests``, one session per thread);
3. extract title, date and text with trafilatura (its defaults, metadata on) on 2 processes;
4. insert into an SQLite FTS5 table and check that it answers a search.

It prints one JSON line: pages, bytes, failures, the time of each stage, and the hits of a
test search. Plain on purpose: it is what the archive is measured against, not a product.
Every request has a timeout; nothing but the given base URL (127.0.0.1) is fetched.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

DOWNLOAD_THREADS = 16
EXTRACT_PROCESSES = 2
HTTP_TIMEOUT = 30.0
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SKIPPED_SITEMAPS = ("taxonomies", "users")
CHECK_WORD = "Erfurt"

_local = threading.local()


def _session():
    import requests

    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def fetch(url: str) -> tuple[str, int, bytes]:
    """(url, status, body) of one GET; status 0 and no body when the request failed."""
    try:
        response = _session().get(url, timeout=HTTP_TIMEOUT)
    except Exception:  # a failed page is counted, not fatal, as in a user's script
        return url, 0, b""
    return url, response.status_code, response.content


def sitemap_locs(body: bytes) -> tuple[list[str], list[str]]:
    """(child sitemaps, page URLs) of a sitemap index or urlset; bad XML gives ([], [])."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return [], []
    children = [loc.text.strip() for loc in root.findall(f"{SITEMAP_NS}sitemap/{SITEMAP_NS}loc")]
    pages = [loc.text.strip() for loc in root.findall(f"{SITEMAP_NS}url/{SITEMAP_NS}loc")]
    return children, pages


def same_site(url: str, base: str) -> bool:
    """True when ``url`` is on the base URL's host and port (nothing else is fetched)."""
    return urlsplit(url).netloc == urlsplit(base).netloc


def page_urls(base: str, pool: ThreadPoolExecutor) -> list[str]:
    """Every page the post and page sitemaps list, in order, without duplicates."""
    _, status, body = fetch(urljoin(base, "/wp-sitemap.xml"))
    children, pages = sitemap_locs(body) if status == 200 else ([], [])
    wanted = [
        c for c in children if same_site(c, base) and not any(s in c for s in SKIPPED_SITEMAPS)
    ]
    for _, status, child_body in pool.map(fetch, wanted):
        if status == 200:
            pages += sitemap_locs(child_body)[1]
    return list(dict.fromkeys(p for p in pages if same_site(p, base)))


def extract(page: tuple[str, bytes]) -> tuple[str, str, str, str] | None:
    """(url, title, date, text) of one page with trafilatura; None when it finds no text."""
    import trafilatura

    url, html = page
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False
    )
    result = document.as_dict() if document is not None else None
    if not result or not result.get("text"):
        return None
    return url, result.get("title") or "", result.get("date") or "", result["text"]


def build_fts(db_path: Path, rows: list[tuple[str, str, str, str]]) -> int:
    """Write the rows into a fresh FTS5 table; return the hits of a test search."""
    db = sqlite3.connect(db_path)
    try:
        db.execute(
            "CREATE VIRTUAL TABLE pages USING fts5("
            "url UNINDEXED, title, date UNINDEXED, text, tokenize='unicode61 remove_diacritics 2')"
        )
        db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?)", rows)
        db.commit()
        return db.execute(
            "SELECT count(*) FROM pages WHERE pages MATCH ?", (CHECK_WORD,)
        ).fetchone()[0]
    finally:
        db.close()


def run(base: str, db_path: Path) -> dict:
    """The whole pipeline; the summary printed as JSON."""
    stages: dict[str, float] = {}
    started = time.perf_counter()
    with ThreadPoolExecutor(DOWNLOAD_THREADS) as threads:
        urls = page_urls(base, threads)
        stages["sitemaps_s"] = time.perf_counter() - started
        mark = time.perf_counter()
        fetched = list(threads.map(fetch, urls))
        stages["download_s"] = time.perf_counter() - mark
    pages = [(url, body) for url, status, body in fetched if status == 200 and body]
    mark = time.perf_counter()
    with ProcessPoolExecutor(EXTRACT_PROCESSES) as processes:
        rows = [row for row in processes.map(extract, pages, chunksize=16) if row is not None]
    stages["extract_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    hits = build_fts(db_path, rows)
    stages["fts5_s"] = time.perf_counter() - mark
    return {
        "urls": len(urls),
        "pages": len(pages),
        "failed": len(urls) - len(pages),
        "bytes": sum(len(body) for _, body in pages),
        "rows": len(rows),
        "check_word": CHECK_WORD,
        "check_hits": hits,
        "stages": {name: round(value, 3) for name, value in stages.items()},
    }


def main(argv: list[str]) -> int:
    """``BASE_URL DB_PATH``: run the pipeline; exit 1 unless the table answers a search."""
    if len(argv) != 2 or not argv[0].startswith("http://127.0.0.1:"):
        print("usage: pipeline_assembled.py http://127.0.0.1:PORT/ DB_PATH", file=sys.stderr)
        return 2
    summary = run(argv[0], Path(argv[1]))
    print(json.dumps(summary))
    return 0 if summary["rows"] and summary["check_hits"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
