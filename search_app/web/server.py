"""Serving the web app with gunicorn (a production WSGI server; never Flask's debug server).

``serve`` binds the listening socket itself before gunicorn starts, so a port already in
use is one clear error rather than gunicorn's retries, and ``--port 0`` picks a free port
whose URL can be printed first. gunicorn then serves on that socket (``fd://``).

Workers: a search is CPU work in Python (the index and the store are read from memory
and the caches), so one process per core serves the most. By default each worker runs
threads (``gthread``): an idle or slow connection (a browser's speculative one, a slow
phone) never holds a worker, which is what serving browsers directly needs. Behind a
buffering proxy (nginx, as the README and the systemd unit set up) ``threads=1`` runs
gunicorn's **sync** workers: each takes the next connection only when it is free, so
requests wait in the kernel's queue rather than share a core (and the GIL). Under 20
concurrent clients that kept p99 near 1.6 times the mean latency, against about 2.8
times with four threads per worker (``BENCHMARKS.md``).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication

THREADS = 4  # per worker, by default (1: sync workers)
# Room for a query of 1000 characters, percent-encoded, plus filters.
MAX_REQUEST_LINE = 8190


@dataclass(frozen=True)
class Listener:
    """A bound, listening socket and the URL it answers on."""

    sock: socket.socket
    url: str


def bind(host: str, port: int) -> Listener:
    """Listen on ``host:port`` (0: a free port); ``OSError`` if that is not possible."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if family == socket.AF_INET6 else host
    return Listener(sock, f"http://{shown_host}:{bound_port}/")


class ArchiveServer(BaseApplication):
    """gunicorn running ``create_app`` over one data directory."""

    def __init__(self, data_dir: str, options: dict) -> None:
        self.data_dir = data_dir
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self):
        from search_app.web.app import create_app

        return create_app({"DATA_DIR": self.data_dir})


def gunicorn_options(listener: Listener, workers: int, threads: int = THREADS) -> dict:
    """gunicorn's settings for serving on ``listener``: sync workers, or threaded ones
    when ``threads`` > 1."""
    return {
        "bind": [f"fd://{listener.sock.fileno()}"],
        "workers": workers,
        "worker_class": "sync" if threads == 1 else "gthread",
        "threads": threads,
        "accesslog": "/dev/stderr",  # stdout carries only the URL
        "errorlog": "-",
        "loglevel": "info",
        "limit_request_line": MAX_REQUEST_LINE,
        "timeout": 60,
        "graceful_timeout": 10,
        "proc_name": "ikpe-archive-web",
        "preload_app": False,
        # gunicorn 24+ opens a control socket in $HOME by default; two servers would share it.
        "control_socket_disable": True,
    }


def serve(data_dir: str, listener: Listener, workers: int = 2, threads: int = THREADS) -> None:
    """Serve the app on ``listener`` until stopped (SIGINT/SIGTERM)."""
    os.environ.pop("GUNICORN_FD", None)  # a stale value would make gunicorn reuse other fds
    ArchiveServer(data_dir, gunicorn_options(listener, workers, threads)).run()
