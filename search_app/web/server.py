"""Serving the web app with gunicorn (a production WSGI server; never Flask's debug server).

``serve`` binds the listening socket itself before gunicorn starts, so a port already in
use is one clear error rather than gunicorn's retries, and ``--port 0`` picks a free port
whose URL can be printed first. gunicorn then serves on that socket (``fd://``) with
threaded workers (``gthread``): the searches are mostly waiting on the index and the
store, and one :class:`archive.facade.Archive` per worker is shared by its threads.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication

THREADS_PER_WORKER = 4
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


def gunicorn_options(listener: Listener, workers: int) -> dict:
    """gunicorn's settings for serving on ``listener``."""
    return {
        "bind": [f"fd://{listener.sock.fileno()}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
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


def serve(data_dir: str, listener: Listener, workers: int = 2) -> None:
    """Serve the app on ``listener`` until stopped (SIGINT/SIGTERM)."""
    os.environ.pop("GUNICORN_FD", None)  # a stale value would make gunicorn reuse other fds
    ArchiveServer(data_dir, gunicorn_options(listener, workers)).run()
