"""The document built from the archive: from a period (a search, some types), grouped by
section and sorted by date, or from a saved composition in the order the team chose.

Records are read through :class:`archive.facade.Archive`; a saved item is rendered from
the version it was taken from, never from whatever the record says today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from archive.pressreview.errors import PressReviewError
from archive.pressreview.model import Composition, Review, ReviewItem, ReviewSection
from archive.pressreview.rules import (
    DEFAULT_TYPES,
    MAX_ITEMS,
    PARTIAL_DATE,
    SECTION_BY_KEY,
    SECTIONS,
    check_period,
    is_third_party,
    item_url,
    may_include_full_text,
    section_key_for,
    web_url,
)

if TYPE_CHECKING:
    from archive.facade import Archive

# The search index answers at most this many hits per page.
SEARCH_PAGE = 1000


@dataclass(frozen=True)
class ReviewQuery:
    """Which records a review gathers: a period (partial ISO dates), an optional search
    query (the search's own language) and the record types."""

    date_from: str | None = None
    date_to: str | None = None
    query: str = ""
    types: tuple[str, ...] = DEFAULT_TYPES


@dataclass(frozen=True)
class FoundRecord:
    """A record as the archive holds it now, with its current version number."""

    record: dict
    version: int


def find_records(archive: Archive, request: ReviewQuery) -> list[FoundRecord]:
    """The current records the request selects, sorted by date then id (a period whose
    start lies after its end is refused). A search query
    goes through the index (``IndexMissingError``/``QueryError`` as ``Archive.search``);
    more than :data:`rules.MAX_ITEMS` matches is refused."""
    check_period(request.date_from, request.date_to)
    types = tuple(request.types) or DEFAULT_TYPES
    if request.query.strip():
        ids = _search_ids(archive, request, types)
        with archive.store() as store:
            rows = [row for row in (store.get(record_id) for record_id in ids) if row]
        rows = [row for row in rows if row["removed_at"] is None]
    else:
        with archive.store() as store:
            rows = [
                row
                for record_type in types
                for row in store.iter_records(
                    record_type=record_type, date_from=request.date_from, date_to=request.date_to
                )
            ]
    if len(rows) > MAX_ITEMS:
        raise PressReviewError(
            f"Die Auswahl umfasst {len(rows)} Einträge, ein Pressespiegel höchstens "
            f"{MAX_ITEMS}: bitte Zeitraum, Suche oder Typen enger fassen."
        )
    found = [FoundRecord(row["record"], row["version"]) for row in rows]
    return sorted(found, key=lambda f: (f.record.get("date") or "", f.record["id"]))


def _search_ids(archive: Archive, request: ReviewQuery, types: tuple[str, ...]) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        result = archive.search(
            request.query, record_type=list(types), date_from=request.date_from,
            date_to=request.date_to, sort="date", limit=SEARCH_PAGE, page=page, facets=False,
        )  # fmt: skip
        ids += [hit.id for hit in result.hits]
        if len(ids) > MAX_ITEMS or len(ids) >= result.total or not result.hits:
            return ids
        page += 1


def archive_links(record: dict, version: int, archive_url: str | None) -> tuple[str, str]:
    """Links to the version's page in the archive's web app and to its archived copy
    (the copy only when a raw capture was kept); '' without the app's address."""
    base = web_url(archive_url)
    if not base:
        return "", ""
    page = f"{base.rstrip('/')}/r/{record['id']}/v/{version}"
    has_copy = bool((record.get("source") or {}).get("warc"))
    return page, f"{page}/kopie" if has_copy else ""


def record_title(record: dict) -> str:
    """The title the archive shows for a record (sub-posts' generic titles with their topic)."""
    return record.get("display_title") or record.get("title") or record["id"]


def record_date(record: dict) -> str:
    """The date an item is listed under: press coverage's own date when its citation has
    one, else the record's date."""
    reference_date = (record.get("reference") or {}).get("date") or ""
    if is_third_party(record.get("type", "")) and PARTIAL_DATE.match(reference_date):
        return reference_date
    return record.get("date") or ""


def review_item(
    record: dict,
    version: int,
    *,
    display_title: str | None = None,
    summary: str | None = None,
    comment: str = "",
    full_text: bool = False,
    archive_url: str | None = None,
) -> ReviewItem:
    """One document item from a version of a record and what the team added; the full text
    only for the institute's own news and press releases."""
    record_type = record.get("type", "page")
    reference = record.get("reference") or {}
    event = record.get("event") or {}
    page, copy = archive_links(record, version, archive_url)
    original = record_title(record)
    include_text = full_text and may_include_full_text(record_type)
    venue = event.get("venue") or ("online" if event.get("online") else "")
    return ReviewItem(
        record_id=record["id"],
        version=version,
        record_type=record_type,
        title=display_title or original,
        original_title=original,
        date=record_date(record),
        date_end=event.get("end") or "",
        venue=venue,
        url=item_url(record) or record.get("url") or "",
        summary=record.get("summary", "") if summary is None else summary,
        comment=comment,
        full_text=record.get("text", "") if include_text else "",
        outlet=reference.get("outlet", "") if is_third_party(record_type) else "",
        archive_page=page,
        archive_copy=copy,
    )


def review_from_records(
    found: Iterable[FoundRecord],
    *,
    title: str,
    date_from: str | None = None,
    date_to: str | None = None,
    intro: str = "",
    full_text: bool = False,
    compiled_on: date | None = None,
    archive_url: str | None = None,
) -> Review:
    """A document of ``found``, grouped by the default sections in their order and sorted
    by date (then id) within each."""
    grouped: dict[str, list[FoundRecord]] = {rule.key: [] for rule in SECTIONS}
    for entry in found:
        grouped[section_key_for(entry.record.get("type", ""))].append(entry)
    sections = []
    for key, entries in grouped.items():
        if not entries:
            continue
        entries.sort(key=lambda f: (record_date(f.record), f.record["id"]))
        items = tuple(
            review_item(f.record, f.version, full_text=full_text, archive_url=archive_url)
            for f in entries
        )
        sections.append(ReviewSection(SECTION_BY_KEY[key].title, items))
    return Review(
        title=title,
        date_from=date_from,
        date_to=date_to,
        compiled_on=compiled_on or date.today(),
        intro=intro,
        sections=tuple(sections),
    )


def review_from_archive(
    archive: Archive,
    request: ReviewQuery,
    *,
    title: str,
    intro: str = "",
    full_text: bool = False,
    compiled_on: date | None = None,
    archive_url: str | None = None,
) -> Review:
    """The document of a period (and search, and types) of the archive, by section and date."""
    return review_from_records(
        find_records(archive, request),
        title=title,
        date_from=request.date_from,
        date_to=request.date_to,
        intro=intro,
        full_text=full_text,
        compiled_on=compiled_on,
        archive_url=archive_url,
    )


def review_from_composition(
    archive: Archive,
    composition: Composition,
    *,
    compiled_on: date | None = None,
    archive_url: str | None = None,
) -> Review:
    """The document of a saved composition, in its order, each item from the version it was
    taken from."""
    sections = []
    with archive.store() as store:
        for section in composition.sections:
            items = []
            for item in section.items:
                taken = next(
                    (v["record"] for v in store.history(item.record_id)
                     if v["version"] == item.version),
                    None,
                )  # fmt: skip
                if taken is None:  # the store lost the version: show what the item noted
                    taken = {"id": item.record_id, "type": item.record_type,
                             "title": item.title, "date": item.date, "url": item.url}  # fmt: skip
                items.append(
                    review_item(
                        taken, item.version, display_title=item.display_title,
                        summary=item.summary, comment=item.comment, full_text=item.full_text,
                        archive_url=archive_url,
                    )
                )  # fmt: skip
            if items:
                sections.append(ReviewSection(section.title, tuple(items)))
    return Review(
        title=composition.title,
        date_from=composition.date_from,
        date_to=composition.date_to,
        compiled_on=compiled_on or date.today(),
        intro=composition.intro,
        sections=tuple(sections),
    )
