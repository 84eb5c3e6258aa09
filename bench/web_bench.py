"""Web benchmark: the search page and the search API under concurrent clients.

    .venv/bin/python bench/web_bench.py [--records 10000] [--clients 20] [--duration 60]
        [--warmup 5] [--workers 2] [--threads 1] [--scenarios page,api,rebuild] [--keep-alive]
        [--rebuild-duration 20] [--json FILE]

What it does, all on 127.0.0.1 and every wait bounded:

- **Data**: a data directory with ``--records`` records in a real store and index, cached
  under ``bench/out/web-data-<records>/`` (git-ignored) and reused while its store and
  index both hold that many records. It is made the way the archive is made: a replica
  (``ikpe-archive replica serve --port 0 --synthetic K``, the generator
  ``bench/index_bench.py`` uses too, ``replica.synthetic``) is crawled with
  ``crawl --no-throttle`` (REST on), so every record went through the real normaliser,
  validation and store, and then ``index`` builds the Whoosh index. ``K`` is the number
  asked for minus the replica's own seed content (read from its manifest), so the archive
  holds exactly ``--records`` records. 10,000 records took 70 s here (35 s crawl, 34 s
  index, with other jobs on the machine).
- **Server**: ``python -m search_app.cli --data-dir D serve --port 0 --workers W --threads
  T`` (gunicorn; ``--threads 1``, the default here, runs sync workers as the systemd unit
  behind nginx does; more runs gthread workers); its first stdout line is the URL;
  ``/healthz`` must say ok before the load starts. Its access log goes to
  ``bench/out/web-serve.log``.
- **Queries**: a fixed list (seeded) of realistic searches from the archive's vocabulary:
  the synthetic posts' topics, formats, places and people, and the facet values the built
  archive reports (``/api/facets``): single words, two words, phrases, OR, exclusion,
  prefixes, fielded terms, umlaut spellings and typos (did-you-mean), facet filters (one or
  several values), date ranges, sort by date, page 2, browsing without a query. Each is
  checked once (must answer 200) before the load.
- **Load**: ``--clients`` threads send requests back to back (a closed loop: a client sends
  its next request when the last answer is read) for ``--warmup`` + ``--duration`` seconds,
  cycling through the list from its own offset. Each request goes on a new connection with
  ``Connection: close``, as the README's nginx front (``proxy_pass`` without upstream
  keep-alive, HTTP/1.0) talks to gunicorn; ``--keep-alive`` gives each client one
  persistent connection instead (gunicorn's gthread workers keep such a connection in the
  worker that accepted it, so 20 connections opened at once may all end up in one worker).
  Latency is from sending the request (connecting included) to having read the whole body.
  Requests started during the warm-up are left out. An error is any status but 200 or any
  exception (the client then reconnects). CPU seconds of the server's processes, of the
  load generator and of everything else on the machine are recorded for each run.
- **Scenarios**: ``page`` (``/suche?...``), then ``api`` (``/api/search?...``), each on a
  freshly started server; ``rebuild``: the same clients alternate between both paths while
  ``index --rebuild`` runs against the data directory (started 5 s after the warm-up);
  the load lasts ``--rebuild-duration`` seconds, or until 5 s after the rebuild finished
  if that is later, and the figures are split into before, during and after the rebuild.

Results go to ``--json`` (default ``bench/out/web.json``) and a table on stdout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import selectors
import shutil
import statistics
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from replica import synthetic  # noqa: E402

PYTHON = sys.executable
OUT_DIR = PROJECT_ROOT / "bench" / "out"
START_TIMEOUT = 120.0
BUILD_TIMEOUT = 1800.0
HEALTH_TIMEOUT = 60.0
HTTP_TIMEOUT = 30.0
QUERY_COUNT = 240
QUERY_SEED = 11
TARGET_P99_MS = 100.0
MAX_CLIENTS = 256
MAX_DURATION = 3600.0
BEFORE_REBUILD_S = 5.0  # timed load before the rebuild starts
AFTER_REBUILD_S = 5.0  # timed load after it swapped the new generation in
PATHS = {"page": "/suche", "api": "/api/search"}


# --- processes ------------------------------------------------------------------------------


def _first_line(process: subprocess.Popen, timeout: float) -> str:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    try:
        if not selector.select(timeout):
            return ""
        return process.stdout.readline().strip()
    finally:
        selector.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


def _cli(data_dir: Path | None, *args: str) -> list[str]:
    command = [PYTHON, "-m", "search_app.cli"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return [*command, *args]


def _run(command: list[str], log: Path, timeout: float = BUILD_TIMEOUT) -> float:
    started = time.perf_counter()
    with log.open("a", encoding="utf-8") as sink:
        subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=True,
        )
    return time.perf_counter() - started


def _get_json(url: str, timeout: float = HTTP_TIMEOUT) -> dict:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {url}: HTTP {response.status} {body[:200]!r}")
    return json.loads(body)


def _machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine so far (``/proc/stat``)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def _process_cpu(pid: int) -> dict[int, float]:
    """User + system CPU seconds of a process and of each of its live children."""
    result = {}
    pids = [pid]
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            pids.append(int(child))
    except OSError:
        pass
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        result[one] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return result


# --- the data directory -------------------------------------------------------------------


def _counts(data_dir: Path) -> tuple[int, int] | None:
    """(records in the store, records in the index), or None if either is missing."""
    if not (data_dir / "archive.sqlite3").exists():
        return None
    from archive.config import DataDir
    from archive.facade import Archive

    with Archive(DataDir(data_dir.resolve())) as archive:
        health = archive.health()
    if not health["ok"]:
        return None
    return health["store"]["records"], health["index"]["records"]


def seed_records() -> int:
    """How many records the replica's own content (no synthetic posts) gives."""
    from replica.server import make_server

    server, state = make_server("127.0.0.1", 0, synthetic=0)
    try:
        manifest = state.manifest()
    finally:
        server.server_close()
    return len(manifest["entries"]) + len(manifest["publications"])


