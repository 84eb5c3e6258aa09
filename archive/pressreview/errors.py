"""What the press review refuses, as exceptions whose message is shown to the user.

The messages are German: the communications team reads them in the web app and on the
command line. The web app may show ``str(error)`` as it is.
"""

from __future__ import annotations


class PressReviewError(ValueError):
    """A request the press review refuses (bad value, unknown item, rule broken)."""


class CompositionNotFoundError(PressReviewError, LookupError):
    """No saved press review has this name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Einen gespeicherten Pressespiegel „{name}“ gibt es nicht.")
        self.name = name


class ItemNotFoundError(PressReviewError, LookupError):
    """The press review has no item (or section) with this id."""


class DuplicateItemError(PressReviewError):
    """The record, or another record with the same address, is already in the review."""

    def __init__(self, message: str, record_id: str, existing_item_id: int) -> None:
        super().__init__(message)
        self.record_id = record_id
        self.existing_item_id = existing_item_id
