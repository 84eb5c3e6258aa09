"""Raw captures: every fetched response in WARC files, with an index to find them again.

This module is the one owner of the WARC files and of their index
(``<data-dir>/warc/captures.sqlite3``): the crawl writes through :class:`WarcArchive`,
the re-extraction and the web app read through :func:`read_capture` and
:class:`CaptureIndex`. Records can be re-extracted from these files later without
touching the site. A 304 is written as a ``revisit`` record that points at the capture
holding the body. It speaks plain values (URL, status, header pairs, bytes), so it needs
neither Scrapy nor a web framework.

Over 400 lines on purpose: writing, indexing, scanning and reading the WARC files stay in
one module, so their format is known in one place only.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

logger = logging.getLogger(__name__)

MAX_WARC_BYTES = 200 * 1024 * 1024
INDEX_COMMIT_EVERY = 50
HOP_BY_HOP = {b"transfer-encoding", b"connection", b"keep-alive"}
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"

_INDEX_SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    url TEXT PRIMARY KEY,
    warc_file TEXT NOT NULL,
    offset INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL
)
"""


INDEX_NAME = "captures.sqlite3"


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, as plain values (what a WARC record holds)."""

    url: str
    method: str
    request_url: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Capture:
    """A response read back from a WARC file, exactly as it was fetched."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str | None
    # The SHA-256 of the payload as sent (before any Content-Encoding is undone): what
    # the writer hashed and what a record's ``source.sha256`` names.
    sha256: str = field(default="", compare=False)

    @property
    def content_type(self) -> str:
        """The Content-Type header, or an empty string."""
        return next((v for k, v in self.headers if k.lower() == "content-type"), "")


def header_pairs(headers) -> list[tuple[str, str]]:
    """Header pairs from a mapping of byte names to lists of byte values (Scrapy's
    ``Headers``), without the hop-by-hop headers that describe the transfer."""
    pairs = []
    for name, values in headers.items():
        if name.lower() in HOP_BY_HOP:
            continue
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


