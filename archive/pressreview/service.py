"""The saved press reviews of one archive: what the web app and the command line call.

:class:`PressReviews` is to the press review what :class:`archive.facade.Archive` is to the
archive (``archive.press_reviews()`` gives one): create, list, read, edit and delete saved
reviews, add records (one, many, a whole search) with duplicates refused, reorder and move
items, and build the document to render. Each call opens the store once and makes its
change in one transaction; every refusal is a :class:`PressReviewError` whose message can
be shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from archive.pressreview.assemble import ReviewQuery, find_records, review_from_composition
from archive.pressreview.compositions import CompositionStore
from archive.pressreview.content import default_title
from archive.pressreview.errors import CompositionNotFoundError, PressReviewError
from archive.pressreview.items import add_record, current_row, new_item, with_current_versions
from archive.pressreview.model import (
    AddOutcome,
    Composition,
    CompositionSummary,
    Refusal,
    Review,
)
from archive.pressreview.rules import (
    MAX_COMMENT,
    MAX_INTRO,
    MAX_SECTION_TITLE,
    MAX_SUMMARY,
    MAX_TITLE,
    SECTION_BY_KEY,
    STARTING_SECTIONS,
    check_name,
    check_period,
    checked_text,
    may_include_full_text,
    suggest_name,
    type_label,
)

if TYPE_CHECKING:
    from archive.facade import Archive
    from archive.store import ArchiveStore


class PressReviews:
    """Saved press reviews (Pressespiegel), kept in the archive's store."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    # --- reviews -------------------------------------------------------------------------

    def list(self) -> list[CompositionSummary]:
        """Every saved review, most recently changed first."""
        with self.archive.store() as store:
            return CompositionStore(store.db).summaries()

    def get(self, name: str) -> Composition:
        """A saved review with its sections and items, each item saying which version of
        its record is the newest (``has_newer_version``); ``CompositionNotFoundError``."""
        with self.archive.store() as store:
            return _loaded(store, CompositionStore(store.db), name)

    def create(
        self,
        title: str,
        *,
        name: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        intro: str = "",
    ) -> Composition:
        """A new saved review with the sections "Eigene Meldungen", "Presse über das IKPE"
        and "Termine". Without a ``name`` one is made from the title."""
        date_from, date_to = check_period(date_from, date_to)
        title = checked_text(title, "Titel", MAX_TITLE) or default_title(date_from, date_to)
        intro = checked_text(intro, "Einleitung", MAX_INTRO)
        with self.archive.store() as store:
            compositions = CompositionStore(store.db)
            with compositions.transaction():
                chosen = check_name(name) if name else suggest_name(title, compositions.names())
                compositions.create(
                    chosen, title, date_from, date_to, intro,
                    [(SECTION_BY_KEY[key].title, key) for key in STARTING_SECTIONS],
                )  # fmt: skip
            return _loaded(store, compositions, chosen)

    def update(
        self,
        name: str,
        *,
        title: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        intro: str | None = None,
    ) -> Composition:
        """Change title, period or introduction (None keeps a value; '' clears the period's
        ends and the introduction)."""
        with self.archive.store() as store:
            compositions = CompositionStore(store.db)
            current = _loaded(store, compositions, name)
            fields: dict = {}
            if title is not None:
                fields["title"] = checked_text(title, "Titel", MAX_TITLE, required=True)
            if intro is not None:
                fields["intro"] = checked_text(intro, "Einleitung", MAX_INTRO)
            if date_from is not None or date_to is not None:
                start = current.date_from if date_from is None else date_from
                end = current.date_to if date_to is None else date_to
                fields["date_from"], fields["date_to"] = check_period(start or None, end or None)
            with compositions.transaction():
                compositions.update(current.id, **fields)
            return _loaded(store, compositions, name)

    def delete(self, name: str) -> None:
        """Delete a saved review (the records stay in the archive)."""
        with self.archive.store() as store:
            compositions = CompositionStore(store.db)
            review_id = _review_id(compositions, name)
            with compositions.transaction():
                compositions.delete(review_id)

    # --- sections ------------------------------------------------------------------------

    def add_section(self, name: str, title: str) -> Composition:
        """Append a section of the team's own."""
        title = checked_text(title, "Rubrik", MAX_SECTION_TITLE, required=True)
        return self._change(name, lambda c, rid: c.add_section(rid, title))

    def rename_section(self, name: str, section_id: int, title: str) -> Composition:
        """Give a section a new title."""
        title = checked_text(title, "Rubrik", MAX_SECTION_TITLE, required=True)
        return self._change(name, lambda c, rid: c.rename_section(rid, section_id, title))

    def move_section(self, name: str, section_id: int, position: int) -> Composition:
        """Put a section at ``position`` (0 first)."""
        return self._change(name, lambda c, rid: c.move_section(rid, section_id, position))

    def remove_section(self, name: str, section_id: int) -> Composition:
        """Remove an empty section (refused while it holds items)."""
        return self._change(name, lambda c, rid: c.remove_section(rid, section_id))

    # --- items ---------------------------------------------------------------------------

    def add(
        self,
        name: str,
        record_ids: Iterable[str],
        *,
        section_id: int | None = None,
        full_text: bool = False,
    ) -> AddOutcome:
        """Add records (their current versions) at the end of ``section_id``, or each in the
        default section of its type (made when the review lacks it); ``full_text`` asks for
        the full text of those that may carry it. A record already in the review, or at the
        address of one that is, or an unknown id, is refused with a sentence saying why; the
        rest are added in one transaction."""
        added_ids: list[int] = []
        refused: list[Refusal] = []
        with self.archive.store() as store:
            compositions = CompositionStore(store.db)
            review_id = _review_id(compositions, name)
            with compositions.transaction():
                if section_id is not None:
                    compositions.check_section(review_id, section_id)
                for record_id in dict.fromkeys(record_ids):  # a repeated id is asked once
                    try:
                        added_ids.append(
                            add_record(
                                store, compositions, review_id, record_id, section_id, full_text
                            )
                        )
                    except PressReviewError as error:
                        refused.append(Refusal(record_id, str(error)))
                if added_ids:
                    compositions.touch(review_id)
            composition = _loaded(store, compositions, name)
        added = tuple(item for item in composition.items if item.id in set(added_ids))
        return AddOutcome(added=added, refused=tuple(refused))

    def add_search(
        self,
        name: str,
        request: ReviewQuery,
        *,
        section_id: int | None = None,
        full_text: bool = False,
    ) -> AddOutcome:
        """Add every record a search (or period, or types) selects, sorted by date; those
        already in the review are refused as duplicates, the others added."""
        found = find_records(self.archive, request)
        ids = [f.record["id"] for f in found]
        return self.add(name, ids, section_id=section_id, full_text=full_text)

    def edit_item(
        self,
        name: str,
        item_id: int,
        *,
        display_title: str | None = None,
        summary: str | None = None,
        comment: str | None = None,
        full_text: bool | None = None,
    ) -> Composition:
        """Change what the team added to an item (None keeps a value; a display title of ''
        shows the original again). The full text may be asked only for the institute's own
        news and press releases."""
        fields: dict = {}
        if display_title is not None:
            fields["display_title"] = checked_text(display_title, "Titel", MAX_TITLE) or None
        if summary is not None:
            fields["summary"] = checked_text(summary, "Zusammenfassung", MAX_SUMMARY)
        if comment is not None:
            fields["comment"] = checked_text(comment, "Anmerkung", MAX_COMMENT)

        def change(compositions: CompositionStore, review_id: int) -> None:
            if full_text is not None:
                item = compositions.item(review_id, item_id)
                if full_text and not may_include_full_text(item.record_type):
                    raise PressReviewError(
                        f"Den Volltext gibt es nur für eigene Meldungen und "
                        f"Pressemitteilungen, nicht für: {type_label(item.record_type)}."
                    )
                fields["full_text"] = int(full_text)
            compositions.set_item(review_id, item_id, **fields)

        return self._change(name, change)

    def move_item(
        self, name: str, item_id: int, *, section_id: int | None = None, position: int | None = None
    ) -> Composition:
        """Move an item to ``position`` (0 first; None: the end) of ``section_id`` (None: its
        own section): reordering and moving between sections in one."""

        def change(compositions: CompositionStore, review_id: int) -> None:
            item = compositions.item(review_id, item_id)
            target = item.section_id if section_id is None else section_id
            compositions.place_item(
                review_id, item_id, target, len(compositions.item_ids(target)) if position is None
                else position,
            )  # fmt: skip

        return self._change(name, change)

    def move_up(self, name: str, item_id: int) -> Composition:
        """One place up in its section (the buttons that work without JavaScript)."""
        return self._step(name, item_id, -1)

    def move_down(self, name: str, item_id: int) -> Composition:
        """One place down in its section."""
        return self._step(name, item_id, +1)

    def reorder(self, name: str, section_id: int, item_ids: Sequence[int]) -> Composition:
        """Order a section as ``item_ids`` (drag and drop sends the whole order); it must
        name each item of the section once."""
        return self._change(name, lambda c, rid: c.set_order(rid, section_id, item_ids))

    def remove_item(self, name: str, item_id: int) -> Composition:
        """Take an item out of the review."""
        return self._change(name, lambda c, rid: c.remove_item(rid, item_id))

    def take_latest_version(self, name: str, item_id: int) -> Composition:
        """Point an item at its record's newest version (title, date and address as that
        version says; what the team added stays)."""

        with self.archive.store() as store:

            def change(compositions: CompositionStore, review_id: int) -> None:
                item = compositions.item(review_id, item_id)
                taken = new_item(current_row(store, item.record_id))
                compositions.set_item(
                    review_id, item_id, version=taken.version, title=taken.title,
                    date=taken.date, url=taken.url, url_key=taken.url_key,
                )  # fmt: skip

            return self._change_in(store, name, change)

    # --- the document --------------------------------------------------------------------

    def document(
        self, name: str, *, compiled_on: date | None = None, archive_url: str | None = None
    ) -> Review:
        """The document of a saved review, to render with ``archive.pressreview.render``
        (also the web app's preview). ``archive_url`` is the web app's public address, for
        links to each item's version and archived copy."""
        composition = self.get(name)
        return review_from_composition(
            self.archive, composition, compiled_on=compiled_on, archive_url=archive_url
        )

    # --- inside ----------------------------------------------------------------------------

    def _change(self, name: str, change) -> Composition:
        with self.archive.store() as store:
            return self._change_in(store, name, change)

    def _change_in(self, store: ArchiveStore, name: str, change) -> Composition:
        compositions = CompositionStore(store.db)
        review_id = _review_id(compositions, name)
        with compositions.transaction():
            change(compositions, review_id)
            compositions.touch(review_id)
        return _loaded(store, compositions, name)

    def _step(self, name: str, item_id: int, step: int) -> Composition:
        def change(compositions: CompositionStore, review_id: int) -> None:
            item = compositions.item(review_id, item_id)
            order = compositions.item_ids(item.section_id)
            index = order.index(item_id)
            compositions.place_item(review_id, item_id, item.section_id, max(0, index + step))

        return self._change(name, change)


def _review_id(compositions: CompositionStore, name: str) -> int:
    review_id = compositions.review_id(name)
    if review_id is None:
        raise CompositionNotFoundError(name)
    return review_id


def _loaded(store: ArchiveStore, compositions: CompositionStore, name: str) -> Composition:
    composition = compositions.load(name)
    if composition is None:
        raise CompositionNotFoundError(name)
    return with_current_versions(store, composition)
