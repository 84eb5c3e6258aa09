"""What the crawl and nightly jobs tell their users: the report's stats and summaries.

The crawl's counters are named in :mod:`archive.statkeys`; this module turns them into
the report's ``stats`` and into the short texts the CLI prints.
"""

from __future__ import annotations

from archive import statkeys


def crawl_stats(stats: dict, duration: float) -> dict:
    """The ``stats`` of a nightly report, from a crawl's counters."""
    return {
        "pages_fetched": stats.get(statkeys.NETWORK_RESPONSES, 0),
        "bytes": stats.get(statkeys.NETWORK_BYTES, 0),
        "not_modified": stats.get(statkeys.NETWORK_NOT_MODIFIED, 0),
        "errors": statkeys.by_suffix(stats, statkeys.ERRORS_PREFIX),
        "error_count": stats.get(statkeys.ERRORS, 0),
        "records": statkeys.by_suffix(stats, statkeys.RECORDS_PREFIX),
        "discovery": stats.get(statkeys.DISCOVERY),
        "cut_off": statkeys.by_suffix(stats, statkeys.CUT_PREFIX),
        "cut_off_examples": statkeys.by_suffix(stats, statkeys.CUT_EXAMPLE_PREFIX),
        "site_unreachable": stats.get(statkeys.SITE_UNREACHABLE),
        "resume_carried": stats.get(statkeys.RESUME_CARRIED, 0),
        "finish_reason": stats.get("finish_reason"),
        "duration_seconds": round(duration, 1),
    }


def cut_off_lines(cuts: dict[str, int], examples: dict[str, str]) -> list[str]:
    """What the crawl's bounds cut off (counts and first URL by rule), one line per rule;
    a limit (the crawl may have missed pages) is told apart from a recognised trap."""
    lines = []
    for rule, count in sorted(cuts.items()):
        kind = "limit" if rule in statkeys.LIMIT_CUTS else "trap"
        lines.append(f"cut off ({kind}) {rule}: {count}, e.g. {examples.get(rule, '?')}")
    return lines


def crawl_summary(result) -> str:
    """A short human summary of a crawl (a ``crawler.run.CrawlResult``)."""
    stats = result.stats
    errors = statkeys.by_suffix(stats, statkeys.ERRORS_PREFIX)
    items = statkeys.by_suffix(stats, statkeys.ITEMS_PREFIX)
    items.pop(statkeys.ITEMS_DUPLICATES_DROPPED.removeprefix(statkeys.ITEMS_PREFIX), None)
    new = stats.get(statkeys.store("new"), 0) + stats.get(statkeys.store("returned"), 0)
    lines = [
        f"crawl {result.crawl_id}{' (resumed)' if result.resumed else ''}: {result.finish_reason}",
    ]
    if stats.get(statkeys.SITE_UNREACHABLE):
        lines.append(f"  the site does not answer: {stats[statkeys.SITE_UNREACHABLE]}")
    lines += [
        f"  discovery: {stats.get(statkeys.DISCOVERY, '?')}",
        "  items: " + ", ".join(f"{k} {v}" for k, v in sorted(items.items())),
        f"  responses: {stats.get(statkeys.NETWORK_RESPONSES, 0)}, "
        f"304s: {stats.get(statkeys.NETWORK_NOT_MODIFIED, 0)}, "
        f"bytes: {stats.get(statkeys.NETWORK_BYTES, 0)}",
        f"  store: new {new}, "
        f"changed {stats.get(statkeys.store('changed'), 0)}, "
        f"unchanged {stats.get(statkeys.store('unchanged'), 0)}, "
        f"removed {stats.get(statkeys.STORE_REMOVED, 0)}, "
        f"invalid {stats.get(statkeys.RECORDS_INVALID, 0)}",
        f"  errors: {sum(errors.values())}"
        + (f" ({', '.join(f'{k} {v}' for k, v in sorted(errors.items()))})" if errors else ""),
        f"  items file: {result.items_path}",
    ]
    cuts = statkeys.by_suffix(stats, statkeys.CUT_PREFIX)
    examples = statkeys.by_suffix(stats, statkeys.CUT_EXAMPLE_PREFIX)
    lines += [f"  {line}" for line in cut_off_lines(cuts, examples)]
    return "\n".join(lines)


def nightly_summary(result) -> str:
    """The short human summary printed after a nightly run (a ``NightlyResult``)."""
    report = result.report
    stats = report["stats"]
    lines = [
        f"nightly {report['crawl_id']}{' (resumed)' if report['resumed'] else ''}: "
        f"{stats['finish_reason']} in {stats['duration_seconds']} s"
    ]
    if stats.get("site_unreachable"):
        lines.append(f"the site does not answer: {stats['site_unreachable']}")
    for kind in ("new", "changed", "removed"):
        entries = report[kind]
        lines.append(f"{kind}: {len(entries)}")
        lines += [f"  {e['title'][:70]}  <{e['url']}>" for e in entries[:50]]
        if len(entries) > 50:
            lines.append(f"  ... and {len(entries) - 50} more (see the report)")
    lines.append(f"unchanged: {len(report['unchanged'])}")
    records = stats.get("records", {})
    if "reused" in records or "built" in records:  # reports before reuse have neither
        lines.append(
            f"records: reused {records.get('reused', 0)} from the store, "
            f"built {records.get('built', 0)}"
        )
    if report["removals_withheld"]:
        why = report.get("incomplete_because") or "the crawl saw too few records"
        lines.append(f"removals withheld: {why}, so its absences are not trusted")
    errors = ", ".join(f"{k} {v}" for k, v in sorted(stats["errors"].items())) or "none"
    lines.append(
        f"pages fetched {stats['pages_fetched']}, bytes {stats['bytes']}, "
        f"304s {stats['not_modified']}, errors {stats['error_count']} ({errors})"
    )
    lines += cut_off_lines(stats.get("cut_off", {}), stats.get("cut_off_examples", {}))
    lines.append(f"index: {report['index'].get('mode')}")
    for monitor in report["monitors"]:
        lines.append(
            f"monitor {monitor['name']}: {'ok' if monitor['ok'] else 'FAILED'} "
            f"({monitor['detail']})"
        )
    lines.append(f"report: {result.path}")
    return "\n".join(lines)
