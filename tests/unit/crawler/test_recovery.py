"""The pieces of a rebuild from the WARC files (issue 13): a scan of the files that needs
no index and survives damage, the fetch time a record names, and the attachment rules
the rebuild shares with the crawl. The whole rebuild runs in
tests/e2e/test_rebuild_from_warc.py against real crawls."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from scrapy.http import Request

from archive.captures import CaptureIndex, Exchange, WarcArchive, read_capture, scan_captures
from crawler.pipelines import AttachmentsPipeline, attachment_facts, attachment_path
from crawler.recovery import crawl_of
from crawler.spiders.ikpe import is_entry_url
from crawler.urls import Site

SITE = "http://127.0.0.1:8765"


def exchange(url: str, *, status: int = 200, method: str = "GET", form: bytes = b"",
             body: bytes = b"<html>x</html>", headers: list | None = None) -> Exchange:  # fmt: skip
    return Exchange(url=url, method=method, request_url=url, request_headers=[],
                    request_body=form, status=status,
                    headers=headers or [("Content-Type", "text/html")], body=body)  # fmt: skip


@pytest.fixture
def warc_dir(tmp_path: Path) -> Path:
    """Two crawls: answers of every kind the scan must tell apart."""
    first = WarcArchive(tmp_path, "20261130T010000-1")
    first.record(exchange(f"{SITE}/beitrag/"))
    first.record(exchange(f"{SITE}/wp-admin/admin-ajax.php", method="POST", form=b"tab=a"))
    first.record(exchange(f"{SITE}/wp-admin/admin-ajax.php", method="POST", form=b"tab=b"))
    first.close()
    second = WarcArchive(tmp_path, "20261201T010000-2")
    second.record(exchange(f"{SITE}/beitrag/", status=304, body=b""))
    second.record(exchange(f"{SITE}/kaputt/", status=503))
    second.close()
    return tmp_path


def test_a_scan_finds_every_answer_and_its_request_without_the_index(warc_dir: Path) -> None:
    (warc_dir / "captures.sqlite3").unlink()
    found = [(r.url.removeprefix(SITE), r.record_type, r.status, r.method, r.request_body,
              crawl_of(r)) for r in scan_captures(warc_dir)]  # fmt: skip
    assert found == [
        ("/beitrag/", "response", 200, "GET", b"", "20261130T010000-1"),
        ("/wp-admin/admin-ajax.php", "response", 200, "POST", b"tab=a", "20261130T010000-1"),
        ("/wp-admin/admin-ajax.php", "response", 200, "POST", b"tab=b", "20261130T010000-1"),
        ("/beitrag/", "revisit", 304, "GET", b"", "20261201T010000-2"),
        ("/kaputt/", "response", 503, "GET", b"", "20261201T010000-2"),
    ]
    tabs = [r.request_key for r in scan_captures(warc_dir) if r.method == "POST"]
    assert len(set(tabs)) == 2  # one URL, two requests


def test_a_scan_keeps_what_precedes_damage_and_skips_foreign_files(warc_dir: Path) -> None:
    (second,) = warc_dir.glob("20261201*.warc.gz")
    data = second.read_bytes()
    last = scan_captures(warc_dir)[-1]
    second.write_bytes(data[: last.offset] + gzip.compress(b"WARC/1.0\r\nWARC-Type: resp")[:30])
    (warc_dir / "zufall.warc.gz").write_bytes(b"\x00not a warc at all" * 50)
    (warc_dir / "notizen.txt").write_text("not scanned")
    urls = [r.url.removeprefix(SITE) for r in scan_captures(warc_dir)]
    assert urls == ["/beitrag/", "/wp-admin/admin-ajax.php", "/wp-admin/admin-ajax.php",
                    "/beitrag/"]  # fmt: skip
    assert scan_captures(warc_dir / "fehlt") == []


def test_a_capture_names_the_fetch_time_and_digest_its_record_names(tmp_path: Path) -> None:
    """A rebuild reads the time from the WARC file when the index is lost: the writer
    puts the index's time there; the digest is of the bytes as sent (gzip here)."""
    archive = WarcArchive(tmp_path, "20261130T010000-1")
    body = gzip.compress(b"<html>komprimiert</html>")
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    where = archive.record(exchange(f"{SITE}/gz/", body=body, headers=headers))
    archive.close()
    (ref,) = scan_captures(tmp_path)
    assert ref.fetched_at == where["fetched_at"]
    with CaptureIndex(tmp_path) as index:
        assert index.fetched_at_by_location() == {(ref.warc_file, ref.offset): ref.fetched_at}
    capture = read_capture(tmp_path, ref.warc_file, ref.offset)
    assert capture.body == b"<html>komprimiert</html>"
    assert capture.sha256 == where["sha256"] == hashlib.sha256(body).hexdigest()


