"""The hostile archive the fault suite and ``python -m bench --faults`` work on.

The hostile site's payload posts (``tests/hostile_site.py``: script in headlines and text,
terminal escapes, broken encodings, deep nesting, a large page) crawled for real by the
command line, then indexed; one record gets a second version (with another script
payload), and a saved press review with a script in its title holds three of the records,
so every route of the web app has something real behind its ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.config import DataDir
from archive.facade import Archive
from archive.store import ArchiveStore
from tests.helpers import run_cli
from tests.hostile_site import PAYLOAD_POSTS, HostileSite

# The tests keep a 2 MB limit, so the hostile site's 3 MB page is cut quickly.
SMALL_DOWNLOADS = {"IKPE_DOWNLOAD_MAXSIZE": "2000000"}
REVIEW_NAME = "fuzz"
REVIEW_TITLE = "Pressespiegel <script>alert(7)</script>"
VERSIONED = "wp-201"  # the script-in-the-headline post, with a second version
SECOND_VERSION_TAIL = " Nachtrag <script>alert(6)</script> <img src=x onerror=alert(8)>"
# Strings that must never reach an HTML page as markup (they are text in the records).
MARKUP_PAYLOADS = ("<script>alert(", "<img src=x")  # escaped, "<" is "&lt;"


@dataclass(frozen=True)
class HostileArchive:
    """A data directory built from the hostile site, and the ids routes can be given."""

    root: Path
    record_ids: tuple[str, ...]
    review: str
    item_ids: tuple[int, ...]
    section_ids: tuple[int, ...]
    attachment_sha256: tuple[str, ...]
    crawl_stdout: str


def build_hostile_archive(root: Path, *, traps: bool = False) -> HostileArchive:
    """Crawl the hostile site (payload posts; its traps too when ``traps``) into ``root``,
    index it, add a second version and a saved press review."""
    with HostileSite(payloads=True, traps=traps) as site:
        result = run_cli(
            "crawl", "--start-url", site.url, "--no-throttle", data_dir=root,
            env=SMALL_DOWNLOADS, timeout=300,
        )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"crawl of the hostile site failed:\n{result.stderr[-3000:]}")
    data_dir = DataDir(root)
    with ArchiveStore(data_dir.store_path) as store:
        record = store.get(VERSIONED)["record"]
        changed = {**record, "text": record["text"] + SECOND_VERSION_TAIL}
        store.begin_crawl("crawl-nachtrag", site.url)
        store.save([changed], "crawl-nachtrag")
        store.finish_crawl("crawl-nachtrag", "finished", {}, apply_removals=False)
        record_ids = tuple(row["record"]["id"] for row in store.iter_records())
        digests = tuple(
            attachment["sha256"]
            for row in store.iter_records()
            for attachment in row["record"].get("attachments", [])
            if attachment.get("sha256")
        )
    with Archive(data_dir) as archive:
        archive.update_index()
        reviews = archive.press_reviews()
        reviews.create(REVIEW_TITLE, name=REVIEW_NAME, date_from="2024", date_to="2025")
        reviews.add(REVIEW_NAME, [f"wp-{n}" for n in (201, 202, 207)])
        composition = reviews.get(REVIEW_NAME)
    missing = {f"wp-{post.wp_id}" for post in PAYLOAD_POSTS.values()} - set(record_ids)
    if missing:
        raise RuntimeError(f"the crawl missed payload posts: {sorted(missing)}")
    return HostileArchive(
        root=root,
        record_ids=record_ids,
        review=REVIEW_NAME,
        item_ids=tuple(item.id for item in composition.items),
        section_ids=tuple(section.id for section in composition.sections),
        attachment_sha256=digests,
        crawl_stdout=result.stdout,
    )


def ensure_review(root: Path) -> None:
    """Make the saved review again when a fuzzed form deleted it (so later examples still
    reach a real review)."""
    with Archive(DataDir(root)) as archive:
        reviews = archive.press_reviews()
        if REVIEW_NAME not in {summary.name for summary in reviews.list()}:
            reviews.create(REVIEW_TITLE, name=REVIEW_NAME, date_from="2024", date_to="2025")
            reviews.add(REVIEW_NAME, [f"wp-{n}" for n in (201, 202, 207)])
