"""Real crawls of hostile sites on 127.0.0.1 (issue 13, Crawling): infinite link spaces
are cut off and reported, a site that never answers fails loudly, a page budget and
per-pattern limits hold, and a resumed nightly still sees every record the site serves."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from archive import statkeys
from archive.monitors import records_seen
from archive.store import ArchiveStore
from crawler.journal import read_items
from tests.helpers import Replica, crawl, nightly, run_cli
from tests.hostile_site import HostileSite, closed_port, silent_port

# The tests keep a 2 MB limit so that the hostile site's 3 MB page is cut quickly.
SMALL_DOWNLOADS = {"IKPE_DOWNLOAD_MAXSIZE": "2000000"}
# A site that never answers is given one second and one retry, not the defaults' minutes.
IMPATIENT = {"IKPE_DOWNLOAD_TIMEOUT": "1", "IKPE_RETRY_TIMES": "1"}


def finished_stats(data_dir: Path) -> dict:
    """The stats of the data directory's only finished (or stopped) crawl."""
    (summary,) = [
        json.loads(path.read_text())
        for pattern in ("*.done.json", "*.stopped.json")
        for path in (data_dir / "items").glob(pattern)
    ]
    return summary["stats"]


def latest_report(data_dir: Path) -> dict:
    reports = sorted((data_dir / "reports").glob("*.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(reports[-1].read_text())


def test_infinite_link_spaces_are_cut_off_by_their_shape_and_reported(tmp_path: Path) -> None:
    with HostileSite() as site:
        result = run_cli(
            "crawl", "--start-url", site.url, "--no-throttle", data_dir=tmp_path,
            env=SMALL_DOWNLOADS, timeout=240,
        )  # fmt: skip
        hits = {prefix: site.hits(prefix) for prefix in ("/veranstaltungen/", "/kette/",
                                                         "/schleife/", "/filter/")}  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    # The calendar runs from 2000 to two years ahead, then its months are traps; the
    # other traps end after a handful of pages. Unbounded, each ran to the site's cap.
    first_year, last_year = 2000, date.today().year + 2
    assert hits["/veranstaltungen/"] <= 12 * (last_year - first_year + 1) + 2
    assert hits["/kette/"] <= 13 and hits["/schleife/"] <= 3 and hits["/filter/"] <= 9
    stats = finished_stats(tmp_path)
    cuts = statkeys.by_suffix(stats, statkeys.CUT_PREFIX)
    assert cuts.keys() >= {"date_out_of_range", "repeated_segments", "query_explosion", "depth"}
    assert stats[statkeys.cut_example("date_out_of_range")].endswith(
        f"/veranstaltungen/monat/{last_year + 1}-01/"
    )
    assert stats[statkeys.cut_example("repeated_segments")].endswith(
        "/schleife/unterordner/unterordner/unterordner/"
    )
    # The 3 MB page and the endless body are cut at the download limit, counted, logged.
    assert stats[statkeys.ERROR_TOO_LARGE] == 2
    assert "larger than download max size" in result.stderr
    # The three posts are harvested all the same; the summary says what was cut off.
    assert stats[statkeys.items("post")] == 3
    assert "cut off (trap) date_out_of_range: 2" in result.stdout
    assert "cut off (limit) depth: 1" in result.stdout


def test_a_page_budget_and_per_pattern_limits_stop_the_crawl_and_withhold_removals(
    tmp_path: Path,
) -> None:
    limits = {"IKPE_CRAWL_PAGE_BUDGET": "80", "IKPE_CRAWL_MAX_PER_PATTERN": "25"}
    with HostileSite(endless_list=True) as site:
        result = run_cli(
            "nightly", "--start-url", site.url, "--no-throttle", data_dir=tmp_path,
            env={**SMALL_DOWNLOADS, **limits}, timeout=240,
        )  # fmt: skip
        requested = len(site.requests)
        listed = site.hits("/liste/")
    assert result.returncode == 3, result.stderr[-3000:]
    assert requested <= 80 + 5  # the budget, and robots.txt, the unbudgeted fallback
    assert listed <= 25
    report = latest_report(tmp_path)
    assert report["stats"]["finish_reason"] == "page_budget"
    assert report["stats"]["cut_off"].keys() >= {"per_pattern", "budget"}
    assert report["discovery_complete"] is False
    failed = {m["name"] for m in report["monitors"] if not m["ok"]}
    assert failed == {"finish_reason", "discovery"}
    item_count = next(m for m in report["monitors"] if m["name"] == "item_count")
    assert "not compared" in item_count["detail"]
    assert "cut off (limit) budget" in result.stdout
    assert "monitor failed: discovery: cut short by limits" in result.stderr


def _assert_one_clear_line(result, *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "the site does not answer" in line]
    assert lines and all(word in lines[0] for word in words), result.stderr[-3000:]


def test_a_site_that_refuses_connections_fails_the_crawl_and_the_nightly(tmp_path: Path) -> None:
    url = closed_port()
    result = run_cli("crawl", "--start-url", url, "--no-throttle", data_dir=tmp_path / "crawl",
                     env=IMPATIENT, timeout=120)  # fmt: skip
    _assert_one_clear_line(result, url, "connection_refused")
    # The command's last word is the reason itself, not "stopped early: site_unreachable".
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(f"Error: the site does not answer: {url}")
    assert "the site does not answer" in result.stdout  # the summary says it too
    # Nothing to resume: the next crawl starts afresh rather than "resuming" nothing.
    assert not (tmp_path / "crawl" / "crawl-state" / "current.json").exists()

    result = run_cli("nightly", "--start-url", url, "--no-throttle", data_dir=tmp_path / "night",
                     env=IMPATIENT, timeout=120)  # fmt: skip
    _assert_one_clear_line(result, url, "connection_refused")
    report = latest_report(tmp_path / "night")
    assert report["exit_code"] == 1
    assert report["site_unreachable"].startswith(url)
    assert [(m["name"], m["ok"]) for m in report["monitors"]] == [("site_reachable", False)]
    assert report["stats"]["finish_reason"] == "site_unreachable"


def test_a_site_that_never_answers_times_out_and_fails_the_crawl(tmp_path: Path) -> None:
    with silent_port() as url:
        result = run_cli("crawl", "--start-url", url, "--no-throttle", data_dir=tmp_path,
                         env=IMPATIENT, timeout=120)  # fmt: skip
    _assert_one_clear_line(result, url, "timeout", "2 attempts")


def test_a_site_that_goes_down_is_not_crawled_from_the_cache(tmp_path: Path) -> None:
    with HostileSite() as site:
        first = crawl(tmp_path, site.url, "--no-throttle")
        assert first.returncode == 0, first.stderr[-3000:]
    # The same site and data directory, the HTTP cache warm: the site is down now.
    result = run_cli("crawl", "--start-url", site.url, "--no-throttle", data_dir=tmp_path,
                     env=IMPATIENT, timeout=120)  # fmt: skip
    _assert_one_clear_line(result, site.url, "connection_refused")


# --------------------------------------------------------------------------------------
# A resumed nightly
# --------------------------------------------------------------------------------------


def _leave_a_killed_crawl(data_dir: Path, start_url: str, crawl_id: str) -> list[dict]:
    """The state a nightly killed half-way leaves: its marker, a journal of the first
    half of the posts (among them those linking the newsletters), those records saved
    by the killed crawl. Built from the previous crawl's journal, so it is exact."""
    (journal,) = (data_dir / "items").glob("*.jsonl")
    items = read_items(journal)
    posts = [i for i in items if i["kind"] == "post"]
    linking = [i for i in posts if any("mailpoet" in link for link in i.get("links", []))]
    assert linking, "the replica's posts no longer link a newsletter"
    half = linking + [i for i in posts if i not in linking][: len(posts) // 2]
    (data_dir / "crawl-state" / "current.json").write_text(
        json.dumps({"crawl_id": crawl_id, "start_url": start_url})
    )
    with (data_dir / "items" / f"{crawl_id}.jsonl").open("w") as out:
        for item in half:
            out.write(json.dumps(item) + "\n")
    with ArchiveStore(data_dir / "archive.sqlite3") as store:
        store.begin_crawl(crawl_id, start_url)
        records = [store.get(i["key"])["record"] for i in half]
        store.save(records, crawl_id)
    return half


def test_a_resumed_nightly_follows_the_links_of_posts_it_skips_and_counts_all(
    replica: Replica, tmp_path: Path
) -> None:
    replica.switch(rest=False)  # posts come from sitemaps and pages, not the REST API
    first = nightly(tmp_path, replica.url, "--no-throttle")
    assert first.returncode == 0, first.stderr[-3000:]
    total = len(latest_report(tmp_path)["new"])
    newsletters = {e["url"] for e in replica.manifest()["entries"] if e["kind"] == "newsletter"}
    assert newsletters
    shutil.rmtree(tmp_path / "reports")

    half = _leave_a_killed_crawl(tmp_path, replica.url, "20261130T010000-1")
    replica.clear_requests()
    resumed = nightly(tmp_path, replica.url, "--no-throttle")
    assert resumed.returncode == 0, (resumed.stdout[-2000:], resumed.stderr[-3000:])
    report = latest_report(tmp_path)
    assert report["resumed"] is True
    assert report["removed"] == []  # the newsletters linked only from skipped posts stay
    with ArchiveStore(tmp_path / "archive.sqlite3") as store:
        present = {row["record"]["url"] for row in store.iter_records()}
        (run,) = [r for r in store.crawl_history(5) if r["crawl_id"] == "20261130T010000-1"]
    assert newsletters <= present
    # Skipped posts are not fetched again, but the newsletters they link are.
    fetched = {r["path"] for r in replica.requests_log()}
    assert not {i["fetched_url"].split(f":{replica.port}")[1] for i in half} & fetched
    assert any("mailpoet" in path for path in fetched)
    # The counts stand for the whole crawl: the monitor passes, and its history holds
    # the full count, not the second half's.
    assert all(m["ok"] for m in report["monitors"]), report["monitors"]
    assert records_seen(run["stats"]) == total
    assert run["stats"][statkeys.RESUME_CARRIED] == len(half)
