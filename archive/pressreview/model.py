"""The press review's data: the saved composition people edit, and the document rendered
from it (or from a period of the archive) as PDF, DOCX and Markdown.

Plain frozen dataclasses: the web app shows them, the renderers read them, nothing here
reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive.pressreview.rules import is_third_party, may_include_full_text

# --- the saved composition ---------------------------------------------------------------


@dataclass(frozen=True)
class CompositionItem:
    """One item of a saved review: the record and the version it was taken from, what was
    read off that version (type, title, date, address), and what people added to it."""

    id: int
    section_id: int
    position: int
    record_id: str
    version: int
    record_type: str
    title: str
    date: str
    url: str
    display_title: str | None
    summary: str
    comment: str
    full_text: bool
    added_at: str
    # The record's current version in the archive (None when the record is gone from it).
    latest_version: int | None = None
    removed: bool = False

    @property
    def shown_title(self) -> str:
        """The display title when one is set, else the record's title."""
        return self.display_title or self.title

    @property
    def has_newer_version(self) -> bool:
        """True when the archive holds a newer version of the record than the one taken."""
        return self.latest_version is not None and self.latest_version > self.version

    @property
    def third_party(self) -> bool:
        """True for press coverage: a reference only, never its text."""
        return is_third_party(self.record_type)

    @property
    def full_text_allowed(self) -> bool:
        """True when the item may include its full text (own news and press releases)."""
        return may_include_full_text(self.record_type)


@dataclass(frozen=True)
class CompositionSection:
    """A section (Rubrik) of a saved review and its items in their order. ``key`` names
    the default section it stands for (``eigene``, ``presse``, ...), None for one of the
    team's own."""

    id: int
    position: int
    title: str
    key: str | None
    items: tuple[CompositionItem, ...] = ()


@dataclass(frozen=True)
class Composition:
    """A saved press review: title, period, introduction and its sections in order."""

    id: int
    name: str
    title: str
    date_from: str | None
    date_to: str | None
    intro: str
    created_at: str
    updated_at: str
    sections: tuple[CompositionSection, ...] = ()

    @property
    def items(self) -> list[CompositionItem]:
        """Every item, in document order."""
        return [item for section in self.sections for item in section.items]

    @property
    def outdated_items(self) -> list[CompositionItem]:
        """Items whose record has a newer version in the archive than the one taken."""
        return [item for item in self.items if item.has_newer_version]

    def item(self, item_id: int) -> CompositionItem | None:
        """The item with this id, or None."""
        return next((item for item in self.items if item.id == item_id), None)

    def section(self, section_id: int) -> CompositionSection | None:
        """The section with this id, or None."""
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class CompositionSummary:
    """A saved review in a list: name, title, period, how many items, when last changed."""

    name: str
    title: str
    date_from: str | None
    date_to: str | None
    item_count: int
    updated_at: str


@dataclass(frozen=True)
class Refusal:
    """A record that was not added, and why (a sentence for the user)."""

    record_id: str
    message: str


@dataclass(frozen=True)
class AddOutcome:
    """What adding records did: the items added, the records refused and why."""

    added: tuple[CompositionItem, ...]
    refused: tuple[Refusal, ...]


# --- the document ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """One entry of the document, as every format shows it.

    ``date_end`` and ``venue`` are an event's; ``full_text`` is empty unless the item is
    the institute's own and the text was asked for; ``archive_page`` and ``archive_copy``
    are links into the archive's web app ('' when its address is not known), the copy
    only when a raw capture was kept.
    """

    record_id: str
    version: int
    record_type: str
    title: str
    original_title: str
    date: str
    url: str
    date_end: str = ""
    venue: str = ""
    summary: str = ""
    comment: str = ""
    full_text: str = ""
    outlet: str = ""
    archive_page: str = ""
    archive_copy: str = ""

    @property
    def third_party(self) -> bool:
        """True for press coverage."""
        return is_third_party(self.record_type)

    @property
    def retitled(self) -> bool:
        """True when the item is shown under a title of the team's own."""
        return self.title != self.original_title


@dataclass(frozen=True)
class ReviewSection:
    """A section of the document with its items."""

    title: str
    items: tuple[ReviewItem, ...]


@dataclass(frozen=True)
class Review:
    """The document: a cover (title, period, date of compilation), an introduction and the
    sections; a section without items is not part of it."""

    title: str
    date_from: str | None
    date_to: str | None
    compiled_on: date
    intro: str = ""
    sections: tuple[ReviewSection, ...] = ()

    @property
    def items(self) -> list[ReviewItem]:
        """Every item, in document order."""
        return [item for section in self.sections for item in section.items]

    @property
    def internal_use_only(self) -> bool:
        """True when third-party texts are listed: the compilation is for internal use."""
        return any(item.third_party for item in self.items)
