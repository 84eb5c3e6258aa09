"""The Atom feed and the export downloads of any search.

- ``GET /feed.atom?...`` (endpoint ``feeds.feed``): the search's hits as an Atom feed
  (every record, newest first, without a query), built with feedgen, which escapes the
  scraped text; characters XML cannot hold at all are dropped first.
- ``GET /export.<fmt>?...`` (endpoint ``feeds.export``): the search's page of hits, all of
  them with ``all=1`` (at most :data:`MAX_EXPORT`), or exactly the records named by
  repeated ``id=`` parameters, in that order, as JSON Lines, CSV, BibTeX, RIS or CSL-JSON
  (``archive.export``), streamed as an attachment.

They take the search page's parameters (``search_app.web.params``) and answer errors as
problem+json, like the API: their users are feed readers and scripts.
"""

from __future__ import annotations

import itertools
import math
import re
from datetime import UTC, date, datetime, time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, request, stream_with_context, url_for
from werkzeug.exceptions import NotFound

from archive import export as exporter
from archive.schema import TYPE_NAMES
from search_app.web.api import (
    RECORD_ID,
    page_url,
    record_page_url,
    run_search,
)
from search_app.web.context import get_archive
from search_app.web.errors import register_problem_handlers
from search_app.web.openapi import document
from search_app.web.openapi_components import EXPORT_MEDIA_TYPES, SEARCH_PARAMETERS
from search_app.web.params import BadParams, SearchParams, parse_search_args

bp = Blueprint("feeds", __name__)
register_problem_handlers(bp)

FEED_SIZE = 50  # entries of a feed unless per_page says otherwise
MAX_EXPORT = 10_000  # records of one download (all=1)
MAX_SELECTION = 1_000  # id= parameters of one download
SEARCH_BATCH = 1_000  # hits asked of the index at a time (its own limit per page)
SITE_ZONE = ZoneInfo("Europe/Berlin")
FEED_AUTHOR = "IKPE-Archiv"
EXPORT_EXTENSIONS = {
    "jsonl": "jsonl",
    "csv": "csv",
    "bibtex": "bib",
    "bib": "bib",
    "ris": "ris",
    "csljson": "json",
}
# Characters XML 1.0 cannot hold, even escaped (lxml refuses them).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --------------------------------------------------------------------------------------
# Atom
# --------------------------------------------------------------------------------------


def xml_text(value) -> str:
    """``value`` as text XML can hold (feedgen escapes ``<``, ``&`` ... itself)."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def _moment(value: str | None) -> datetime | None:
    """A datetime for an ISO date-time, or a partial date at midnight in Erfurt."""
    if not value:
        return None
    try:
        if "T" in value:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=SITE_ZONE)
        parts = [int(part) for part in value.split("-")] + [1, 1]
        return datetime.combine(date(*parts[:3]), time(), SITE_ZONE)
    except ValueError:
        return None


def _entry_times(record: dict) -> tuple[datetime, datetime]:
    """When an entry was published and last updated (posting time, else its date)."""
    published = (
        _moment(record.get("published_at"))
        or _moment(record.get("published"))
        or _moment(record.get("date"))
        or datetime(1970, 1, 1, tzinfo=UTC)
    )
    updated = _moment(record.get("modified")) or published
    return published, max(published, updated)


def _with_query(url: str, search: SearchParams, *, paging: bool = True) -> str:
    query = urlencode(search.query_args(paging=paging))
    return f"{url}?{query}" if query else url


class _LinkRelations(BaseEntryExtension):
    """Writes the ``rel`` and ``type`` of an entry's links into the XML: feedgen 1.0
    takes them but leaves them out of an entry's ``<link>`` (every link would read as
    ``alternate``)."""

    def __init__(self) -> None:
        self.relations: list[tuple[str, str | None]] = []

    def extend_atom(self, entry):
        """Called by feedgen with the entry's element, once it is built."""
        links = [child for child in entry if str(child.tag).rsplit("}", 1)[-1] == "link"]
        for element, (rel, media_type) in zip(links, self.relations, strict=True):
            element.set("rel", rel)
            if media_type:
                element.set("type", media_type)
        return entry


