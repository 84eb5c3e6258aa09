"""Crawl benchmark: the project's crawler beside a bare Scrapy spider, on one replica.

    .venv/bin/python bench/crawl_bench.py [--synthetic 2000] [--repeat 3] [--out FILE]

One replica (``ikpe-archive replica serve --port 0 --synthetic N``) serves both contenders.
For each discovery mode (REST on, REST off), after one untimed crawl that fills the
replica's response cache (a switch empties it), and then for each repetition:

- the crawler: ``ikpe-archive --data-dir TMP crawl --start-url BASE --no-throttle`` in a
  subprocess, into a fresh data directory; the replica's request log then gives the exact
  list of requests it made (method, host, path; POST bodies come from the crawl's WARC
  request records, since the log does not keep bodies);
- the bare spider: this script again (``--bare-requests FILE``), a Scrapy spider that fetches
  exactly that list with the concurrency of ``crawler.run.NO_THROTTLE`` and nothing else
  (no robots.txt, no cache, no retries, no redirects followed, no pipelines, an empty
  callback).

Both are timed the same way: wall-clock of the whole subprocess, Python and Scrapy start-up
included. The order alternates between repetitions (crawler first, then bare first, ...).
The bare spider's own request log is checked against the crawler's. Everything stays on
127.0.0.1; every wait and loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import selectors
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
REPLICA_START_TIMEOUT = 300.0
RUN_TIMEOUT = 900.0
HTTP_TIMEOUT = 60.0
MAX_REPEAT = 50
TARGET_RATIO = 1.5
BARE_USER_AGENT = "crawl-bench-bare/1.0"
MODES = {"rest": {"rest": True}, "no-rest": {"rest": False}}


# --- the bare spider (run in its own process with --bare-requests FILE) ------------------


def run_bare(plan_path: Path) -> int:
    """Fetch every request of the plan with a bare Scrapy spider; print a JSON summary."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    requests = plan["requests"]

    class BareSpider(scrapy.Spider):
        """Fetches the given requests and does nothing with the answers."""

        name = "bare"

        async def start(self):
            for entry in requests:
                body = entry.get("body")
                yield scrapy.Request(
                    entry["url"],
                    method=entry["method"],
                    body=body.encode("latin-1") if body is not None else None,
                    headers=entry.get("headers") or None,
                    callback=self.parse,
                    errback=self.failed,
                    dont_filter=True,
                )

        def parse(self, response):
            return None

        def failed(self, failure):
            self.crawler.stats.inc_value("bare/failed")

    settings = {
        **plan["concurrency"],
        "ROBOTSTXT_OBEY": False,
        "HTTPCACHE_ENABLED": False,
        "ITEM_PIPELINES": {},
        "RETRY_ENABLED": False,
        "REDIRECT_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 30,
        "USER_AGENT": BARE_USER_AGENT,
        "LOG_LEVEL": "INFO",
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    summary = {
        "finish_reason": stats.get("finish_reason"),
        "responses": stats.get("response_received_count", 0),
        "failed": stats.get("bare/failed", 0),
    }
    print(json.dumps(summary))
    return 0 if summary["finish_reason"] == "finished" and not summary["failed"] else 1


# --- the replica and its control endpoints -----------------------------------------------


class Replica:
    """One replica server subprocess and its control endpoints."""

    def __init__(self, synthetic: int, log_path: Path) -> None:
        self.log_file = log_path.open("w", encoding="utf-8")
        command = [str(BIN_DIR / "ikpe-archive"), "replica", "serve", "--port", "0"]
        if synthetic:
            command += ["--synthetic", str(synthetic)]
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=self.log_file,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        first_line = self._first_line(REPLICA_START_TIMEOUT)
        if not first_line.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"replica did not start: {first_line!r} (see {log_path})")
        self.url = first_line
        self.port = urlsplit(first_line).port

    def _first_line(self, timeout: float) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        try:
            if not selector.select(timeout):
                return ""
            return self.process.stdout.readline().strip()
        finally:
            selector.close()

    def request(self, method: str, path: str, payload: dict | None = None) -> object:
        body = json.dumps(payload).encode() if payload is not None else None
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        try:
            connection.request(method, path, body=body)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {data[:200]!r}")
        return json.loads(data)

    def switch(self, **switches) -> None:
        self.request("POST", "/__replica__/switch", switches)

    def clear_log(self) -> None:
        self.request("DELETE", "/__replica__/requests")

    def log(self) -> list[dict]:
        return self.request("GET", "/__replica__/requests")

    def cpu_seconds(self) -> float:
        """User plus system CPU time the replica process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process.stdout.close()
        self.log_file.close()


# --- timing one subprocess -----------------------------------------------------------------


def timed_run(command: list[str], replica: Replica, output: Path) -> dict:
    """Run ``command`` to its end; wall-clock, CPU times and the replica's request log."""
    replica.clear_log()
    load_before = os.getloadavg()[0]
    replica_cpu = replica.cpu_seconds()
    before = os.times()
    started = time.perf_counter()
    with output.open("w", encoding="utf-8") as sink:
        completed = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            timeout=RUN_TIMEOUT,
            check=False,
        )
    wall = time.perf_counter() - started
    after = os.times()
    replica_cpu = replica.cpu_seconds() - replica_cpu
    log = replica.log()
    times = [r["time"] for r in log]
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(
            (after.children_user - before.children_user)
            + (after.children_system - before.children_system),
            3,
        ),
        "replica_cpu_s": round(replica_cpu, 3),
        "network_span_s": round(max(times) - min(times), 3) if times else 0.0,
        "exit_code": completed.returncode,
        "load_1min_before": round(load_before, 2),
        "requests": len(log),
        "bytes": sum(r["bytes"] for r in log),
        "log": log,
    }


