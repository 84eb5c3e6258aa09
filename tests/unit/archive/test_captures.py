"""archive.captures on real WARC files in a temporary directory: writing responses and
revisits, the capture index, and reading captures back (refusing what is not one)."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import captures
from archive.captures import (
    INDEX_NAME,
    REVISIT_PROFILE,
    Capture,
    CaptureIndex,
    Exchange,
    WarcArchive,
    header_pairs,
    read_capture,
)

SITE = "https://www.ikpe-erfurt.de"
HTML_HEADERS = [
    ("Content-Type", "text/html; charset=UTF-8"),
    ("Last-Modified", "Tue, 12 Mar 2024 09:00:00 GMT"),
    ("ETag", '"abc-123"'),
    ("Link", f'<{SITE}/wp-json/>; rel="https://api.w.org/"'),
    ("Set-Cookie", "a=1; Path=/"),
    ("Set-Cookie", "b=2; Path=/"),
]
BODY = "<html><body><h1>Fachtag „Armut“</h1><p>Ä Ö Ü ß</p></body></html>".encode()
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def exchange(
    url: str,
    status: int = 200,
    body: bytes = BODY,
    headers: list[tuple[str, str]] | None = None,
    method: str = "GET",
    request_body: bytes = b"",
) -> Exchange:
    return Exchange(
        url=url,
        method=method,
        request_url=url,
        request_headers=[("User-Agent", "ikpe-archive-test"), ("Accept", "*/*")],
        request_body=request_body,
        status=status,
        headers=HTML_HEADERS if headers is None else headers,
        body=body,
    )


@pytest.fixture
def warc_dir(tmp_path: Path) -> Path:
    return tmp_path / "warc"


@pytest.fixture
def archive(warc_dir: Path):
    opened = WarcArchive(warc_dir, "20240312T000000-1")
    yield opened
    with contextlib.suppress(sqlite3.ProgrammingError):  # the test closed it already
        opened.close()


def records_in(path: Path) -> list[tuple[str, int, str]]:
    """(record type, offset, target URI) of every record of a WARC file."""
    found = []
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            found.append((record.rec_type, iterator.get_record_offset(), uri))
    return found


# --------------------------------------------------------------------------------------
# Writing: responses, revisits, the index
# --------------------------------------------------------------------------------------


def test_a_response_is_written_indexed_and_read_back_identically(archive, warc_dir) -> None:
    url = f"{SITE}/fachtag/"
    where = archive.record(exchange(url))
    assert where["record_type"] == "response"
    assert where["warc_file"] == "20240312T000000-1-00000.warc.gz"
    assert where["offset"] == 0
    assert where["status"] == 200
    assert where["sha256"] == hashlib.sha256(BODY).hexdigest()
    assert archive.lookup(url) == {
        "warc_file": where["warc_file"],
        "offset": 0,
        "sha256": where["sha256"],
        "status": 200,
        "fetched_at": where["fetched_at"],
    }
    archive.close()

    capture = read_capture(warc_dir, where["warc_file"], where["offset"])
    assert capture == Capture(
        url=url, status=200, headers=HTML_HEADERS, body=BODY, fetched_at=capture.fetched_at
    )
    assert capture.fetched_at.replace("Z", "") == where["fetched_at"].replace("Z", "")
    assert capture.content_type == "text/html; charset=UTF-8"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_response_reads_back_decoded(archive, warc_dir, encoding: str) -> None:
    """The capture middleware sits before Scrapy's decompression, so a live site's gzip
    answer is written compressed; reading it gives the page (as re-extraction and the
    archived copy need), and the stored digest of the compressed bytes still holds."""
    compress = {"gzip": gzip.compress, "deflate": zlib.compress}[encoding]
    headers = [("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", encoding)]
    where = archive.record(exchange(f"{SITE}/gzip/", body=compress(BODY), headers=headers))
    archive.close()
    capture = read_capture(warc_dir, where["warc_file"], where["offset"])
    assert capture is not None and capture.body == BODY


# (status, body, headers), note.
ROUND_TRIP_CASES = [
    (200, BODY, HTML_HEADERS, "HTML with repeated headers, kept in order"),
    (200, PDF, [("Content-Type", "application/pdf")], "binary body, every byte value"),
    (200, b"", [("Content-Type", "text/plain")], "empty body"),
    (203, b"{}", [("content-type", "application/json")], "another 2xx, lower-case header"),
    (404, b"<p>Nicht gefunden</p>", [("Content-Type", "text/html")],
     "a 404 is written too (but not indexed)"),
    (200, BODY, [], "no headers at all"),
]  # fmt: skip


@pytest.mark.parametrize(
    "status, body, headers", [c[:3] for c in ROUND_TRIP_CASES], ids=[c[3] for c in ROUND_TRIP_CASES]
)
def test_round_trip(archive, warc_dir, status: int, body: bytes, headers: list) -> None:
    url = f"{SITE}/x/"
    archive.record(exchange(f"{SITE}/davor/"))  # not at offset 0
    where = archive.record(exchange(url, status, body, headers))
    archive.close()
    capture = read_capture(warc_dir, where["warc_file"], where["offset"])
    assert (capture.url, capture.status, capture.headers, capture.body) == (
        url,
        status,
        headers,
        body,
    )
    assert where["sha256"] == hashlib.sha256(body).hexdigest()


def test_304_is_a_revisit_pointing_at_the_earlier_capture(archive, warc_dir) -> None:
    url = f"{SITE}/fachtag/"
    first = archive.record(exchange(url))
    again = archive.record(exchange(url, 304, b"", [("ETag", '"abc-123"')]))
    assert again["record_type"] == "revisit"
    for key in ("warc_file", "offset", "sha256", "status", "fetched_at"):
        assert again[key] == first[key], key
    assert again["revalidated_at"] >= first["fetched_at"]
    assert archive.lookup(url)["offset"] == first["offset"]  # the index still names the body
    archive.close()

    path = warc_dir / first["warc_file"]
    kinds = [(kind, uri) for kind, _, uri in records_in(path)]
    assert kinds == [("response", url), ("request", url), ("revisit", url), ("request", url)]
    with path.open("rb") as stream:
        revisit = [r for r in ArchiveIterator(stream) if r.rec_type == "revisit"][0]
        assert revisit.rec_headers.get_header("WARC-Profile") == REVISIT_PROFILE
        assert revisit.rec_headers.get_header("WARC-Refers-To-Target-URI") == url
        assert revisit.http_headers.get_statuscode() == "304"
    # the revisit's own offset holds no response
    revisit_offset = records_in(path)[2][1]
    assert read_capture(warc_dir, first["warc_file"], revisit_offset) is None
    # the capture it points at reads back as the full response
    assert read_capture(warc_dir, again["warc_file"], again["offset"]).body == BODY


# (statuses written for the URL in order, lookup finds a capture?), note.
INDEX_CASES = [
    ((200,), True, "a 200 is indexed"),
    ((204,), True, "any 2xx is indexed"),
    ((404,), False, "a 404 is not a capture to revisit"),
    ((301,), False, "a redirect is not indexed"),
    ((500,), False, "a server error is not indexed"),
    ((304,), False, "a 304 without an earlier capture is nothing to point at"),
    ((200, 404), True, "a later 404 keeps the earlier capture"),
    ((404, 304), False, "a 304 after a 404 has nothing to point at"),
]


@pytest.mark.parametrize(
    "statuses, indexed", [c[:2] for c in INDEX_CASES], ids=[c[2] for c in INDEX_CASES]
)
def test_what_is_indexed(archive, statuses: tuple[int, ...], indexed: bool) -> None:
    url = f"{SITE}/seite/"
    results = [archive.record(exchange(url, status)) for status in statuses]
    assert (archive.lookup(url) is not None) is indexed
    if statuses[-1] == 304:
        assert (results[-1] is not None) is indexed


def test_lookup_names_the_latest_capture(archive, warc_dir) -> None:
    url = f"{SITE}/aktuell/"
    archive.record(exchange(url, body=b"<p>alt</p>"))
    newer = archive.record(exchange(url, body=b"<p>neu</p>"))
    assert archive.lookup(url)["offset"] == newer["offset"]
    assert archive.lookup(f"{SITE}/aktuell") is None  # URLs are looked up exactly
    archive.close()
    assert read_capture(warc_dir, newer["warc_file"], newer["offset"]).body == b"<p>neu</p>"


def test_request_record_holds_method_and_body(archive, warc_dir) -> None:
    url = f"{SITE}/wp-admin/admin-ajax.php"
    where = archive.record(exchange(url, method="POST", request_body=b"action=tabs&tab=pub"))
    archive.close()
    requests = []
    with (warc_dir / where["warc_file"]).open("rb") as stream:
        for record in ArchiveIterator(stream):  # a record's stream is read before the next
            if record.rec_type == "request":
                requests.append((record.http_headers.protocol, record.raw_stream.read()))
    assert requests == [("POST", b"action=tabs&tab=pub")]


def test_a_second_run_of_the_same_crawl_appends(warc_dir) -> None:
    first_run = WarcArchive(warc_dir, "crawl")
    first = first_run.record(exchange(f"{SITE}/a/", body=b"A"))
    first_run.close()
    second_run = WarcArchive(warc_dir, "crawl")  # a resumed crawl
    second = second_run.record(exchange(f"{SITE}/b/", body=b"B"))
    second_run.close()
    assert second["warc_file"] == first["warc_file"]
    assert second["offset"] > first["offset"]
    assert read_capture(warc_dir, first["warc_file"], first["offset"]).body == b"A"
    assert read_capture(warc_dir, second["warc_file"], second["offset"]).body == b"B"


def test_files_roll_over_at_the_size_limit(warc_dir, monkeypatch) -> None:
    monkeypatch.setattr(captures, "MAX_WARC_BYTES", 1)
    archive = WarcArchive(warc_dir, "klein")
    written = [archive.record(exchange(f"{SITE}/{n}/", body=bytes([n]) * 10)) for n in range(3)]
    archive.close()
    assert [w["warc_file"] for w in written] == [
        "klein-00000.warc.gz",
        "klein-00001.warc.gz",
        "klein-00002.warc.gz",
    ]
    for n, where in enumerate(written):
        assert read_capture(warc_dir, where["warc_file"], where["offset"]).body == bytes([n]) * 10


# --------------------------------------------------------------------------------------
# The index for readers
# --------------------------------------------------------------------------------------

URLS = [
    f"{SITE}/a_b/",
    f"{SITE}/aXb/",
    f"{SITE}/50%25-rabatt/",
    f"{SITE}/50-rabatt/",
    f"{SITE}/50%-ohne-kodierung/",
    f"{SITE}/pfad\\mit\\backslash/",
    f"{SITE}/wp-content/uploads/2024/03/Programm.pdf",
]

# (fragment, URLs found), note.
CONTAINING_CASES = [
    ("a_b", [URLS[0]], "_ is a literal underscore, not any character"),
    ("50%", [URLS[2], URLS[4]], "% is a literal percent sign, not any run"),
    ("%25", [URLS[2]], "an encoded percent sign"),
    ("\\mit\\", [URLS[5]], "backslashes taken literally"),
    ("uploads/2024", [URLS[6]], "a path fragment"),
    ("rabatt", [URLS[2], URLS[3]], "several URLs"),
    ("nicht-da", [], "no match"),
    ("", URLS, "an empty fragment matches every URL"),
]  # fmt: skip


@pytest.fixture(scope="module")
def url_index(tmp_path_factory) -> tuple[Path, dict]:
    """A WARC directory holding one capture of each of URLS."""
    warc_dir = tmp_path_factory.mktemp("urls") / "warc"
    archive = WarcArchive(warc_dir, "c")
    written = {url: archive.record(exchange(url)) for url in URLS}
    archive.close()
    return warc_dir, written


@pytest.mark.parametrize(
    "fragment, found", [c[:2] for c in CONTAINING_CASES], ids=[c[2] for c in CONTAINING_CASES]
)
def test_urls_containing(url_index, fragment: str, found: list[str]) -> None:
    warc_dir, written = url_index
    with CaptureIndex(warc_dir) as index:
        rows = index.urls_containing(fragment)
    assert sorted(url for url, _, _ in rows) == sorted(found)
    for url, warc_file, offset in rows:
        assert (warc_file, offset) == (written[url]["warc_file"], written[url]["offset"])


def test_capture_index_without_an_index_finds_nothing_and_creates_nothing(tmp_path) -> None:
    with CaptureIndex(tmp_path / "leer") as index:
        assert index.urls_containing("") == []
    assert not (tmp_path / "leer").exists()
    with CaptureIndex(tmp_path) as index:
        assert index.urls_containing("x") == []
    assert not (tmp_path / INDEX_NAME).exists()


# --------------------------------------------------------------------------------------
# Reading: what is refused
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    """Two captures in one WARC file, and a valid WARC file outside the WARC directory.
    Shared by the reading tests: each writes its damaged copy under a name of its own."""
    tmp_path = tmp_path_factory.mktemp("read")
    warc_dir = tmp_path / "warc"
    archive = WarcArchive(warc_dir, "c")
    first = archive.record(exchange(f"{SITE}/eins/", body=BODY * 20))
    second = archive.record(exchange(f"{SITE}/zwei/", body=PDF))
    archive.close()
    shutil.copy(warc_dir / first["warc_file"], tmp_path / "draussen.warc.gz")
    (warc_dir / "unterordner").mkdir()
    shutil.copy(warc_dir / first["warc_file"], warc_dir / "unterordner" / "x.warc.gz")
    return {"first": first, "second": second, "file": first["warc_file"], "dir": warc_dir}


# (WARC file name, offset), note: refused with None although a capture may be there.
REFUSED_CASES = [
    ("../draussen.warc.gz", 0, "a path out of the WARC directory"),
    ("unterordner/x.warc.gz", 0, "a path into a subdirectory"),
    ("./{file}", 0, "a path to the right file"),
    ("{dir}/{file}", 0, "an absolute path to the right file"),
    ("", 0, "no file name"),
    ("fehlt.warc.gz", 0, "a file that does not exist"),
    (".", 0, "the directory itself"),
    ("{file}", -1, "a negative offset"),
    ("{file}", 10**9, "an offset past the end"),
    ("{file}", "request", "the offset of a request record"),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, offset", [c[:2] for c in REFUSED_CASES], ids=[c[2] for c in REFUSED_CASES]
)
def test_read_capture_refuses(written: dict, name: str, offset) -> None:
    warc_dir = written["dir"]
    name = name.format(file=written["file"], dir=warc_dir)
    if offset == "request":
        offset = records_in(warc_dir / written["file"])[1][1]
    assert read_capture(warc_dir, name, offset) is None


def _response_member(warc_dir: Path, written: dict) -> bytes:
    """The uncompressed response record of the second capture."""
    data = (warc_dir / written["file"]).read_bytes()
    plain = gzip.decompress(data[written["second"]["offset"] :])
    return plain[: plain.index(b"WARC/1.0", 10)]


def _cut_record(warc_dir: Path, written: dict, where: str) -> tuple[str, int]:
    """A copy of the file whose second record is cut short, then compressed again (a record
    shorter than its Content-Length, as a crawl killed mid-write or a bad disk leaves it)."""
    data = (warc_dir / written["file"]).read_bytes()
    record = _response_member(warc_dir, written)
    http = record.index(b"HTTP/1.1")
    body = record.index(b"\r\n\r\n", http) + 4
    cut = {
        "warc-headers": 30,
        "before-http": http,
        "http-status": http + 5,
        "body-half": body + len(PDF) // 2,
        "body-last-byte": len(record) - 5,  # the record's closing CRLFs and the last byte
    }[where]
    offset = written["second"]["offset"]
    name = f"cut-{where}.warc.gz"
    (warc_dir / name).write_bytes(data[:offset] + gzip.compress(record[:cut]))
    return name, offset


def _cut_gzip_header(warc_dir: Path, written: dict) -> tuple[str, int]:
    data = (warc_dir / written["file"]).read_bytes()
    offset = written["second"]["offset"]
    (warc_dir / "gzip-header.warc.gz").write_bytes(data[: offset + 5])
    return "gzip-header.warc.gz", offset


def _only_warc_headers(warc_dir: Path, written: dict) -> tuple[str, int]:
    return _cut_record(warc_dir, written, "before-http")


# (damage), note: the capture is None, the file's undamaged first record still reads.
DAMAGED_CASES = [
    (_cut_gzip_header, "the file ends inside the record's gzip header"),
    (_only_warc_headers, "the record ends after its WARC headers"),
]


@pytest.mark.parametrize("damage", [c[0] for c in DAMAGED_CASES], ids=[c[1] for c in DAMAGED_CASES])
def test_damaged_file_gives_none(written: dict, damage) -> None:
    warc_dir = written["dir"]
    name, offset = damage(warc_dir, written)
    assert read_capture(warc_dir, name, offset) is None
    assert read_capture(warc_dir, name, 0).body == BODY * 20


# Offsets and files the docstring promises None for, that raise or mislead instead.
def _wrong_offset(warc_dir: Path, written: dict) -> tuple[str, int]:
    return written["file"], written["second"]["offset"] + 3


def _inside_first_member(warc_dir: Path, written: dict) -> tuple[str, int]:
    return written["file"], 1


def _the_index(warc_dir: Path, written: dict) -> tuple[str, int]:
    return INDEX_NAME, 0


def _garbage_file(warc_dir: Path, written: dict) -> tuple[str, int]:
    (warc_dir / "kaputt.warc.gz").write_bytes(b"kein WARC\n" * 20)
    return "kaputt.warc.gz", 0


def _gzip_but_no_warc(warc_dir: Path, written: dict) -> tuple[str, int]:
    (warc_dir / "gz.warc.gz").write_bytes(gzip.compress(b"hallo welt\n"))
    return "gz.warc.gz", 0


def _zeroed_record(warc_dir: Path, written: dict) -> tuple[str, int]:
    data = (warc_dir / written["file"]).read_bytes()
    offset = written["second"]["offset"]
    (warc_dir / "zeroed.warc.gz").write_bytes(data[:offset] + bytes(len(data) - offset))
    return "zeroed.warc.gz", offset


def _cut(where: str):
    def damage(warc_dir: Path, written: dict) -> tuple[str, int]:
        return _cut_record(warc_dir, written, where)

    return damage


NEVER_AN_EXCEPTION_CASES = [
    (_wrong_offset, "an offset inside a record: raises ArchiveLoadFailed"),
    (_inside_first_member, "offset 1: raises ArchiveLoadFailed"),
    (_the_index, "the index file named as a WARC file: raises AttributeError"),
    (_garbage_file, "a file that is no WARC: raises AttributeError"),
    (_gzip_but_no_warc, "gzip without a WARC inside: raises ArchiveLoadFailed"),
    (_zeroed_record, "a record overwritten with zeros: raises a parser exception"),
    (_cut("warc-headers"), "a record cut in its WARC headers: raises AttributeError"),
    (_cut("http-status"), "a record cut in the status line: a capture with status 0"),
    (_cut("body-half"), "a record cut in the body: a capture with half the body"),
    (_cut("body-last-byte"), "a record missing its last byte: a capture one byte short"),
]


@pytest.mark.parametrize(
    "damage",
    [c[0] for c in NEVER_AN_EXCEPTION_CASES],
    ids=[c[1] for c in NEVER_AN_EXCEPTION_CASES],
)
def test_wrong_offset_or_damaged_file_gives_none(written: dict, damage) -> None:
    warc_dir = written["dir"]
    name, offset = damage(warc_dir, written)
    assert read_capture(warc_dir, name, offset) is None


# --------------------------------------------------------------------------------------
# Plain values
# --------------------------------------------------------------------------------------

# (Scrapy-style headers, pairs), note.
HEADER_PAIR_CASES = [
    ({b"Content-Type": [b"text/html"]}, [("Content-Type", "text/html")], "one header"),
    ({b"Set-Cookie": [b"a=1", b"b=2"]}, [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
     "repeated values become repeated pairs"),
    ({b"Transfer-Encoding": [b"chunked"], b"Connection": [b"close"],
      b"Keep-Alive": [b"timeout=5"], b"ETag": [b'"x"']}, [("ETag", '"x"')],
     "hop-by-hop headers dropped"),
    ({b"transfer-encoding": [b"chunked"], b"CONNECTION": [b"close"]}, [],
     "hop-by-hop in any case"),
    ({b"X-Name": [b"M\xfcller"]}, [("X-Name", "Müller")], "Latin-1 values"),
    ({}, [], "no headers"),
]  # fmt: skip


@pytest.mark.parametrize(
    "headers, pairs", [c[:2] for c in HEADER_PAIR_CASES], ids=[c[2] for c in HEADER_PAIR_CASES]
)
def test_header_pairs(headers: dict, pairs: list) -> None:
    assert header_pairs(headers) == pairs


# (headers, content type), note.
CONTENT_TYPE_CASES = [
    ([("Content-Type", "application/pdf")], "application/pdf", "as written"),
    ([("content-type", "text/html")], "text/html", "lower-case name"),
    ([("ETag", "x"), ("CONTENT-TYPE", "a/b"), ("Content-Type", "c/d")], "a/b", "the first"),
    ([], "", "none"),
]


@pytest.mark.parametrize(
    "headers, expected", [c[:2] for c in CONTENT_TYPE_CASES], ids=[c[2] for c in CONTENT_TYPE_CASES]
)
def test_content_type(headers: list, expected: str) -> None:
    assert Capture("u", 200, headers, b"", None).content_type == expected
