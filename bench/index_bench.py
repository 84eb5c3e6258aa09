"""Search benchmark: the Whoosh index beside SQLite FTS5, on the same synthetic records.

    .venv/bin/python bench/index_bench.py [--sizes 1000,10000,100000] [--out-dir bench/out]

For each size N, in one run:

- N records are made from ``replica.synthetic.generate_posts(N)`` (German text
  built from the seed texts' sentence patterns and vocabulary: topics such as
  ``Armutsprävention``, places, people, datelines), as the record builder would make them;
- **build**: ``SearchIndex.rebuild`` (vocabulary pass, indexing, commit, swap) into a fresh
  directory, and an FTS5 table (``unicode61 remove_diacritics 2``) filled in one
  transaction, both timed wall-clock;
- **queries**: a fixed mix of 200 queries (seeded; words, two-word ANDs, phrases, OR,
  exclusion, prefixes, fields, umlaut spellings, typos, type and date filters, date sorts),
  each run once untimed to warm up, then timed one by one. Whoosh is timed as the command
  line calls it (top 10, total, snippets, did-you-mean; no facets) and as the web app calls
  it (with facets). FTS5 runs the equivalent MATCH with ``bm25()`` ordering, a ``count(*)``
  for the total and ``snippet()`` for the top 10.

Results go to ``OUT_DIR/index.json`` and ``OUT_DIR/index-section.md`` (for BENCHMARKS.md).
FTS5 has no stemming, umlaut folding or compound splitting, so it answers a simpler
question: the comparison is one of speed, not of result quality.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
# Every timed query is one the warm-up asked already: with the result cache on, the run
# would time cache hits. Off (before archive.search reads it), as the web benchmark does.
os.environ.setdefault("IKPE_SEARCH_RESULT_CACHE", "0")

from archive.htmltext import html_to_text  # noqa: E402
from archive.search import SearchIndex  # noqa: E402
from replica import synthetic  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUERY_COUNT = 200
QUERY_SEED = 7
TOP_N = 10
TARGET_P95_MS = 50.0
TARGET_SIZE = 10_000
SITE_URL = "https://www.ikpe-erfurt.de/"
TITLE_PREFIXES = re.compile(r"^(?:(?:Prof|Dr)\.\s*)+")
FTS_WEIGHTS = (0.0, 0.0, 0.0, 4.0, 1.0, 1.5, 2.0, 1.5)  # id, type, date, title .. places
FTS_FIELDS = {"title": "title", "person": "people", "place": "places"}


# --- records -------------------------------------------------------------------------


def synthetic_records(count: int) -> list[dict]:
    """Schema-shaped records from the replica's synthetic posts."""
    people = [(name, TITLE_PREFIXES.sub("", name)) for name in synthetic.PEOPLE]
    places = synthetic.PLACES + synthetic.DISTRICTS
    records = []
    for entry in synthetic.generate_posts(count):
        text = html_to_text(entry.body)
        day = entry.posted.date().isoformat()
        first_paragraph = text.split("\n\n")[1] if "\n\n" in text else text
        records.append(
            {
                "schema_version": 1,
                "id": f"wp-{entry.id}",
                "url": f"{SITE_URL}{entry.slug}/",
                "type": entry.type,
                "type_rule": f"{entry.type}:synthetic",
                "title": entry.title,
                "text": text,
                "summary": first_paragraph[:300],
                "date": day,
                "date_precision": "day",
                "date_source": "posting_date",
                "date_issues": [],
                "people": [plain for written, plain in people if written in text],
                "emails": [],
                "places": [place for place in places if place in text],
                "organisations": ["IKPE"],
                "attachments": [],
                "credits": [],
                "categories": list(entry.categories),
                "source": {
                    "via": "html",
                    "url": f"{SITE_URL}{entry.slug}/",
                    "fetched_at": "2025-01-01T00:00:00Z",
                    "http_status": 200,
                    "sha256": "0" * 64,
                },
                "provenance": {},
            }
        )
    return records


# --- the query mix -------------------------------------------------------------------