def _link(entry, extension: _LinkRelations, href: str, rel: str, media_type=None) -> None:
    entry.link(href=href, rel=rel, **({"type": media_type} if media_type else {}))
    extension.relations.append((rel, media_type))


@bp.get("/feed.atom")
@document(
    summary="The hits of a search as an Atom feed",
    description="Every record, newest first, without a query. per_page defaults to 50.",
    parameters=SEARCH_PARAMETERS,
    ok={
        "description": "An Atom 1.0 feed.",
        "content": {"application/atom+xml": {"schema": {"type": "string"}}},
    },
    tags=("feeds",),
)
def feed() -> Response:
    """An Atom feed of one page of a search's hits."""
    wanted = parse_search_args(request.args, default_per_page=FEED_SIZE)
    result = run_search(wanted)
    records = list(get_archive().records(ids=[hit.id for hit in result.hits]))
    self_url = _with_query(url_for("feeds.feed", _external=True), wanted)

    generator = FeedGenerator()
    generator.register_extension("ikpe_links", BaseExtension, _LinkRelations, rss=False)
    generator.id(self_url)
    generator.title(xml_text(f"IKPE-Archiv: {wanted.q}" if wanted.q else "IKPE-Archiv"))
    generator.subtitle(
        f"{result.total} Treffer" if wanted.is_filtered() else "Alle Einträge, neueste zuerst"
    )
    generator.author({"name": FEED_AUTHOR})
    generator.language("de")
    generator.link(href=self_url, rel="self", type="application/atom+xml")
    generator.link(
        href=_with_query(page_url("search.index", "/", external=True), wanted, paging=False),
        rel="alternate",
        type="text/html",
    )
    pages = max(1, math.ceil(result.total / wanted.per_page))
    if wanted.page < pages:  # RFC 5005 paging
        generator.link(href=_page_url(wanted, wanted.page + 1), rel="next")
    if wanted.page > 1:
        generator.link(href=_page_url(wanted, wanted.page - 1), rel="previous")
    newest = datetime(1970, 1, 1, tzinfo=UTC)
    for record in records:
        published, updated = _entry_times(record)
        newest = max(newest, updated)
        page = record_page_url(record["id"], external=True)
        entry = generator.add_entry(order="append")
        entry.id(page)
        entry.title(xml_text(record.get("display_title") or record["title"]))
        entry.published(published)
        entry.updated(updated)
        entry.summary(xml_text(record.get("summary") or record.get("text", "")[:500]))
        _link(entry, entry.ikpe_links, page, "alternate", "text/html")
        _link(entry, entry.ikpe_links, xml_text(record["url"]), "related")
        entry.category(term=record["type"], label=TYPE_NAMES.get(record["type"]))
    generator.updated(newest if records else datetime.now(UTC))
    return Response(
        generator.atom_str(pretty=True),
        mimetype="application/atom+xml",
        content_type="application/atom+xml; charset=utf-8",
    )


def _page_url(search: SearchParams, page: int) -> str:
    return _with_query(url_for("feeds.feed", _external=True), search.at_page(page))


# --------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------

EXPORT_PARAMETERS = [
    *SEARCH_PARAMETERS,
    {
        "name": "fmt",
        "in": "path",
        "required": True,
        "schema": {"enum": list(EXPORT_EXTENSIONS)},
    },
    {
        "name": "all",
        "in": "query",
        "description": f"1: every hit (at most {MAX_EXPORT}), not one page.",
        "schema": {"enum": ["0", "1"]},
    },
    {
        "name": "id",
        "in": "query",
        "description": "Exactly these records, in this order (the search is then ignored).",
        "style": "form",
        "explode": True,
        "schema": {
            "type": "array",
            "maxItems": MAX_SELECTION,
            "items": {"type": "string", "pattern": RECORD_ID.pattern},
        },
    },
]  # fmt: skip