def ensure_data(records: int, out_dir: Path) -> tuple[Path, dict]:
    """The cached data directory with ``records`` records, built if missing."""
    data_dir = out_dir / f"web-data-{records}"
    meta_path = data_dir / "web-bench.json"
    if _counts(data_dir) == (records, records) and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        print(f"data: reusing {data_dir} ({records} records)", flush=True)
        return data_dir, {**meta, "reused": True}
    base = seed_records()
    if records <= base:
        raise SystemExit(f"--records must be more than the replica's {base} seed records")
    building = out_dir / f"web-data-{records}.building"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    log = out_dir / f"web-data-{records}.log"
    log.write_text("")
    replica = subprocess.Popen(
        _cli(None, "replica", "serve", "--port", "0", "--synthetic", str(records - base)),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = _first_line(replica, START_TIMEOUT)
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"replica did not start: {url!r}")
        print(f"data: crawling {url} ({records - base} synthetic + {base} seed)", flush=True)
        crawl_s = _run(_cli(building, "crawl", "--start-url", url, "--no-throttle"), log)
    finally:
        _stop(replica)
    print(f"data: crawl {crawl_s:.1f} s; indexing", flush=True)
    index_s = _run(_cli(building, "index"), log)
    counts = _counts(building)
    if counts != (records, records):
        raise RuntimeError(f"built {counts} (store, index) records, wanted {records} (see {log})")
    meta = {
        "records": records,
        "synthetic": records - base,
        "seed_records": base,
        "how": "replica --synthetic crawled with crawl --no-throttle, then index",
        "crawl_s": round(crawl_s, 1),
        "index_s": round(index_s, 1),
        "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (building / "web-bench.json").write_text(json.dumps(meta, indent=2) + "\n")
    shutil.rmtree(data_dir, ignore_errors=True)
    building.rename(data_dir)
    print(f"data: built {data_dir} (index {index_s:.1f} s)", flush=True)
    return data_dir, {**meta, "reused": False}


# --- the server ---------------------------------------------------------------------------


class Server:
    """``ikpe-archive serve --port 0`` over a data directory, until stopped."""

    def __init__(self, data_dir: Path, workers: int, log: Path, threads: int = 1) -> None:
        self.log_file = log.open("a", encoding="utf-8")
        self.process = subprocess.Popen(
            _cli(
                data_dir,
                "serve",
                "--port",
                "0",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ),  # fmt: skip
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=self.log_file,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.url = _first_line(self.process, START_TIMEOUT)
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"server did not start: {self.url!r} (see {log})")
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        last: object = None
        while time.monotonic() < deadline:
            try:
                if _get_json(self.url + "healthz", timeout=5).get("ok"):
                    return
            except (OSError, RuntimeError, ValueError) as error:
                last = error
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"/healthz did not say ok within {HEALTH_TIMEOUT:.0f} s: {last}")

    def cpu_seconds(self) -> dict[int, float]:
        """CPU seconds of the gunicorn master and of each worker, by process id."""
        return _process_cpu(self.process.pid)

    def stop(self) -> None:
        _stop(self.process)
        self.log_file.close()


