"""The README's first command: the demo runs the chain and ends with the web app running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import PROJECT_ROOT

APP_LINE = "4. The web app: "


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - 127.0.0.1 only
        return response.status, response.read()


def test_the_demo_ends_with_the_app_serving_the_harvest(tmp_path: Path) -> None:
    demo = subprocess.Popen(
        [sys.executable, "-m", "search_app.cli", "--data-dir", str(tmp_path / "data"),
         "demo", "--port", "0", "--app-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        url, deadline, lines = None, time.monotonic() + 240, []
        while url is None and time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith(APP_LINE):
                url = line.removeprefix(APP_LINE).strip()
        assert url and url.startswith("http://127.0.0.1:"), "".join(lines)[-2000:]
        assert any("hits" in line for line in lines)  # the searches ran
        status, body = _get(url + "healthz")
        assert status == 200 and json.loads(body)["index"]["records"] > 100
        status, body = _get(url + "suche?q=Pr%C3%A4ventionsketten")
        assert status == 200 and "Treffer" in body.decode("utf-8")
    finally:
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=30) == 0
    time.sleep(0.5)
    try:  # the app went down with the demo
        _get(url + "healthz")
        raise AssertionError("the web app outlived the demo")
    except OSError:
        pass