def _fts_term(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def query_mix(seed: int = QUERY_SEED, count: int = QUERY_COUNT) -> list[dict]:
    """A fixed mix of queries, each as Whoosh text, FTS5 MATCH text and filters."""
    rng = random.Random(seed)
    topics = synthetic.TOPICS
    parts = ["Planung", "Armut", "Prävention", "Hilfe", "Beteiligung", "Analyse", "Kette"]
    places = synthetic.PLACES
    surnames = [TITLE_PREFIXES.sub("", p).split()[-1] for p in synthetic.PEOPLE]
    words = ["Fachtag", "Workshop", "Ergebnisse", "Kommunen", "Befragung", "Arbeitskreis"]
    spellings = ["Struening", "Soemmerda", "Muehlhausen", "Koelleda", "Strassenbahn"]
    typos = ["Präventionsketen", "Sozialplanug", "Armutspävention", "Inklusoin"]
    types = ["news", "press_release", "event"]

    def plain(*terms: str) -> dict:
        return {"q": " ".join(terms), "fts": " ".join(_fts_term(t) for t in terms)}

    def phrase(*terms: str) -> dict:
        return {"q": '"' + " ".join(terms) + '"', "fts": '"' + " ".join(terms) + '"'}

    def either(first: str, second: str) -> dict:
        return {"q": f"{first} OR {second}", "fts": f"{_fts_term(first)} OR {_fts_term(second)}"}

    def without(first: str, second: str) -> dict:
        return {"q": f"{first} -{second}", "fts": f"{_fts_term(first)} NOT {_fts_term(second)}"}

    def prefix(word: str) -> dict:
        return {"q": f"{word}*", "fts": f"{_fts_term(word)}*"}

    def fielded(name: str, word: str) -> dict:
        column = FTS_FIELDS[name]
        return {"q": f"{name}:{word}", "fts": f"{column} : {_fts_term(word)}"}

    def dated(word: str, year: int) -> dict:
        return {**plain(word), "from": f"{year}", "to": f"{year + 2}-06"}

    makers = [
        lambda: plain(rng.choice(topics)),
        lambda: plain(rng.choice(parts)),
        lambda: plain(rng.choice(topics), rng.choice(places)),
        lambda: plain(rng.choice(words), rng.choice(places)),
        lambda: phrase("kommunale", "Planung"),
        lambda: phrase(rng.choice(synthetic.FORMATS), "zur"),
        lambda: phrase(rng.choice(synthetic.FORMATS), "zur", rng.choice(topics)),
        lambda: either(rng.choice(topics), rng.choice(topics)),
        lambda: without(rng.choice(topics), rng.choice(places)),
        lambda: prefix(rng.choice(topics)[:6]),
        lambda: fielded("person", rng.choice(surnames)),
        lambda: fielded("place", rng.choice(places)),
        lambda: fielded("title", rng.choice(synthetic.FORMATS)),
        lambda: plain(rng.choice(spellings)),
        lambda: plain(rng.choice(typos)),
        lambda: {**plain(rng.choice(topics)), "type": rng.choice(types)},
        lambda: dated(rng.choice(parts), rng.randint(2012, 2022)),
        lambda: {**plain(rng.choice(topics)), "sort": "-date"},
    ]
    return [rng.choice(makers)() for _ in range(count)]


# --- Whoosh --------------------------------------------------------------------------


def whoosh_search(index: SearchIndex, spec: dict, *, facets: bool) -> int:
    result = index.search(
        spec["q"],
        record_type=spec.get("type"),
        date_from=spec.get("from"),
        date_to=spec.get("to"),
        sort=spec.get("sort", "relevance"),
        limit=TOP_N,
        facets=facets,
    )
    return result.total


# --- SQLite FTS5 ---------------------------------------------------------------------


def fts_build(path: Path, records: list[dict]) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, type UNINDEXED, date UNINDEXED,"
        " title, text, summary, people, places,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    with connection:
        connection.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    r["id"],
                    r["type"],
                    r["date"],
                    r["title"],
                    r["text"],
                    r["summary"],
                    "\n".join(r["people"]),
                    "\n".join(r["places"]),
                )
                for r in records
            ),
        )
    return connection


def fts_search(connection: sqlite3.Connection, spec: dict) -> int:
    where = ["docs MATCH ?"]
    params: list = [spec["fts"]]
    if spec.get("type"):
        where.append("type = ?")
        params.append(spec["type"])
    if spec.get("from"):
        where.append("substr(date, 1, 7) >= ?")
        params.append(spec["from"])
    if spec.get("to"):
        where.append("substr(date, 1, 7) <= ?")
        params.append(spec["to"])
    condition = " AND ".join(where)
    order = "date DESC" if spec.get("sort") == "-date" else "score"
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    rows = connection.execute(
        f"SELECT id, title, date, snippet(docs, 4, '<mark>', '</mark>', '…', 24),"
        f" bm25(docs, {weights}) AS score FROM docs WHERE {condition}"
        f" ORDER BY {order} LIMIT {TOP_N}",
        params,
    ).fetchall()
    total = connection.execute(f"SELECT count(*) FROM docs WHERE {condition}", params).fetchone()
    assert len(rows) <= TOP_N
    return total[0]


# --- timing --------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def time_queries(run, specs: list[dict]) -> dict:
    for spec in specs:  # warm-up: caches, lazily built readers
        run(spec)
    latencies = []
    totals = []
    for spec in specs:
        started = time.perf_counter()
        totals.append(run(spec))
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "max_ms": round(max(latencies), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "mean_total_hits": round(statistics.fmean(totals), 1),
    }