# --- the queries ----------------------------------------------------------------------------


def query_list(facets: dict, seed: int = QUERY_SEED, count: int = QUERY_COUNT) -> list[dict]:
    """A fixed list of searches as (kind, GET parameters), from the archive's vocabulary:
    the synthetic posts' words and the facet values the archive reports."""
    rng = random.Random(seed)
    topics = synthetic.TOPICS
    parts = ["Planung", "Armut", "Prävention", "Hilfe", "Beteiligung", "Analyse", "Kette"]
    words = ["Fachtag", "Workshop", "Ergebnisse", "Kommunen", "Befragung", "Arbeitskreis"]
    surnames = [person.split()[-1] for person in synthetic.PEOPLE]
    spellings = ["Struening", "Soemmerda", "Muehlhausen", "Koelleda", "Praeventionsketten"]
    typos = ["Präventionsketen", "Sozialplanug", "Armutspävention", "Inklusoin"]

    def values(facet: str, top: int = 12) -> list[str]:
        return [entry["value"] for entry in facets.get(facet, [])[:top]] or [""]

    places, persons = values("place"), values("person")
    categories, years = values("category"), values("year", 14)
    types = ["news", "press_release", "event"]

    def q(*terms: str, **extra) -> dict:
        return {"q": " ".join(terms), **extra}

    makers = [
        ("word", lambda: q(rng.choice(topics))),
        ("word", lambda: q(rng.choice(parts))),
        ("word", lambda: q(rng.choice(words))),
        ("two words", lambda: q(rng.choice(topics), rng.choice(synthetic.PLACES))),
        ("two words", lambda: q(rng.choice(words), rng.choice(synthetic.PLACES))),
        ("phrase", lambda: q('"kommunale Planung"')),
        ("phrase", lambda: q(f'"{rng.choice(synthetic.FORMATS)} zur {rng.choice(topics)}"')),
        ("or", lambda: q(f"{rng.choice(topics)} OR {rng.choice(topics)}")),
        ("not", lambda: q(f"{rng.choice(topics)} -{rng.choice(synthetic.PLACES)}")),
        ("prefix", lambda: q(rng.choice(topics)[:6] + "*")),
        ("field", lambda: q(f"person:{rng.choice(surnames)}")),
        ("field", lambda: q(f"title:{rng.choice(synthetic.FORMATS)}")),
        ("spelling", lambda: q(rng.choice(spellings))),
        ("typo", lambda: q(rng.choice(typos))),
        ("facet", lambda: q(rng.choice(topics), type=rng.choice(types))),
        ("facet", lambda: q(rng.choice(parts), place=rng.choice(places))),
        ("facet", lambda: q(rng.choice(words), person=rng.choice(persons))),
        ("facet", lambda: q(rng.choice(topics), category=rng.choice(categories))),
        (
            "facets, several",
            lambda: q(rng.choice(topics), type=["news", "event"], year=rng.sample(years, 2)),
        ),
        (
            "date range",
            lambda: q(
                rng.choice(parts),
                **{"from": str(rng.randint(2012, 2020)), "to": f"{rng.randint(2021, 2024)}-06"},
            ),
        ),
        ("sort by date", lambda: q(rng.choice(topics), sort="-date")),
        ("sort by date", lambda: q(rng.choice(words), sort="date")),
        ("page 2", lambda: q(rng.choice(topics), page="2")),
        ("page 2", lambda: q(rng.choice(parts), sort="-date", page="2")),
        ("browse", lambda: q(type=rng.choice(types))),
        ("browse", lambda: q(year=rng.choice(years))),
    ]
    chosen = []
    for _ in range(count):
        kind, make = rng.choice(makers)
        chosen.append({"kind": kind, "params": make()})
    return chosen


def query_string(params: dict) -> str:
    pairs = []
    for name, value in params.items():
        for one in value if isinstance(value, list) else [value]:
            if one != "":
                pairs.append((name, one))
    return urlencode(pairs)


