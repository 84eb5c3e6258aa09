"""URLs of the pages' twins: exports, feeds and the JSON API.

The exports and feeds live in another blueprint (``feeds``), built beside this one; the
links go through ``url_for`` when its endpoints are registered and fall back to the agreed
paths (``/export.<fmt>?...``, ``/feed.atom?...``) when they are not, so a page never fails
for a missing twin.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, request, url_for
from werkzeug.routing import BuildError

# url_for() costs about 30 µs, and a search page asks for some thirty URLs that are the
# same on every page (stylesheet, navigation, a hit's record page): each app keeps the
# URLs it built, by the script root they were built under. Cleared when full.
URL_CACHE_SIZE = 8192
_URLS_KEY = "ikpe_archive.urls"

# Formats of the result lists' twins, in the order the pages list them: (format, label).
EXPORT_LINKS = (
    ("csv", "CSV"),
    ("bibtex", "BibTeX"),
    ("ris", "RIS"),
    ("csljson", "CSL-JSON"),
    ("jsonl", "JSON Lines"),
)


def _query_string(args: dict) -> str:
    query = urlencode(args, doseq=True)
    return f"?{query}" if query else ""


def cached_url_for(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)``, remembered for the same script root, endpoint and
    values (relative endpoints, options such as ``_external`` and lists are not kept)."""
    try:
        if endpoint.startswith(".") or any(name.startswith("_") for name in values):
            raise TypeError
        key = (request.script_root, endpoint, *sorted(values.items()))
        hash(key)
    except TypeError:
        return url_for(endpoint, **values)
    urls = current_app.extensions.setdefault(_URLS_KEY, {})
    url = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(urls) >= URL_CACHE_SIZE:
            urls.clear()
        urls[key] = url
    return url


def endpoint_url(endpoint: str, fallback_path: str, **args) -> str:
    """``url_for(endpoint, **args)``, or ``fallback_path`` with ``args`` as its query when
    the endpoint is not registered (yet)."""
    try:
        return cached_url_for(endpoint, **args)
    except BuildError:
        rest = {k: v for k, v in args.items() if k != "fmt"}
        return request.script_root + fallback_path + _query_string(rest)


def export_url(fmt: str, **args) -> str:
    """The download of the records ``args`` select (search parameters, or ``id`` repeated)
    in ``fmt`` (csv, bibtex, ris, csljson, jsonl)."""
    return endpoint_url("feeds.export", f"/export.{fmt}", fmt=fmt, **args)


def feed_url(**args) -> str:
    """The Atom feed of a search (no arguments: of every record)."""
    return endpoint_url("feeds.feed", "/feed.atom", **args)


def api_search_url(**args) -> str:
    """The JSON twin of a search page (``/api/search`` with the same parameters)."""
    return endpoint_url("api.search", "/api/search", **args)
