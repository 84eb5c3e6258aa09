"""Scale runs of the pipeline benchmark (``bench/pipeline_bench.py --sizes``): the nightly
(REST on) at each size into an empty directory, then a second nightly over the unchanged
replica into the same directory, its bytes as a share of the full crawl's, the records it
reported new or changed, and its requests grouped by the shape of their path.
"""

from __future__ import annotations

import argparse
import re
import shutil
import time
from collections import Counter
from pathlib import Path

from bench.crawl_bench import Replica
from bench.pipeline_profile import profile
from bench.pipeline_runs import PROJECT_ROOT, nightly_command, nightly_report, on_replica

SHARE_TARGET = 0.02


def path_shape(path: str) -> str:
    """A request path grouped: digits as N, query values dropped (``/wp-json/...?page=``)."""
    base, _, query = path.partition("?")
    shape = re.sub(r"\d+", "N", base)
    shape = re.sub(r"/[a-z0-9-]{20,}/", "/<slug>/", shape)
    if query:
        names = sorted({pair.split("=", 1)[0] for pair in query.split("&")})
        shape += "?" + "&".join(names)
    return shape


def byte_groups(requests: list[dict], top: int = 12) -> list[dict]:
    """Requests grouped by path shape and status, the groups with most bytes first."""
    groups: Counter[tuple[str, int]] = Counter()
    counts: Counter[tuple[str, int]] = Counter()
    for r in requests:
        key = (path_shape(r["path"]), r["status"])
        groups[key] += r["bytes"]
        counts[key] += 1
    return [
        {"shape": shape, "status": status, "requests": counts[(shape, status)], "bytes": size}
        for (shape, status), size in groups.most_common(top)
    ]


def scale(args: argparse.Namespace, work: Path) -> list[dict]:
    """For each size: a full nightly, then one over the unchanged replica (see the module)."""
    results = []
    for size in args.sizes:
        started = time.perf_counter()
        replica = Replica(size, work / f"replica-{size}.log")
        start_s = time.perf_counter() - started
        data_dir = work / f"scale-{size}-data"
        try:
            command = nightly_command(data_dir, replica.url)
            full, _ = on_replica(replica, command, work / f"scale-{size}-full.log")
            full["report"] = nightly_report(data_dir)
            print(f"  {size}: full nightly {full['wall_s']:.1f} s", flush=True)
            second, requests = on_replica(replica, command, work / f"scale-{size}-second.log")
            second["report"] = nightly_report(data_dir)
            print(f"  {size}: second nightly {second['wall_s']:.1f} s", flush=True)
            # One more nightly over the unchanged site, profiled (untimed): where an
            # unchanged night's time goes.
            unchanged_profile = None
            if args.profile_unchanged:
                unchanged_profile = profile(
                    command,
                    work / f"scale-{size}-unchanged.txt",
                    PROJECT_ROOT,
                    work / f"scale-{size}-unchanged-profile.log",
                )
        finally:
            replica.stop()
            shutil.rmtree(data_dir, ignore_errors=True)
        share = second["bytes"] / full["bytes"] if full["bytes"] else None
        rebuilt = second["report"].get("new", 0) + second["report"].get("changed", 0)
        results.append(
            {
                "synthetic": size,
                "replica_start_s": round(start_s, 1),
                "full": full,
                "second": second,
                "second_bytes_share": round(share, 4) if share is not None else None,
                "second_records_new_or_changed": rebuilt,
                "meets_share_target": share is not None and share <= SHARE_TARGET,
                "second_byte_groups": byte_groups(requests),
                "unchanged_profile": unchanged_profile,
            }
        )
    return results


def scale_tables(results: list[dict]) -> str:
    """The scale runs as markdown: one row per size, then each second nightly's bytes."""
    lines = [
        "| posts | records | full nightly wall s | CPU s | peak RSS MB | replica CPU s "
        "| requests | bytes | second nightly wall s | its bytes | share | new+changed "
        "| reused / built |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for r in results:
        full, second = r["full"], r["second"]
        reused, built = (second["report"].get(k) for k in ("records_reused", "records_built"))
        share = r["second_bytes_share"]
        lines.append(
            f"| {r['synthetic']} | {full['report'].get('index_count')} | {full['wall_s']:.1f} "
            f"| {full['cpu_s']:.1f} | {full['peak_rss_mb']:.0f} | {full['replica_cpu_s']:.1f} "
            f"| {full['requests']} | {full['bytes']} | {second['wall_s']:.1f} "
            f"| {second['bytes']} | {share:.2%} | {r['second_records_new_or_changed']} "
            f"| {reused} / {built} |"
            if share is not None
            else f"| {r['synthetic']} | (no bytes in the full crawl) |"
        )
    for r in results:
        prof = r.get("unchanged_profile")
        if prof:
            lines += ["", f"a nightly over the unchanged site at {r['synthetic']} (py-spy):", ""]
            lines += ["| part | share |", "| --- | ---: |"]
            lines += [f"| {part} | {v['share']:.1%} |" for part, v in prof["parts"].items()]
        lines += ["", f"second nightly at {r['synthetic']}: bytes by path shape", ""]
        lines += ["| path shape | status | requests | bytes |", "| --- | ---: | ---: | ---: |"]
        lines += [
            f"| `{g['shape']}` | {g['status']} | {g['requests']} | {g['bytes']} |"
            for g in r["second_byte_groups"]
        ]
    return "\n".join(lines)
