"""The pipeline benchmark's measurement of one subprocess: wall time, CPU seconds and peak
memory of it and its children (``os.wait4``), and the bound on its run time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.pipeline_runs import measured

BURN = "import time; t = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
# A child that holds 200 MB: the parent's peak must include its children's.
CHILD_MEMORY = (
    "import subprocess, sys; subprocess.run([sys.executable, '-c', "
    "'b = bytearray(200 * 1024 * 1024); b[::4096] = b\"x\" * len(b[::4096])'], check=True)"
)

# (code, what must hold of the measurement), note.
MEASURE_CASES = [
    (BURN, lambda m: m["cpu_s"] >= 0.25 and m["wall_s"] >= 0.25, "CPU seconds are counted"),
    (CHILD_MEMORY, lambda m: m["peak_rss_mb"] >= 190, "a child's peak memory is seen"),
    ("import sys; sys.exit(3)", lambda m: m["exit_code"] == 3, "the exit code is kept"),
    ("pass", lambda m: not m["timed_out"] and m["wall_s"] < 30, "a short run is not cut"),
]


@pytest.mark.parametrize(
    "code, holds", [c[:2] for c in MEASURE_CASES], ids=[c[2] for c in MEASURE_CASES]
)
def test_a_run_is_measured(tmp_path: Path, code: str, holds) -> None:
    result = measured([sys.executable, "-c", code], tmp_path / "run.log")
    assert holds(result), result


def test_a_run_past_its_bound_is_killed(tmp_path: Path) -> None:
    result = measured([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path / "x.log", 1)
    assert result["timed_out"] is True
    assert result["wall_s"] < 20
    assert result["exit_code"] != 0
