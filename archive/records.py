"""Normalise a harvested item into a record (see ``schemas/record.schema.json``).

Pure: the item's raw fields in, a JSON-ready dict out. The crawler calls it, and so does
``reextract`` over stored raw captures, so an improved rule reaches the whole history.

Over 400 lines on purpose: ``build_record`` is one recipe from item to record; the
rules themselves live in dates, cleaning, citations, entities and doctype.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from archive import ids
from archive.citations import citation_confidence, parse_citation
from archive.cleaning import clean_text, normalise_whitespace
from archive.dates import (
    DateContext,
    Dateline,
    DateSpan,
    EventLine,
    PartialDate,
    parse_date,
    parse_dateline,
    parse_event_line,
    parse_machine_date,
    parse_time_range,
    upload_year_month,
)
from archive.doctype import TOPIC_SUBPOST_TITLES, classify
from archive.entities import find_emails, find_organisations, find_people, find_places
from archive.htmltext import html_to_text
from archive.item import Item
from archive.schema import CITATION_TYPES

SCHEMA_VERSION = 1
SUMMARY_MAX_CHARS = 320
FIRST_LINES = 3
# Categories that say where a post is listed, not what it is about.
LISTING_CATEGORIES = frozenset(
    [
        "willkommen",
        "news-archiv",
        "news_archiv",
        "aktuelles",
        "allgemein",
        "uncategorized",
        "themen",
        "projekte",
        "referenzen",
        "pressemitteilungen",
        "veranstaltungen",
        "termine",
        "presse",
        "newsletter",
        "filme",
        "stellenangebote",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„“\"])")
_EXCERPT_TAIL = re.compile(r"\s*(\[(&hellip;|…|\.\.\.)\]|\[…\]|…)\s*$")


def _text(value: str | None) -> str:
    return unicodedata.normalize("NFC", " ".join((value or "").split()))


def _category_key(name: str) -> str:
    return _text(name).lower().replace(" ", "-")


def _first_lines(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()][:FIRST_LINES]


def summary_of(text: str, excerpt_html: str | None) -> str:
    """The site's teaser (without its ``[…]``), else the first sentences of the text."""
    if excerpt_html:
        teaser = _EXCERPT_TAIL.sub("", _text(html_to_text(excerpt_html)))
        if teaser:
            return teaser[:SUMMARY_MAX_CHARS]
    flat = " ".join(text.split())
    summary = ""
    for sentence in _SENTENCE_END.split(flat):
        if summary and len(summary) + len(sentence) > SUMMARY_MAX_CHARS:
            break
        summary = f"{summary} {sentence}".strip()
    return summary[:SUMMARY_MAX_CHARS]


def _posting(item: Item) -> tuple[date | None, str | None, str]:
    """(posting date, posting datetime ISO, the signal that gave it)."""
    moment = parse_machine_date(item.get("published") or "")
    if moment is not None:
        source = item.get("provenance", {}).get("published", "published")
        return moment.date(), moment.isoformat(), source
    visible = item.get("visible_date")
    if visible:
        parsed = parse_machine_date(visible)
        if parsed is not None:
            source = item.get("provenance", {}).get("visible_date", "theme:date-line")
            return parsed.date(), None, source
    return None, None, ""


# Where a theme prints the posting date beside the headline (crawler/extract.py): a
# standing page shows none, so such a date says "post".
SHOWN_POSTING_SOURCES = frozenset({"theme:date-line"})


def _posting_kind(source: str) -> str:
    """``shown`` for a posting date the page prints next to its headline, else ``markup``."""
    return "shown" if source in SHOWN_POSTING_SOURCES else "markup"


def _upload_context(item: Item) -> tuple[int, int] | None:
    for attachment in item.get("attachments", []):
        found = upload_year_month(attachment.get("url", ""))
        if found:
            return found
    return None


def _dateline(lines: list[str], context: DateContext) -> Dateline | None:
    for line in lines[:2]:
        found = parse_dateline(line.split("\n", 1)[0], context)
        if found is not None:
            return found
    return None


def _event_line(lines: list[str], context: DateContext) -> EventLine | None:
    for line in lines[:2]:
        found = parse_event_line(line.split("\n", 1)[0], context)
        if found is not None:
            return found
    return None


PROGRAMME_LINE = re.compile(r"^\d{1,2}[.:]\d{2}\s*(?:bis|–|-)\s*\d{1,2}[.:]\d{2}")


def _event_without_line(title: str, text: str, context: DateContext) -> dict:
    """An event notice with no event line: its day from the title, its hours from the
    programme (first start to last end)."""
    span = parse_date(title, context)
    times = [parse_time_range(p) for p in text.split("\n") if PROGRAMME_LINE.match(p.strip())]
    times = [t for t in times if t]
    return {
        "start": span.start.iso() if span else None,
        "end": (span.end or span.start).iso() if span else None,
        "start_time": times[0][0] if times else None,
        "end_time": (times[-1][1] or times[-1][0]) if times else None,
        "venue": None,
        "online": False,
        "source": "title" if span else None,
    }


