"""CSL-JSON, as citation processors (citeproc-js in Zotero, citeproc-py) read it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from archive.export.common import (
    INSTITUTE,
    INSTITUTE_PLACE,
    LANGUAGE,
    SITE_NAME,
    _date_parts,
    _people,
    _url,
    accessed,
    is_post,
    issued,
    kind_of,
    one_line,
    title_of,
)

# --------------------------------------------------------------------------------------
# CSL-JSON
# --------------------------------------------------------------------------------------


def to_csl(record: dict) -> dict:
    """A CSL-JSON item for a record."""
    reference = record.get("reference") or {}
    kind = kind_of(record)
    item: dict = {
        "id": record["id"],
        "type": kind.csl,
        "title": title_of(record),
        "URL": _url(record),
        "language": LANGUAGE,
    }
    date = issued(record)
    if date:
        item["issued"] = {"date-parts": [_date_parts(date)]}
    fetched = accessed(record)
    if fetched:
        item["accessed"] = {"date-parts": [_date_parts(fetched)]}
    for role, csl_role in (("authors", "author"), ("editors", "editor")):
        names = [{"family": p["family"], "given": p["given"]} for p in _people(record, role)]
        if names:
            item[csl_role] = names
    if is_post(record):
        item["author"] = [{"literal": INSTITUTE}]
        item["genre"] = kind.genre
        if record["type"] == "press_release":
            item["publisher"] = INSTITUTE
            item["publisher-place"] = INSTITUTE_PLACE
        else:
            item["container-title"] = SITE_NAME
        event = record.get("event") or {}
        if record["type"] == "event" and event.get("start"):
            parts = [_date_parts(event["start"])]
            if event.get("end") and event["end"] != event["start"]:
                parts.append(_date_parts(event["end"]))
            item["event-date"] = {"date-parts": parts}
            if event.get("venue"):
                item["event-place"] = one_line(event["venue"])
    for csl_key, ref_key in (
        ("container-title", "container"),
        ("container-title", "outlet"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("page", "pages"),
        ("publisher", "publisher"),
        ("publisher-place", "place"),
        ("edition", "edition"),
        ("DOI", "doi"),
    ):
        if reference.get(ref_key):
            item[csl_key] = one_line(reference[ref_key])
    if reference.get("raw") and not reference.get("parsed"):
        item["note"] = one_line(reference["raw"])
    if is_post(record) and record.get("summary"):
        # A citation's summary is the citation itself: no abstract.
        item["abstract"] = record["summary"]
    return item


def _csljson_chunks(records: Iterable[dict]) -> Iterator[str]:
    """A JSON array of CSL items, item by item, exactly as ``json.dump(items, indent=2)``
    writes it (so the whole list need not be held in memory)."""
    first = True
    for record in records:
        item = json.dumps(to_csl(record), ensure_ascii=False, indent=2)
        # Strings hold no raw newline in JSON, so every line is a line of the layout.
        yield ("[\n" if first else ",\n") + "\n".join("  " + line for line in item.split("\n"))
        first = False
    yield "[]\n" if first else "\n]\n"