def bench_size(size: int, work: Path, specs: list[dict]) -> dict:
    started = time.perf_counter()
    records = synthetic_records(size)
    generate_s = time.perf_counter() - started
    print(f"[{size}] {len(records)} records generated in {generate_s:.1f} s", flush=True)

    index = SearchIndex(work / f"whoosh-{size}")
    started = time.perf_counter()
    index.rebuild(records)
    whoosh_build_s = time.perf_counter() - started
    print(f"[{size}] whoosh build {whoosh_build_s:.1f} s", flush=True)

    started = time.perf_counter()
    connection = fts_build(work / f"fts-{size}.sqlite3", records)
    fts_build_s = time.perf_counter() - started
    print(f"[{size}] fts5 build {fts_build_s:.1f} s", flush=True)
    del records

    result = {
        "records": size,
        "whoosh": {
            "build_s": round(whoosh_build_s, 2),
            "index_mb": round(_size_mb(work / f"whoosh-{size}"), 1),
            "cli": time_queries(lambda s: whoosh_search(index, s, facets=False), specs),
            "web_with_facets": time_queries(lambda s: whoosh_search(index, s, facets=True), specs),
        },
        "fts5": {
            "build_s": round(fts_build_s, 2),
            "index_mb": round(_size_mb(work / f"fts-{size}.sqlite3"), 1),
            "queries": time_queries(lambda s: fts_search(connection, s), specs),
        },
    }
    index.close()
    connection.close()
    print(f"[{size}] {json.dumps(result)}", flush=True)
    return result


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


# --- report --------------------------------------------------------------------------


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "whoosh_reloaded": metadata.version("whoosh-reloaded"),
    }


def markdown(report: dict) -> str:
    lines = [
        "## Search index (Whoosh) beside SQLite FTS5",
        "",
        f"Command: `{report['command']}`  ",
        f"Machine: {report['machine']['nproc']} cores (`nproc`), {report['machine']['platform']},"
        f" Python {report['machine']['python']}, SQLite {report['machine']['sqlite']},"
        f" whoosh-reloaded {report['machine']['whoosh_reloaded']}.  ",
        f"Date: {report['date']}. Records: synthetic German posts"
        " (`replica.synthetic`); queries: a fixed mix of"
        f" {report['queries']} (seed {report['seed']}), warmed up once, then timed one by one.",
        "",
        "| records | engine | build (s) | size (MB) | p50 (ms) | p95 (ms) | max (ms) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in report["runs"]:
        whoosh, fts = run["whoosh"], run["fts5"]
        rows = [
            ("Whoosh, CLI (no facets)", whoosh["build_s"], whoosh["index_mb"], whoosh["cli"]),
            ("Whoosh, web (facets)", "", "", whoosh["web_with_facets"]),
            ("SQLite FTS5", fts["build_s"], fts["index_mb"], fts["queries"]),
        ]
        for name, build, size, timing in rows:
            lines.append(
                f"| {run['records']:,} | {name} | {build} | {size} | {timing['p50_ms']}"
                f" | {timing['p95_ms']} | {timing['max_ms']} |"
            )
    target = next((r for r in report["runs"] if r["records"] == TARGET_SIZE), None)
    lines.append("")
    if target:
        p95 = target["whoosh"]["cli"]["p95_ms"]
        verdict = "met" if p95 < TARGET_P95_MS else "missed"
        lines.append(
            f"Target p95 < {TARGET_P95_MS:.0f} ms at {TARGET_SIZE:,} records: {verdict}"
            f" ({p95} ms; with facets {target['whoosh']['web_with_facets']['p95_ms']} ms)."
        )
    lines += [
        "",
        "Whoosh times include parsing, German analysis of the query, BM25F with the recency"
        " factor, the exact total, HTML-escaped snippets for the page and the did-you-mean check"
        " for queries with fewer than 3 hits. Whoosh builds include the vocabulary pass for"
        " compound splitting and the atomic swap. FTS5 has no stemming, umlaut spellings or"
        " compounds, so it finds fewer records for many queries: it is a floor for speed, not"
        " a rival in quality.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--out-dir", type=Path, default=PROJECT_ROOT / "bench" / "out")
    parser.add_argument("--keep", action="store_true", help="Keep the built indexes.")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    specs = query_mix()
    work = Path(tempfile.mkdtemp(prefix="index-bench-"))
    try:
        runs = [bench_size(size, work, specs) for size in sizes]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    command = ".venv/bin/python bench/index_bench.py" + (
        f" --sizes {args.sizes}" if sizes != list(DEFAULT_SIZES) else ""
    )
    report = {
        "command": command,
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "queries": len(specs),
        "seed": QUERY_SEED,
        "runs": runs,
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "index.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out_dir / "index-section.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
