"""Real crawls of the replica over HTTP, compared with the replica's manifest."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.store import ArchiveStore
from crawler.journal import read_items
from tests.helpers import PROJECT_ROOT, Replica, crawl

# Noise of site-model.md that must never reach an item's text: anywhere ...
NOISE = [
    "MEHR LESEN",
    "Sie haben den zur Verwendung von Youtube benötigten Cookies nicht zugestimmt",
    "Bitte warten ...",
    "active category",
    "Lorem ipsum",
    "Bei nur einem Beitrag klappe ich das Accourdeon auf",
    "Fotos: @ikpe",
    "Fotos (3):",
    "Foto: @IKPE/Archiv",
    "Montage:@ikpe",
    "Nachbildung (Replica)",
    "\u00a0",
    "\t",
    "\n\n\n",
]
# ... or as a line of its own (prose may quote a button's words, as the Datenschutz page does).
NOISE_LINES = ["Mehr lesen", "Entscheidung widerrufen", "0", "1", "2", "3"]


def journal_items(data_dir: Path) -> list[list[dict]]:
    """The items of each crawl in ``data_dir``, oldest crawl first."""
    paths = sorted((data_dir / "items").glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    return [read_items(path) for path in paths]


def crawl_stats(data_dir: Path) -> list[dict]:
    """The summaries of each finished crawl in ``data_dir``, oldest first."""
    paths = sorted((data_dir / "items").glob("*.done.json"), key=lambda p: p.stat().st_mtime)
    return [json.loads(path.read_text()) for path in paths]


def normal(text: str) -> str:
    return " ".join(text.split())


def assert_matches_manifest(items: list[dict], manifest: dict) -> None:
    """Nothing missing, nothing twice, nothing extra; publications with their tab."""
    entries = [i for i in items if i["kind"] != "publication"]
    urls = [i["url"] for i in entries]
    assert len(urls) == len(set(urls)), "an entry was harvested twice"
    keys = [i["key"] for i in items]
    assert len(keys) == len(set(keys))
    expected = {e["url"] for e in manifest["entries"]}
    assert set(urls) == expected, (sorted(expected - set(urls)), sorted(set(urls) - expected))
    by_url = {e["url"]: e for e in manifest["entries"]}
    for item in entries:
        entry = by_url[item["url"]]
        assert item["title"] == entry["title"], item["url"]
        assert item["text"], item["url"]
        if entry["kind"] != "newsletter":
            assert item["wp_id"] == entry["id"], item["url"]
    harvested = [
        (i["publication"]["tab"], normal(i["publication"]["raw"]))
        for i in items
        if i["kind"] == "publication"
    ]
    wanted = [(p["tab"], normal(p["printed"])) for p in manifest["publications"]]
    assert sorted(harvested) == sorted(wanted)


def assert_every_record_stored(data_dir: Path, manifest: dict) -> None:
    """Every item became a valid record in the store (none invalid, none failed)."""
    (summary,) = crawl_stats(data_dir)[-1:]
    stats = summary["stats"]
    assert stats.get("ikpe/records/invalid", 0) == 0
    assert stats.get("ikpe/errors/record_build", 0) == 0
    with ArchiveStore(data_dir / "archive.sqlite3") as store:
        assert store.count() == len(manifest["entries"]) + len(manifest["publications"])


def assert_complete_harvest(data_dir: Path, replica: Replica) -> tuple[list[dict], dict]:
    """The crawl's items match the manifest, carry no noise, and all became stored records."""
    (items,) = journal_items(data_dir)
    manifest = replica.manifest()
    assert_matches_manifest(items, manifest)
    assert_no_noise(items)
    assert_every_record_stored(data_dir, manifest)
    return items, manifest


def assert_no_noise(items: list[dict]) -> None:
    for item in items:
        for noise in NOISE:
            assert noise not in item["text"], (item["url"], noise)
        lines = {line.strip() for line in item["text"].splitlines()}
        assert not lines & set(NOISE_LINES), (item["url"], lines & set(NOISE_LINES))


