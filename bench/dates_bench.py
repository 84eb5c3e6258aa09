"""German date benchmark: the project's readers beside dateparser, on one table, in one run.

    .venv/bin/python bench/dates_bench.py [--repeat 5] [--misses]

The table is ``tests/fixtures/dates/german_date_table.py`` (the date tests use it too):
German date expressions with the start, end and precision each must give, and look-alikes
(phone numbers, paragraphs, versions, prices, pages, postcodes, bare numbers, invalid days)
that must give none. For each tool:

- exact: start, end and precision all right (a single date has no end); ``start only``
  counts the start and its precision, as dateparser gives no ranges of its own.
- false dates: look-alikes that give a date (the project: with its default readers, and
  once more with every reader option on). An impossible day (``31. April 2020``) that the
  project keeps as its month flagged ``impossible_day`` is no false date (no day is made
  up); any date dateparser returns for a look-alike is one.
- time: the median microseconds per expression (over ``--repeat`` runs, each expression
  read cold: the project's line cache is cleared before every call).

The project reads each row with the reader it names (``parse_date``, with
``context_years``/``references`` where the row says so, ``parse_dateline``,
``parse_event_line``, ``parse_invitation``, ``parse_period``; see
``tests/fixtures/dates/project_reader.py``) and a look-alike with ``find_dates``.
dateparser (``DateDataParser(languages=["de"])``, day of month "first") reads the whole
expression; when that fails, ``search_dates`` reads it as text, its first date the start and
its last (when another) the end. Its ``period`` gives the precision, read generously: a
``quarter`` is its three months, a ``week`` its ISO week. Nothing is fetched.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from archive.dates import find_dates  # noqa: E402
from archive.dates.scanning import _scan_cached  # noqa: E402
from tests.fixtures.dates.german_date_table import CASES, LOOK_ALIKES  # noqa: E402
from tests.fixtures.dates.project_reader import read  # noqa: E402

# (start, end, precision) or None
Result = tuple[str, str | None, str] | None


def project_case(text: str, reader: str) -> Result:
    _scan_cached.cache_clear()
    reading = read(text, reader)
    return None if reading is None else (reading.start, reading.end, reading.precision)


ALL_OPTIONS = {"periods": True, "context_years": True, "references": True}


def project_false_date(text: str, allowed_flag: str | None, options: dict | None = None) -> bool:
    _scan_cached.cache_clear()
    spans = find_dates(text, **(options or {}))
    if allowed_flag is not None:
        spans = [s for s in spans if allowed_flag not in s.issues]
    return bool(spans)


def _iso(moment: datetime, precision: str) -> str:
    if precision == "year":
        return f"{moment.year:04d}"
    if precision == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    return moment.date().isoformat()


def _period_span(moment: datetime, period: str | None) -> tuple[str, str | None, str]:
    """dateparser's date at its period; a quarter and a week as the span they stand for."""
    if period == "quarter":
        first = (moment.month - 1) // 3 * 3 + 1
        return f"{moment.year:04d}-{first:02d}", f"{moment.year:04d}-{first + 2:02d}", "month"
    if period == "week":
        monday = moment.date() - timedelta(days=moment.weekday())
        return monday.isoformat(), (monday + timedelta(days=6)).isoformat(), "day"
    precision = period if period in ("year", "month") else "day"
    return _iso(moment, precision), None, precision


def dateparser_reader() -> Callable[[str], Result] | None:
    try:
        from dateparser.date import DateDataParser
        from dateparser.search import search_dates
    except ImportError:
        return None
    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY",  # German order, also for search_dates
    }
    parser = DateDataParser(languages=["de"], settings=settings)

    def parse(text: str) -> Result:
        data = parser.get_date_data(text)
        if data.date_obj is not None:
            return _period_span(data.date_obj, data.period)
        found = search_dates(text, languages=["de"], settings=settings) or []
        if not found:
            return None
        first_text, first = found[0]
        start, end, precision = _period_span(first, parser.get_date_data(first_text).period)
        if len(found) > 1:
            last_text, last = found[-1]
            last_span = _period_span(last, parser.get_date_data(last_text).period)
            if last_span[0] != start:
                end = last_span[1] or last_span[0]
        return start, end, precision

    return parse


