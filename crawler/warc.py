"""Raw captures: every fetched response in WARC files, with an index to find them again.

Records can be re-extracted from these files later without touching the site. A 304 is
written as a ``revisit`` record that points at the capture holding the body.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

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


def _headers(headers) -> list[tuple[str, str]]:
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
        self.index = sqlite3.connect(self.directory / "captures.sqlite3")
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

    def record(self, request: Request, response: Response) -> dict | None:
        """Write ``response`` (and its request) and return where the body's capture lives."""
        writer = self._writer_for_next_record()
        fetched_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        status_line = f"{response.status} {_reason(response.status)}"
        http_headers = StatusAndHeaders(
            status_line, _headers(response.headers), protocol="HTTP/1.1"
        )
        url = response.url
        if response.status == 304:
            previous = self.lookup(url)
            record = writer.create_warc_record(
                url,
                "revisit",
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Profile": REVISIT_PROFILE,
                    **({"WARC-Refers-To-Target-URI": url} if previous else {}),
                },
            )
            self._write(writer, request, record)
            return (
                {**previous, "record_type": "revisit", "revalidated_at": fetched_at}
                if previous
                else None
            )
        body = response.body
        digest = hashlib.sha256(body).hexdigest()
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body), http_headers=http_headers
        )
        offset = self._write(writer, request, record)
        capture = {
            "warc_file": self._path.name,
            "offset": offset,
            "sha256": digest,
            "status": response.status,
            "fetched_at": fetched_at,
        }
        if 200 <= response.status < 300:
            self.index.execute(
                "INSERT OR REPLACE INTO captures VALUES (?, ?, ?, ?, ?, ?)",
                (url, capture["warc_file"], offset, digest, response.status, fetched_at),
            )
            self.pending += 1
            if self.pending >= INDEX_COMMIT_EVERY:  # a lost entry only costs a revisit link
                self.index.commit()
                self.pending = 0
        return {**capture, "record_type": "response"}

    def _write(self, writer: WARCWriter, request: Request, record) -> int:
        offset = self._file.tell()
        writer.write_record(record)
        request_headers = StatusAndHeaders(
            f"{request.method} {request.url} HTTP/1.1",
            _headers(request.headers),
            is_http_request=True,
        )
        request_record = writer.create_warc_record(
            request.url,
            "request",
            payload=BytesIO(request.body or b""),
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


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