def _span_dates(span: DateSpan | None) -> tuple[str | None, str | None]:
    if span is None:
        return None, None
    return span.start.iso(), span.end.iso() if span.end else None


def _topic(title: str, categories: list[str]) -> str | None:
    if title.lower() not in TOPIC_SUBPOST_TITLES:
        return None
    topical = [c for c in categories if _category_key(c) not in LISTING_CATEGORIES]
    return topical[-1] if topical else None


def _source(item: Item) -> dict:
    source = item.get("source", {})
    capture = source.get("capture") or {}
    return {
        "via": source.get("via", "html"),
        "url": source.get("url") or item.get("fetched_url") or item.get("url", ""),
        "fetched_at": source.get("fetched_at", ""),
        "http_status": int(source.get("http_status") or 0),
        "etag": source.get("etag"),
        "last_modified": source.get("last_modified"),
        "sha256": source.get("sha256", ""),
        "warc": {"file": capture["warc_file"], "offset": capture["offset"]}
        if capture.get("warc_file")
        else None,
    }


def _attachments(item: Item, texts: dict[str, str | None]) -> list[dict]:
    records = []
    for attachment in item.get("attachments", []):
        url = attachment.get("url", "")
        records.append(
            {
                "url": url,
                "title": _text(attachment.get("title")),
                "media_type": attachment.get("media_type"),
                "bytes": attachment.get("bytes"),
                "sha256": attachment.get("sha256"),
                "path": attachment.get("path"),
                "text": texts.get(url),
                "error": attachment.get("error"),
            }
        )
    return records


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _main_date(
    record_type: str,
    event: EventLine | None,
    posting: date | None,
    dateline: Dateline | None,
    text: str,
    context: DateContext,
    modified: str | None,
) -> tuple[PartialDate | None, str]:
    if record_type == "event" and event is not None:
        return event.span.start, "event_line"
    if posting is not None:
        return PartialDate(posting.year, posting.month, posting.day), "posting_date"
    if dateline is not None:
        return dateline.span.start, "dateline"
    found = parse_date(text[:2000], context)
    if found is not None:
        return found.start, "text"
    moment = parse_machine_date(modified or "")
    if moment is not None:
        return PartialDate(moment.year, moment.month, moment.day), "modified"
    return None, ""


def build_entry_record(
    item: dict,
    *,
    attachment_texts: dict[str, str | None] | None = None,
    known_people: tuple[str, ...] = (),
) -> dict:
    """The record of a post, page or newsletter item."""
    cleaned = clean_text(html_to_text(item.get("body_html") or ""))
    text = cleaned.text
    title = _text(item.get("title")) or _text(item.get("slug")) or item.get("url", "")
    categories = [_text(c) for c in item.get("categories", []) if _text(c)]
    posting, posting_at, posting_source = _posting(item)
    context = DateContext(posting_date=posting, upload_year_month=_upload_context(item))
    lines = _first_lines(text)
    dateline = _dateline(lines, context)
    event_line = _event_line(lines, context)
    record_type, type_rule = classify(
        title=title,
        first_lines=lines,
        categories=categories,
        has_event_line=event_line is not None,
        posting=_posting_kind(posting_source) if posting else None,
        is_page=item.get("kind") == "page",
    )
    if item.get("kind") == "newsletter" and record_type == "news":
        record_type, type_rule = "page", "page:newsletter_view"
    modified_moment = parse_machine_date(item.get("modified") or "")
    main, date_source = _main_date(
        record_type,
        event_line,
        posting,
        dateline,
        text,
        context,
        modified_moment.isoformat() if modified_moment else None,
    )
    if main is None:  # nothing dated it: the record is reported invalid, never guessed
        main_iso, precision = "", "day"
    else:
        main_iso, precision = main.iso(), main.precision
    issues = list(dateline.span.issues if dateline else ()) + list(
        event_line.span.issues if event_line else ()
    )
    topic = _topic(title, categories)
    dateline_place = dateline.place if dateline else None
    start, end = _span_dates(dateline.span if dateline else None)
    event = None
    if record_type == "event" and event_line is not None:
        ev_start, ev_end = _span_dates(event_line.span)
        event = {
            "start": ev_start,
            "end": ev_end or ev_start,
            "start_time": event_line.span.start_time,
            "end_time": event_line.span.end_time,
            "venue": event_line.venue,
            "online": event_line.online,
        }
    elif record_type == "event":
        event = _event_without_line(title, text, context)
        if event.pop("source") and event["start"]:
            main_iso, date_source = event["start"], "event_title"
            precision = {4: "year", 7: "month"}.get(len(main_iso), "day")
    provenance = dict(item.get("provenance", {}))
    provenance.update({"type": type_rule, "date": date_source or "none", "text": "cleaning"})
    wp_id = item.get("wp_id") if isinstance(item.get("wp_id"), int) else None
    people_text = text if record_type != "page" or len(text) < 20_000 else text[:20_000]
    return {
        "schema_version": SCHEMA_VERSION,
        "id": ids.post_id(wp_id) if wp_id is not None else ids.url_id(item.get("url", "")),
        "url": item.get("url", ""),
        "type": record_type,
        "type_rule": type_rule,
        "title": title,
        "display_title": f"{topic} – {title}" if topic else title,
        "topic": topic,
        "text": text,
        "summary": summary_of(text, item.get("excerpt_html")),
        "date": main_iso,
        "date_precision": precision,
        "date_source": date_source or "none",
        "date_issues": _unique(issues),
        "published": posting.isoformat() if posting else None,
        "published_at": posting_at,
        "modified": modified_moment.isoformat() if modified_moment else None,
        "dateline": {
            "place": dateline_place,
            "date": start,
            "date_end": end,
            "kind": dateline.kind,
            "text": dateline.span.text,
        }
        if dateline and dateline.kind != "event"
        else None,
        "event": event,
        "people": find_people(people_text, known_people),
        "emails": find_emails(text),
        "places": _unique([dateline_place, *find_places(text)]),
        "organisations": find_organisations(text),
        "attachments": _attachments(item, attachment_texts or {}),
        "credits": _unique(normalise_whitespace(c) for c in cleaned.credits),
        "categories": categories,
        "wp_id": wp_id,
        "slug": item.get("slug"),
        "reference": None,
        "source": _source(item),
        "provenance": {k: str(v) for k, v in provenance.items()},
    }


