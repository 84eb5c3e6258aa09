"""Pipeline benchmark: from an empty data directory to a searchable archive of the replica,
the nightly beside the pipeline a user would assemble (issue 16).

    .venv/bin/python bench/pipeline_bench.py [--synthetic 2000] [--repeat 3] [--json FILE]
        [--no-warmup] [--no-profile] [--keep]
    .venv/bin/python bench/pipeline_bench.py --sizes 2000,10000,20000 [--profile-unchanged]
        [--json FILE]

**Comparison** (the default). Two replicas (``ikpe-archive replica serve --port 0
--synthetic N``, started and read as ``bench/crawl_bench.py`` does), one with the REST API
on and one with it off (the replica's ``rest`` switch, as crawl_bench sets it), so that
neither contender empties the other's response cache. Three contenders, each a subprocess
from an empty directory:

- ``nightly-rest``: ``ikpe-archive --data-dir D nightly --start-url R --no-throttle``
  against the REST replica;
- ``nightly-no-rest``: the same against the replica without REST (sitemaps);
- ``assembled``: ``bench/pipeline_assembled.py R DB`` (sitemaps, 16 download threads,
  trafilatura on 2 processes, SQLite FTS5) against the REST replica (it reads sitemaps only).

One untimed round first (it fills the replicas' caches and checks every contender), then
``--repeat`` rounds, the order rotating each round. Each run: wall time, CPU seconds and peak
RSS of the subprocess and all its children (``os.wait4``), the replica's CPU seconds and its
request log (requests, bytes). Every result must be searchable: the nightly's report must
show an index holding its records and ``ikpe-archive search`` must find a word; the
assembled table must answer an FTS5 MATCH. After the rounds, one more nightly of each mode
runs under py-spy (untimed) and its samples are summarised by part (crawl, records, store,
WARC, index): the nightly's report has no timings of its own parts.

**Scale** (``--sizes``): for each size a fresh replica (cold cache: its CPU is reported
beside), a full nightly (REST on) into an empty directory, then a second nightly over the
unchanged replica into the same directory: its bytes as a share of the full crawl's, the
records it reported new or changed (should be none), and its requests grouped by path shape;
with ``--profile-unchanged`` a third nightly over the unchanged site runs under py-spy.

Results go to ``--json`` (default ``bench/out/pipeline.json``), tables to stdout. Traffic
only to 127.0.0.1; every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench.crawl_bench import Replica, machine_info, source_state  # noqa: E402
from bench.pipeline_profile import profile  # noqa: E402
from bench.pipeline_runs import (  # noqa: E402
    nightly_command,
    nightly_report,
    on_replica,
    searchable,
)
from bench.pipeline_scale import scale, scale_tables  # noqa: E402

MAX_REPEAT = 50
TARGETS = {"nightly-rest": 0.5, "nightly-no-rest": 1.0}
CONTENDERS = ("nightly-rest", "nightly-no-rest", "assembled")


def run_nightly(replica: Replica, work: Path, tag: str, *, check: bool) -> dict:
    """One nightly from an empty data directory; its report and (``check``) a search."""
    data_dir = work / f"{tag}-data"
    result, _ = on_replica(replica, nightly_command(data_dir, replica.url), work / f"{tag}.log")
    report = nightly_report(data_dir)
    result["report"] = report
    records = report.get("new", 0) + report.get("changed", 0) + report.get("unchanged", 0)
    result["ok"] = (
        result["exit_code"] in (0, 3)  # 3: a monitor's alarm, the archive is still built
        and report.get("index_count") is not None
        and report["index_count"] >= records > 0
    )
    if check:
        result["searchable"] = searchable(data_dir)
        result["ok"] = result["ok"] and result["searchable"]
    shutil.rmtree(data_dir, ignore_errors=True)
    return result


def run_assembled(replica: Replica, work: Path, tag: str) -> dict:
    """The assembled pipeline into a fresh SQLite file; its own summary beside the timing."""
    db = work / f"{tag}.sqlite3"
    script = PROJECT_ROOT / "bench" / "pipeline_assembled.py"
    log = work / f"{tag}.log"
    result, _ = on_replica(replica, [sys.executable, str(script), replica.url, str(db)], log)
    summary = {}
    for line in reversed(log.read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("{"):
            summary = json.loads(line)
            break
    result["summary"] = summary
    result["ok"] = result["exit_code"] == 0 and summary.get("check_hits", 0) > 0
    db.unlink(missing_ok=True)
    return result


def run_contender(name: str, replicas: dict, work: Path, tag: str, check: bool) -> dict:
    """One run of a contender by name, against the replica it needs."""
    if name == "assembled":
        return run_assembled(replicas["rest"], work, tag)
    mode = "rest" if name == "nightly-rest" else "no-rest"
    return run_nightly(replicas[mode], work, tag, check=check)


# --- the comparison --------------------------------------------------------------------------


def median_of(runs: list[dict], key: str) -> float:
    """The median of one measured value over runs."""
    return round(statistics.median(r[key] for r in runs), 3)


def compare(args: argparse.Namespace, work: Path) -> dict:
    """The comparison: replicas, the untimed round, the rotating rounds, the profiles."""
    replicas = {}
    try:
        for mode, rest in (("rest", True), ("no-rest", False)):
            replicas[mode] = Replica(args.synthetic, work / f"replica-{mode}.log")
            replicas[mode].switch(rest=rest)
            print(f"replica {mode}: {replicas[mode].url}", flush=True)
        runs: dict[str, list[dict]] = {name: [] for name in CONTENDERS}
        warmup = {}
        if args.warmup:
            for name in CONTENDERS:
                warmup[name] = run_contender(name, replicas, work, f"warmup-{name}", True)
                w = warmup[name]
                print(f"  warm-up {name}: {w['wall_s']:.2f} s, ok {w['ok']}", flush=True)
        for index in range(args.repeat):
            order = CONTENDERS[index % 3 :] + CONTENDERS[: index % 3]
            for name in order:
                run = run_contender(name, replicas, work, f"{index}-{name}", not args.warmup)
                run["round"], run["position"] = index, order.index(name)
                runs[name].append(run)
                print(
                    f"  round {index} {name}: {run['wall_s']:.2f} s wall, {run['cpu_s']:.2f} s"
                    f" CPU, {run['requests']} requests, ok {run['ok']}",
                    flush=True,
                )
        profiles = {}
        if args.profile:
            for mode in ("rest", "no-rest"):
                data_dir = work / f"profile-{mode}-data"
                command = nightly_command(data_dir, replicas[mode].url)
                out = work / f"profile-{mode}.txt"
                profiles[f"nightly-{mode}"] = profile(
                    command, out, PROJECT_ROOT, work / f"profile-{mode}.log"
                )
                shutil.rmtree(data_dir, ignore_errors=True)
                print(f"  profiled nightly-{mode}", flush=True)
    finally:
        for replica in replicas.values():
            replica.stop()
    summary = {}
    for name, contender_runs in runs.items():
        summary[name] = {
            "median_wall_s": median_of(contender_runs, "wall_s"),
            "median_cpu_s": median_of(contender_runs, "cpu_s"),
            "median_replica_cpu_s": median_of(contender_runs, "replica_cpu_s"),
            "median_peak_rss_mb": median_of(contender_runs, "peak_rss_mb"),
            "requests": contender_runs[-1]["requests"],
            "bytes": contender_runs[-1]["bytes"],
            "all_ok": all(r["ok"] for r in contender_runs),
        }
    base = summary["assembled"]
    for name, target in TARGETS.items():
        ratio = summary[name]["median_wall_s"] / base["median_wall_s"]
        # CPU seconds depend less on what else runs on the machine than wall time does.
        cpu_ratio = summary[name]["median_cpu_s"] / base["median_cpu_s"]
        summary[name].update(
            ratio=round(ratio, 3),
            cpu_ratio=round(cpu_ratio, 3),
            target=target,
            meets_target=ratio <= target,
        )
    return {"summary": summary, "runs": runs, "warmup": warmup, "profiles": profiles}


def comparison_tables(result: dict) -> str:
    """The comparison as markdown: medians, ratios, targets, and each profile's parts."""
    lines = [
        "| contender | wall s (median) | CPU s (median) | replica CPU s | peak RSS MB "
        "| requests | wall ratio to assembled | CPU ratio | target (wall) | all ok |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name, s in result["summary"].items():
        ratio = f"{s['ratio']:.2f}" if "ratio" in s else "1.00"
        cpu_ratio = f"{s['cpu_ratio']:.2f}" if "cpu_ratio" in s else "1.00"
        target = (
            f"≤ {s['target']} {'met' if s['meets_target'] else '**not met**'}"
            if "target" in s
            else ""
        )
        lines.append(
            f"| {name} | {s['median_wall_s']:.2f} | {s['median_cpu_s']:.2f} "
            f"| {s['median_replica_cpu_s']:.2f} | {s['median_peak_rss_mb']:.0f} "
            f"| {s['requests']} | {ratio} | {cpu_ratio} | {target} "
            f"| {'yes' if s['all_ok'] else 'no'} |"
        )
    for name, prof in result["profiles"].items():
        if not prof:
            continue
        lines += [
            "",
            f"where {name}'s time goes (py-spy, {prof['samples']} samples at "
            f"{prof['rate_hz']} Hz, {prof['active_thread_s']} s of busy threads):",
            "",
        ]
        lines += ["| part | share |", "| --- | ---: |"]
        lines += [f"| {part} | {v['share']:.1%} |" for part, v in prof["parts"].items()]
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------------


def sizes(text: str) -> list[int]:
    """``--sizes``: comma-separated numbers of posts."""
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or any(v < 0 for v in values):
        raise argparse.ArgumentTypeError("sizes are numbers of posts (0: the seed site alone)")
    return values


def main(argv: list[str] | None = None) -> int:
    """Run the comparison (or, with ``--sizes``, the scale runs); write JSON, print tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=2000, help="generated posts")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds")
    parser.add_argument(
        "--sizes", type=sizes, help="scale runs instead, e.g. 0,2000,10000 (0: seed site only)"
    )
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "bench/out/pipeline.json")
    parser.add_argument("--no-warmup", dest="warmup", action="store_false")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument(
        "--profile-unchanged",
        action="store_true",
        help="with --sizes: profile a third nightly over the unchanged site",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs)")
    args = parser.parse_args(argv)
    given = sys.argv[1:] if argv is None else list(argv)
    if not 1 <= args.repeat <= MAX_REPEAT:
        parser.error(f"--repeat must be between 1 and {MAX_REPEAT}")
    if args.synthetic < 0:
        parser.error("--synthetic must not be negative")
    source = source_state()
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    print(f"work dir: {work}", flush=True)
    load = os.getloadavg()
    try:
        if args.sizes:
            body = {"scale": scale(args, work)}
            table = scale_tables(body["scale"])
        else:
            body = {"comparison": compare(args, work)}
            table = comparison_tables(body["comparison"])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = {
        "command": " ".join([".venv/bin/python", "bench/pipeline_bench.py", *given]),
        "synthetic": args.synthetic,
        "repeat": args.repeat,
        "machine": machine_info(),
        "load_average_at_start": [round(x, 2) for x in load],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "source": source,
        "source_changed_during_run": source_state() != source,
        **body,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(table)
    print(
        f"load average at start {report['load_average_at_start']}, "
        f"at end {report['load_average_at_end']}"
    )
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
