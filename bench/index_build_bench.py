"""Index build benchmark: the archive's bulk writer beside Whoosh's own writer, side by side.

    .venv/bin/python bench/index_build_bench.py [--sizes 2000,10000] [--repeat 3]
        [--json bench/out/index-build.json]

For each size N, on ``bench/index_bench.py``'s synthetic records, alternating, ``--repeat``
rounds:

- **bulk**: ``SearchIndex.rebuild`` as the archive builds a generation now
  (``archive/search/bulk.py``: analysis once per distinct word, posting lists written
  whole, one forked process per core from ``PARALLEL_BUILD_MIN_RECORDS`` records);
- **add_document**: the same generation built as the archive built it before issue 16:
  the same vocabulary pass, then Whoosh's ``add_document`` for every record through
  ``ix.writer(limitmb=512)``, or ``procs=<cores>, multisegment=True`` from 5,000 records
  (the old ``_build_writer``), then ``commit``.

Each build runs in a subprocess of its own (so neither inherits the other's caches or
memory): the build's own seconds (after loading the records and importing the modules:
what the speed-up is of), the process's wall time, and CPU seconds of the process and its
children and peak RSS from ``os.wait4``. After the bulk build of the last round, an
**incremental update** of 10 changed records and 1 removal (``SearchIndex.update``, what
the nightly does) is timed.
The two indexes must answer the same: the top 10 ids of a few queries are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

OLD_PARALLEL_MIN_RECORDS = 5_000  # what the old _build_writer used
OLD_WRITER_MEMORY_MB = 512
CHECK_QUERIES = ("Armutsprävention", "Planung", '"kommunale Planung"', "Erfurt Sozialplanung")


def build_with_add_document(records: list[dict], directory: Path) -> int:
    """A generation built as ``archive.search.generations`` did before the bulk writer."""
    from collections import Counter

    from whoosh import index

    from archive.search.analysis import Vocabulary, count_words
    from archive.search.documents import index_document, pairs_text, vocabulary_texts
    from archive.search.generations import build_schema, write_generation_meta

    counts: Counter[str] = Counter()
    documents = {}
    for record in records:
        document = index_document(record)
        count_words(vocabulary_texts(document), counts)
        documents[document["id"]] = document
    vocabulary = Vocabulary.from_counts(counts)
    directory.mkdir(parents=True)
    generation = directory / "gen-add-document"
    generation.mkdir()
    ix = index.create_in(str(generation), build_schema(vocabulary))
    processes = min(os.cpu_count() or 1, 4)
    if len(documents) < OLD_PARALLEL_MIN_RECORDS or processes < 2:
        writer = ix.writer(limitmb=OLD_WRITER_MEMORY_MB)
    else:
        writer = ix.writer(procs=processes, multisegment=True, limitmb=OLD_WRITER_MEMORY_MB)
    for document in documents.values():
        writer.add_document(**document, pairs=pairs_text(document))
    writer.commit()
    ix.close()
    write_generation_meta(generation, len(documents), len(vocabulary))
    (directory / "CURRENT").write_text(generation.name + "\n", encoding="utf-8")
    return len(documents)


def _child_main(argv: list[str]) -> int:
    """In the subprocess: build one index (``bulk`` or ``add_document``) from a pickle."""
    writer, records_path, directory = argv[0], Path(argv[1]), Path(argv[2])
    records = pickle.loads(records_path.read_bytes())
    from archive.search import SearchIndex  # imported before the clock starts, for both

    started = time.perf_counter()
    if writer == "bulk":
        with SearchIndex(directory) as search_index:
            search_index.rebuild(records)
    else:
        build_with_add_document(records, directory)
    print(json.dumps({"build_s": time.perf_counter() - started}))
    return 0


def timed_build(writer: str, records_path: Path, directory: Path) -> dict:
    """Build in a subprocess: the build's own seconds (records loaded, modules imported),
    the process's wall time, CPU seconds (children included) and peak RSS."""
    command = [sys.executable, __file__, "--child", writer, str(records_path), str(directory)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the {writer} build failed")
    return {
        "build_s": round(json.loads(output.splitlines()[-1])["build_s"], 2),
        "process_wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }


def same_answers(first: Path, second: Path) -> bool:
    """Whether the two indexes give the same top 10 for the check queries."""
    from archive.search import SearchIndex

    with SearchIndex(first) as one, SearchIndex(second) as two:
        return all(
            [h.id for h in one.search(q, facets=False).hits]
            == [h.id for h in two.search(q, facets=False).hits]
            for q in CHECK_QUERIES
        )


def timed_update(directory: Path, records: list[dict]) -> float:
    """Seconds to index 10 changed records and remove one, as the nightly does."""
    from archive.search import SearchIndex

    changed = [dict(r, title=r["title"] + " (geändert)") for r in records[:10]]
    with SearchIndex(directory) as search_index:
        search_index.count()  # a searcher is open, as in the web app
        started = time.perf_counter()
        search_index.update(changed, [records[-1]["id"]])
        seconds = time.perf_counter() - started
        assert search_index.search("geändert", facets=False).total == len(changed)
    return round(seconds, 3)


def bench_size(size: int, repeat: int, work: Path) -> dict:
    from index_bench import synthetic_records

    records = synthetic_records(size)
    records_path = work / f"records-{size}.pickle"
    records_path.write_bytes(pickle.dumps(records))
    runs: dict[str, list[dict]] = {"bulk": [], "add_document": []}
    for round_number in range(repeat):
        order = ("bulk", "add_document") if round_number % 2 == 0 else ("add_document", "bulk")
        for writer in order:
            directory = work / f"{writer}-{size}-{round_number}"
            runs[writer].append(timed_build(writer, records_path, directory))
            print(f"[{size}] round {round_number} {writer}: {runs[writer][-1]}", flush=True)
    last = repeat - 1
    bulk_dir, old_dir = work / f"bulk-{size}-{last}", work / f"add_document-{size}-{last}"
    result = {
        "records": size,
        "runs": runs,
        "same_answers": same_answers(bulk_dir, old_dir),
        "update_10_changed_1_removed_s": timed_update(bulk_dir, records),
    }
    for writer, measured in runs.items():
        result[writer] = {
            key: round(statistics.median(run[key] for run in measured), 2)
            for key in ("build_s", "process_wall_s", "cpu_s", "peak_rss_mb")
        }
    result["speedup_wall"] = round(result["add_document"]["build_s"] / result["bulk"]["build_s"], 2)
    result["speedup_cpu"] = round(result["add_document"]["cpu_s"] / result["bulk"]["cpu_s"], 2)
    return result


def markdown(results: list[dict], command: str) -> str:
    lines = [
        f"Command: `{command}`",
        "",
        "| records | writer | build s (median) | process wall s | CPU s | peak RSS MB"
        " | speed-up (build / CPU) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        for writer in ("add_document", "bulk"):
            figures = result[writer]
            speedup = (
                f"{result['speedup_wall']}× / {result['speedup_cpu']}×" if writer == "bulk" else ""
            )
            lines.append(
                f"| {result['records']:,} | {writer} | {figures['build_s']}"
                f" | {figures['process_wall_s']} | {figures['cpu_s']} | {figures['peak_rss_mb']}"
                f" | {speedup} |"
            )
    lines.append("")
    for result in results:
        lines.append(
            f"{result['records']:,} records: same top 10 for the check queries:"
            f" {result['same_answers']}; update of 10 changed records and 1 removal:"
            f" {result['update_10_changed_1_removed_s']} s."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return _child_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "bench/out/index-build.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    work = Path(tempfile.mkdtemp(prefix="index-build-bench-"))
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        results = [bench_size(size, args.repeat, work) for size in sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    command = (
        f".venv/bin/python bench/index_build_bench.py --sizes {args.sizes} --repeat {args.repeat}"
    )
    report = {
        "command": command,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": os.getloadavg(),
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(markdown(results, command))
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