def build_publication_record(item: Item) -> dict:
    """The record of one citation of the publication tabs (or the year-grouped list)."""
    publication = item.get("publication", {})
    raw = normalise_whitespace(publication.get("raw") or item.get("text") or "")
    tab_name = publication.get("tab_name")
    reference = parse_citation(raw, tab=tab_name)
    record_type, type_rule = classify(title=raw, first_lines=[raw], categories=[], tab=tab_name)
    if record_type not in CITATION_TYPES:
        record_type, type_rule = "publication", "publication:list"
    year = reference.year or publication.get("year_heading")
    coverage = parse_machine_date(reference.date) if reference.date else None
    if coverage is not None:
        main, date_source = (
            PartialDate(coverage.year, coverage.month, coverage.day),
            "coverage_date",
        )
    elif year:
        main, date_source = (
            PartialDate(int(year)),
            ("citation_year" if reference.year else "year_heading"),
        )
    else:
        main, date_source = None, "none"
    issues = [] if main else ["undated_citation"]
    names = [f"{p.given} {p.family}".strip() for p in (*reference.authors, *reference.editors)]
    reference_dict = reference.to_dict()
    reference_dict["tab"] = tab_name
    reference_dict["raw"] = raw
    links = publication.get("links") or []
    if links and not reference_dict.get("url"):
        reference_dict["url"] = links[0]
    provenance = dict(item.get("provenance", {}))
    provenance.update({"type": type_rule, "date": date_source, "reference": "citation_parser"})
    # How sure the parser was that the entry is a publication (lists read off whole pages
    # keep only entries at CITATION_MIN_CONFIDENCE or above: crawler/discovery.py).
    provenance["reference.confidence"] = f"{citation_confidence(reference):.2f}"
    return {
        "schema_version": SCHEMA_VERSION,
        "id": ids.publication_id(raw),
        "url": item.get("url", ""),
        "type": record_type,
        "type_rule": type_rule,
        "title": _text(reference.title) or raw[:200],
        "display_title": _text(reference.title) or raw[:200],
        "topic": None,
        "text": raw,
        "summary": raw[:SUMMARY_MAX_CHARS],
        "date": main.iso() if main else "",
        "date_precision": main.precision if main else "year",
        "date_source": date_source,
        "date_issues": issues,
        "published": None,
        "published_at": None,
        "modified": None,
        "dateline": None,
        "event": None,
        "people": _unique([*names, *find_people(raw)]),
        "emails": find_emails(raw),
        "places": _unique([reference.place] if reference.place else []),
        "organisations": [],
        "attachments": [],
        "credits": [],
        "categories": [tab_name] if tab_name else [],
        "wp_id": None,
        "slug": None,
        "reference": reference_dict,
        "source": _source(item),
        "provenance": {k: str(v) for k, v in provenance.items()},
    }


def build_record(
    item: Item,
    *,
    attachment_texts: dict[str, str | None] | None = None,
    known_people: tuple[str, ...] = (),
) -> dict:
    """The record of any harvested item (not yet validated: see ``archive.validation``)."""
    if item.get("kind") == "publication":
        return build_publication_record(item)
    return build_entry_record(item, attachment_texts=attachment_texts, known_people=known_people)
