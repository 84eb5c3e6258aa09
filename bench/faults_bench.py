"""The fault suite's long version: kills, fuzzed queries and fuzzed routes, counted.

    .venv/bin/python -m bench --faults [--kills 20] [--queries 10000] [--route-examples 100]
        [--seed N] [--json FILE]

What it does, all on 127.0.0.1 (the pieces are the fault suite's, ``tests/faults/``):

- **Hostile archive**: the hostile site (``tests/hostile_site.py``) with its traps and its
  payload posts, crawled by the command line and indexed, with a second version and a
  saved press review (``tests/faults/fault_data.py``).
- **Routes**: every route of the web app (read from its ``url_map``) gets
  ``--route-examples`` requests drawn by hypothesis (``tests/faults/fault_fuzz.py``),
  Pressespiegel forms with and without the CSRF token; each answer is checked.
- **Queries**: ``--queries`` fuzzed searches, half to ``/api/search``, half to the page
  ``/suche``, each checked the same way.
- **Kills**: a replica is served, two full nightlies run, then ``--kills`` nightlies are
  SIGKILLed (the process group) at moments drawn from ``--seed`` over the second run's
  length, counted from the crawl's start (the replica's changes switched on and off, so
  each run stores something); after each, the store must pass ``PRAGMA integrity_check``
  and hold every record and version it held before. A last nightly must finish, and the
  index agree with the store.

Printed: kills survived, records lost, queries answered, requests, 5xx and tracebacks seen,
other problems (wrong error format, unescaped markup, ...), each with its first examples.
The target is 0 of each but the counts. Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ_SETTINGS = dict(deadline=None, database=None, suppress_health_check=list(HealthCheck))


class TracebackCounter(logging.Handler):
    """Counts log records that carry a traceback (the app logs every unexpected error)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0
        self.examples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.count += 1
            if len(self.examples) < 5:
                self.examples.append(f"{record.getMessage()}: {record.exc_info[1]!r}")


class Tally:
    """What the fuzzing saw."""

    def __init__(self) -> None:
        self.requests = 0
        self.answered = 0  # answered without a 5xx and without an exception
        self.server_errors = 0
        self.exceptions = 0
        self.problems: Counter[str] = Counter()
        self.examples: list[str] = []

    def note(self, fuzz, response, found: list[str], error: Exception | None) -> None:
        self.requests += 1
        if error is not None:
            self.exceptions += 1
            found = [f"exception {error!r}"]
        elif response.status_code >= 500:
            self.server_errors += 1
        if error is None and response.status_code < 500:
            self.answered += 1
        for problem in found:
            self.problems[problem.split(":")[0][:80]] += 1
        if found and len(self.examples) < 10:
            self.examples.append(f"{fuzz.method} {fuzz.url[:200]}: {found}")


def fuzz_requests(target, strategy, examples: int, tally: Tally) -> None:
    """``examples`` requests drawn from ``strategy``, each checked, none failing the run."""
    from tests.faults.fault_fuzz import check

    @settings(max_examples=examples, **FUZZ_SETTINGS)
    @given(fuzz=strategy)
    def run(fuzz) -> None:
        try:
            response, found = check(target, fuzz)
        except Exception as error:  # a traceback the test client saw: counted, not fatal
            tally.note(fuzz, None, [], error)
            return
        tally.note(fuzz, response, found, None)

    run()


