"""Where a nightly's time goes: a py-spy profile summarised by the archive's parts.

``py-spy record --subprocesses -f raw`` writes one line per distinct stack: frames from the
outermost to the innermost, ``;``-separated, each ``function (path:line)``, then the number
of samples. A sample is charged to the part of the deepest frame that is the project's own
code (a Whoosh frame under ``archive/search/`` is index time, an lxml frame under
``crawler/extract.py`` is crawl time); a stack without project code goes by its library
(Scrapy/Twisted: crawl, Whoosh: index, warcio: WARC, sqlite3: store). A stack that is
importing a module is start-up, whoever asked for the import.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

PYSPY_CANDIDATES = ("/tmp/pyspy/bin/py-spy", "py-spy")
PROFILE_RATE = 100  # samples a second per thread
PROFILE_TIMEOUT = 1800.0
_FRAME = re.compile(r"^(?P<function>.*) \((?P<path>[^()]*):(?P<line>\d+)\)$")

# (pattern on a frame's path, part), the first match wins; project code first.
PROJECT_PARTS = (
    (r"(^|/)archive/search/|(^|/)archive/sync\.py", "index"),
    (r"(^|/)archive/captures\.py", "WARC"),
    (r"(^|/)archive/store\.py", "store"),
    (
        r"(^|/)archive/(records|cleaning|htmltext|patterns|citations|entities|gazetteer|doctype"
        r"|ids|validation|pdftext|schema|item)\.py|(^|/)archive/dates/"
        r"|(^|/)crawler/(normalise|record_workers)\.py",
        "records",
    ),
    (r"(^|/)crawler/", "crawl"),
    (r"(^|/)search_app/|(^|/)archive/", "nightly (other)"),
)
LIBRARY_PARTS = (
    (r"(^|/)whoosh/", "index"),
    (r"(^|/)warcio/", "WARC"),
    (r"(^|/)sqlite3/", "store"),
    (r"(^|/)(scrapy|twisted|parsel|w3lib|lxml|trafilatura|htmldate)/", "crawl"),
    # The record workers' pool: its manager thread, queues and pickling, in both processes.
    (r"(^|/)(multiprocessing|concurrent)/", "record-worker IPC"),
)
IMPORTING = "_find_and_load"
START_UP = "start-up (imports)"
NO_FRAME = "no Python frame"
OTHER = "other"


def frame_paths(stack: str) -> list[str]:
    """The source paths of a raw stack's frames, outermost first (process labels skipped)."""
    paths = []
    for frame in stack.split(";"):
        match = _FRAME.match(frame.strip())
        if match:
            paths.append(match["path"])
    return paths


def part_of(stack: str) -> tuple[str, str]:
    """(part, where) a raw stack is charged to; ``where`` is the deciding frame's module and,
    when deeper frames are a library's, that library (``archive/search/x.py > whoosh``)."""
    if IMPORTING in stack:
        return START_UP, "<imports>"
    paths = frame_paths(stack)
    if not paths:
        return NO_FRAME, "<none>"
    innermost = _module(paths[-1])
    for table in (PROJECT_PARTS, LIBRARY_PARTS):
        for path in reversed(paths):
            for pattern, part in table:
                if re.search(pattern, path):
                    where = _module(path)
                    return part, where if where == innermost else f"{where} > {innermost}"
    return OTHER, innermost


def _module(path: str) -> str:
    """A frame's path shortened: the project's module (``archive/store.py``), else the
    library's top-level package (``whoosh``) or file (``selectors.py``)."""
    for root in ("archive/", "crawler/", "search_app/"):
        index = path.rfind(root)
        if index >= 0:
            return path[index:]
    parts = path.split("/")
    return parts[0] if len(parts) > 1 else path


def summarise(raw: str, rate: int = PROFILE_RATE) -> dict:
    """Samples by part and by module of a py-spy raw profile (the text of its file)."""
    by_part: Counter[str] = Counter()
    by_module: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        part, module = part_of(stack)
        by_part[part] += int(count)
        by_module[f"{part}: {module}"] += int(count)
    total = sum(by_part.values())
    return {
        "samples": total,
        "rate_hz": rate,
        "active_thread_s": round(total / rate, 2),
        "parts": {
            part: {"samples": n, "share": round(n / total, 3) if total else 0.0}
            for part, n in by_part.most_common()
        },
        "top_modules": [[name, n] for name, n in by_module.most_common(15)],
    }


def pyspy() -> str | None:
    """The py-spy executable, or None when it is not installed."""
    for candidate in PYSPY_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def profile(command: list[str], out: Path, cwd: Path, log: Path) -> dict | None:
    """Run ``command`` under py-spy (all its processes) and summarise; None without py-spy."""
    executable = pyspy()
    if executable is None:
        return None
    record = [
        executable,
        "record",
        "--rate",
        str(PROFILE_RATE),
        "--subprocesses",
        "--nonblocking",
        "--format",
        "raw",
        "--output",
        str(out),
        "--",
        *command,
    ]
    with log.open("w", encoding="utf-8") as sink:
        try:
            subprocess.run(
                record, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, timeout=PROFILE_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return None  # a profile cut short says nothing reliable about the shares
    if not out.exists():
        return None
    return summarise(out.read_text(encoding="utf-8", errors="replace"))
