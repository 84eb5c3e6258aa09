"""The pipeline benchmark's own rules: which part of the archive a profiled stack is charged
to, how requests are grouped by the shape of their path, and how the assembled pipeline
reads WordPress sitemaps and fills a searchable FTS5 table."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.pipeline_assembled import build_fts, same_site, sitemap_locs
from bench.pipeline_profile import part_of, summarise
from bench.pipeline_scale import byte_groups, path_shape


def stack(*frames: str | tuple[str, str]) -> str:
    """A py-spy raw stack: a process label, then ``function (path:line)`` frames; a frame is
    a path or a (function, path) pair."""
    label = 'process 1:"python ikpe-archive nightly"'
    named = [f if isinstance(f, tuple) else (f"f{i}", f) for i, f in enumerate(frames)]
    return ";".join([label, *(f"{name} ({path}:{i + 1})" for i, (name, path) in enumerate(named))])


# (frames outermost first, part charged), note.
PART_CASES = [
    (("search_app/jobs/nightly.py", "archive/sync.py", "archive/search/index.py",
      "whoosh/writing.py"), "index", "Whoosh under the index module is index time"),
    (("crawler/run.py", "twisted/internet/base.py", "crawler/middlewares.py",
      "archive/captures.py", "warcio/warcwriter.py"), "WARC",
     "the capture middleware's WARC writing, however deep in the reactor"),
    (("crawler/run.py", "scrapy/core/engine.py", "crawler/pipelines.py", "archive/store.py",
      "sqlite3/dbapi2.py"), "store", "the store pipeline's SQLite writes"),
    (("multiprocessing/process.py", "crawler/record_workers.py", "crawler/normalise.py",
      "archive/records.py", "archive/dates/scanning.py", "re/__init__.py"), "records",
     "the deepest project frame decides: date scanning in a record worker"),
    (("crawler/run.py", "scrapy/core/scraper.py", "crawler/spiders/ikpe.py",
      "crawler/extract.py", "parsel/selector.py"), "crawl", "parsing a page is crawl time"),
    (("crawler/run.py", "twisted/internet/asyncioreactor.py", "asyncio/base_events.py"),
     "crawl", "the crawl's event loop"),
    (("twisted/internet/tcp.py",), "crawl", "no project frame: the library decides"),
    (("concurrent/futures/process.py", "multiprocessing/connection.py", "selectors.py"),
     "record-worker IPC", "the record workers' manager thread"),
    (("search_app/cli.py", ("_find_and_load", "<frozen importlib._bootstrap>"),
      "whoosh/__init__.py"),
     "start-up (imports)", "an import is start-up, whoever asked for it"),
    (("threading.py",), "other", "nothing known"),
    ((), "no Python frame", "a process label alone"),
]  # fmt: skip


@pytest.mark.parametrize(
    "frames, part", [c[:2] for c in PART_CASES], ids=[c[2] for c in PART_CASES]
)
def test_a_stack_is_charged_to_its_part(frames: tuple, part: str) -> None:
    assert part_of(stack(*frames))[0] == part


def test_the_summary_counts_samples_by_part() -> None:
    raw = "\n".join(
        [
            stack("archive/search/index.py", "whoosh/writing.py") + " 30",
            stack("archive/store.py") + " 10",
            "a line that is no stack",
        ]
    )
    summary = summarise(raw, rate=10)
    assert summary["samples"] == 40
    assert summary["active_thread_s"] == 4.0
    assert summary["parts"]["index"] == {"samples": 30, "share": 0.75}
    assert summary["top_modules"][0] == ["index: archive/search/index.py > whoosh", 30]


# (path as logged, shape), note.
SHAPE_CASES = [
    ("/wp-json/wp/v2/posts?per_page=100&page=7&orderby=id&order=asc",
     "/wp-json/wp/vN/posts?order&orderby&page&per_page", "REST pages: one shape, query names"),
    ("/2024/03/fachtag/", "/N/N/fachtag/", "dates in a post's path"),
    ("/2024/03/sozialbefragung-altenburger-land-ergebnisse/", "/N/N/<slug>/", "long slugs"),
    ("/wp-admin/admin-ajax.php", "/wp-admin/admin-ajax.php", "the AJAX tabs"),
]  # fmt: skip


@pytest.mark.parametrize(
    "path, shape", [c[:2] for c in SHAPE_CASES], ids=[c[2] for c in SHAPE_CASES]
)
def test_requests_are_grouped_by_path_shape(path: str, shape: str) -> None:
    assert path_shape(path) == shape


def test_byte_groups_put_the_heaviest_first() -> None:
    log = [
        {"path": "/wp-json/wp/v2/posts?page=1", "status": 304, "bytes": 0},
        {"path": "/wp-json/wp/v2/posts?page=2", "status": 304, "bytes": 0},
        {"path": "/wp-admin/admin-ajax.php", "status": 200, "bytes": 5000},
        {"path": "/wp-admin/admin-ajax.php", "status": 200, "bytes": 7000},
    ]
    groups = byte_groups(log)
    assert groups[0] == {
        "shape": "/wp-admin/admin-ajax.php",
        "status": 200,
        "requests": 2,
        "bytes": 12000,
    }
    assert groups[1]["requests"] == 2 and groups[1]["bytes"] == 0


SITEMAP_INDEX = b"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://127.0.0.1:8000/wp-sitemap-posts-post-1.xml</loc></sitemap>
<sitemap><loc>http://127.0.0.1:8000/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>
</sitemapindex>"""
URLSET = b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc> http://127.0.0.1:8000/2024/03/fachtag/ </loc><lastmod>2024-03-12</lastmod></url>
</urlset>"""

# (body, (child sitemaps, pages)), note.
SITEMAP_CASES = [
    (SITEMAP_INDEX, (["http://127.0.0.1:8000/wp-sitemap-posts-post-1.xml",
                      "http://127.0.0.1:8000/wp-sitemap-taxonomies-category-1.xml"], []),
     "an index lists child sitemaps"),
    (URLSET, ([], ["http://127.0.0.1:8000/2024/03/fachtag/"]), "a urlset lists pages, trimmed"),
    (b"<urlset><url><loc>x", ([], []), "broken XML: nothing, no crash"),
    (b"", ([], []), "an empty body"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body, found", [c[:2] for c in SITEMAP_CASES], ids=[c[2] for c in SITEMAP_CASES]
)
def test_sitemaps_are_read(body: bytes, found: tuple[list[str], list[str]]) -> None:
    assert sitemap_locs(body) == found


# (url, base, fetched), note.
SITE_CASES = [
    ("http://127.0.0.1:8000/a/", "http://127.0.0.1:8000/", True, "same host and port"),
    ("http://127.0.0.1:9000/a/", "http://127.0.0.1:8000/", False, "another port"),
    ("https://www.ikpe-erfurt.de/a/", "http://127.0.0.1:8000/", False, "the live site"),
]


@pytest.mark.parametrize(
    "url, base, fetched", [c[:3] for c in SITE_CASES], ids=[c[3] for c in SITE_CASES]
)
def test_only_the_given_site_is_fetched(url: str, base: str, fetched: bool) -> None:
    assert same_site(url, base) is fetched


def test_the_fts5_table_answers_a_search(tmp_path: Path) -> None:
    rows = [
        ("http://127.0.0.1/a/", "Fachtag in Erfurt", "2024-03-12", "Sozialplanung in Thüringen"),
        ("http://127.0.0.1/b/", "Bericht", "2023-01-01", "Armut und Teilhabe"),
    ]
    assert build_fts(tmp_path / "a.sqlite3", rows) == 1
    with sqlite3.connect(tmp_path / "a.sqlite3") as db:
        hits = db.execute("SELECT url FROM pages WHERE pages MATCH 'thuringen'").fetchall()
    assert hits == [("http://127.0.0.1/a/",)]
