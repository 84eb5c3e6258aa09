"""No request escapes the crawl's bounds (issue 13, Crawling): attachments downloaded by the
files pipeline and the spider's idle fallback count against the page budget and the
per-pattern limits like any page; only Scrapy's robots.txt request is let through, one
per host. Real crawls of a site on 127.0.0.1 with the real command line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from archive import statkeys
from tests.helpers import run_cli
from tests.hostile_bounds_site import PDFS_PER_POST, POSTS, BoundsSite

UPLOADS = "/wp-content/uploads/"


def crawl_stats(data_dir: Path) -> dict:
    (summary,) = [json.loads(p.read_text()) for p in (data_dir / "items").glob("*.*.json")]
    return summary["stats"]


# (environment, the most requests besides robots.txt, the most PDFs fetched, the rule
#  that must have cut), note.
LIMITS = [
    ({"IKPE_CRAWL_PAGE_BUDGET": "1"}, 1, 0, "budget",
     "a budget of one: the start page, and robots.txt unbudgeted"),
    ({"IKPE_CRAWL_PAGE_BUDGET": "6"}, 6, 0, "budget",
     "the budget spent before the sitemaps answer: the idle fallback's links are cut"),
    ({"IKPE_CRAWL_PAGE_BUDGET": "14"}, 14, 6, "budget",
     "the posts fit, their attachments spend the rest of the budget"),
    ({"IKPE_CRAWL_MAX_PER_PATTERN": "5"}, 5 + 20, 5, "per_pattern",
     "all PDFs share one URL pattern: five are fetched"),
]  # fmt: skip


@pytest.mark.parametrize("env, most, most_pdfs, rule", [row[:4] for row in LIMITS],
                         ids=[row[4] for row in LIMITS])  # fmt: skip
def test_every_request_but_robots_txt_counts_against_the_bounds(
    tmp_path: Path, env: dict, most: int, most_pdfs: int, rule: str
) -> None:
    with BoundsSite() as site:
        result = run_cli("crawl", "--start-url", site.url, "--no-throttle", data_dir=tmp_path,
                         env=env, timeout=240)  # fmt: skip
        requests = list(site.requests)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    paths = Counter(requests)
    assert paths["/robots.txt"] >= 1  # Scrapy's own, whatever the budget
    budgeted = len(requests) - 1  # besides Scrapy's robots.txt request
    assert budgeted <= most, paths
    pdfs = sum(count for path, count in paths.items() if path.startswith(UPLOADS))
    assert pdfs <= most_pdfs, paths
    stats = crawl_stats(tmp_path)
    assert stats.get(statkeys.cut(rule), 0) > 0, stats


def test_attachments_cut_by_a_limit_are_recorded_as_not_downloaded(tmp_path: Path) -> None:
    with BoundsSite() as site:
        result = run_cli("crawl", "--start-url", site.url, "--no-throttle", data_dir=tmp_path,
                         env={"IKPE_CRAWL_MAX_PER_PATTERN": "5"}, timeout=240)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    stats = crawl_stats(tmp_path)
    assert stats[statkeys.cut("per_pattern")] == POSTS * PDFS_PER_POST - 5
    export = run_cli("export", "--format", "jsonl", data_dir=tmp_path)
    attachments = [
        a for line in export.stdout.splitlines() for a in json.loads(line)["attachments"]
    ]
    assert len(attachments) == POSTS * PDFS_PER_POST
    assert sum(a["sha256"] is not None for a in attachments) == 5
    assert {a["error"] for a in attachments if a["sha256"] is None} == {"download failed"}
