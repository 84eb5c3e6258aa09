"""An item taken from a record: what it notes of the version it takes, where it goes, and
why a record is refused (unknown, already in the review, at the address of one that is).

Reads the records through the open :class:`archive.store.ArchiveStore` of the service's
call and writes through its :class:`CompositionStore`, inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from archive.pressreview.assemble import record_date, record_title
from archive.pressreview.compositions import CompositionStore, NewItem
from archive.pressreview.errors import DuplicateItemError, PressReviewError
from archive.pressreview.model import Composition
from archive.pressreview.rules import (
    MAX_ITEMS,
    SECTION_BY_KEY,
    item_url,
    may_include_full_text,
    section_key_for,
    url_key,
)

if TYPE_CHECKING:
    from archive.store import ArchiveStore


def current_row(store: ArchiveStore, record_id: str) -> dict:
    """The record's current version as the store holds it; refused when there is none."""
    row = store.get(record_id)
    if row is None:
        raise PressReviewError(f"Einen Eintrag „{record_id}“ gibt es im Archiv nicht.")
    return row


def new_item(row: dict, *, full_text: bool = False) -> NewItem:
    """What an item notes of a record's current version (``row`` as ``ArchiveStore.get``
    gives it): the full text only where the rules allow it."""
    record = row["record"]
    address = item_url(record)
    return NewItem(
        record_id=record["id"],
        version=row["version"],
        record_type=record.get("type", "page"),
        title=record_title(record),
        date=record_date(record),
        url=address or record.get("url", ""),
        url_key=url_key(address),
        summary=record.get("summary", ""),
        full_text=full_text and may_include_full_text(record.get("type", "")),
    )


def add_record(
    store: ArchiveStore,
    compositions: CompositionStore,
    review_id: int,
    record_id: str,
    section_id: int | None,
    full_text: bool,
) -> int:
    """Add a record's current version at the end of ``section_id`` (None: the section of
    its type, made when missing); its item id. ``DuplicateItemError`` when the review
    holds the record or its address, ``PressReviewError`` for an unknown id or a full
    review."""
    taken = new_item(current_row(store, record_id), full_text=full_text)
    holder = compositions.holding(review_id, record_id, taken.url_key)
    if holder is not None:
        if holder.record_id == record_id:
            message = f"„{taken.title}“ steht schon im Pressespiegel."
        else:
            message = (
                f"„{taken.title}“ hat dieselbe Adresse wie „{holder.shown_title}“, das schon "
                "im Pressespiegel steht."
            )
        raise DuplicateItemError(message, record_id, holder.id)
    if compositions.item_count(review_id) >= MAX_ITEMS:
        raise PressReviewError(f"Ein Pressespiegel hat höchstens {MAX_ITEMS} Einträge.")
    if section_id is None:
        key = section_key_for(taken.record_type)
        section_id = compositions.section_for_key(review_id, key)
        if section_id is None:
            section_id = compositions.add_section(review_id, SECTION_BY_KEY[key].title, key)
    return compositions.add_item(review_id, section_id, taken)


def with_current_versions(store: ArchiveStore, composition: Composition) -> Composition:
    """The composition with each item's current version and removal read off the store."""
    sections = []
    for section in composition.sections:
        items = []
        for item in section.items:
            row = store.get(item.record_id)
            items.append(
                replace(
                    item,
                    latest_version=row["version"] if row else None,
                    removed=row is None or row["removed_at"] is not None,
                )
            )
        sections.append(replace(section, items=tuple(items)))
    return replace(composition, sections=tuple(sections))
