"""``ikpe-archive serve``: gunicorn (never Flask's debug server) prints the app's URL on its
first line and answers; a port already taken is one friendly line and exit code 1."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.helpers import PROJECT_ROOT


def _serve(data_dir, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "search_app.cli", "--data-dir", str(data_dir), "serve", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
    )  # fmt: skip


WORKER_MODELS = [
    ("threaded workers by default", [], "gthread"),
    ("sync workers behind a proxy", ["--threads", "1"], "sync"),
]


@pytest.mark.parametrize(
    ("case", "extra", "worker_class"), WORKER_MODELS, ids=[c[0] for c in WORKER_MODELS]
)
def test_serve_prints_its_url_and_answers(archive_data, case, extra, worker_class) -> None:
    server = _serve(archive_data.root, "--port", "0", "--workers", "1", *extra)
    try:
        url = server.stdout.readline().strip()
        if not url:  # it exited: say why
            server.wait(timeout=20)
            pytest.fail(f"serve did not start: {server.stderr.read()[-2000:]}")
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with urllib.request.urlopen(url + "healthz", timeout=20) as response:
            assert response.status == 200
            assert response.headers["Server"].startswith("gunicorn")
        for _ in range(3):  # a sync worker takes one connection after another
            with urllib.request.urlopen(url + "suche?q=Armut", timeout=20) as response:
                assert "Treffer" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stdout.close()
        log = server.stderr.read()
        server.stderr.close()
    # gunicorn names its worker class in the log at start-up ("Using worker: sync").
    assert f"Using worker: {worker_class}" in log, case


def test_a_taken_port_is_one_clear_line(archive_data) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "search_app.cli", "--data-dir", str(archive_data.root),
             "serve", "--port", str(port)],
            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0]
    assert "Traceback" not in result.stderr
