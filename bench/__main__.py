"""The benchmarks from one command: ``python -m bench --faults [options]`` runs the long
fault suite (``bench/faults_bench.py``); ``python -m bench NAME [options]`` runs
``bench/NAME_bench.py`` with its options (``python -m bench --list`` names them).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# The other benchmarks, each a script of its own (their figures are in BENCHMARKS.md).
BENCHES = (
    "crawl", "extraction", "index", "index_build", "web", "pressreview", "pipeline", "dates",
    "faults",
)  # fmt: skip


def main(argv: list[str]) -> int:
    """Dispatch to one benchmark; its exit code."""
    if not argv or argv[0] in ("-h", "--help", "--list"):
        print(__doc__.strip())
        print("benchmarks: " + ", ".join(BENCHES))
        return 0
    if argv[0] == "--faults":
        from bench.faults_bench import main as faults

        return faults(argv[1:])
    name = argv[0]
    if name not in BENCHES:
        print(f"no benchmark {name!r}; there are: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    script = BENCH_DIR / f"{name}_bench.py"
    sys.argv = [str(script), *argv[1:]]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as end:
        return end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