def test_crawl_with_rest_api(replica: Replica, tmp_path: Path) -> None:
    result = crawl(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "discovery: rest" in result.stdout
    (items,) = journal_items(tmp_path)
    assert_matches_manifest(items, replica.manifest())
    assert_no_noise(items)
    assert_every_record_stored(tmp_path, replica.manifest())
    post = next(i for i in items if i["kind"] == "post")
    assert post["provenance"]["published"] == "rest:date"
    assert post["source"]["via"] == "rest"


def test_crawl_without_rest_api_uses_sitemaps_and_html_signals(
    replica: Replica, tmp_path: Path
) -> None:
    replica.switch(rest=False)
    result = crawl(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "discovery: sitemap" in result.stdout
    items, manifest = assert_complete_harvest(tmp_path, replica)
    by_url = {e["url"]: e for e in manifest["entries"]}
    for item in items:
        if item["kind"] == "post":
            assert item["provenance"]["published"] == "json-ld:datePublished"
            assert item["published"] == by_url[item["url"]]["posted"]
            assert item["provenance"]["wp_id"] == "html:shortlink"


def test_crawl_without_wordpress_signals_reads_the_theme(replica: Replica, tmp_path: Path) -> None:
    replica.switch(rest=False, signals="none")
    result = crawl(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    items, manifest = assert_complete_harvest(tmp_path, replica)
    by_url = {e["url"]: e for e in manifest["entries"]}
    posts = [i for i in items if by_url.get(i["url"], {}).get("is_page") is False]
    assert posts
    for item in posts:
        assert item["visible_date"] == by_url[item["url"]]["posted"][:10], item["url"]
        assert item["provenance"]["visible_date"] == "theme:date-line"


def test_crawl_without_rest_or_sitemaps_walks_archives_and_feeds(
    replica: Replica, tmp_path: Path
) -> None:
    replica.switch(rest=False)
    replica.control(
        "faults",
        {"path": "/wp-sitemap.xml", "kind": "status", "status": 404, "times": -1, "retry_after": 0},
    )
    result = crawl(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "discovery: archive" in result.stdout
    (items,) = journal_items(tmp_path)
    manifest = replica.manifest()
    posts = {e["url"] for e in manifest["entries"] if not e["is_page"]}
    harvested = [i["url"] for i in items if i["kind"] != "publication"]
    assert posts <= set(harvested)
    assert len(harvested) == len(set(harvested))
    assert_no_noise(items)
    paths = {urlsplit(r["path"]).path for r in replica.requests_log()}
    assert "/category/willkommen/news_archiv/page/2/" in paths
    assert "/feed/" in paths


def test_crawl_survives_every_fault(replica: Replica, tmp_path: Path) -> None:
    replica.switch(rest=False, faults=True)
    faults = replica.manifest()["faults"]
    result = crawl(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    (items,) = journal_items(tmp_path)
    manifest = replica.manifest()
    assert_matches_manifest(items, manifest)  # transient faults cost nothing
    assert_every_record_stored(tmp_path, manifest)
    (summary,) = crawl_stats(tmp_path)
    stats = summary["stats"]
    assert stats["ikpe/errors/redirect_loop"] == 1
    assert stats["ikpe/errors/attachment"] == 1
    assert stats["retry/reason_count/503 Service Unavailable"] >= 2
    assert stats["ikpe/retry_after_honoured"] >= 2
    assert "redirect loop" in result.stderr and "kaputt.pdf" in result.stderr
    latin1_path = next(path for path, kind in faults.items() if kind == "latin1")
    latin1 = next(i for i in items if i["url"].endswith(latin1_path))
    entry = next(e for e in manifest["entries"] if e["url"].endswith(latin1_path))
    assert latin1["title"] == entry["title"]
    assert any(ch in latin1["text"] for ch in "äöüß")


def test_attachments_are_downloaded_once_and_described(replica: Replica, tmp_path: Path) -> None:
    assert crawl(tmp_path, replica.url, "--no-throttle").returncode == 0
    (items,) = journal_items(tmp_path)
    manifest = replica.manifest()
    releases = [e for e in manifest["entries"] if e["type"] == "press_release" and e["attachments"]]
    assert releases
    by_url = {i["url"]: i for i in items}
    for release in releases:
        attachment = next(
            a
            for a in by_url[release["url"]]["attachments"]
            if a["url"] == release["attachments"][0]["url"]
        )
        assert attachment["media_type"] == "application/pdf"
        stored = tmp_path / "attachments" / attachment["path"]
        data = stored.read_bytes()
        assert attachment["bytes"] == len(data) > 0
        assert attachment["sha256"] == hashlib.sha256(data).hexdigest()
        assert data.startswith(b"%PDF-")
    replica.clear_requests()
    assert crawl(tmp_path, replica.url, "--no-throttle").returncode == 0
    assert not [
        r for r in replica.requests_log() if r["path"].endswith(".pdf") and r["status"] == 200
    ]


@pytest.mark.parametrize("rest", [True, False], ids=["rest", "html"])
def test_recrawl_of_unchanged_site_downloads_no_post_body(
    replica: Replica, tmp_path: Path, rest: bool
) -> None:
    replica.switch(rest=rest)
    assert crawl(tmp_path, replica.url, "--no-throttle").returncode == 0
    replica.clear_requests()
    result = crawl(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0
    manifest = replica.manifest()
    entry_paths = {urlsplit(e["url"]).path for e in manifest["entries"]}
    log = replica.requests_log()
    assert log
    full_bodies = [
        r
        for r in log
        if r["status"] == 200
        and (
            urlsplit(r["path"]).path in entry_paths
            or "/wp/v2/posts" in r["path"]
            or "/wp/v2/pages" in r["path"]
            or "/wp-content/uploads/" in r["path"]
        )
    ]
    assert full_bodies == []
    assert sum(1 for r in log if r["status"] == 304) >= (3 if rest else len(entry_paths) - 2)
    first, second = journal_items(tmp_path)
    assert {i["key"]: i["text"] for i in first} == {i["key"]: i["text"] for i in second}


def test_changed_site_yields_exactly_the_edited_added_and_removed_posts(
    replica: Replica, tmp_path: Path
) -> None:
    assert crawl(tmp_path, replica.url, "--no-throttle").returncode == 0
    before = {e["id"]: e for e in replica.manifest()["entries"]}
    replica.switch(changed=True)
    after = {e["id"]: e for e in replica.manifest()["entries"]}
    assert crawl(tmp_path, replica.url, "--no-throttle").returncode == 0
    first, second = journal_items(tmp_path)
    old = {i["key"]: i for i in first}
    new = {i["key"]: i for i in second}
    added = set(new) - set(old)
    removed = set(old) - set(new)
    edited = {
        k
        for k in set(old) & set(new)
        if old[k]["text"] != new[k]["text"] or old[k].get("modified") != new[k].get("modified")
    }
    assert added == {f"wp-{i}" for i in set(after) - set(before)}
    assert removed == {f"wp-{i}" for i in set(before) - set(after)}
    changed_ids = {
        i for i in set(before) & set(after) if before[i]["modified"] != after[i]["modified"]
    }
    assert edited == {f"wp-{i}" for i in changed_ids}
    assert len(added) == len(removed) == len(edited) == 1


def test_every_response_is_captured_in_warc(replica: Replica, tmp_path: Path) -> None:
    replica.switch(rest=False)
    assert crawl(tmp_path, replica.url, "--no-throttle").returncode == 0
    log = replica.requests_log()
    records = []
    for path in sorted((tmp_path / "warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type in ("response", "revisit"):
                    records.append(
                        (path.name, stream.tell(), record.rec_headers.get_header("WARC-Target-URI"))
                    )
    # Every answer the site gave (the robots.txt fetch included) is in the WARC files.
    assert len(records) == len([r for r in log if r["status"] > 0])
    (items,) = journal_items(tmp_path)
    item = next(i for i in items if i["kind"] == "post")
    capture = item["source"]["capture"]
    with (tmp_path / "warc" / capture["warc_file"]).open("rb") as stream:
        stream.seek(capture["offset"])
        record = next(iter(ArchiveIterator(stream)))
        body = record.content_stream().read()
    assert record.rec_headers.get_header("WARC-Target-URI") == item["fetched_url"]
    assert hashlib.sha256(body).hexdigest() == item["source"]["sha256"] == capture["sha256"]


def test_crawler_names_itself_obeys_robots_and_stays_on_the_site(
    replica: Replica, tmp_path: Path
) -> None:
    assert crawl(tmp_path, replica.url, "--no-throttle").returncode == 0
    log = replica.requests_log()
    assert all("ikpe-archive" in r["user_agent"] and "+http" in r["user_agent"] for r in log)
    paths = [urlsplit(r["path"]).path for r in log]
    assert "/robots.txt" in paths
    assert not [p for p in paths if p.startswith("/wp-admin/") and p != "/wp-admin/admin-ajax.php"]
    assert not [p for p in paths if p.startswith("/__replica__")]


def test_polite_defaults() -> None:
    from crawler import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 2
    assert settings.DOWNLOAD_DELAY >= 1
    assert "ikpe-archive" in settings.USER_AGENT and "+http" in settings.USER_AGENT


def test_killed_crawl_resumes_without_starting_over(replica: Replica, tmp_path: Path) -> None:
    replica.switch(rest=False)
    command = [
        sys.executable,
        "-m",
        "search_app.cli",
        "--data-dir",
        str(tmp_path),
        "crawl",
        "--start-url",
        replica.url,
    ]  # throttled: slow enough to kill mid-way
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Throttled, at a quarter of the live site's pause: still killed mid-way.
        env={**os.environ, "IKPE_STORE_BATCH": "5", "IKPE_CRAWL_DELAY_MS": "250"},
    )
    journal = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = list((tmp_path / "items").glob("*.jsonl")) if (tmp_path / "items").exists() else []
        if found and sum(i["kind"] == "post" for i in read_items(found[0])) >= 3:
            journal = found[0]
            break
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert journal is not None, "the crawl harvested nothing in time"
    harvested_before = len(read_items(journal))
    replica.clear_requests()
    result = crawl(tmp_path, replica.url, "--no-throttle")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(resumed)" in result.stdout
    items = read_items(journal)
    assert len(items) > harvested_before
    assert_matches_manifest(items, replica.manifest())
    refetched = {urlsplit(r["path"]).path for r in replica.requests_log() if r["status"] == 200}
    done_paths = {
        urlsplit(i["fetched_url"]).path for i in items[:harvested_before] if i["kind"] == "post"
    }
    assert len(done_paths) >= 3
    assert not refetched & done_paths  # posts harvested before the kill are not fetched again
