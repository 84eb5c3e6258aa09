"""Helpers the tests share: the CLI in a subprocess, a replica server over real HTTP on
127.0.0.1, a crawl of it, and small items. Test files import from here, never from
each other."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseServer
from urllib.parse import urlsplit

from archive.captures import Exchange, WarcArchive
from archive.config import DataDir
from archive.store import ArchiveStore
from replica.server import make_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = FIXTURES / "seeds"
STARTUP_TIMEOUT = 30


def run_cli(
    *args: str, data_dir: Path | None = None, timeout: float = 300, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run ``ikpe-archive`` in a subprocess, as a user would (``--data-dir`` when given)."""
    prefix = ["--data-dir", str(data_dir)] if data_dir is not None else []
    return subprocess.run(
        [sys.executable, "-m", "search_app.cli", *prefix, *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@dataclass
class HttpResult:
    """A raw HTTP answer: status, headers (lower-case names) and body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body decoded with the charset the response names (UTF-8 by default)."""
        charset = "utf-8"
        content_type = self.headers.get("content-type", "")
        if "charset=" in content_type:
            charset = content_type.split("charset=")[-1].strip()
        return self.body.decode(charset)

    def json(self):
        """The body as JSON."""
        return json.loads(self.body)


class Replica:
    """A replica server started with the project's own CLI, as a user would start it."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "search_app.cli", "replica", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        first_line = self.process.stdout.readline().strip()
        if not first_line.startswith("http://"):
            self.process.kill()
            raise RuntimeError(
                f"replica did not start: {first_line!r} {self.process.stderr.read()}"
            )
        self.url = first_line
        parts = urlsplit(self.url)
        self.port = parts.port
        self.bare_url = f"http://localhost:{self.port}/"

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        host: str = "127.0.0.1",
        timeout: float = 20,
    ) -> HttpResult:
        """One HTTP request to the replica (redirects are not followed)."""
        if path.startswith("http"):
            parts = urlsplit(path)
            host = parts.hostname or host
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection = http.client.HTTPConnection(host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return HttpResult(
                response.status, {k.lower(): v for k, v in response.getheaders()}, data
            )
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> HttpResult:
        """GET a path or absolute URL of the replica."""
        return self.request(path, **kwargs)

    def control(self, command: str, payload: dict | None = None, method: str | None = None):
        """Call a control endpoint under ``/__replica__/``."""
        body = json.dumps(payload).encode() if payload is not None else None
        verb = method or ("POST" if payload is not None else "GET")
        result = self.request(f"/__replica__/{command}", method=verb, body=body)
        assert result.status == 200, result.body
        return result.json()

    def switch(self, **switches) -> dict:
        """Change switches of the running replica."""
        return self.control("switch", switches)

    def manifest(self) -> dict:
        """The replica's manifest under its current switches."""
        return self.control("manifest.json")

    def requests_log(self) -> list[dict]:
        """The replica's request log."""
        return self.control("requests")

    def clear_requests(self) -> None:
        """Empty the request log."""
        self.control("requests", method="DELETE")

    def reset(self) -> None:
        """Back to the default switches, no custom faults, an empty request log."""
        self.switch(rest=True, changed=False, faults=False, layout="normal", signals="full")
        self.control("faults", method="DELETE")
        self.clear_requests()

    def stop(self) -> None:
        """Stop the server process."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        for stream in (self.process.stdout, self.process.stderr):
            stream.close()


def crawl(data_dir: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    """Run ``ikpe-archive crawl`` in a subprocess, as staff would."""
    return run_cli("crawl", "--start-url", url, *extra, data_dir=data_dir)


def cli(data_dir: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``ikpe-archive --data-dir DATA_DIR ARGS`` in a subprocess."""
    return run_cli(*args, data_dir=data_dir, timeout=timeout)


def nightly(data_dir: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    """Run ``ikpe-archive nightly`` in a subprocess, as cron would."""
    return run_cli("nightly", "--start-url", url, *extra, data_dir=data_dir)


def citation_item(raw: str, *, tab_name: str | None = "Publikationen", year: int = 2019) -> dict:
    """An item for one citation of the publication tabs, fetched from admin-ajax.php."""
    return {
        "kind": "publication",
        "url": "https://www.ikpe-erfurt.de/",
        "publication": {"raw": raw, "tab_name": tab_name, "year_heading": year, "links": []},
        "source": {
            "via": "ajax",
            "url": "https://www.ikpe-erfurt.de/wp-admin/admin-ajax.php",
            "fetched_at": "2024-01-01T00:00:00Z",
            "http_status": 200,
            "sha256": "0" * 64,
        },
    }


@contextmanager
def serving(server: BaseServer) -> Iterator[str]:
    """Serve ``server`` from a daemon thread while the block runs; its base URL
    (``http://127.0.0.1:PORT/``). Shut down and closed afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class LocalSite:
    """A test site on 127.0.0.1, served from a thread inside ``with site:``; ``requests``
    lists every path it was asked for (its handler calls :meth:`record`)."""

    def __init__(
        self,
        handler: type[BaseHTTPRequestHandler],
        server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer,
    ) -> None:
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.server = server_class(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._serving = serving(self.server)

    def __enter__(self):
        self._serving.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._serving.__exit__(*exc)

    def record(self, path: str) -> None:
        """Note a request for ``path``."""
        with self.lock:
            self.requests.append(path)

    def hits(self, prefix: str = "/") -> int:
        """How many requests went to paths under ``prefix``."""
        with self.lock:
            return sum(path.startswith(prefix) for path in self.requests)


def whoosh_matches(view, parsed) -> tuple[list[int], list[float]]:
    """The document numbers and scores Whoosh's own matcher gives for a parsed query on
    an index view (``archive.search.views.View``): what the arrays must equal."""
    matcher = parsed.matcher(view.searcher, view.searcher.context())
    ids, scores = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        scores.append(matcher.score())
        matcher.next()
    return ids, scores


def wp_page(title: str, body: str, body_class: str, head: str = "") -> bytes:
    """A minimal WordPress-like page: ``title`` as the entry title, ``body`` in ``<main>``."""
    return (
        "<!doctype html><html lang='de'><head><meta charset='utf-8'>"
        f"<title>{title}</title>{head}</head><body class='{body_class}'><main>"
        f"<h1 class='entry-title'>{title}</h1>{body}</main></body></html>"
    ).encode()


@lru_cache(maxsize=1)
def _crawled_records() -> tuple[dict, ...]:
    server, state = make_server("127.0.0.1", 0)
    with serving(server), tempfile.TemporaryDirectory() as data_dir:
        result = subprocess.run(
            [sys.executable, "-m", "search_app.cli", "--data-dir", data_dir, "crawl",
             "--start-url", state.links.www, "--no-throttle"],
            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"crawl of the replica failed:\n{result.stderr[-3000:]}")
        with ArchiveStore(Path(data_dir) / "archive.sqlite3") as store:
            return tuple(row["record"] for row in store.iter_records())


def replica_records() -> list[dict]:
    """Every post, page, newsletter and publication of the replica as a stored record."""
    return [dict(record) for record in _crawled_records()]


def store_record(
    number: int,
    *,
    text: str = "Text",
    date: str = "2024-03-12",
    fetched_at: str = "2024-03-13T00:00:00Z",
) -> dict:
    """A minimal record for the store's tests (the store does not validate: the pipeline
    has already)."""
    return {
        "id": f"wp-{number}",
        "url": f"https://www.ikpe-erfurt.de/post-{number}/",
        "type": "news",
        "title": f"Beitrag {number}",
        "date": date,
        "text": text,
        "source": {"fetched_at": fetched_at, "warc": {"file": "a.warc.gz", "offset": number}},
        "provenance": {"title": "rest:title.rendered"},
    }


def small_record(record_id: str, title: str, text: str, **extra) -> dict:
    """A minimal schema-shaped record (type news, dated 2024-01-15) for the index's tests."""
    return {
        "schema_version": 1,
        "id": record_id,
        "url": f"https://www.ikpe-erfurt.de/{record_id}/",
        "type": "news",
        "type_rule": "news:test",
        "title": title,
        "text": text,
        "summary": text[:80],
        "date": "2024-01-15",
        "date_precision": "day",
        "date_source": "posting_date",
        "date_issues": [],
        "people": [],
        "emails": [],
        "places": [],
        "organisations": [],
        "attachments": [],
        "credits": [],
        "categories": ["news_archiv"],
        "source": {
            "via": "html",
            "url": "https://www.ikpe-erfurt.de/",
            "fetched_at": "2025-01-01T00:00:00Z",
            "http_status": 200,
            "sha256": "0" * 64,
        },
        "provenance": {},
        **extra,
    }


def write_capture(data_dir: DataDir, crawl_id: str, url: str, body: bytes) -> dict:
    """A real WARC response record (HTML, status 200) of ``url`` written into
    ``data_dir``; where it lives, in the form of a record's ``source.warc``."""
    warc = WarcArchive(data_dir.warc_dir, crawl_id)
    try:
        where = warc.record(
            Exchange(
                url=url,
                method="GET",
                request_url=url,
                request_headers=[("User-Agent", "ikpe-archive test")],
                request_body=b"",
                status=200,
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=body,
            )
        )
    finally:
        warc.close()
    return {"file": where["warc_file"], "offset": where["offset"]}


def press_review_records() -> list[dict]:
    """Schema-valid records around March 2026 for the press review: own press releases and
    news (one at the address of another, under the bare host), press coverage (with a
    link, a link without scheme, none), an event, and a page, a publication and a news
    item from February that a review of March leaves out."""
    from archive.validation import check

    site = "https://www.ikpe-erfurt.de"

    def post(record_id: str, record_type: str, title: str, date: str, text: str, **extra):
        return check(small_record(record_id, title, text, type=record_type,
                                  type_rule=f"{record_type}:test", date=date, **extra))  # fmt: skip

    def press(record_id: str, title: str, date: str, outlet: str, url: str | None):
        reference = {"raw": f"{outlet}, {date}: „{title}“", "parsed": True, "kind": "press",
                     "title": title, "outlet": outlet, "date": date}  # fmt: skip
        if url:
            reference["url"] = url
        return check(small_record(
            record_id, title, "", type="press_coverage", type_rule="press_coverage:tab",
            date=date, url=f"{site}/category/referenzen/", categories=["Referenzen"],
            reference=reference, summary=reference["raw"],
        ))  # fmt: skip

    release_text = (
        "Erfurt/05.03.2026. Das Programm Thüringer Präventionsketten zieht nach drei Jahren "
        "eine positive Bilanz.\n\nIn 14 Kommunen arbeiten Netzwerke gegen Kinderarmut."
    )
    release = post("wp-301", "press_release", "Programm Thüringer Präventionsketten zieht "
                   "positive Bilanz", "2026-03-05", release_text)  # fmt: skip
    release["source"]["warc"] = {"file": "crawl-1-00000.warc.gz", "offset": 0}
    event = {"start": "2026-03-25", "end": "2026-03-26", "start_time": "10:00",
             "end_time": None, "venue": "Erfurt, Rathaus", "online": False}  # fmt: skip
    return [
        check(release),
        post("wp-302", "news", "Qualifizierungsreihe für Armutspräventionsplanerinnen startet",
             "2026-03-18", "Die Qualifizierungsreihe beginnt im März in Erfurt.",
             url=f"{site}/qualifizierungsreihe/"),
        post("wp-303", "news", "Fachtag Teilhabe: Rückblick", "2026-03-10",
             "Rund 120 Gäste diskutierten über kommunale Wege zur Inklusion."),
        post("wp-304", "event", "Fachtag Teilhabe vor Ort", "2026-03-25",
             "Der Fachtag lädt Kommunen nach Erfurt ein.", event=event),
        press("pub-a000000000000001", "Erfurter Institut berät Landkreise", "2026-03-12",
              "Thüringer Allgemeine", "https://www.thueringer-allgemeine.de/erfurt/institut"),
        press("pub-a000000000000002", "Fast jeder Dritte hat mitgemacht", "2026-03-02",
              "Leipziger Volkszeitung", "www.lvz.de/altenburg/sozialbefragung"),
        press("pub-a000000000000003", "Armut im Blick", "2026-03-20", "MDR Thüringen", None),
        post("wp-305", "news", "Meldung aus dem Februar", "2026-02-20", "Im Februar."),
        post("wp-306", "page", "Über uns", "2026-03-01", "Das Institut."),
        check(small_record(
            "pub-b000000000000001", "Sozialplanung in Thüringen", "", type="publication",
            type_rule="publication:tab", date="2026", date_precision="year",
            url=f"{site}/category/referenzen/",
            reference={"raw": "Fischer, J. (2026): Sozialplanung in Thüringen. Erfurt.",
                       "parsed": True, "kind": "book", "title": "Sozialplanung in Thüringen"},
        )),
        post("wp-307", "news", "Qualifizierungsreihe (zweite Adresse)", "2026-03-28",
             "Dieselbe Seite unter der Adresse ohne www.",
             url="http://ikpe-erfurt.de/qualifizierungsreihe"),
    ]  # fmt: skip


def store_crawl(data_dir: DataDir, crawl_id: str, records: list[dict]) -> None:
    """Write ``records`` into the data directory's store as one finished crawl would."""
    with ArchiveStore(data_dir.store_path) as store:
        store.begin_crawl(crawl_id, "https://www.ikpe-erfurt.de/")
        store.save(records, crawl_id)
        store.finish_crawl(crawl_id, "finished", {})


def stored_file(files_dir: Path, data: bytes, suffix: str = ".pdf") -> dict:
    """Write ``data`` where the attachments pipeline keeps a download (by its SHA-256);
    the download facts an attachment records: ``sha256``, ``path``, ``bytes``."""
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{digest[:2]}/{digest}{suffix}"
    (files_dir / relative).parent.mkdir(parents=True, exist_ok=True)
    (files_dir / relative).write_bytes(data)
    return {"sha256": digest, "path": relative, "bytes": len(data)}
