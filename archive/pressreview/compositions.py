"""Saved press reviews in the archive's SQLite file, beside the records.

Three tables of their own (reviews, their sections, their items), created with ``IF NOT
EXISTS`` on whichever store file is opened, so an archive harvested before the press
review existed gains them on first use and loses nothing. Every change is made inside
:meth:`CompositionStore.transaction` (``BEGIN IMMEDIATE``): a composite edit (add twenty
items, create the section they need, note the time) is committed whole or not at all.

Items keep the record id and the version number they were taken from, with what was read
off that version (type, title, date, address): a version never changes, so the copy
cannot go stale, and the lists the web app shows need no record from the store.

Over 400 lines on purpose: every statement on these tables sits in this one class (as in
``archive/store.py``), so what a transaction holds is visible in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from archive.pressreview.errors import ItemNotFoundError, PressReviewError
from archive.pressreview.model import (
    Composition,
    CompositionItem,
    CompositionSection,
    CompositionSummary,
)
from archive.store import now_utc

SCHEMA = """
CREATE TABLE IF NOT EXISTS press_reviews (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    date_from TEXT,
    date_to TEXT,
    intro TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS press_review_sections (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES press_reviews (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    key TEXT
);
CREATE TABLE IF NOT EXISTS press_review_items (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES press_reviews (id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES press_review_sections (id),
    position INTEGER NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    record_type TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    url TEXT NOT NULL,
    url_key TEXT NOT NULL,
    display_title TEXT,
    summary TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    full_text INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    UNIQUE (review_id, record_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS press_review_items_url
    ON press_review_items (review_id, url_key) WHERE url_key != '';
CREATE INDEX IF NOT EXISTS press_review_items_section
    ON press_review_items (section_id, position);
"""
REVIEW_FIELDS = ("title", "date_from", "date_to", "intro")
ITEM_FIELDS = (
    "display_title", "summary", "comment", "full_text",
    "version", "record_type", "title", "date", "url", "url_key",
)  # fmt: skip
_ITEM_COLUMNS = (
    "id, section_id, position, record_id, version, record_type, title, date, url,"
    " display_title, summary, comment, full_text, added_at"
)


@dataclass(frozen=True)
class NewItem:
    """An item to add: the record and version taken, and what was read off that version."""

    record_id: str
    version: int
    record_type: str
    title: str
    date: str
    url: str
    url_key: str
    summary: str
    full_text: bool = False


class CompositionStore:
    """The saved reviews on one open connection of the archive store (``ArchiveStore.db``)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        # In one transaction, so a first use that is killed half-way leaves no half schema;
        # on a store that has the tables, the statements are no-ops and take no write lock.
        try:
            self.db.executescript(f"BEGIN;{SCHEMA}COMMIT;")
        except sqlite3.Error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: everything inside is committed together, or nothing."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _writing(self) -> None:
        # A write outside a transaction would commit on its own: a half-done edit.
        if not self.db.in_transaction:
            raise RuntimeError("CompositionStore writes only inside transaction()")

    # --- reviews -------------------------------------------------------------------------

    def names(self) -> set[str]:
        """The names of every saved review."""
        return {row[0] for row in self.db.execute("SELECT name FROM press_reviews")}

    def summaries(self) -> list[CompositionSummary]:
        """Every saved review, most recently changed first."""
        rows = self.db.execute(
            "SELECT r.name, r.title, r.date_from, r.date_to, COUNT(i.id), r.updated_at"
            " FROM press_reviews r LEFT JOIN press_review_items i ON i.review_id = r.id"
            " GROUP BY r.id ORDER BY r.updated_at DESC, r.name"
        )
        return [CompositionSummary(*row) for row in rows]

    def review_id(self, name: str) -> int | None:
        """The id of the review named ``name``, or None."""
        row = self.db.execute("SELECT id FROM press_reviews WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def load(self, name: str) -> Composition | None:
        """The review named ``name`` with its sections and items in order, or None.
        (``latest_version`` of the items is left for the caller, who has the records.)"""
        row = self.db.execute(
            "SELECT id, name, title, date_from, date_to, intro, created_at, updated_at"
            " FROM press_reviews WHERE name = ?",
            (name,),
        ).fetchone()
        if row is None:
            return None
        items: dict[int, list[CompositionItem]] = {}
        for item_row in self.db.execute(
            f"SELECT {_ITEM_COLUMNS} FROM press_review_items WHERE review_id = ?"
            " ORDER BY section_id, position, id",
            (row[0],),
        ):
            item = _item(item_row)
            items.setdefault(item.section_id, []).append(item)
        sections = tuple(
            CompositionSection(id=sid, position=position, title=title, key=key,
                               items=tuple(items.get(sid, ())))
            for sid, position, title, key in self.db.execute(
                "SELECT id, position, title, key FROM press_review_sections"
                " WHERE review_id = ? ORDER BY position, id",
                (row[0],),
            )
        )  # fmt: skip
        return Composition(*row, sections=sections)

    def create(
        self,
        name: str,
        title: str,
        date_from: str | None,
        date_to: str | None,
        intro: str,
        sections: Sequence[tuple[str, str | None]],
    ) -> int:
        """Add a review with its starting sections (``(title, key)``); its id."""
        self._writing()
        if self.review_id(name) is not None:
            raise PressReviewError(f"Einen Pressespiegel „{name}“ gibt es schon.")
        stamp = now_utc()
        cursor = self.db.execute(
            "INSERT INTO press_reviews (name, title, date_from, date_to, intro, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, title, date_from, date_to, intro, stamp, stamp),
        )
        review_id = cursor.lastrowid
        for section_title, key in sections:
            self.add_section(review_id, section_title, key)
        return review_id

    def update(self, review_id: int, **fields) -> None:
        """Change the review's title, period or introduction."""
        self._writing()
        unknown = set(fields) - set(REVIEW_FIELDS)
        if unknown:
            raise TypeError(f"not review fields: {sorted(unknown)}")
        for column, value in fields.items():
            self.db.execute(
                f"UPDATE press_reviews SET {column} = ? WHERE id = ?", (value, review_id)
            )
        self.touch(review_id)

    def touch(self, review_id: int) -> None:
        """Note that the review changed now."""
        self._writing()
        self.db.execute(
            "UPDATE press_reviews SET updated_at = ? WHERE id = ?", (now_utc(), review_id)
        )

    def delete(self, review_id: int) -> None:
        """Remove a review, its sections and its items (never the records)."""
        self._writing()
        self.db.execute("DELETE FROM press_review_items WHERE review_id = ?", (review_id,))
        self.db.execute("DELETE FROM press_review_sections WHERE review_id = ?", (review_id,))
        self.db.execute("DELETE FROM press_reviews WHERE id = ?", (review_id,))

    # --- sections ------------------------------------------------------------------------

    def add_section(self, review_id: int, title: str, key: str | None = None) -> int:
        """Append a section; its id."""
        self._writing()
        position = self.db.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM press_review_sections WHERE review_id = ?",
            (review_id,),
        ).fetchone()[0]
        cursor = self.db.execute(
            "INSERT INTO press_review_sections (review_id, position, title, key)"
            " VALUES (?, ?, ?, ?)",
            (review_id, position, title, key),
        )
        return cursor.lastrowid

    def section_ids(self, review_id: int) -> list[int]:
        """The review's sections in order."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT id FROM press_review_sections WHERE review_id = ? ORDER BY position, id",
                (review_id,),
            )
        ]

    def section_for_key(self, review_id: int, key: str) -> int | None:
        """The first section standing for the default section ``key``, or None."""
        row = self.db.execute(
            "SELECT id FROM press_review_sections WHERE review_id = ? AND key = ?"
            " ORDER BY position, id LIMIT 1",
            (review_id, key),
        ).fetchone()
        return row[0] if row else None

    def check_section(self, review_id: int, section_id: int) -> None:
        """``ItemNotFoundError`` unless the review has this section."""
        if section_id not in self.section_ids(review_id):
            raise ItemNotFoundError(f"Dieser Pressespiegel hat keine Rubrik {section_id}.")

    def rename_section(self, review_id: int, section_id: int, title: str) -> None:
        """Give a section a new title."""
        self._writing()
        self.check_section(review_id, section_id)
        self.db.execute(
            "UPDATE press_review_sections SET title = ? WHERE id = ?", (title, section_id)
        )

    def remove_section(self, review_id: int, section_id: int) -> None:
        """Remove an empty section; refused while it holds items."""
        self._writing()
        self.check_section(review_id, section_id)
        if self.item_ids(section_id):
            raise PressReviewError(
                "Die Rubrik enthält noch Einträge: erst verschieben oder entfernen."
            )
        self.db.execute("DELETE FROM press_review_sections WHERE id = ?", (section_id,))
        self._renumber_sections(review_id, self.section_ids(review_id))

    def move_section(self, review_id: int, section_id: int, position: int) -> None:
        """Put a section at ``position`` (0 first; beyond the end means last)."""
        self._writing()
        self.check_section(review_id, section_id)
        order = [sid for sid in self.section_ids(review_id) if sid != section_id]
        order.insert(max(0, min(position, len(order))), section_id)
        self._renumber_sections(review_id, order)

    def _renumber_sections(self, review_id: int, order: list[int]) -> None:
        for position, section_id in enumerate(order):
            self.db.execute(
                "UPDATE press_review_sections SET position = ? WHERE id = ? AND review_id = ?",
                (position, section_id, review_id),
            )

    # --- items ---------------------------------------------------------------------------

    def item_ids(self, section_id: int) -> list[int]:
        """The items of a section in order."""
        return [
            row[0]
            for row in self.db.execute(
                "SELECT id FROM press_review_items WHERE section_id = ? ORDER BY position, id",
                (section_id,),
            )
        ]

    def item_count(self, review_id: int) -> int:
        """How many items the review holds."""
        return self.db.execute(
            "SELECT COUNT(*) FROM press_review_items WHERE review_id = ?", (review_id,)
        ).fetchone()[0]

    def item(self, review_id: int, item_id: int) -> CompositionItem:
        """One item of the review; ``ItemNotFoundError`` when the review has none so numbered."""
        row = self.db.execute(
            f"SELECT {_ITEM_COLUMNS} FROM press_review_items WHERE id = ? AND review_id = ?",
            (item_id, review_id),
        ).fetchone()
        if row is None:
            raise ItemNotFoundError(f"Dieser Pressespiegel hat keinen Eintrag {item_id}.")
        return _item(row)

    def holding(self, review_id: int, record_id: str, url_key: str) -> CompositionItem | None:
        """The item that holds this record, or another record at this address, or None."""
        row = self.db.execute(
            f"SELECT {_ITEM_COLUMNS} FROM press_review_items WHERE review_id = ?"
            " AND (record_id = ? OR (url_key != '' AND url_key = ?))"
            " ORDER BY record_id != ? LIMIT 1",
            (review_id, record_id, url_key, record_id),
        ).fetchone()
        return _item(row) if row else None

    def add_item(self, review_id: int, section_id: int, new: NewItem) -> int:
        """Append an item to a section; its id."""
        self._writing()
        position = len(self.item_ids(section_id))
        with _as_duplicate():
            cursor = self.db.execute(
                "INSERT INTO press_review_items (review_id, section_id, position, record_id,"
                " version, record_type, title, date, url, url_key, summary, full_text, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (review_id, section_id, position, new.record_id, new.version, new.record_type,
                 new.title, new.date, new.url, new.url_key, new.summary, int(new.full_text),
                 now_utc()),
            )  # fmt: skip
        return cursor.lastrowid

    def set_item(self, review_id: int, item_id: int, **fields) -> None:
        """Change an item's display title, summary, comment, full-text choice or version."""
        self._writing()
        unknown = set(fields) - set(ITEM_FIELDS)
        if unknown:
            raise TypeError(f"not item fields: {sorted(unknown)}")
        self.item(review_id, item_id)
        with _as_duplicate():
            for column, value in fields.items():
                self.db.execute(
                    f"UPDATE press_review_items SET {column} = ? WHERE id = ?", (value, item_id)
                )

    def place_item(self, review_id: int, item_id: int, section_id: int, position: int) -> None:
        """Put an item at ``position`` (0 first; beyond the end means last) of a section,
        its own or another of the review."""
        self._writing()
        old_section = self.item(review_id, item_id).section_id
        self.check_section(review_id, section_id)
        order = [i for i in self.item_ids(section_id) if i != item_id]
        order.insert(max(0, min(position, len(order))), item_id)
        self.db.execute(
            "UPDATE press_review_items SET section_id = ? WHERE id = ?", (section_id, item_id)
        )
        self._renumber_items(section_id, order)
        if old_section != section_id:
            self._renumber_items(old_section, self.item_ids(old_section))

    def set_order(self, review_id: int, section_id: int, item_ids: Sequence[int]) -> None:
        """Order a section's items as ``item_ids``, which must name each of them once."""
        self._writing()
        self.check_section(review_id, section_id)
        current = self.item_ids(section_id)
        if sorted(item_ids) != sorted(current):
            raise PressReviewError(
                "Die neue Reihenfolge muss jeden Eintrag der Rubrik genau einmal nennen."
            )
        self._renumber_items(section_id, list(item_ids))

    def remove_item(self, review_id: int, item_id: int) -> None:
        """Take an item out of the review (the record stays in the archive)."""
        self._writing()
        section_id = self.item(review_id, item_id).section_id
        self.db.execute("DELETE FROM press_review_items WHERE id = ?", (item_id,))
        self._renumber_items(section_id, self.item_ids(section_id))

    def _renumber_items(self, section_id: int, order: list[int]) -> None:
        for position, item_id in enumerate(order):
            self.db.execute(
                "UPDATE press_review_items SET position = ? WHERE id = ? AND section_id = ?",
                (position, item_id, section_id),
            )


@contextmanager
def _as_duplicate() -> Iterator[None]:
    # The unique indexes stand behind the checks in ``items``: what slips past them (a
    # newer version that moved to another item's address) is refused, not a crash.
    try:
        yield
    except sqlite3.IntegrityError as error:
        raise PressReviewError(
            "Dieser Eintrag oder seine Adresse steht schon im Pressespiegel."
        ) from error


def _item(row) -> CompositionItem:
    # The columns come in the dataclass's field order (``_ITEM_COLUMNS``); SQLite has no bool.
    *fields, full_text, added_at = row
    return CompositionItem(*fields, full_text=bool(full_text), added_at=added_at)
