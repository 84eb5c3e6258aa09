"""The JSON API under ``/api/``: search, records, versions, raw capture metadata, facets,
counts, and the OpenAPI document that describes them (``/api/openapi.json``).

Every view asks the app's :class:`archive.facade.Archive` (``context.get_archive``) and
answers JSON; every error, whatever raised it, is one RFC 9457 problem
(``application/problem+json``, :func:`errors.problem`). Scraped text is returned as JSON
strings with ``<``, ``>`` and ``&`` written as ``\\u003c`` ... so a body never holds
markup, even if something shows it as HTML.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.exceptions import NotFound
from werkzeug.routing import BuildError

from search_app.web import openapi
from search_app.web.context import get_archive
from search_app.web.errors import register_problem_handlers
from search_app.web.openapi import document
from search_app.web.openapi_components import RECORD_ID_PATTERN, SEARCH_PARAMETERS, json_response
from search_app.web.params import SearchParams, parse_search_args

bp = Blueprint("api", __name__, url_prefix="/api")

RECORD_ID = re.compile(RECORD_ID_PATTERN)
_ID_SLOT = "__record_id__"  # stands for the id in links built once per answer
# HTML's special characters as JSON escapes: the same JSON, but no markup in the bytes.
# (str.replace, not str.translate: translate looks up every character of a long German
# answer in a dict, 1.4 ms for a page of 20 hits.)
_HTML_SAFE = (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"))


# --------------------------------------------------------------------------------------
# Answers
# --------------------------------------------------------------------------------------


def json_answer(body, status: int = 200) -> Response:
    """``body`` as an ``application/json`` response, HTML-safe."""
    text = json.dumps(body, ensure_ascii=False)
    for character, escape in _HTML_SAFE:
        text = text.replace(character, escape)
    return Response(text, status=status, mimetype="application/json")


def page_url(endpoint: str, fallback_path: str, *, external: bool = False, **values) -> str:
    """The URL of another blueprint's page (the HTML pages), or ``fallback_path`` (the
    agreed path) while the app has no such endpoint."""
    try:
        return url_for(endpoint, _external=external, **values)
    except BuildError:
        root = request.url_root.rstrip("/") if external else request.script_root
        return root + fallback_path


def record_page_url(record_id: str, *, external: bool = False) -> str:
    """The record's page in the web app, its stable URL (``/r/<id>``)."""
    path = f"/r/{quote(record_id, safe='')}"
    return page_url("records.record", path, external=external, record_id=record_id)


def _version_page_url(record_id: str, number: int) -> str:
    path = f"/r/{quote(record_id, safe='')}/v/{number}"
    return page_url("records.version", path, record_id=record_id, number=number)


def _raw_copy_url(record_id: str) -> str:
    path = f"/r/{quote(record_id, safe='')}/kopie/roh"
    return page_url("records.raw_copy", path, record_id=record_id)


def _search_link(endpoint: str, search: SearchParams) -> str:
    query = urlencode(search.query_args())
    return url_for(endpoint) + (f"?{query}" if query else "")


def _with_id(link: str, record_id: str) -> str:
    head, _, tail = link.rpartition(_ID_SLOT)
    return head + record_id + tail


def known_record_id(record_id: str) -> str:
    """``record_id`` if it has the form of an id; else a 404 (nothing can have it)."""
    if not RECORD_ID.fullmatch(record_id):
        # The id is not repeated: it is the client's text, not ours.
        raise NotFound("Kein Eintrag mit dieser Kennung. / No record with this id.")
    return record_id


def _no_record(record_id: str) -> NotFound:
    return NotFound(f"Kein Eintrag {record_id}. / No record {record_id}.")


register_problem_handlers(bp)


# --------------------------------------------------------------------------------------
# Searching
# --------------------------------------------------------------------------------------


def run_search(search: SearchParams, **overrides):
    """The archive's answer to ``search`` (``overrides`` for ``Archive.search``); a page
    beyond the last is a 404."""
    result = get_archive().search(search.q, **search.search_options(**overrides))
    limit = overrides.get("limit", search.per_page)
    last = max(1, math.ceil(result.total / limit))
    if search.page > last:
        raise NotFound(
            f"Seite {search.page} gibt es nicht, die letzte ist {last}. / "
            f"Page {search.page} is beyond the last page ({last})."
        )
    return result


def _facets(result) -> dict:
    return {
        name: [{"value": str(value), "count": count} for value, count in values]
        for name, values in result.facets.items()
    }


@bp.get("/search")
@document(
    summary="Search the archive",
    description="The search page's parameters; the same search as Atom at /feed.atom and "
    "as downloads at /export.{fmt}.",
    parameters=SEARCH_PARAMETERS,
    ok=json_response("SearchResult", "One page of hits, the facets and links to pages."),
)
def search() -> Response:
    """One page of hits with the total, "did you mean", facets and links to other pages."""
    wanted = parse_search_args(request.args)
    result = run_search(wanted)
    pages = max(1, math.ceil(result.total / wanted.per_page))

    def page_link(number: int) -> str:
        return _search_link("api.search", wanted.at_page(number))

    # Two links per hit: each route is built once, the ids (plain ASCII by their pattern,
    # so nothing to quote) put in its place.
    api_link = url_for("api.record", record_id=_ID_SLOT)
    html_link = record_page_url(_ID_SLOT)

    body = {
        "query": wanted.q,
        "total": result.total,
        "page": wanted.page,
        "per_page": wanted.per_page,
        "pages": pages,
        "suggestion": result.suggestion,
        "understood_dates": [when.to_dict() for when in result.understood_dates],
        "hits": [
            {
                **hit.to_dict(),
                "links": {
                    "self": _with_id(api_link, hit.id),
                    "html": _with_id(html_link, hit.id),
                },
            }
            for hit in result.hits
        ],
        "facets": _facets(result),
        "links": {
            "self": page_link(wanted.page),
            "first": page_link(1),
            "last": page_link(pages),
            "next": page_link(wanted.page + 1) if wanted.page < pages else None,
            "prev": page_link(wanted.page - 1) if wanted.page > 1 else None,
        },
    }
    return json_answer(body)