def _selection() -> list[str]:
    """The records named by ``id=`` parameters (each once, in order), or []."""
    ids = request.args.getlist("id")
    if len(ids) > MAX_SELECTION:
        raise BadParams(
            "id",
            f"Höchstens {MAX_SELECTION} Einträge auf einmal („id“).",
            f"At most {MAX_SELECTION} records at once ('id').",
        )
    for record_id in ids:
        if not RECORD_ID.fullmatch(record_id):
            raise BadParams("id", "„id“ ist keine Eintragskennung.", "'id' is no record id.")
    return list(dict.fromkeys(ids))


def _wants_all() -> bool:
    values = request.args.getlist("all")
    value = values[0] if len(values) == 1 else "0" if not values else "?"
    if value not in ("0", "1"):
        raise BadParams("all", "„all“ muss 0 oder 1 sein.", "'all' must be 0 or 1.")
    return value == "1"


def _hit_ids(wanted: SearchParams, everything: bool) -> list[str]:
    """The ids of the hits to export: the asked page, or every hit up to MAX_EXPORT."""
    if not everything:
        return [hit.id for hit in run_search(wanted).hits]
    ids: list[str] = []
    batch = wanted.at_page(1)
    page = 1
    while len(ids) < MAX_EXPORT:
        result = run_search(batch, limit=SEARCH_BATCH, page=page, facets=False)
        ids += [hit.id for hit in result.hits]
        if not result.hits or len(ids) >= result.total:
            break
        page += 1
    return ids[:MAX_EXPORT]


@bp.get("/export.<fmt>")
@document(
    summary="Download the hits of a search, or chosen records",
    description="JSON Lines, CSV, BibTeX (biblatex), RIS or CSL-JSON, as an attachment.",
    parameters=EXPORT_PARAMETERS,
    ok={
        "description": "The export.",
        "headers": {
            "Content-Disposition": {
                "required": True,
                "schema": {"type": "string", "pattern": "^attachment; filename="},
            }
        },
        "content": {
            media_type: {"schema": {"type": "array"} if fmt == "csljson" else {"type": "string"}}
            for fmt, media_type in EXPORT_MEDIA_TYPES.items()
        },
    },
    tags=("feeds",),
)
def export(fmt: str) -> Response:
    """The records of a search (a page, or all) or a selection, in one format."""
    if fmt not in EXPORT_EXTENSIONS:
        raise NotFound(
            "Unbekanntes Format (jsonl, csv, bibtex, ris, csljson). / "
            "Unknown format (jsonl, csv, bibtex, ris, csljson)."
        )
    archive = get_archive()
    wanted = parse_search_args(request.args)  # checked even when ids choose the records
    everything = _wants_all()
    ids = _selection()
    if ids:
        found = {record["id"]: record for record in archive.records(ids=ids)}
        missing = [record_id for record_id in ids if record_id not in found]
        if missing:
            raise NotFound(
                f"Keine Einträge {', '.join(missing[:5])}. / No records {', '.join(missing[:5])}."
            )
        records = (found[record_id] for record_id in ids)
    else:
        records = archive.records(ids=_hit_ids(wanted, everything))
        # The first record read now, before the 200 is sent: a store that cannot be read
        # is a 503 here, not a download that breaks off with a traceback.
        first = next(records, None)
        records = itertools.chain([first] if first is not None else [], records)
    name = "bibtex" if fmt == "bib" else fmt
    today = datetime.now(SITE_ZONE).date().isoformat()
    return Response(
        stream_with_context(exporter.chunks(records, name)),
        content_type=f"{EXPORT_MEDIA_TYPES[fmt]}; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="ikpe-archiv-{today}.{EXPORT_EXTENSIONS[fmt]}"'
            ),
        },
    )
