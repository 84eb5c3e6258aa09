"""The press review (Pressespiegel): saved compositions, the document built from them or
from a period of the archive, and that document as PDF, DOCX and Markdown.

=================  ====================================================================
``rules``          sections by type, what may be copied in full, duplicates, names, limits
``model``          the saved composition and the document, as dataclasses
``compositions``   the saved compositions' tables in the archive's SQLite file
``assemble``       the document from a period/search, or from a saved composition
``items``          an item taken from a record; duplicates refused
``service``        :class:`PressReviews`, what the web app and the command line call
``content``        what every format says, in which order (German dates, links)
``markdown``, ``htmldoc`` + ``pdf``, ``docx``   the three renderers; ``render`` picks one
=================  ====================================================================

Start from ``Archive.press_reviews()`` (saved reviews) or :func:`review_from_archive` (a
period), then :func:`render` the :class:`Review`.
"""

from archive.pressreview.assemble import ReviewQuery, find_records, review_from_archive
from archive.pressreview.content import default_title
from archive.pressreview.errors import (
    CompositionNotFoundError,
    DuplicateItemError,
    ItemNotFoundError,
    PressReviewError,
)
from archive.pressreview.htmldoc import review_html, stylesheet_text
from archive.pressreview.model import (
    AddOutcome,
    Composition,
    CompositionItem,
    CompositionSection,
    CompositionSummary,
    Refusal,
    Review,
    ReviewItem,
    ReviewSection,
)
from archive.pressreview.render import FORMATS, render
from archive.pressreview.service import PressReviews

__all__ = [
    "FORMATS",
    "AddOutcome",
    "Composition",
    "CompositionItem",
    "CompositionNotFoundError",
    "CompositionSection",
    "CompositionSummary",
    "DuplicateItemError",
    "ItemNotFoundError",
    "PressReviewError",
    "PressReviews",
    "Refusal",
    "Review",
    "ReviewItem",
    "ReviewQuery",
    "ReviewSection",
    "default_title",
    "find_records",
    "render",
    "review_from_archive",
    "review_html",
    "stylesheet_text",
]