# (url, the file's suffix), note: an attachment is kept under the SHA-1 of its URL.
ATTACHMENT_URLS = [
    (f"{SITE}/wp-content/uploads/2023/09/PM_IKPE_2023-09-13.pdf", ".pdf", "its suffix"),
    (f"{SITE}/wp-content/uploads/2023/09/Bericht.PDF?version=2", ".pdf", "lower case, no query"),
    (f"{SITE}/dokumente/ohne-endung", ".bin", "no suffix"),
    (f"{SITE}/wp-content/uploads/a.verylongsuffix", ".veryl", "six characters at most"),
]


@pytest.mark.parametrize(("url", "suffix"), [row[:2] for row in ATTACHMENT_URLS],
                         ids=[row[2] for row in ATTACHMENT_URLS])  # fmt: skip
def test_an_attachment_is_kept_under_the_hash_of_its_url(url: str, suffix: str) -> None:
    digest = hashlib.sha1(url.encode("utf-8")).hexdigest()
    assert attachment_path(url) == f"{digest[:2]}/{digest}{suffix}"
    assert AttachmentsPipeline.file_path(None, Request(url)) == attachment_path(url)


# (url, bytes, media type), note.
MEDIA_TYPES = [
    ("/a.pdf", b"%PDF-1.4 ...", "application/pdf", "a PDF by its magic"),
    ("/a.bin", b"%PDF-1.7 ...", "application/pdf", "the magic beats the name"),
    ("/a.pdf", b"<html>Fehler</html>", "application/pdf", "the name when no magic"),
    ("/a.docx", b"PK\x03\x04",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a Word file"),
    ("/ohne", b"?", "application/octet-stream", "nothing known"),
]  # fmt: skip


@pytest.mark.parametrize("path, data, media", [m[:3] for m in MEDIA_TYPES],
                         ids=[m[3] for m in MEDIA_TYPES])  # fmt: skip
def test_attachment_facts(path: str, data: bytes, media: str) -> None:
    facts = attachment_facts(SITE + path, data)
    assert facts == {"path": attachment_path(SITE + path), "bytes": len(data),
                     "sha256": hashlib.sha256(data).hexdigest(), "media_type": media}  # fmt: skip


# (path, an entry the spider requests), note.
ENTRIES = [
    ("/beitrag/", True, "a post"),
    ("/", False, "the home page"),
    ("/category/news/", False, "a category archive"),
    ("/feed/", False, "a feed"),
    ("/beitrag/?replytocom=3", False, "a query"),
    ("/?mailpoet_router&endpoint=view_in_browser&data=x", True, "a newsletter"),
    ("/wp-content/uploads/a.pdf", False, "a document"),
]  # fmt: skip


@pytest.mark.parametrize("path, expected", [e[:2] for e in ENTRIES], ids=[e[2] for e in ENTRIES])
def test_which_pages_were_entries(path: str, expected: bool) -> None:
    assert is_entry_url(Site.from_url(SITE), SITE + path) is expected


def _post(title: str) -> bytes:
    return (
        "<html><head><title>" + title + "</title></head><body class='single'><main>"
        "<h1 class='entry-title'>" + title + "</h1><time datetime='2024-03-12'>12.03.2024"
        "</time><div class='entry-content'><p>Ein Absatz über Sozialplanung in Erfurt, lang"
        " genug für einen Beitrag.</p></div></main></body></html>"
    ).encode()


def test_a_failing_callback_loses_its_capture_not_the_rebuild(tmp_path: Path, monkeypatch) -> None:
    """Scrapy goes on after a callback raises; so does the rebuild, and says which capture
    it could not replay."""
    from crawler.recovery import WarcRecovery
    from crawler.spiders.ikpe import IkpeSpider

    warc_dir = tmp_path / "warc"
    archive = WarcArchive(warc_dir, "20261130T010000-1")
    for slug in ("kaputt", "heil"):
        archive.record(exchange(f"{SITE}/2024/03/{slug}/", body=_post(slug.title())))
    archive.close()
    parse_entry = IkpeSpider.parse_entry

    def failing_on_one(self, response, *args, **kwargs):
        if "/kaputt/" in response.url:
            raise ValueError("a bug of the spider")
        return parse_entry(self, response, *args, **kwargs)

    monkeypatch.setattr(IkpeSpider, "parse_entry", failing_on_one)
    recovery = WarcRecovery(warc_dir, tmp_path / "attachments")
    (crawl,) = list(recovery.crawls())
    assert [r.item["url"].removeprefix(SITE) for r in crawl.items] == ["/2024/03/heil/"]
    assert len(recovery.unreadable) == 1