def _timed(call: Callable[[], object], repeat: int) -> tuple[object, float]:
    """The result of ``call`` and its median time in µs over ``repeat`` runs."""
    times = []
    result = None
    for _ in range(repeat):
        began = time.perf_counter_ns()
        result = call()
        times.append((time.perf_counter_ns() - began) / 1000)
    return result, statistics.median(times)


def run(name: str, case_reader, false_reader, repeat: int, misses: bool) -> dict:
    exact = start_only = held_out = held_out_exact = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    micros = []
    missed = []
    for case in CASES:
        got, micro = _timed(lambda c=case: case_reader(c), repeat)
        micros.append(micro)
        want = (case.start, case.end, case.precision)
        per_kind[case.kind][1] += 1
        held = case.note.startswith("held out")
        held_out += held
        if got == want:
            held_out_exact += held
            exact += 1
            per_kind[case.kind][0] += 1
        else:
            missed.append((case.text, want, got))
        if got is not None and (got[0], got[2]) == (case.start, case.precision):
            start_only += 1
    false_dates = []
    for look_alike in LOOK_ALIKES:
        got, micro = _timed(lambda a=look_alike: false_reader(a), repeat)
        micros.append(micro)
        if got:
            false_dates.append(look_alike.text)
    if misses:
        for text, want, got in missed:
            print(f"  {name} missed: {text!r}: want {want}, got {got}")
    return {
        "name": name,
        "exact": exact,
        "start_only": start_only,
        "false": false_dates,
        "median_us": statistics.median(micros),
        "held_out": (held_out_exact, held_out),
        "per_kind": per_kind,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per expression")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # dateparser's deprecation notes are not results

    print(
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python "
        f"{platform.python_version()}. Date: {date.today().isoformat()}."
    )
    print(f"Table: {len(CASES)} expressions, {len(LOOK_ALIKES)} look-alikes.")
    results = [
        run(
            "project",
            lambda c: project_case(c.text, c.reader),
            lambda a: project_false_date(a.text, a.allowed_flag),
            args.repeat,
            args.misses,
        )
    ]
    parse = dateparser_reader()
    if parse is None:
        print("dateparser is not installed (.venv/bin/pip install dateparser): project only.")
    else:
        from importlib import metadata

        print(f"dateparser {metadata.version('dateparser')}, languages=['de'].")
        parse("1. Januar 2020")  # its language data load once, outside the timing
        results.append(
            run(
                "dateparser",
                lambda c: parse(c.text),
                lambda a: parse(a.text),
                args.repeat,
                args.misses,
            )  # fmt: skip
        )

    asked = [a.text for a in LOOK_ALIKES if project_false_date(a.text, a.allowed_flag, ALL_OPTIONS)]
    shown = ": " + ", ".join(map(repr, asked)) if asked else ""
    print(
        f"project with periods, context_years and references all on: {len(asked)}/"
        f"{len(LOOK_ALIKES)} look-alikes give a date{shown}"
    )
    total = len(CASES)
    print()
    print("| reader | exact | start only | false dates | median µs/expression |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['name']} | {r['exact']}/{total} ({100 * r['exact'] / total:.1f}%) "
            f"| {r['start_only']}/{total} ({100 * r['start_only'] / total:.1f}%) "
            f"| {len(r['false'])}/{len(LOOK_ALIKES)} | {r['median_us']:.0f} |"
        )
    for r in results:
        right, rows = r["held_out"]
        print(f"{r['name']}: {right}/{rows} of the held-out rows (written after the rules) exact")
    print()
    kinds = sorted(results[0]["per_kind"])
    print("| class | rows | " + " | ".join(r["name"] for r in results) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in results) + " |")
    for kind in kinds:
        rows = results[0]["per_kind"][kind][1]
        cells = " | ".join(str(r["per_kind"][kind][0]) for r in results)
        print(f"| {kind} | {rows} | {cells} |")
    for r in results:
        if r["false"]:
            shown = ", ".join(repr(t) for t in r["false"][:12])
            more = f" (+{len(r['false']) - 12} more)" if len(r["false"]) > 12 else ""
            print(f"\n{r['name']} false dates: {shown}{more}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
