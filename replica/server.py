"""The replica's HTTP server: conditional requests, a request log, switches and faults.

It runs on ``http.server`` rather than a WSGI stack because fault injection needs the
raw socket: a connection reset or a body cut short cannot be expressed through WSGI.
Control endpoints live under ``/__replica__/`` (disallowed in robots.txt, never linked):

- ``GET  /__replica__/manifest.json``  what the site serves (tests compare crawls with it)
- ``GET  /__replica__/state``          switches, fault targets, content version
- ``POST /__replica__/switch``         JSON ``{"rest": false, "changed": true, ...}``
- ``POST /__replica__/faults``         JSON ``{"path": "/x/", "kind": "reset", "times": 2}``
- ``GET  /__replica__/requests``       the request log; ``DELETE`` clears it

Over 400 lines on purpose: the fault injection works on the raw socket, beside the
handler that it interrupts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import socket
import struct
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from replica import render, routes
from replica.content import SiteContent, load_content
from replica.manifest import build_manifest
from replica.site import (
    BROKEN_UPLOAD,
    LAYOUTS,
    SIGNAL_LEVELS,
    Links,
    SiteView,
    Switches,
    fault_candidates,
)
from replica.synthetic import generate_posts

logger = logging.getLogger(__name__)

CONTROL_PREFIX = "/__replica__/"
FAULT_KINDS = ("status", "slow", "reset", "truncate", "latin1")
KEEP_ALIVE_TIMEOUT = 30
UTC = UTC


@dataclass
class Fault:
    """A fault served for one path: ``times`` failures (``-1``: every time)."""

    kind: str
    times: int = 1
    delay: float = 1.5
    status: int = 503
    retry_after: int = 1


@dataclass
class RequestRecord:
    """One line of the request log."""

    time: float
    method: str
    host: str
    path: str
    status: int
    bytes: int
    conditional: bool
    user_agent: str
    fault: str | None = None


class ReplicaState:
    """Content, switches, faults and the request log, shared by the request threads."""

    def __init__(
        self, content: SiteContent, *, synthetic: int = 0, switches: Switches | None = None
    ) -> None:
        self.content = content
        self.synthetic = generate_posts(synthetic) if synthetic else ()
        self.lock = threading.Lock()
        self.version = 0
        self.view = SiteView(content, self.synthetic, switches or Switches())
        self.custom_faults: dict[str, Fault] = {}
        self.fault_hits: dict[str, int] = {}
        self.requests: list[RequestRecord] = []
        self.links = Links("http://127.0.0.1/", "http://localhost/")
        self._cache: dict[tuple, routes.Response] = {}

    def bind(self, port: int) -> None:
        """Set the two host names' base URLs once the port is known."""
        self.links = Links(f"http://127.0.0.1:{port}/", f"http://localhost:{port}/")

    def set_switches(self, **changes) -> Switches:
        """Apply switch changes; the next request sees the new site."""
        current = self.view.switches
        switches = dataclasses.replace(current, **changes)
        if switches.layout not in LAYOUTS or switches.signals not in SIGNAL_LEVELS:
            raise ValueError(f"unknown layout or signals: {switches}")
        with self.lock:
            self.version += 1
            self.view = SiteView(self.content, self.synthetic, switches, self.version)
            self.fault_hits.clear()
            self._cache.clear()
        return switches

    def default_faults(self) -> dict[str, Fault]:
        """The faults switched on by ``faults``: one of each kind on seed posts."""
        seed_posts = fault_candidates(self.view.posts)
        kinds = [
            Fault("status", times=2, status=503, retry_after=1),
            Fault("reset", times=1),
            Fault("truncate", times=1),
            Fault("slow", times=1, delay=1.5),
            Fault("latin1", times=-1),
        ]
        faults = {
            self.links.entry_path(post): fault
            for post, fault in zip(seed_posts, kinds, strict=False)
        }
        faults[BROKEN_UPLOAD] = Fault("status", times=-1, status=500, retry_after=0)
        return faults

    def active_faults(self) -> dict[str, Fault]:
        """Faults in force: the defaults (when switched on) and any set by a test."""
        faults = self.default_faults() if self.view.switches.faults else {}
        faults.update(self.custom_faults)
        return faults

    def take_fault(self, path: str) -> Fault | None:
        """The fault to serve for this request of ``path``, counting it."""
        fault = self.active_faults().get(path)
        if fault is None:
            return None
        with self.lock:
            hits = self.fault_hits.get(path, 0)
            if fault.times >= 0 and hits >= fault.times:
                return None
            self.fault_hits[path] = hits + 1
        return fault

    def respond(self, method: str, path: str, query: str, form: bytes) -> routes.Response:
        """The site's answer, cached per content version for GET requests."""
        key = (self.version, path, query) if method in ("GET", "HEAD") else None
        if key is not None and key in self._cache:
            return self._cache[key]
        view = self.view
        try:
            response = routes.dispatch(view, self.links, method, path, query, form)
        except Exception:  # a replica bug must show as a 500, as a real server would
            logger.exception("replica failed on %s", path)
            response = routes.Response(500, "text/plain", b"Internal Server Error")
        if key is not None and len(self._cache) < 20_000:
            self._cache[key] = response
        return response

    def manifest(self) -> dict:
        """What the replica serves now (see ``manifest.build_manifest``)."""
        return build_manifest(self.view, self.links, self.active_faults())

    def log(self, record: RequestRecord) -> None:
        """Append to the request log."""
        with self.lock:
            self.requests.append(record)


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _http_date(value: datetime) -> str:
    return format_datetime(render.local_to_aware(value).astimezone(UTC), usegmt=True)


