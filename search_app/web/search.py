"""The search page (``/`` and ``/suche``): one query box, facets, dates, sort, paging.

The GET parameters hold the whole state (``search_app.web.search_params``); this module
turns them into one ``Archive.search`` call and the page's links: each facet value toggles
itself in or out of the search, every result list links to its twins (JSON, Atom and the
exports).
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from flask import Blueprint, g, render_template, request, url_for

from archive.search import QueryError
from search_app.web import csrf, errors, labels, links, search_html
from search_app.web.context import get_archive
from search_app.web.search_params import (
    FACETS,
    PER_PAGE_CHOICES,
    InvalidParameter,
    SearchParams,
    parse,
)

bp = Blueprint("search", __name__)
PAGE_WINDOW = 2  # page links shown on each side of the current page
# Pages rendered from a search result, by the result: the index keeps recent results per
# generation (``archive.search``), and the same result with the same URL renders to the
# same page, so a repeated search skips the template too. An entry goes when the index
# drops its result (a weak reference), so nothing outlives a new generation. By identity:
# a result is no hashable value.
RENDERED_PER_RESULT = 4
_PAGE_KEY = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)
_RENDERED: dict[int, tuple[weakref.ref, dict]] = {}
_RENDERED_LOCK = threading.Lock()


@bp.get("/")
@bp.get("/suche")
def index() -> str:
    """The search page: the form, and the results of the search the URL describes."""
    try:
        params = parse(request.args)
    except InvalidParameter as error:
        raise errors.bad_request(str(error)) from None
    try:
        result = get_archive().search(params.q, **params.search_options())
    except QueryError as error:
        raise errors.bad_request(f"Die Suche ist so nicht möglich: {error}") from None
    last_page = max(1, math.ceil(result.total / params.per_page))
    if params.page > last_page:
        raise errors.not_found(
            f"Seite {params.page} gibt es für diese Suche nicht; sie hat {last_page} "
            f"Seite{'n' if last_page > 1 else ''}."
        )
    if csrf.has_token():
        # The team's page carries its session's "zum Pressespiegel" form: never shared.
        return _render(params, result, last_page)
    # The raw request line's parts: request.host_url and full_path decode and re-encode
    # the URL (a twentieth of the page's time).
    environ = request.environ
    key = tuple(environ.get(name) for name in _PAGE_KEY)
    with _RENDERED_LOCK:
        page = _rendered_pages(result).get(key)
    if page is None:
        page = _render(params, result, last_page)
        with _RENDERED_LOCK:
            pages = _rendered_pages(result)
            if len(pages) < RENDERED_PER_RESULT:
                pages[key] = page
    return page


def _rendered_pages(result) -> dict:
    """The pages rendered from ``result`` (call with the lock held)."""
    entry = _RENDERED.get(id(result))
    if entry is not None and entry[0]() is result:
        return entry[1]
    pages: dict = {}
    number = id(result)
    forget = lambda _ref, number=number: _RENDERED.pop(number, None)  # noqa: E731
    _RENDERED[number] = (weakref.ref(result, forget), pages)
    return pages


def _render(params: SearchParams, result, last_page: int) -> str:
    return render_template(
        "search.html",
        params=params,
        result=result,
        facets=_facet_views(params, result.facets),
        active_filters=_active_filters(params),
        pages=_pages(params, last_page),
        last_page=last_page,
        search_url=search_url,
        twins=_twins(params),
        suggestion_url=(
            search_url(replace(params, q=result.suggestion, page=1)) if result.suggestion else None
        ),
        understood=_understood_dates(params, result),
        per_page_choices=PER_PAGE_CHOICES,
        sort_labels=labels.SORT_LABELS,
        facet_labels=labels.FACET_LABELS,
        hits_html=search_html.hits_html,
    )


def search_url(params: SearchParams, **extra) -> str:
    """The URL of the search page in state ``params``.

    The page links to itself a hundred times (every facet value toggles); the route is
    built once per request and the query string encoded directly, which is what
    ``url_for`` would do, at a tenth of its cost.
    """
    if "search_base" not in g:
        g.search_base = url_for("search.index")
    query = urlencode({**params.to_args(), **extra}, doseq=True)
    return f"{g.search_base}?{query}" if query else g.search_base


def toggle_urls(
    params: SearchParams, facet: str, pieces: list[tuple[str, str]] | None = None
) -> Callable[[str], str]:
    """``value -> search_url(params.toggled(facet, value))``, for the hundred facet links
    of a page: what the links share is encoded once, each link encodes only its facet.
    ``pieces`` (:func:`query_pieces` of ``params``) may be shared by a page's facets."""
    if "search_base" not in g:
        g.search_base = url_for("search.index")
    base = g.search_base
    if pieces is None:
        pieces = query_pieces(params)
    others = [(name, piece) for name, piece in pieces if name != facet]
    # The facet's place among the parameters, as to_args() orders them.
    at = next(
        (i for i, (name, _) in enumerate(others) if name in FACETS[FACETS.index(facet) + 1 :]
         or name in ("from", "to", "sort", "per_page")),
        len(others),
    )  # fmt: skip
    before = "&".join(piece for _, piece in others[:at] if piece)
    after = "&".join(piece for _, piece in others[at:] if piece)
    key = quote_plus(facet)
    encoded = {value: f"{key}={_quoted(value)}" for value in params.selected(facet)}
    # A value not selected yet (nearly every link) goes between the same two strings.
    head = "&".join(piece for piece in (before, *encoded.values()) if piece)
    head = f"{base}?{head}&{key}=" if head else f"{base}?{key}="
    tail = f"&{after}" if after else ""

    def url(value: str) -> str:
        if value not in encoded:
            return f"{head}{_quoted(value)}{tail}"
        kept = [piece for v, piece in encoded.items() if v != value]
        query = "&".join(piece for piece in (before, *kept, after) if piece)
        return f"{base}?{query}" if query else base

    return url