def web_part(root: Path, route_examples: int, queries: int) -> dict:
    """Every route fuzzed, then the fuzzed queries; counts and examples."""
    from search_app.web.app import create_app
    from tests.faults.fault_data import build_hostile_archive
    from tests.faults.fault_fuzz import (
        FuzzRequest,
        make_target,
        pairs_strategy,
        request_strategy,
        routes,
    )

    started = time.monotonic()
    archive = build_hostile_archive(root, traps=True)
    built = time.monotonic() - started
    app = create_app({"TESTING": True, "DATA_DIR": str(root)})
    target = make_target(app, archive)
    tracebacks = TracebackCounter()
    logging.getLogger().addHandler(tracebacks)
    logging.getLogger("search_app").setLevel(logging.WARNING)
    try:
        route_tally, started = Tally(), time.monotonic()
        served = routes(app)
        for rule, method in served:
            fuzz_requests(target, request_strategy(rule, method, target), route_examples,
                          route_tally)  # fmt: skip
        route_seconds = time.monotonic() - started
        query_tally, started = Tally(), time.monotonic()
        for path in ("/api/search", "/suche"):
            strategy = st.builds(
                FuzzRequest, st.just("GET"), st.just(path), pairs_strategy(target, 10),
                st.just(""), st.sampled_from(["*/*", "", "application/json"]),
                st.just(False), st.just(False),
            )  # fmt: skip
            fuzz_requests(target, strategy, queries // 2, query_tally)
        query_seconds = time.monotonic() - started
    finally:
        logging.getLogger().removeHandler(tracebacks)
        app.extensions["ikpe_archive"].close()
    return {
        "archive_seconds": round(built, 1),
        "routes": len(served),
        "route_requests": route_tally.requests,
        "route_seconds": round(route_seconds, 1),
        "queries": query_tally.requests,
        "queries_answered": query_tally.answered,
        "query_seconds": round(query_seconds, 1),
        "server_errors": route_tally.server_errors + query_tally.server_errors,
        "exceptions": route_tally.exceptions + query_tally.exceptions,
        "logged_tracebacks": tracebacks.count,
        "problems": dict(route_tally.problems + query_tally.problems),
        "examples": route_tally.examples + query_tally.examples + tracebacks.examples,
    }


def kill_part(root: Path, kills: int, seed: int) -> dict:
    """One nightly, ``kills`` killed ones, a last one; the store checked after each."""
    from archive.config import DataDir
    from archive.facade import Archive
    from tests.faults.fault_kills import kill_moments, kill_nightly, store_state, timed_nightly
    from tests.helpers import Replica

    replica = Replica()
    try:
        data_dir = root / "data"
        code, duration, stderr = timed_nightly(data_dir, replica.url)
        if code != 0:
            raise RuntimeError(f"the first nightly failed:\n{stderr[-3000:]}")
        # A second whole run (with changes) sets the window: the runs after the first are
        # shorter (its HTTP cache), and a moment after the end would kill nothing.
        replica.switch(changed=True)
        code, duration, stderr = timed_nightly(data_dir, replica.url)
        if code != 0:
            raise RuntimeError(f"the second nightly failed:\n{stderr[-3000:]}")
        first = store_state(data_dir / "archive.sqlite3")
        outcomes = []
        moments = kill_moments(kills, duration * 0.8, seed, start=0.05)
        for number, moment in enumerate(moments):
            replica.switch(changed=number % 2 == 1)
            outcome = kill_nightly(data_dir, replica.url, moment, root / f"kill-{number}.log")
            outcomes.append(outcome)
            print(f"  kill {number + 1:2d} at {moment:5.2f} s: "
                  f"{'killed' if outcome.killed else 'ended first'}, "
                  f"in {outcome.phase or '?'}, "
                  f"{'sound' if outcome.sound else 'NOT SOUND'}; {outcome.last_line[:80]}",
                  flush=True)  # fmt: skip
        replica.switch(changed=True)
        code, _, stderr = timed_nightly(data_dir, replica.url)
        last = store_state(data_dir / "archive.sqlite3")
        with Archive(DataDir(data_dir)) as archive:
            health = archive.health()
        logs = [path.read_text(errors="replace") for path in root.glob("kill-*.log")]
    finally:
        replica.stop()
    return {
        "seed": seed,
        "window_seconds": round(duration * 0.8, 1),  # from the crawl's start
        "kills": sum(o.killed for o in outcomes),
        "ended_before_kill": sum(not o.killed for o in outcomes),
        "kills_survived": sum(o.killed and o.sound for o in outcomes),
        "records_before": len(first.versions),
        "records_lost": len(set().union(*(o.lost for o in outcomes)) | set(last.lost_since(first))),
        "unreadable_records": len(last.unreadable),
        "integrity_after_last_run": last.integrity,
        "last_run_exit": code,
        "last_run_tracebacks": stderr.count("Traceback"),
        "killed_run_tracebacks": sum(log.count("Traceback") for log in logs),
        "index_agrees": health["ok"] and health["index"]["records"] == health["store"]["records"],
        "phases": dict(Counter(o.phase for o in outcomes if o.killed)),
        "moments": [o.moment for o in outcomes],
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench --faults",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--route-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", type=Path, help="Write the figures to this file too.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the long fault suite; print its figures (and write them as JSON)."""
    args = parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    workdir = Path(tempfile.mkdtemp(prefix="ikpe-faults-"))
    started = time.monotonic()
    try:
        print(f"kills: {args.kills} nightlies (seed {seed})", flush=True)
        kills = kill_part(workdir / "kills", args.kills, seed) if args.kills else {}
        print("web: every route and the queries", flush=True)
        web = web_part(workdir / "web" / "data", args.route_examples, args.queries)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures = {
        "command": "python -m bench --faults " + " ".join(sys.argv[2:] if argv is None else argv),
        "machine": platform.platform(),
        "seconds": round(time.monotonic() - started, 1),
        "kills": kills,
        "web": web,
    }
    tracebacks = web["exceptions"] + web["logged_tracebacks"]
    tracebacks += kills.get("last_run_tracebacks", 0) + kills.get("killed_run_tracebacks", 0)
    figures["tracebacks"] = tracebacks
    print(
        f"kills survived:   {kills.get('kills_survived', 0)} of {kills.get('kills', 0)} "
        f"({kills.get('ended_before_kill', 0)} runs ended before their moment)"
    )
    print(
        f"records lost:     {kills.get('records_lost', 0)} "
        f"(of {kills.get('records_before', 0)}; integrity after the last run: "
        f"{kills.get('integrity_after_last_run')}, index agrees: {kills.get('index_agrees')})"
    )
    print(f"kills hit:        {kills.get('phases')}")
    print(f"queries answered: {web['queries_answered']} of {web['queries']}")
    print(f"route requests:   {web['route_requests']} over {web['routes']} routes")
    print(f"5xx seen:         {web['server_errors']}")
    print(f"tracebacks seen:  {tracebacks}")
    print(f"other problems:   {sum(web['problems'].values())} {web['problems']}")
    for example in web["examples"][:10]:
        print(f"  e.g. {example[:300]}")
    print(f"took {figures['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    missed = (
        web["server_errors"] or tracebacks or kills.get("records_lost")
        or kills.get("kills_survived") != kills.get("kills") or web["problems"]
    )  # fmt: skip
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