def _not_modified(headers, etag: str, last_modified: datetime | None) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip() for t in if_none_match.split(",")}
        return etag in tags or "*" in tags or f"W/{etag}" in tags
    since = headers.get("If-Modified-Since")
    if since and last_modified is not None:
        try:
            since_time = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        modified = render.local_to_aware(last_modified).replace(microsecond=0)
        return since_time.tzinfo is not None and modified <= since_time
    return False


class ReplicaHandler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 with keep-alive, like a real WordPress host."""

    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    timeout = KEEP_ALIVE_TIMEOUT
    state: ReplicaState  # set on the subclass made by make_server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        form = self._read_body()
        if url.path.startswith(CONTROL_PREFIX):
            self._control(method, url.path[len(CONTROL_PREFIX) :], url.query, form)
            return
        state = self.state
        fault = state.take_fault(url.path)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "reset":
            self._log(method, url, 0, 0, fault.kind)
            self._reset()
            return
        if fault is not None and fault.kind == "status":
            body = f"<h1>{fault.status} Service Unavailable</h1>".encode()
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            self._send(
                method, url, routes.Response(fault.status, "text/html", body, headers), fault
            )
            return
        response = state.respond(method, url.path, url.query, form)
        if fault is not None and fault.kind == "latin1" and response.status == 200:
            response = self._latin1(url.path) or response
        self._send(method, url, response, fault)

    def _latin1(self, path: str) -> routes.Response | None:
        view = self.state.view
        entry = view.by_slug.get(path.strip("/"))
        if entry is None:
            return None
        text = render.render_entry(view, self.state.links, entry, charset="ISO-8859-1")
        body = text.encode("latin-1", errors="xmlcharrefreplace")
        return routes.Response(200, "text/html; charset=ISO-8859-1", body, {}, entry.modified)

    def _send(self, method: str, url, response: routes.Response, fault: Fault | None) -> None:
        headers = dict(response.headers)
        body = response.body
        status = response.status
        conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
        if status == 200 and method in ("GET", "HEAD"):
            etag = _etag(body)
            headers["ETag"] = etag
            if response.last_modified is not None:
                headers["Last-Modified"] = _http_date(response.last_modified)
            if _not_modified(self.headers, etag, response.last_modified):
                status, body = 304, b""
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", response.content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        sent = 0 if method == "HEAD" else len(body)
        if fault is not None and fault.kind == "truncate" and body:
            sent = len(body) // 2
            self.wfile.write(body[:sent])
            self.wfile.flush()
            self._log(method, url, status, sent, fault.kind, conditional)
            self._reset()
            return
        if method != "HEAD":
            self.wfile.write(body)
        self._log(method, url, status, sent, fault.kind if fault else None, conditional)

    def _reset(self) -> None:
        """Drop the connection with a TCP RST, as a crashing upstream does."""
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def _log(
        self, method, url, status: int, sent: int, fault: str | None, conditional: bool = False
    ) -> None:
        path = url.path + (f"?{url.query}" if url.query else "")
        self.state.log(
            RequestRecord(
                time=time.time(),
                method=method,
                host=self.headers.get("Host", ""),
                path=path,
                status=status,
                bytes=sent,
                conditional=conditional,
                user_agent=self.headers.get("User-Agent", ""),
                fault=fault,
            )
        )

    def _json(self, status: int, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _control(self, method: str, command: str, query: str, form: bytes) -> None:
        state = self.state
        try:
            data = json.loads(form or b"{}")
        except ValueError:
            self._json(400, {"error": "body is not JSON"})
            return
        if command == "manifest.json":
            self._json(200, state.manifest())
        elif command == "state":
            self._json(200, self._state_payload())
        elif command == "switch" and method == "POST":
            allowed = {f.name for f in dataclasses.fields(Switches)}
            unknown = set(data) - allowed
            if unknown:
                self._json(400, {"error": f"unknown switches: {sorted(unknown)}"})
                return
            try:
                state.set_switches(**data)
            except (TypeError, ValueError) as error:
                self._json(400, {"error": str(error)})
                return
            self._json(200, self._state_payload())
        elif command == "faults" and method == "POST":
            if data.get("kind") not in FAULT_KINDS or not str(data.get("path", "")).startswith("/"):
                self._json(400, {"error": f"need path and kind in {FAULT_KINDS}"})
                return
            path = data.pop("path")
            state.custom_faults[path] = Fault(**data)
            state.fault_hits.pop(path, None)
            self._json(200, self._state_payload())
        elif command == "faults" and method == "DELETE":
            state.custom_faults.clear()
            self._json(200, self._state_payload())
        elif command == "requests" and method == "DELETE":
            with state.lock:
                state.requests.clear()
            self._json(200, {"cleared": True})
        elif command == "requests":
            with state.lock:
                records = [dataclasses.asdict(r) for r in state.requests]
            self._json(200, records)
        else:
            self._json(404, {"error": f"unknown control command {method} {command}"})

    def _state_payload(self) -> dict:
        state = self.state
        return {
            "version": state.version,
            "switches": state.view.switches.as_dict(),
            "faults": {p: dataclasses.asdict(f) for p, f in state.active_faults().items()},
            "base_url": state.links.www,
            "bare_url": state.links.bare,
        }


class ReplicaServer(ThreadingHTTPServer):
    """A threading HTTP server whose handler threads do not block shutdown."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def make_server(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    synthetic: int = 0,
    switches: Switches | None = None,
    content: SiteContent | None = None,
) -> tuple[ReplicaServer, ReplicaState]:
    """Build (but do not start) a replica server; ``port=0`` picks a free port."""
    state = ReplicaState(content or load_content(), synthetic=synthetic, switches=switches)
    handler = type("BoundReplicaHandler", (ReplicaHandler,), {"state": state})
    server = ReplicaServer((host, port), handler)
    state.bind(server.server_address[1])
    return server, state