def post_bodies(data_dir: Path) -> dict[str, list[dict]]:
    """Bodies and headers of the POST requests in a crawl's WARC files, by URL."""
    from warcio.archiveiterator import ArchiveIterator

    found: dict[str, list[dict]] = {}
    for path in sorted((data_dir / "warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "request":
                    continue
                method = record.http_headers.protocol
                if method != "POST":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                found.setdefault(url, []).append(
                    {
                        "body": record.content_stream().read().decode("latin-1"),
                        "headers": {
                            name: value
                            for name, value in record.http_headers.headers
                            if name.lower() == "content-type"
                        },
                    }
                )
    return found


def request_plan(log: list[dict], data_dir: Path) -> list[dict]:
    """The crawler's requests as the bare spider will make them, in the order logged."""
    bodies = post_bodies(data_dir)
    plan = []
    for record in log:
        url = f"http://{record['host']}{record['path']}"
        entry = {"method": record["method"], "url": url, "body": None, "headers": {}}
        if record["method"] == "POST":
            candidates = bodies.get(url) or []
            if not candidates:
                raise RuntimeError(f"no WARC request record for POST {url}")
            entry.update(candidates.pop(0))
        plan.append(entry)
    return plan


def request_keys(log: list[dict]) -> Counter:
    return Counter((r["method"], r["host"], r["path"]) for r in log)


def plan_keys(plan: list[dict]) -> Counter:
    return Counter((p["method"], p["url"], p["body"]) for p in plan)


# --- the benchmark --------------------------------------------------------------------------


def crawl_once(replica: Replica, work: Path, tag: str) -> tuple[dict, list[dict]]:
    data_dir = Path(tempfile.mkdtemp(prefix="crawl-bench-data-", dir=work))
    command = [
        str(BIN_DIR / "ikpe-archive"),
        "--data-dir",
        str(data_dir),
        "crawl",
        "--start-url",
        replica.url,
        "--no-throttle",
    ]
    result = timed_run(command, replica, work / f"{tag}-crawler.log")
    plan = request_plan(result["log"], data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
    return result, plan


def bare_once(replica: Replica, work: Path, tag: str, plan: list[dict], concurrency: dict):
    plan_path = work / f"{tag}-plan.json"
    plan_path.write_text(
        json.dumps({"concurrency": concurrency, "requests": plan}), encoding="utf-8"
    )
    command = [sys.executable, str(Path(__file__).resolve()), "--bare-requests", str(plan_path)]
    return timed_run(command, replica, work / f"{tag}-bare.log")


def compare_logs(crawler_log: list[dict], bare_log: list[dict]) -> dict:
    """How the bare spider's requests differ from the crawler's (method, host, path)."""
    crawler_keys, bare_keys = request_keys(crawler_log), request_keys(bare_log)
    missing = crawler_keys - bare_keys
    extra = bare_keys - crawler_keys
    statuses = Counter(r["status"] for r in crawler_log), Counter(r["status"] for r in bare_log)
    return {
        "same_requests": not missing and not extra,
        "missing": [list(k) for k in missing.elements()][:20],
        "extra": [list(k) for k in extra.elements()][:20],
        "crawler_statuses": dict(statuses[0]),
        "bare_statuses": dict(statuses[1]),
        "crawler_conditional": sum(1 for r in crawler_log if r["conditional"]),
    }


def strip_log(run: dict) -> dict:
    return {k: v for k, v in run.items() if k != "log"}


def bench_mode(
    replica: Replica, mode: str, repeat: int, work: Path, concurrency: dict, warmup: bool
) -> dict:
    # A switch empties the replica's response cache: an untimed crawl fills it again, so
    # that neither contender pays for the replica's first rendering of the pages.
    replica.switch(**MODES[mode])
    runs = []
    plan: list[dict] | None = None
    warmup_run = None
    if warmup:
        warmup_result, plan = crawl_once(replica, work, f"{mode}-warmup")
        warmup_run = strip_log(warmup_result)
        print(f"  {mode}-warmup: crawler {warmup_run['wall_s']:.2f} s (untimed)", flush=True)
    first_plan: Counter | None = plan_keys(plan) if plan is not None else None
    stable = True
    for index in range(repeat):
        tag = f"{mode}-{index}"
        crawler_first = index % 2 == 0 or plan is None
        if crawler_first:
            crawler, plan = crawl_once(replica, work, tag)
            bare = bare_once(replica, work, tag, plan, concurrency)
        else:
            bare = bare_once(replica, work, tag, plan, concurrency)
            crawler, plan = crawl_once(replica, work, tag)
        keys = plan_keys(plan)
        first_plan = first_plan or keys
        stable = stable and keys == first_plan
        check = compare_logs(crawler["log"], bare["log"])
        runs.append(
            {
                "order": "crawler, bare" if crawler_first else "bare, crawler",
                "crawler": strip_log(crawler),
                "bare": strip_log(bare),
                "check": check,
            }
        )
        print(
            f"  {tag}: crawler {crawler['wall_s']:.2f} s, bare {bare['wall_s']:.2f} s"
            f" ({runs[-1]['order']}; {crawler['requests']} requests;"
            f" same requests: {check['same_requests']})",
            flush=True,
        )
    crawler_median = statistics.median(r["crawler"]["wall_s"] for r in runs)
    bare_median = statistics.median(r["bare"]["wall_s"] for r in runs)
    return {
        "mode": mode,
        "requests": runs[-1]["crawler"]["requests"],
        "crawler_median_s": round(crawler_median, 3),
        "bare_median_s": round(bare_median, 3),
        "ratio": round(crawler_median / bare_median, 3),
        "target": TARGET_RATIO,
        "meets_target": crawler_median / bare_median <= TARGET_RATIO,
        "crawler_median_cpu_s": round(statistics.median(r["crawler"]["cpu_s"] for r in runs), 3),
        "bare_median_cpu_s": round(statistics.median(r["bare"]["cpu_s"] for r in runs), 3),
        "crawler_median_span_s": round(
            statistics.median(r["crawler"]["network_span_s"] for r in runs), 3
        ),
        "bare_median_span_s": round(
            statistics.median(r["bare"]["network_span_s"] for r in runs), 3
        ),
        "same_request_list_every_repetition": stable,
        "all_ok": all(
            r["crawler"]["exit_code"] == 0
            and r["bare"]["exit_code"] == 0
            and r["check"]["same_requests"]
            for r in runs
        ),
        "warmup": warmup_run,
        "runs": runs,
    }


def source_state() -> dict:
    """The commit measured, and whether the working tree had changes on top of it."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
        )
        return done.stdout.rstrip()

    changed = git("status", "--porcelain", "--", ".", ":!bench").splitlines()
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted": sorted(line[3:] for line in changed),
    }


def machine_info() -> dict:
    cpu_model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout
    return {
        "nproc": int(nproc.strip() or 0),
        "cpu": cpu_model,
        "os": platform.platform(),
        "python": platform.python_version(),
        "scrapy": metadata.version("scrapy"),
        "twisted": metadata.version("twisted"),
    }


def markdown_table(results: list[dict]) -> str:
    lines = [
        "| mode | requests | crawler median s | bare median s | ratio | target ≤ 1.5 |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        verdict = "met" if r["meets_target"] else "**not met**"
        lines.append(
            f"| {r['mode']} | {r['requests']} | {r['crawler_median_s']:.2f} "
            f"| {r['bare_median_s']:.2f} | {r['ratio']:.2f} | {verdict} |"
        )
    return "\n".join(lines)


def detail_table(results: list[dict]) -> str:
    lines = [
        "| mode | crawler median CPU s | bare median CPU s | crawler median span s "
        "| bare median span s | all runs ok |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        lines.append(
            f"| {r['mode']} | {r['crawler_median_cpu_s']:.2f} | {r['bare_median_cpu_s']:.2f} "
            f"| {r['crawler_median_span_s']:.2f} | {r['bare_median_span_s']:.2f} "
            f"| {'yes' if r['all_ok'] else 'no'} |"
        )
    return "\n".join(lines)


def run_bench(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(PROJECT_ROOT))
    from crawler.run import NO_THROTTLE

    concurrency = dict(NO_THROTTLE)
    source = source_state()
    work = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    print(f"work dir: {work}", flush=True)
    replica = Replica(args.synthetic, work / "replica.log")
    print(f"replica: {replica.url} (--synthetic {args.synthetic})", flush=True)
    results = []
    try:
        for mode in args.modes:
            print(f"mode {mode}:", flush=True)
            results.append(bench_mode(replica, mode, args.repeat, work, concurrency, args.warmup))
    finally:
        replica.stop()
    report = {
        "command": " ".join([".venv/bin/python", "bench/crawl_bench.py", *sys.argv[1:]]),
        "synthetic": args.synthetic,
        "repeat": args.repeat,
        "concurrency": concurrency,
        "machine": machine_info(),
        "source": source,
        "source_changed_during_run": source_state() != source,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown_table(results))
    print()
    print(detail_table(results))
    print(f"written: {args.out}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=2000, help="generated posts")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per mode")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench/out/crawl.json")
    parser.add_argument(
        "--modes", nargs="+", choices=list(MODES), default=list(MODES), help="discovery modes"
    )
    parser.add_argument(
        "--no-warmup",
        dest="warmup",
        action="store_false",
        help="skip the untimed crawl that fills the replica's cache after each switch",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs, plans)")
    parser.add_argument("--bare-requests", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare_requests is not None:
        return run_bare(args.bare_requests)
    if not 1 <= args.repeat <= MAX_REPEAT:
        parser.error(f"--repeat must be between 1 and {MAX_REPEAT}")
    if args.synthetic < 0:
        parser.error("--synthetic must not be negative")
    return run_bench(args)


if __name__ == "__main__":
    sys.exit(main())
