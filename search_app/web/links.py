"""URLs of the pages' twins: exports, feeds and the JSON API.

The exports and feeds live in another blueprint (``feeds``), built beside this one; the
links go through ``url_for`` when its endpoints are registered and fall back to the agreed
paths (``/export.<fmt>?...``, ``/feed.atom?...``) when they are not, so a page never fails
for a missing twin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote_plus

from flask import current_app, request, url_for
from werkzeug.datastructures import iter_multi_items
from werkzeug.routing import BuildError

# url_for() costs about 30 µs, and a search page asks for some thirty URLs that are the
# same on every page (stylesheet, navigation, a hit's record page): each app keeps the
# URLs it built, by the script root they were built under. Cleared when full.
URL_CACHE_SIZE = 8192
_URLS_KEY = "ikpe_archive.urls"
_ROUTE_ARGUMENTS_KEY = "ikpe_archive.route_arguments"
# What werkzeug leaves unencoded in the query strings url_for builds (its _urlencode).
_QUERY_SAFE = "!$'()*,/:;?@"

# Formats of the result lists' twins, in the order the pages list them: (format, label).
EXPORT_LINKS = (
    ("csv", "CSV"),
    ("bibtex", "BibTeX"),
    ("ris", "RIS"),
    ("csljson", "CSL-JSON"),
    ("jsonl", "JSON Lines"),
)


def _query_string(args: dict) -> str:
    """``args`` as ``url_for`` appends them: werkzeug's encoding, None values left out."""
    query = "&".join(
        f"{_quoted(str(name))}={_quoted(str(value))}"
        for name, value in iter_multi_items(args)
        if value is not None
    )
    return f"?{query}" if query else ""


@lru_cache(maxsize=URL_CACHE_SIZE)
def _quoted(text: str) -> str:
    """``text`` in a query string, as ``urlencode(..., safe=_QUERY_SAFE)`` writes it (a
    page's links repeat the same few values; quoting with a safe set is slow)."""
    return quote_plus(text, safe=_QUERY_SAFE)


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
    urls = _built_urls()
    url = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(urls) >= URL_CACHE_SIZE:
            urls.clear()
        urls[key] = url
    return url


def url_builder() -> Callable[..., str]:
    """:func:`cached_url_for` for the many links of one page (a hit's record page, say):
    the request's script root and the app's URLs are looked up once for all of them, not
    through Flask's context proxies for each."""
    root, urls = request.script_root, _built_urls()

    def build(endpoint: str, **values) -> str:
        try:
            url = urls.get((root, endpoint, *sorted(values.items())))
        except TypeError:  # a list among the values: never kept
            url = None
        return url if url is not None else cached_url_for(endpoint, **values)

    return build


def _built_urls() -> dict:
    return current_app.extensions.setdefault(_URLS_KEY, {})


def endpoint_url(endpoint: str, fallback_path: str, **args) -> str:
    """``url_for(endpoint, **args)``, or ``fallback_path`` with ``args`` as its query when
    the endpoint is not registered (yet)."""
    names = _route_arguments(endpoint)
    if names is None or any(name.startswith("_") for name in args):
        try:
            return cached_url_for(endpoint, **args)
        except BuildError:
            rest = {k: v for k, v in args.items() if k != "fmt"}
            return request.script_root + fallback_path + _query_string(rest)
    # A search's twins differ in their query only: the route is built once (and kept),
    # the query appended as url_for would append it.
    route = cached_url_for(endpoint, **{k: v for k, v in args.items() if k in names})
    return route + _query_string({k: v for k, v in args.items() if k not in names})


def _route_arguments(endpoint: str) -> frozenset[str] | None:
    """The names in ``endpoint``'s route (``fmt`` in ``/export.<fmt>``); None when the
    endpoint is unknown or has several routes."""
    known = current_app.extensions.setdefault(_ROUTE_ARGUMENTS_KEY, {})
    if endpoint not in known:
        try:
            rules = list(current_app.url_map.iter_rules(endpoint))
        except KeyError:
            rules = []
        known[endpoint] = frozenset(rules[0].arguments) if len(rules) == 1 else None
    return known[endpoint]


def export_url(fmt: str, **args) -> str:
    """The download of the records ``args`` select (search parameters, or ``id`` repeated)
    in ``fmt`` (csv, bibtex, ris, csljson, jsonl)."""
    return endpoint_url("feeds.export", f"/export.{fmt}", fmt=fmt, **args)


def export_urls(**args) -> list[tuple[str, str]]:
    """``(label, URL)`` of the download of what ``args`` select in every format, in the
    order the pages list them (the routes built once, the query encoded once)."""
    urls, key = _built_urls(), (request.script_root, "export routes")
    routes = urls.get(key)
    if routes is None:
        routes = urls[key] = [(label, export_url(fmt)) for fmt, label in EXPORT_LINKS]
    query = _query_string(args)
    return [(label, route + query) for label, route in routes]


def feed_url(**args) -> str:
    """The Atom feed of a search (no arguments: of every record)."""
    return endpoint_url("feeds.feed", "/feed.atom", **args)


def api_search_url(**args) -> str:
    """The JSON twin of a search page (``/api/search`` with the same parameters)."""
    return endpoint_url("api.search", "/api/search", **args)
