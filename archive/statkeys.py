"""The names of the crawl's counters, in one place.

The spider, its middlewares and pipelines write these keys into Scrapy's stats; the
nightly's monitors, the crawl summary and the reports read them. A crawl's stats are
stored with it (``crawl_history``), so a renamed key would blind the monitors to every
earlier run: change them only with a migration.
"""

from __future__ import annotations

PREFIX = "ikpe/"

DISCOVERY = "ikpe/discovery"  # which layer found the posts: rest, sitemap or archive
GONE = "ikpe/gone"  # posts the site answered 404/410 for
RESUME_SKIPPED = "ikpe/resume/skipped"
# Items harvested before a resumed crawl's restart whose counters it carried over, and a
# flag set when some could not be (a journal written before counters were journaled).
RESUME_CARRIED = "ikpe/resume/carried"
RESUME_PARTIAL_COUNTS = "ikpe/resume/partial_counts"
# The start page did not answer at all: its URL and why (connection refused, timeout ...).
SITE_UNREACHABLE = "ikpe/site_unreachable"
ROBOTS_FORBIDDEN = "ikpe/robots_forbidden"
# Entries of a publication tab below the citation parser's confidence (a teaser, post
# titles, an address): not kept; many of them on a run say the list's markup changed.
PUBLICATIONS_NOT_CITATIONS = "ikpe/publications/not_citations"
RETRY_AFTER_HONOURED = "ikpe/retry_after_honoured"
RECORD_WORKERS = "ikpe/record_workers"

ERRORS = "ikpe/errors"  # every error, whatever its kind
ERRORS_PREFIX = "ikpe/errors/"
ERROR_ATTACHMENT = "ikpe/errors/attachment"
ERROR_RECORD_BUILD = "ikpe/errors/record_build"
ERROR_WARC_WRITE = "ikpe/errors/warc_write"
ERROR_TOO_LARGE = "ikpe/errors/too_large"  # a response cut off at DOWNLOAD_MAXSIZE

# Requests the crawl's bounds refused, by rule (crawler/traps.py, crawler/bounds.py):
# trap shapes (date_out_of_range, page_number, repeated_segments, query_explosion) and
# limits (per_pattern, depth, budget), with one example URL per rule.
CUT_PREFIX = "ikpe/cut/"
# The cuts of limits rather than traps: the crawl may have missed real pages.
LIMIT_CUTS = ("per_pattern", "depth", "budget")
CUT_EXAMPLE_PREFIX = "ikpe/cut_example/"

NETWORK_RESPONSES = "ikpe/network/responses"
NETWORK_BYTES = "ikpe/network/bytes"
NETWORK_NOT_MODIFIED = "ikpe/network/not_modified"

ITEMS_PREFIX = "ikpe/items/"
ITEMS_DUPLICATES_DROPPED = "ikpe/items/duplicates_dropped"

RECORDS_PREFIX = "ikpe/records/"
RECORDS_INVALID = "ikpe/records/invalid"
RECORDS_DEGRADED = "ikpe/records/degraded"  # text extraction broke; the stored version kept
RECORDS_EMPTY_TEXT = "ikpe/records/empty_text"
# Records taken from the store because the item and the rules that built them are the same
# (crawler.normalise.build_digest), and records built; together, every valid record.
RECORDS_REUSED = "ikpe/records/reused"
RECORDS_BUILT = "ikpe/records/built"

STORE_REMOVED = "ikpe/store/removed"
STORE_KEPT_PREVIOUS = "ikpe/store/kept_previous"


def error(kind: str) -> str:
    """The counter of one kind of error (``redirect_loop``, ``attachment``, ...)."""
    return f"{ERRORS_PREFIX}{kind}"


def items(kind: str) -> str:
    """The counter of items of one kind (post, page, newsletter, publication)."""
    return f"{ITEMS_PREFIX}{kind}"


def records(record_type: str) -> str:
    """The counter of valid records of one type."""
    return f"{RECORDS_PREFIX}{record_type}"


def missing(record_type: str, field: str) -> str:
    """The counter of records of one type that lack a field."""
    return f"ikpe/missing/{record_type}/{field}"


def cut(rule: str) -> str:
    """The counter of requests one bound refused (``date_out_of_range``, ``budget``, ...)."""
    return f"{CUT_PREFIX}{rule}"


def cut_example(rule: str) -> str:
    """The first URL one bound refused (a string, not a counter)."""
    return f"{CUT_EXAMPLE_PREFIX}{rule}"


def store(outcome: str) -> str:
    """The counter of one store outcome: new, returned, changed, unchanged."""
    return f"ikpe/store/{outcome}"


def by_suffix(stats: dict, prefix: str) -> dict[str, int]:
    """The counters under ``prefix``, by the rest of their name (``errors/x`` -> ``x``)."""
    return {key[len(prefix) :]: value for key, value in stats.items() if key.startswith(prefix)}