def query_pieces(params: SearchParams) -> list[tuple[str, str]]:
    """Each parameter of ``params`` on its first page, encoded: ``(name, "name=v&name=w")``."""
    args = replace(params, page=1).to_args()
    return [(name, urlencode({name: value}, doseq=True)) for name, value in args.items()]


@lru_cache(maxsize=search_html.LABEL_CACHE_SIZE)
def _quoted(value: str) -> str:
    """A facet value in a query string (the same values on every page: kept)."""
    return quote_plus(str(value))


def _facet_views(params: SearchParams, facets: dict) -> list[dict]:
    """Each facet that has values, with its values as the page's list items (each a link
    that toggles it, its label, its count, whether it is selected)."""
    pieces = query_pieces(params)
    return [
        {
            "name": facet,
            "label": labels.FACET_LABELS[facet],
            "options_html": search_html.options_html(
                facet, values, params.selected(facet), toggle_urls(params, facet, pieces)
            ),
        }
        for facet in FACETS
        if (values := facets.get(facet))
    ]


def _active_filters(params: SearchParams) -> list[dict]:
    """What narrows the search now, each with the link that removes it."""
    active = [
        {
            "label": f"{labels.FACET_LABELS[facet]}: {labels.facet_value_label(facet, value)}",
            "url": search_url(params.toggled(facet, value)),
        }
        for facet in FACETS
        for value in params.selected(facet)
    ]
    if params.date_from or params.date_to:
        span = (
            f"{labels.german_date(params.date_from) or '…'} – "
            f"{labels.german_date(params.date_to) or '…'}"
        )
        active.append({"label": f"Zeitraum: {span}", "url": search_url(params.without_dates())})
    return active


def _understood_dates(params: SearchParams, result) -> list[dict]:
    """The years and months the query named (records dated then rank first), each with
    the link that narrows the search to it; none that the date range already is."""
    return [
        {
            "label": labels.german_date(when.date),
            "url": search_url(replace(params, date_from=when.date, date_to=when.date, page=1)),
        }
        for when in result.understood_dates
        if (params.date_from, params.date_to) != (when.date, when.date)
    ]


def _pages(params: SearchParams, last_page: int) -> list[dict]:
    """The page links: first, a window around the current page, last (gaps as None)."""
    window = range(max(1, params.page - PAGE_WINDOW), min(last_page, params.page + PAGE_WINDOW) + 1)
    numbers = sorted({1, last_page, *window})
    pages: list[dict] = []
    for number in numbers:
        if pages and number - pages[-1]["number"] > 1:
            pages.append({"number": None})
        pages.append(
            {
                "number": number,
                "url": search_url(params.with_page(number)),
                "current": number == params.page,
            }
        )
    return pages


def _twins(params: SearchParams) -> dict:
    """The result list in other forms: this page (JSON, Atom, exports) and every hit."""
    page_args = params.twin_args()
    search_args = params.twin_args(paging=False)
    all_args = {**search_args, "all": "1"}  # the exports give one page unless all=1
    return {
        "json": links.api_search_url(**page_args),
        "atom": links.feed_url(**search_args),
        "page": links.export_urls(**page_args),
        "all": links.export_urls(**all_args),
    }