class WarcArchive:
    """The WARC files of one crawl (``<crawl_id>-NNNNN.warc.gz``) and the capture index."""

    def __init__(self, directory: str | Path, crawl_id: str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.crawl_id = crawl_id
        self.index = sqlite3.connect(self.directory / INDEX_NAME)
        self.index.execute("PRAGMA journal_mode=WAL")
        self.index.execute("PRAGMA synchronous=NORMAL")
        self.pending = 0
        self.index.execute(_INDEX_SCHEMA)
        self._file = None
        self._path: Path | None = None
        self._writer: WARCWriter | None = None

    def _open_next(self) -> None:
        if self._file is not None:
            self._file.close()
        number = 0
        while True:
            path = self.directory / f"{self.crawl_id}-{number:05d}.warc.gz"
            if not path.exists() or path.stat().st_size < MAX_WARC_BYTES:
                break
            number += 1
        self._path = path
        self._file = path.open("ab")
        self._writer = WARCWriter(self._file, gzip=True)

    def _writer_for_next_record(self) -> WARCWriter:
        if self._writer is None or self._file.tell() >= MAX_WARC_BYTES:
            self._open_next()
        return self._writer

    def record(self, exchange: Exchange) -> dict | None:
        """Write a response (and its request) and return where the body's capture lives."""
        writer = self._writer_for_next_record()
        fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        status_line = f"{exchange.status} {_reason(exchange.status)}"
        http_headers = StatusAndHeaders(status_line, exchange.headers, protocol="HTTP/1.1")
        url = exchange.url
        if exchange.status == 304:
            previous = self.lookup(url)
            record = writer.create_warc_record(
                url,
                "revisit",
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Date": fetched_at,
                    "WARC-Profile": REVISIT_PROFILE,
                    **({"WARC-Refers-To-Target-URI": url} if previous else {}),
                },
            )
            self._write(writer, exchange, record)
            return (
                {**previous, "record_type": "revisit", "revalidated_at": fetched_at}
                if previous
                else None
            )
        body = exchange.body
        digest = hashlib.sha256(body).hexdigest()
        # The record's WARC-Date is the moment the index and the record's source name, so
        # a capture read back without the index (a rebuild) gives the same time.
        record = writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        offset = self._write(writer, exchange, record)
        capture = {
            "warc_file": self._path.name,
            "offset": offset,
            "sha256": digest,
            "status": exchange.status,
            "fetched_at": fetched_at,
        }
        if 200 <= exchange.status < 300:
            self.index.execute(
                "INSERT OR REPLACE INTO captures VALUES (?, ?, ?, ?, ?, ?)",
                (url, capture["warc_file"], offset, digest, exchange.status, fetched_at),
            )
            self.pending += 1
            if self.pending >= INDEX_COMMIT_EVERY:  # a lost entry only costs a revisit link
                self.index.commit()
                self.pending = 0
        return {**capture, "record_type": "response"}

    def _write(self, writer: WARCWriter, exchange: Exchange, record) -> int:
        offset = self._file.tell()
        writer.write_record(record)
        request_headers = StatusAndHeaders(
            f"{exchange.method} {exchange.request_url} HTTP/1.1",
            exchange.request_headers,
            is_http_request=True,
        )
        request_record = writer.create_warc_record(
            exchange.request_url,
            "request",
            payload=BytesIO(exchange.request_body or b""),
            http_headers=request_headers,
        )
        writer.write_record(request_record)
        self._file.flush()
        return offset

    def lookup(self, url: str) -> dict | None:
        """The latest full capture of ``url``, if any."""
        row = self.index.execute(
            "SELECT warc_file, offset, sha256, status, fetched_at FROM captures WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return dict(
            zip(("warc_file", "offset", "sha256", "status", "fetched_at"), row, strict=True)
        )

    def close(self) -> None:
        """Flush and close the current file and the index."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.index.commit()
        self.index.close()


class CaptureIndex:
    """Read access to the capture index: where the latest capture of a URL lives."""

    def __init__(self, warc_dir: str | Path) -> None:
        self.warc_dir = Path(warc_dir)
        path = self.warc_dir / INDEX_NAME
        # Opened read-only by URI, so a reader never creates an index or blocks the crawl.
        self.index = sqlite3.connect(f"file:{path}?mode=ro", uri=True) if path.exists() else None

    def close(self) -> None:
        """Close the index."""
        if self.index is not None:
            self.index.close()

    def __enter__(self) -> CaptureIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def urls_containing(self, fragment: str) -> list[tuple[str, str, int]]:
        """``(url, warc_file, offset)`` of every indexed capture whose URL contains
        ``fragment``."""
        if self.index is None:
            return []
        escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self.index.execute(
            "SELECT url, warc_file, offset FROM captures WHERE url LIKE ? ESCAPE '\\'",
            (f"%{escaped}%",),
        ).fetchall()

    def fetched_at_by_location(self) -> dict[tuple[str, int], str]:
        """The fetch time the index holds for each ``(warc_file, offset)`` (the time a
        record's ``source.fetched_at`` names); empty when the index is missing or damaged."""
        if self.index is None:
            return {}
        try:
            rows = self.index.execute("SELECT warc_file, offset, fetched_at FROM captures")
            return {(warc_file, offset): fetched_at for warc_file, offset, fetched_at in rows}
        except sqlite3.Error as error:  # a damaged index: the WARC files' own dates serve
            logger.warning("cannot read the capture index in %s: %s", self.warc_dir, error)
            return {}


@dataclass(frozen=True)
class CaptureRef:
    """Where one response (or revisit) of the WARC files lives, with the request that
    asked for it: what a scan of the files finds, bodies left unread."""

    url: str
    record_type: str  # "response" or "revisit"
    status: int
    warc_file: str
    offset: int
    fetched_at: str
    method: str = "GET"
    request_body: bytes = b""

    @property
    def request_key(self) -> tuple[str, str, bytes]:
        """What makes two captures answers to the same request: a POST's form belongs to
        it (the publication tabs all post to one URL)."""
        return (self.method, self.url, b"" if self.method == "GET" else self.request_body)


WARC_SUFFIXES = (".warc.gz", ".warc")


def scan_captures(warc_dir: str | Path) -> list[CaptureRef]:
    """Every response and revisit in the WARC files of ``warc_dir``, oldest first (by
    WARC-Date, then file name and offset), without the capture index.

    A file cut short or damaged (a crawl killed while writing) gives the records before
    the damage; a file that is no WARC gives none. Either is logged, never raised.
    """
    directory = Path(warc_dir)
    if not directory.is_dir():
        return []
    refs: list[CaptureRef] = []
    for path in sorted(p for p in directory.iterdir() if p.name.endswith(WARC_SUFFIXES)):
        refs.extend(_scan_file(path))
    return sorted(refs, key=lambda ref: (ref.fetched_at, ref.warc_file, ref.offset))


def _scan_file(path: Path) -> list[CaptureRef]:
    refs: list[CaptureRef] = []
    unpaired = False  # the last record was an answer still waiting for its request
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type == "request" and unpaired:
                    # The writer puts each request right after its answer: pair them.
                    method = record.http_headers.protocol if record.http_headers else "GET"
                    refs[-1] = _with_request(refs[-1], method, record.raw_stream.read())
                    unpaired = False
                    continue
                unpaired = False
                if record.rec_type not in ("response", "revisit") or not record.http_headers:
                    continue
                refs.append(
                    CaptureRef(
                        url=record.rec_headers.get_header("WARC-Target-URI") or "",
                        record_type=record.rec_type,
                        status=int(record.http_headers.get_statuscode() or 0),
                        warc_file=path.name,
                        offset=records.get_record_offset(),
                        fetched_at=record.rec_headers.get_header("WARC-Date") or "",
                    )
                )
                unpaired = True
    except Exception as error:  # warcio raises many kinds on damaged input
        logger.warning("WARC file %s is damaged after %d captures: %s", path.name, len(refs),
                       error)  # fmt: skip
    return refs


def _with_request(ref: CaptureRef, method: str, body: bytes) -> CaptureRef:
    return replace(ref, method=method.upper(), request_body=body)


def read_capture(warc_dir: str | Path, warc_file: str, offset: int) -> Capture | None:
    """The response stored at ``offset`` of a WARC file, or None when there is none.

    ``warc_file`` must be a file name in ``warc_dir``: a name with a path in it (from a
    damaged record or a hostile request) is refused rather than followed.
    """
    if not warc_file or Path(warc_file).name != warc_file or offset < 0:
        return None
    path = Path(warc_dir) / warc_file
    if not path.is_file():
        return None
    try:
        with path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)), None)
            if record is None or record.rec_type != "response" or record.http_headers is None:
                return None
            url = record.rec_headers.get_header("WARC-Target-URI")
            fetched_at = record.rec_headers.get_header("WARC-Date")
            status = int(record.http_headers.get_statuscode() or 0)
            headers = [(k, v) for k, v in record.http_headers.headers]
            payload_digest = record.rec_headers.get_header("WARC-Payload-Digest")
            payload = record.raw_stream.read()
            # The digest is of the bytes as sent: a payload cut short, overwritten or read
            # from a wrong offset fails here instead of passing as a capture.
            if payload_digest and payload_digest != _sha1_digest(payload):
                logger.warning("capture %s@%d does not match its digest", warc_file, offset)
                return None
            body = _decoded(payload, record.http_headers)
    except Exception as error:  # warcio raises many kinds on damaged input; none is a capture
        logger.warning("cannot read capture %s@%d: %s", warc_file, offset, error)
        return None
    if not url or not 100 <= status <= 599:
        return None
    return Capture(url=url, status=status, headers=headers, body=body, fetched_at=fetched_at,
                   sha256=hashlib.sha256(payload).hexdigest())  # fmt: skip


def _decoded(payload: bytes, http_headers) -> bytes:
    """The body a client saw: the capture middleware sits before Scrapy's decompression,
    so a gzip answer (what a live site sends) is stored compressed. As warcio's
    ``content_stream`` decodes, over bytes already read (the digest needs them raw)."""
    encoding = (http_headers.get_header("content-encoding") or "").lower()
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    source = BytesIO(payload)
    if http_headers.get_header("transfer-encoding") == "chunked":
        return ChunkedDataReader(source, decomp_type=encoding).read()
    if encoding:
        return BufferedReader(source, decomp_type=encoding).read()
    return payload


def _sha1_digest(body: bytes) -> str:
    """The WARC payload digest of ``body`` as warcio writes it (``sha1:`` base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