def check_queries(server: Server, queries: list[dict]) -> dict:
    """Run each query once on both paths (untimed): every one must answer 200."""
    totals = []
    for query in queries:
        for path in PATHS.values():
            qs = query_string(query["params"])
            status, body = _request_once(server, f"{path}?{qs}")
            if status != 200:
                raise RuntimeError(f"{path}?{qs}: HTTP {status} {body[:300]!r}")
        totals.append(json.loads(body)["total"])  # the API's answer
    return {
        "queries": len(queries),
        "mean_hits": round(statistics.fmean(totals), 1),
        "median_hits": statistics.median(totals),
        "no_hits": sum(1 for t in totals if t == 0),
        "kinds": {
            k: sum(1 for q in queries if q["kind"] == k)
            for k in sorted({q["kind"] for q in queries})
        },
    }


def _request_once(server: Server, target: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=HTTP_TIMEOUT)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- the load generator --------------------------------------------------------------------


class Client(threading.Thread):
    """One client: requests back to back until told to stop, each on a new connection
    (``keep_alive=False``, as the README's nginx front talks to gunicorn) or all on one
    keep-alive connection."""

    def __init__(
        self, server: Server, targets: list[str], offset: int, stop_at: float, keep_alive: bool
    ) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.targets = targets
        self.offset = offset
        self.stop_at = stop_at
        self.keep_alive = keep_alive
        # (start, latency s, status or 0, target index, error text or None)
        self.samples: list[tuple[float, float, int, int, str | None]] = []

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.server.host, self.server.port, timeout=HTTP_TIMEOUT)

    def run(self) -> None:
        connection = self._connect()
        position = self.offset
        clock = time.perf_counter
        headers = {} if self.keep_alive else {"Connection": "close"}
        try:
            while (started := clock()) < self.stop_at:
                index = position % len(self.targets)
                position += 1
                try:
                    connection.request("GET", self.targets[index], headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status, error = response.status, None
                    if response.will_close or not self.keep_alive:
                        connection.close()
                        connection = self._connect()
                except Exception as exception:  # every failure is an error, counted
                    status, error = 0, f"{type(exception).__name__}: {exception}"
                    connection.close()
                    connection = self._connect()
                self.samples.append((started, clock() - started, status, index, error))
        finally:
            connection.close()


def run_load(
    server: Server,
    targets: list[str],
    clients: int,
    warmup: float,
    duration: float,
    *,
    keep_alive: bool = False,
    during=None,
) -> dict:
    """``clients`` clients for ``warmup`` + ``duration`` seconds. ``during(t0, threads)``
    (optional) runs in this thread after the warm-up; it may move the clients' ``stop_at``
    and returns fields for the report."""
    t0 = time.perf_counter()
    stop_at = t0 + warmup + duration
    threads = [
        Client(
            server,
            targets,
            offset=i * len(targets) // clients,
            stop_at=stop_at,
            keep_alive=keep_alive,
        )
        for i in range(clients)
    ]
    cpu_server = server.cpu_seconds()
    cpu_self = sum(os.times()[:2])
    cpu_machine = _machine_cpu()
    load_before = os.getloadavg()[0]
    for thread in threads:
        thread.start()
    extra = {}
    if during is not None:
        time.sleep(warmup)
        try:
            extra = during(t0, threads) or {}
        except BaseException:
            for thread in threads:  # stop the clients before giving up
                thread.stop_at = time.perf_counter()
            raise
    for thread in threads:
        thread.join(timeout=max(1.0, threads[0].stop_at - time.perf_counter()) + HTTP_TIMEOUT + 5)
    wall = time.perf_counter() - t0
    samples = [s for thread in threads for s in thread.samples]
    timed_from = t0 + warmup
    timed_to = threads[0].stop_at
    timed = [s for s in samples if s[0] >= timed_from]
    report = summarise(timed, timed_to - timed_from)
    server_cpu = {
        pid: seconds - cpu_server.get(pid, 0.0) for pid, seconds in server.cpu_seconds().items()
    }
    loadgen_cpu = sum(os.times()[:2]) - cpu_self
    busy, everything = (
        after - before for after, before in zip(_machine_cpu(), cpu_machine, strict=True)
    )
    report.update(
        clients=clients,
        warmup_s=warmup,
        duration_s=round(timed_to - timed_from, 1),
        warmup_requests=len(samples) - len(timed),
        wall_s=round(wall, 1),
        # CPU seconds over the whole run (warm-up included): the server's processes (master
        # first, then each worker), this load generator, and everything else on the machine.
        server_cpu_s=round(sum(server_cpu.values()), 1),
        server_cpu_per_process_s=[round(v, 1) for v in server_cpu.values()],
        loadgen_cpu_s=round(loadgen_cpu, 1),
        other_cpu_s=round(busy - sum(server_cpu.values()) - loadgen_cpu, 1),
        machine_cpu_s=round(everything, 1),
        server_cpu_ms_per_request=round(1000 * sum(server_cpu.values()) / len(samples), 1)
        if samples
        else None,
        loadavg_before_after=[round(load_before, 2), round(os.getloadavg()[0], 2)],
        **extra,
    )
    report["_samples"] = timed
    return report


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (sorted or not)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarise(samples: list, seconds: float) -> dict:
    latencies = [s[1] * 1000 for s in samples]
    errors = [s for s in samples if s[2] != 200]
    if not latencies:
        return {"requests": 0, "errors": 0}
    first_errors: dict[str, int] = {}
    for s in errors:
        key = s[4] or f"HTTP {s[2]}"
        first_errors[key] = first_errors.get(key, 0) + 1
    return {
        "requests": len(samples),
        "throughput_rps": round(len(samples) / seconds, 1) if seconds > 0 else None,
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "errors": len(errors),
        "error_kinds": dict(sorted(first_errors.items(), key=lambda kv: -kv[1])[:10]),
    }


def by_kind(samples: list, queries: list[dict], seconds: float) -> dict:
    """The figures per kind of query (which kinds are slow)."""
    kinds: dict[str, list] = {}
    for s in samples:
        kinds.setdefault(queries[s[3] % len(queries)]["kind"], []).append(s)
    return {
        kind: {
            k: v
            for k, v in summarise(group, seconds).items()
            if k in ("requests", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors")
        }
        for kind, group in sorted(kinds.items())
    }


# --- scenarios --------------------------------------------------------------------------------


def scenario_load(data_dir: Path, args, queries: list[dict], path: str, log: Path) -> dict:
    server = Server(data_dir, args.workers, log, args.threads)
    try:
        targets = [f"{path}?{query_string(q['params'])}" for q in queries]
        report = run_load(
            server, targets, args.clients, args.warmup, args.duration, keep_alive=args.keep_alive
        )
    finally:
        server.stop()
    samples = report.pop("_samples")
    report["by_kind"] = by_kind(samples, queries, report["duration_s"])
    return report


def scenario_rebuild(data_dir: Path, args, queries: list[dict], log: Path) -> dict:
    """Both paths alternately while ``index --rebuild`` runs: figures before, during and
    after the rebuild (the workers reopen the new generation, with cold caches, after it)."""
    server = Server(data_dir, args.workers, log, args.threads)
    current = data_dir / "index" / "CURRENT"
    generation_before = current.read_text().strip() if current.exists() else None
    targets = [
        f"{PATHS['page' if i % 2 == 0 else 'api']}?{query_string(q['params'])}"
        for i, q in enumerate(queries)
    ]
    window: dict = {}

    def during(t0: float, threads: list[Client]) -> dict:
        time.sleep(BEFORE_REBUILD_S)
        started = time.perf_counter()
        rebuild = subprocess.run(
            _cli(data_dir, "index", "--rebuild"),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        ended = time.perf_counter()
        window.update(start=started, end=ended)
        # The clients run until told (the run's duration is only a bound): until a few
        # seconds after the swap, and at least --rebuild-duration after the warm-up.
        new_stop = max(t0 + args.warmup + args.rebuild_duration, ended + AFTER_REBUILD_S)
        for thread in threads:
            thread.stop_at = new_stop
        return {
            "rebuild_exit": rebuild.returncode,
            "rebuild_output": (rebuild.stdout + rebuild.stderr).strip().splitlines()[-1:],
            "rebuild_s": round(ended - started, 1),
            "rebuild_started_at_s": round(started - t0, 1),
        }

    try:
        report = run_load(
            server,
            targets,
            args.clients,
            args.warmup,
            BUILD_TIMEOUT,  # a bound: during() sets the end
            keep_alive=args.keep_alive,
            during=during,
        )
        health = _get_json(server.url + "healthz")
    finally:
        server.stop()
    samples = report.pop("_samples")
    start, end = window["start"], window["end"]
    timed_from = start - BEFORE_REBUILD_S
    report["before_rebuild"] = summarise([s for s in samples if s[0] < start], start - timed_from)
    report["during_rebuild"] = summarise([s for s in samples if start <= s[0] < end], end - start)
    report["after_rebuild"] = summarise(
        [s for s in samples if s[0] >= end], timed_from + report["duration_s"] - end
    )
    report["generation_before"] = generation_before
    report["generation_after"] = current.read_text().strip() if current.exists() else None
    report["health_after"] = health
    return report


# --- report -----------------------------------------------------------------------------------


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "gunicorn": metadata.version("gunicorn"),
        "flask": metadata.version("flask"),
        "whoosh_reloaded": metadata.version("whoosh-reloaded"),
        "loadavg_before": [round(x, 2) for x in os.getloadavg()],
    }


def table(report: dict) -> str:
    lines = [
        "| scenario | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |"
        f" p99 < {TARGET_P99_MS:.0f} ms, 0 errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    rows = []
    for name, result in report["scenarios"].items():
        if name == "rebuild":
            rows.append(("both, before `index --rebuild`", result["before_rebuild"]))
            rows.append(("both, during `index --rebuild`", result["during_rebuild"]))
            rows.append(("both, after the swap", result["after_rebuild"]))
        else:
            rows.append((f"{name} (`{PATHS[name]}`)", result))
    for label, r in rows:
        if not r.get("requests"):
            continue
        met = "met" if r["p99_ms"] < TARGET_P99_MS and r["errors"] == 0 else "**not met**"
        lines.append(
            f"| {label} | {r['requests']} | {r['throughput_rps']} | {r['p50_ms']} | {r['p95_ms']}"
            f" | {r['p99_ms']} | {r['max_ms']} | {r['errors']} | {met} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="Timed seconds per scenario.")
    parser.add_argument("--warmup", type=float, default=5.0, help="Untimed seconds first.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (serve).")
    parser.add_argument(
        "--threads", type=int, default=1,
        help="threads per worker (serve --threads; 1: sync workers, as behind nginx).",
    )  # fmt: skip
    parser.add_argument(
        "--scenarios", default="page,api", help="Comma-separated: page, api, rebuild."
    )
    parser.add_argument("--rebuild-duration", type=float, default=20.0)
    parser.add_argument(
        "--keep-alive",
        action="store_true",
        help="Each client keeps one connection (default: a new connection per request, as"
        " the README's nginx front, HTTP/1.0 to gunicorn, does).",
    )
    parser.add_argument("--json", type=Path, default=OUT_DIR / "web.json")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - {"page", "api", "rebuild"}
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be 1..{MAX_CLIENTS}")
    if not 0 < args.duration <= MAX_DURATION or not 0 <= args.warmup <= MAX_DURATION:
        parser.error("--duration must be > 0 and both at most an hour")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M")}
    data_dir, report["data"] = ensure_data(args.records, args.out_dir)
    log = args.out_dir / "web-serve.log"
    log.write_text("")

    server = Server(data_dir, args.workers, log, args.threads)
    try:
        facets = _get_json(server.url + "api/facets")["facets"]
        queries = query_list(facets)
        report["queries"] = check_queries(server, queries)
    finally:
        server.stop()
    print(f"queries: {json.dumps(report['queries'], ensure_ascii=False)}", flush=True)

    report["settings"] = {
        "clients": args.clients,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "workers": args.workers,
        "threads": args.threads,
        "connections": "keep-alive" if args.keep_alive else "new per request",
        "records": args.records,
    }
    report["scenarios"] = {}
    for name in scenarios:
        print(
            f"scenario {name}: {args.clients} clients, {args.warmup:.0f} s warm-up + "
            f"{args.rebuild_duration if name == 'rebuild' else args.duration:.0f} s",
            flush=True,
        )
        if name == "rebuild":
            result = scenario_rebuild(data_dir, args, queries, log)
        else:
            result = scenario_load(data_dir, args, queries, PATHS[name], log)
        report["scenarios"][name] = result
        shown = {k: v for k, v in result.items() if k != "by_kind"}
        print(f"  {json.dumps(shown, ensure_ascii=False)}", flush=True)

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(report))
    print(f"\n(details: {args.json})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
