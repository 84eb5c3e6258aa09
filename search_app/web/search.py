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
from urllib.parse import quote_plus, urlencode

from flask import Blueprint, g, render_template, request, url_for
from markupsafe import Markup, escape

from archive.search import QueryError
from search_app.web import csrf, errors, labels, links
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
    key = (request.host_url, request.full_path)
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
        per_page_choices=PER_PAGE_CHOICES,
        sort_labels=labels.SORT_LABELS,
        facet_labels=labels.FACET_LABELS,
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


def toggle_urls(params: SearchParams, facet: str) -> Callable[[str], str]:
    """``value -> search_url(params.toggled(facet, value))``, for the hundred facet links
    of a page: what the links share is encoded once, each link encodes only its facet."""
    if "search_base" not in g:
        g.search_base = url_for("search.index")
    args = replace(params, facets={**params.facets, facet: ()}, page=1).to_args()
    names = list(args)
    # The facet's place among the parameters, as to_args() orders them.
    at = next(
        (i for i, name in enumerate(names) if name in FACETS[FACETS.index(facet) + 1 :]
         or name in ("from", "to", "sort", "per_page")),
        len(names),
    )  # fmt: skip
    before = urlencode({name: args[name] for name in names[:at]}, doseq=True)
    after = urlencode({name: args[name] for name in names[at:]}, doseq=True)
    selected = params.selected(facet)
    key = quote_plus(facet)
    encoded = {value: f"{key}={quote_plus(str(value))}" for value in selected}

    def url(value: str) -> str:
        if value in encoded:
            pieces = [piece for v, piece in encoded.items() if v != value]
        else:
            pieces = [*encoded.values(), f"{key}={quote_plus(str(value))}"]
        query = "&".join(piece for piece in (before, *pieces, after) if piece)
        return f"{g.search_base}?{query}" if query else g.search_base

    return url


def _facet_views(params: SearchParams, facets: dict) -> list[dict]:
    """Each facet with its values (label, count, whether selected, the link that toggles
    it) as the list items of the page (``options_html``)."""
    views = []
    for facet in FACETS:
        toggle = toggle_urls(params, facet)
        values = [
            {
                "value": value,
                "label": labels.facet_value_label(facet, value),
                "count": count,
                "selected": value in params.selected(facet),
                "url": toggle(value),
            }
            for value, count in facets.get(facet, [])
        ]
        if values:
            views.append(
                {
                    "name": facet,
                    "label": labels.FACET_LABELS[facet],
                    "options_html": Markup("\n".join(map(_option_html, values))),
                }
            )
    return views


def _option_html(option: dict) -> str:
    """One facet value as a list item: a link that toggles it, its label and count.

    Written here rather than in the template: a page has up to a hundred of them, and
    Jinja took a quarter of the page's time over them. Every value is escaped.
    """
    selected = option["selected"]
    return (
        f'<li><a class="facet-value{" is-selected" if selected else ""}" '
        f'href="{escape(option["url"])}"{_CURRENT if selected else ""}>'
        f'<span class="facet-label">{escape(option["label"])}</span> '
        f'<span class="count">{labels.german_number(option["count"])}</span>'
        f"{_SELECTED_NOTE if selected else ''}</a></li>"
    )


_CURRENT = ' aria-current="true"'
_SELECTED_NOTE = '<span class="visually-hidden"> (ausgewählt; entfernen)</span>'


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
        "page": [(label, links.export_url(fmt, **page_args)) for fmt, label in links.EXPORT_LINKS],
        "all": [(label, links.export_url(fmt, **all_args)) for fmt, label in links.EXPORT_LINKS],
    }
