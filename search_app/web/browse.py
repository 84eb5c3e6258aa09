"""Browsing the archive without a query: by year, by type, and the publication lists.

=====================  ==============================================================
``/jahre``             records per year, and a histogram of records per month whose
                       bars set the search's date range
``/typen``             records per type
``/publikationen``     the references (publications, press coverage) by year and kind,
                       with checkboxes to export a selection
=====================  ==============================================================
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict

from flask import Blueprint, render_template, url_for

from archive.schema import CITATION_TYPES, RECORD_TYPES
from search_app.web import histogram, labels, links
from search_app.web.context import get_archive

bp = Blueprint("browse", __name__)

# data directory -> (the archive's stats as JSON, month counts)
_month_cache: dict[str, tuple[str, tuple]] = {}
_month_cache_lock = threading.Lock()


@bp.get("/jahre")
def years() -> str:
    """Records per year, and per month as a histogram."""
    stats = get_archive().stats()
    chart = histogram.layout(*_month_counts(stats))
    bar_links = {
        bar.month: url_for("search.index", **{"from": bar.month, "to": bar.month})
        for bar in chart.bars
    }
    year_rows = sorted(stats["by_year"].items(), reverse=True)
    return render_template(
        "years.html",
        stats=stats,
        years=year_rows,
        largest=max((count for _, count in year_rows), default=0),
        chart=chart,
        bar_links=bar_links,
    )


def _month_counts(stats: dict):
    """Records per month, read once per state of the archive (the counts by type, year and
    status and the number of versions change whenever a record does)."""
    archive = get_archive()
    root = str(archive.data_dir.root)
    key = json.dumps(stats, sort_keys=True)
    with _month_cache_lock:
        cached = _month_cache.get(root)
        if cached and cached[0] == key:
            return cached[1]
    counts = histogram.month_counts(record["date"] for record in archive.records())
    with _month_cache_lock:
        _month_cache[root] = (key, counts)
    return counts


@bp.get("/typen")
def types() -> str:
    """Records per type."""
    stats = get_archive().stats()
    rows = [(t, stats["by_type"].get(t, 0)) for t in RECORD_TYPES if stats["by_type"].get(t)]
    return render_template(
        "types.html",
        stats=stats,
        rows=rows,
        largest=max((count for _, count in rows), default=0),
    )


@bp.get("/publikationen")
def publications() -> str:
    """The references by year (newest first) and kind, each selectable for an export."""
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    total = 0
    for record_type in CITATION_TYPES:
        for record in get_archive().records(record_type=record_type):
            reference = record.get("reference") or {}
            kind = reference.get("kind") or (
                "press" if record_type == "press_coverage" else "other"
            )
            grouped[record["date"][:4]][kind].append(record)
            total += 1
    years = [
        (
            year,
            [
                (kind, sorted(entries, key=lambda r: (r.get("reference") or {}).get("raw", "")))
                for kind, entries in sorted(
                    grouped[year].items(), key=lambda item: labels.kind_label(item[0])
                )
            ],
        )
        for year in sorted(grouped, reverse=True)
    ]
    return render_template(
        "publications.html",
        years=years,
        total=total,
        export_formats=[(label, links.export_url(fmt)) for fmt, label in links.EXPORT_LINKS],
    )
