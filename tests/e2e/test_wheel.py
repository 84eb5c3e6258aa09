"""The wheel, installed as a user installs it (not editable), crawls, validates, stores
and indexes the replica.

The wheel is built from this checkout and installed with ``--no-deps`` into a fresh
virtual environment; the dependencies are borrowed from the test run's environment
through a ``.pth`` line (a path in a ``.pth`` file is added to ``sys.path`` without its
own ``.pth`` files, so the checkout's editable install stays out). Every command runs
from a temporary directory, so nothing is imported from the source tree: a file the
wheel lacks (the schema once) fails here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import PROJECT_ROOT


def _run(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its ``ikpe-archive`` script."""
    root = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the tracked files: setuptools builds in the source tree, and
    # an untracked file must not sneak into the wheel.
    source = root / "source"
    tracked = _run("git", "ls-files", "-z", cwd=PROJECT_ROOT).stdout.split("\0")
    for name in filter(None, tracked):
        if (PROJECT_ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / name, source / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps",
                 "-w", str(root / "dist"), str(source), cwd=root)  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((root / "dist").glob("ikpe_archive-*.whl"))
    venv = root / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=root)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run(str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                     cwd=root).stdout.strip())  # fmt: skip
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    install = _run(sys.executable, "-m", "pip", "--python", str(python), "install",
                   "--no-deps", "--no-index", str(wheel), cwd=root)  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    return venv / "bin" / "ikpe-archive"


def test_the_wheel_ships_its_data(installed: Path, tmp_path: Path) -> None:
    python = installed.parent / "python"
    probe = _run(str(python), "-c", (
        "import archive, replica, json; from archive.schema import RECORD_TYPES, record_schema;"
        "from replica.content import load_content;"
        "print(json.dumps([archive.__file__, list(RECORD_TYPES), len(load_content().posts)]))"
    ), cwd=tmp_path)  # fmt: skip
    assert probe.returncode == 0, probe.stderr[-2000:]
    location, types, posts = json.loads(probe.stdout)
    assert str(installed.parent.parent) in location and str(PROJECT_ROOT) not in location
    assert "press_release" in types and posts > 50


def test_the_wheel_crawls_stores_and_indexes_the_replica(installed: Path, tmp_path: Path):
    server = subprocess.Popen([str(installed), "replica", "serve", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              cwd=tmp_path)  # fmt: skip
    try:
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        data = tmp_path / "data"
        nightly = _run(str(installed), "--data-dir", str(data), "nightly", "--start-url", url,
                       "--no-throttle", cwd=tmp_path)  # fmt: skip
        assert nightly.returncode == 0, nightly.stderr[-3000:]
        stats = json.loads(_run(str(installed), "--data-dir", str(data), "stats", "--json",
                                cwd=tmp_path).stdout)  # fmt: skip
        assert stats["by_type"]["press_release"] > 0 and stats["by_status"]["removed"] == 0
        found = _run(str(installed), "--data-dir", str(data), "search", "Präventionsketten",
                     "--json", cwd=tmp_path)  # fmt: skip
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["total"] > 0
    finally:
        server.terminate()
        server.wait(timeout=10)
