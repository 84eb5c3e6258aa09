"""The hostile site's payload posts, crawled for real (``tests/hostile_site.py``): each
becomes a record whose title and text say what the page says, without script, style,
control characters, terminal escapes or bidi overrides, in the right encoding, past deep
nesting; the large post is indexed at a bounded cost; every page and answer that shows
them escapes them."""

from __future__ import annotations

import time
import unicodedata

import pytest

from archive.config import DataDir
from archive.facade import Archive
from archive.store import ArchiveStore
from search_app.web.app import create_app
from tests.faults.fault_data import HostileArchive
from tests.faults.fault_fuzz import markup_problems
from tests.hostile_site import PAYLOAD_POSTS, SCRIPT_AS_TEXT

pytestmark = pytest.mark.e2e


def _record(archive: HostileArchive, wp_id: int) -> dict:
    with ArchiveStore(archive.root / "archive.sqlite3") as store:
        row = store.get(f"wp-{wp_id}")
    assert row is not None, f"wp-{wp_id} was not harvested"
    return row["record"]


def _invisible(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in {"Cc", "Cf"} and c not in "\n\t"]


@pytest.mark.parametrize("slug", PAYLOAD_POSTS, ids=list(PAYLOAD_POSTS))
def test_a_payload_post_becomes_a_clean_record(hostile_archive: HostileArchive, slug: str) -> None:
    post = PAYLOAD_POSTS[slug]
    record = _record(hostile_archive, post.wp_id)
    assert all(word in record["title"] for word in post.title_words), record["title"]
    assert all(word in record["text"] for word in post.text_words), record["text"][:300]
    assert "alert" not in record["title"] and "{color" not in record["title"]
    assert _invisible(record["title"]) == [] and _invisible(record["text"][:5000]) == []


def test_script_text_stays_text_and_markup_payloads_are_gone(
    hostile_archive: HostileArchive,
) -> None:
    record = _record(hostile_archive, PAYLOAD_POSTS["skript-im-titel"].wp_id)
    assert SCRIPT_AS_TEXT in record["text"]  # it was text on the page
    assert "alert(5)" not in record["text"] and "alert(3)" not in record["text"]


def test_the_large_post_is_searched_quickly(hostile_archive: HostileArchive) -> None:
    with Archive(DataDir(hostile_archive.root)) as archive:
        started = time.perf_counter()
        hits = [hit.id for hit in archive.search("Anfangswort").hits]
        assert time.perf_counter() - started < 2.0
    assert hits == [f"wp-{PAYLOAD_POSTS['gross'].wp_id}"]


def test_pages_showing_the_payloads_escape_them(hostile_archive: HostileArchive) -> None:
    app = create_app({"TESTING": True, "DATA_DIR": str(hostile_archive.root)})
    try:
        client = app.test_client()
        paths = [f"/r/wp-{post.wp_id}" for post in PAYLOAD_POSTS.values()]
        paths += [
            "/suche?q=alert",
            "/suche?q=Fachtag",
            "/r/wp-201/diff?a=1&b=2",
            "/r/wp-201/v/2",
            f"/pressespiegel/{hostile_archive.review}/dokument",
        ]
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert markup_problems(response.get_data(as_text=True)) == [], path
    finally:
        app.extensions["ikpe_archive"].close()