@bp.get("/facets")
@document(
    summary="Facet counts of a search",
    parameters=SEARCH_PARAMETERS,
    ok=json_response("FacetResult", "The total and the counts per facet value."),
)
def facets() -> Response:
    """The counts per facet value of every record a search matches."""
    wanted = parse_search_args(request.args)
    result = run_search(wanted.at_page(1), limit=1, page=1)
    return json_answer({"query": wanted.q, "total": result.total, "facets": _facets(result)})


# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------


@bp.get("/records/<record_id>")
@document(
    summary="A record and its status in the archive",
    parameters=["record_id"],
    ok=json_response("RecordAnswer", "The current version, when seen, whether removed."),
    errors=("404", "503"),
)
def record(record_id: str) -> Response:
    """The current version of a record with ``first_seen``, ``last_seen``,
    ``removed_at``."""
    row = get_archive().record(known_record_id(record_id))
    if row is None:
        raise _no_record(record_id)
    return json_answer(
        {
            "id": record_id,
            "record": row["record"],
            "status": {
                "first_seen": row["first_seen"],
                "last_seen": row["last_seen"],
                "removed_at": row["removed_at"],
                "removed": row["removed_at"] is not None,
                "version": row["version"],
            },
            "links": {
                "self": url_for("api.record", record_id=record_id),
                "html": record_page_url(record_id),
                "versions": url_for("api.versions", record_id=record_id),
                "capture": url_for("api.capture", record_id=record_id),
            },
        }
    )


def _version_links(record_id: str, number: int) -> dict:
    return {
        "self": url_for("api.version", record_id=record_id, number=number),
        "html": _version_page_url(record_id, number),
    }


@bp.get("/records/<record_id>/versions")
@document(
    summary="Every stored version of a record",
    parameters=["record_id"],
    ok=json_response("Versions", "The versions, oldest first."),
    errors=("404", "503"),
)
def versions(record_id: str) -> Response:
    """The versions of a record, oldest first (number, when it changed, which crawl)."""
    found = get_archive().versions(known_record_id(record_id))
    if not found:
        raise _no_record(record_id)
    return json_answer(
        {
            "id": record_id,
            "versions": [
                {
                    "number": version.number,
                    "changed_at": version.changed_at,
                    "crawl_id": version.crawl_id,
                    "links": _version_links(record_id, version.number),
                }
                for version in found
            ],
        }
    )


@bp.get("/records/<record_id>/versions/<int:number>")
@document(
    summary="One stored version of a record",
    parameters=["record_id", "number"],
    ok=json_response("Version", "The record as it was in that version."),
    errors=("404", "503"),
)
def version(record_id: str, number: int) -> Response:
    """One version of a record, as it was stored."""
    found = get_archive().version(known_record_id(record_id), number)
    if found is None:
        raise NotFound(
            f"Keine Version {number} von {record_id}. / No version {number} of {record_id}."
        )
    return json_answer(
        {
            "id": record_id,
            "number": found.number,
            "changed_at": found.changed_at,
            "crawl_id": found.crawl_id,
            "record": found.record,
            "links": {
                **_version_links(record_id, found.number),
                "record": url_for("api.record", record_id=record_id),
            },
        }
    )


@bp.get("/records/<record_id>/capture")
@document(
    summary="What the raw capture of a record holds",
    description="Metadata only; the capture itself is served, sandboxed, at links.raw.",
    parameters=["record_id"],
    ok=json_response("Capture", "URL, status, type, time, size and digest of the capture."),
    errors=("404", "503"),
)
def capture(record_id: str) -> Response:
    """The raw response a record was built from: where, when, what and how big."""
    archive = get_archive()
    if archive.record(known_record_id(record_id)) is None:
        raise _no_record(record_id)
    found = archive.capture(record_id)
    if found is None:
        raise NotFound(
            f"Zu {record_id} ist keine Rohkopie archiviert. / "
            f"No raw capture is archived for {record_id}."
        )
    return json_answer(
        {
            "id": record_id,
            "url": found.url,
            "status": found.status,
            "content_type": found.content_type,
            "fetched_at": found.fetched_at,
            "length": len(found.body),
            "sha256": hashlib.sha256(found.body).hexdigest(),
            "links": {
                "raw": _raw_copy_url(record_id),
                "record": url_for("api.record", record_id=record_id),
            },
        }
    )


# --------------------------------------------------------------------------------------
# The archive as a whole
# --------------------------------------------------------------------------------------


@bp.get("/stats")
@document(
    summary="Counts of records by type, year and status",
    ok=json_response("Stats", "The counts."),
    errors=("503",),
)
def stats() -> Response:
    """How many records the archive holds, by type, year and status, and versions."""
    counts = get_archive().stats()
    return json_answer({"records": sum(counts["by_type"].values()), **counts})


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 document of the API, the feed and the exports."""
    return json_answer(openapi.cached_spec(current_app._get_current_object()))
