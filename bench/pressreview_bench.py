"""Press review benchmark: a 50-item review built and rendered as Markdown, DOCX and PDF.

    .venv/bin/python bench/pressreview_bench.py [--items 50] [--repeat 7] [--cli 3]
                                                [--out-dir bench/out]

In one run, on one temporary data directory:

- a store with ``--items`` records from the replica's synthetic posts (German text of
  three to six paragraphs; news, press releases and events as the generator draws them),
  every fifth replaced by a press report (a citation with outlet, date and link), all in
  March 2026;
- a saved composition of all of them, with a display title and a comment on every third
  item and the full text of every own news item and press release (the heaviest
  document the rules allow);
- **document**: ``PressReviews.document`` (the composition and each item's version read
  from SQLite), timed ``--repeat`` times;
- **render**: each format rendered from that document, side by side in the same process:
  the first call (cold: imports, fonts) timed on its own, then ``--repeat`` timed calls
  whose median, minimum and maximum are reported;
- **CLI**: ``ikpe-archive press-review --saved NAME --format F -o FILE`` in a subprocess,
  ``--cli`` runs per format, median wall-clock (what the monthly timer pays: Python's
  start, the imports, the store, the render, the write).

Results go to ``OUT_DIR/pressreview.json`` and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from pypdf import PdfReader  # noqa: E402

from archive.config import DataDir  # noqa: E402
from archive.facade import Archive  # noqa: E402
from archive.htmltext import html_to_text  # noqa: E402
from archive.pressreview import render  # noqa: E402
from archive.store import ArchiveStore  # noqa: E402
from archive.validation import check  # noqa: E402
from replica import synthetic  # noqa: E402

SITE_URL = "https://www.ikpe-erfurt.de/"
FORMATS = ("md", "docx", "pdf")
OUTLETS = ("Thüringer Allgemeine", "MDR Thüringen", "Leipziger Volkszeitung", "TLZ")
REVIEW_NAME = "bench-maerz"


def bench_records(count: int) -> list[dict]:
    """``count`` schema-valid records dated March 2026: synthetic posts, every fifth a
    press report."""
    records = []
    for index, entry in enumerate(synthetic.generate_posts(count)):
        day = f"2026-03-{1 + index % 28:02d}"
        text = html_to_text(entry.body)
        record = {
            "schema_version": 1, "id": f"wp-{entry.id}", "url": f"{SITE_URL}{entry.slug}/",
            "type": entry.type, "type_rule": f"{entry.type}:synthetic", "title": entry.title,
            "text": text, "summary": text.split("\n\n")[-1][:300], "date": day,
            "date_precision": "day", "date_source": "posting_date", "date_issues": [],
            "people": [], "emails": [], "places": [], "organisations": [], "attachments": [],
            "credits": [], "categories": list(entry.categories),
            "source": {"via": "html", "url": f"{SITE_URL}{entry.slug}/",
                       "fetched_at": "2026-04-01T00:00:00Z", "http_status": 200,
                       "sha256": "0" * 64, "warc": {"file": "bench.warc.gz", "offset": index}},
            "provenance": {},
        }  # fmt: skip
        if index % 5 == 4:
            outlet = OUTLETS[index % len(OUTLETS)]
            record.update(
                id=f"pub-{index:016x}", type="press_coverage", type_rule="press_coverage:tab",
                url=f"{SITE_URL}category/referenzen/", text="",
                summary=f"{outlet}, {day}: „{entry.title}“",
                reference={"raw": f"{outlet}, {day}: „{entry.title}“", "parsed": True,
                           "kind": "press", "title": entry.title, "outlet": outlet,
                           "date": day, "url": f"https://presse.example/{entry.slug}"},
            )  # fmt: skip
        if record["type"] == "event":
            record["event"] = {"start": day, "end": None, "start_time": "10:00",
                               "end_time": None, "venue": "Erfurt", "online": False}  # fmt: skip
        records.append(check(record))
    return records


def build(data_dir: DataDir, count: int) -> None:
    """The store and the saved composition the benchmark renders."""
    records = bench_records(count)
    with ArchiveStore(data_dir.store_path) as store:
        store.begin_crawl("bench", SITE_URL)
        store.save(records, "bench")
        store.finish_crawl("bench", "finished", {})
    with Archive(data_dir) as archive:
        reviews = archive.press_reviews()
        reviews.create("Pressespiegel März 2026", name=REVIEW_NAME, date_from="2026-03",
                       date_to="2026-03", intro="Liebe Leserinnen und Leser,\n\n" * 3)  # fmt: skip
        reviews.add(REVIEW_NAME, [r["id"] for r in records], full_text=True)
        for number, item in enumerate(reviews.get(REVIEW_NAME).items):
            if number % 3 == 0:
                reviews.edit_item(REVIEW_NAME, item.id, display_title=f"Kurz: {item.title[:40]}",
                                  comment="Für die Vorstandssitzung.")  # fmt: skip


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def summary(samples: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(samples), 1),
        "min_ms": round(min(samples), 1),
        "max_ms": round(max(samples), 1),
        "runs": len(samples),
    }


def run(count: int, repeat: int, cli_runs: int, out_dir: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="pressreview-bench-") as tmp:
        data_dir = DataDir(Path(tmp) / "data").ensure()
        build(data_dir, count)
        results: dict = {"items": count, "repeat": repeat, "formats": {}}
        with Archive(data_dir) as archive:
            reviews = archive.press_reviews()
            document_ms = [timed(lambda: reviews.document(REVIEW_NAME))[0] for _ in range(repeat)]
            review = reviews.document(REVIEW_NAME)
            results["document"] = summary(document_ms)
            results["document_items"] = len(review.items)
            for fmt in FORMATS:
                cold_ms, data = timed(lambda fmt=fmt: render(review, fmt))
                warm = [timed(lambda fmt=fmt: render(review, fmt))[0] for _ in range(repeat)]
                results["formats"][fmt] = {"cold_ms": round(cold_ms, 1), **summary(warm),
                                           "bytes": len(data)}  # fmt: skip
                if fmt == "pdf":
                    results["formats"][fmt]["pages"] = len(PdfReader(io.BytesIO(data)).pages)
        for fmt in FORMATS if cli_runs else ():
            samples = []
            for _ in range(cli_runs):
                target = Path(tmp) / f"cli.{fmt}"
                ms, done = timed(lambda fmt=fmt, target=target: subprocess.run(
                    [sys.executable, "-m", "search_app.cli", "--data-dir", str(data_dir.root),
                     "press-review", "--saved", REVIEW_NAME, "--format", fmt, "-o", str(target)],
                    capture_output=True, text=True, cwd=PROJECT_ROOT, check=False,
                ))  # fmt: skip
                if done.returncode != 0:
                    raise RuntimeError(done.stderr)
                samples.append(ms)
            results["formats"][fmt]["cli"] = summary(samples)
    results["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "weasyprint": metadata.version("weasyprint"),
        "python-docx": metadata.version("python-docx"),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "pressreview.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


def table(results: dict) -> str:
    lines = [
        f"{results['items']} items; document from the store: median "
        f"{results['document']['median_ms']} ms ({results['repeat']} runs)",
        "",
        "| format | first render ms | median ms | min ms | max ms | size | CLI median ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for fmt, figures in results["formats"].items():
        size = f"{figures['bytes'] / 1024:.0f} KiB"
        if "pages" in figures:
            size += f", {figures['pages']} pages"
        cli = figures.get("cli", {}).get("median_ms", "–")
        lines.append(f"| {fmt} | {figures['cold_ms']} | {figures['median_ms']} | "
                     f"{figures['min_ms']} | {figures['max_ms']} | {size} | {cli} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cli", type=int, default=3, help="CLI runs per format (0: none)")
    parser.add_argument("--out-dir", type=Path, default=PROJECT_ROOT / "bench" / "out")
    args = parser.parse_args()
    results = run(args.items, args.repeat, args.cli, args.out_dir)
    print(table(results))


if __name__ == "__main__":
    main()
