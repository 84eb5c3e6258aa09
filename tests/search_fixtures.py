"""Schema-valid records built from the replica's content files, for the search tests.

Until the record builder lands, this is the one place that turns replica content into
records: swap :func:`replica_records` for the real pipeline and the search tests follow.
Posts, pages and newsletters become records with their title, plain text (from the HTML
body), posting date, type, the people and places their ``[expect]`` names, categories and
attachment texts; publication tabs become ``publication``/``press_coverage`` records dated
by their year.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema

from archive.htmltext import html_to_text
from crawler.replica.content import Entry, Publication, load_content

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "record.schema.json"
SITE_URL = "https://www.ikpe-erfurt.de/"
PUBLICATIONS_URL = f"{SITE_URL}category/referenzen/"
PRESS_TAB = "IKPE in der Presse"
FETCHED_AT = "2025-01-01T00:00:00Z"
SUMMARY_SENTENCES = 2
REFERENCE_STRING_KEYS = (
    "title",
    "container",
    "volume",
    "issue",
    "pages",
    "place",
    "publisher",
    "outlet",
    "date",
)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _summary(entry: Entry, text: str) -> str:
    if entry.teaser:
        return entry.teaser
    sentences = re.split(r"(?<=[.!?])\s+", text.replace("\n", " "))
    return " ".join(sentences[:SUMMARY_SENTENCES])


def _source(url: str, body: str) -> dict:
    return {
        "via": "html",
        "url": url,
        "fetched_at": FETCHED_AT,
        "http_status": 200,
        "sha256": _sha256(body),
    }


def _entry_record(entry: Entry, topic_titles: dict[str, str]) -> dict:
    url = f"{SITE_URL}{entry.slug}/"
    text = html_to_text(entry.body)
    topic = topic_titles.get(entry.topic) if entry.topic else None
    day = entry.posted.date().isoformat()
    return {
        "schema_version": 1,
        "id": f"wp-{entry.id}",
        "url": url,
        "type": entry.type,
        "type_rule": f"{entry.type}:replica",
        "title": entry.title,
        "display_title": f"{topic}: {entry.title}" if topic else entry.title,
        "topic": topic,
        "text": text,
        "summary": _summary(entry, text),
        "date": day,
        "date_precision": "day",
        "date_source": "posting_date",
        "date_issues": [],
        "published": day,
        "people": list(entry.expect.get("people", [])),
        "emails": list(entry.expect.get("emails", [])),
        "places": list(entry.expect.get("places", [])),
        "organisations": [],
        "attachments": [
            {"url": f"{SITE_URL}wp-content/uploads/{a.file}", "title": a.title, "text": a.text}
            for a in entry.attachments
        ],
        "credits": list(entry.expect.get("credits", [])),
        "categories": list(entry.categories),
        "wp_id": entry.id,
        "slug": entry.slug,
        "reference": None,
        "source": _source(url, entry.body),
        "provenance": {"title": "replica:title", "date": "replica:posted"},
    }


def _name(written: str) -> dict:
    family, _, given = written.partition(",")
    return {"family": family.strip(), "given": given.strip()}


def _publication_record(publication: Publication) -> dict:
    expect = publication.expect
    kind = "press_coverage" if publication.tab_name == PRESS_TAB else "publication"
    reference = {
        "raw": publication.text,
        "parsed": True,
        "tab": publication.tab_name,
        "authors": [_name(n) for n in expect.get("authors", [])],
        "editors": [_name(n) for n in expect.get("editors", [])],
        "year": publication.year,
        "forthcoming": bool(expect.get("forthcoming", False)),
        "page_count": expect.get("page_count"),
    }
    reference.update({k: str(expect[k]) for k in REFERENCE_STRING_KEYS if expect.get(k)})
    return {
        "schema_version": 1,
        "id": f"pub-{_sha256(publication.text)[:16]}",
        "url": PUBLICATIONS_URL,
        "type": kind,
        "type_rule": f"{kind}:tab",
        "title": expect.get("title") or publication.text[:120],
        "text": publication.text,
        "summary": publication.text,
        "date": str(publication.year),
        "date_precision": "year",
        "date_source": "citation_year",
        "date_issues": [],
        "people": [],
        "emails": [],
        "places": [],
        "organisations": [],
        "attachments": [],
        "credits": [],
        "categories": ["referenzen"],
        "reference": reference,
        "source": {**_source(PUBLICATIONS_URL, publication.text), "via": "ajax"},
        "provenance": {"reference": "replica:publication"},
    }


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def replica_records() -> list[dict]:
    """Every post, page, newsletter and publication of the replica as a valid record."""
    content = load_content()
    topic_titles = {page.slug: page.title for page in content.pages}
    entries = (*content.posts, *content.pages, *content.newsletters)
    records = [_entry_record(entry, topic_titles) for entry in entries]
    records += [_publication_record(p) for p in content.publications]
    validator = _validator()
    for record in records:
        validator.validate(record)
    return records
