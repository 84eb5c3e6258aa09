"""The press review as a file: a period of the archive (or a saved composition) rendered
as PDF, DOCX or Markdown, for the command line and the monthly timer.

The file is written beside its destination and renamed into place, so a reader (a mail
job, a shared folder) never sees half a document, and a failed run leaves the previous
file untouched.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from archive.config import DataDir
from archive.facade import Archive
from archive.pressreview import (
    CompositionItem,
    Review,
    ReviewQuery,
    default_title,
    find_records,
    render,
    review_from_archive,
)

logger = logging.getLogger(__name__)

PREVIOUS_MONTH = "previous"


@dataclass(frozen=True)
class PressReviewRequest:
    """What to compile and where to write it. ``saved`` names a saved composition (its
    own title, period and order); otherwise the period, query and types select records."""

    fmt: str
    output: str
    saved: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    query: str = ""
    types: tuple[str, ...] = ()
    title: str | None = None
    intro: str = ""
    full_text: bool = False
    archive_url: str | None = None
    save_as: str | None = None


@dataclass
class PressReviewResult:
    """The file written, what it holds, and saved items whose record has a newer version."""

    path: Path
    review: Review
    saved_as: str | None = None
    outdated: list[CompositionItem] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        """How many items the document lists."""
        return len(self.review.items)


def month_period(month: str, today: date | None = None) -> tuple[str, str]:
    """``2026-03`` -> (``2026-03``, ``2026-03``); ``previous`` -> the month before today."""
    if month == PREVIOUS_MONTH:
        today = today or date.today()
        year, number = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        month = f"{year:04d}-{number:02d}"
    return month, month


def output_path(template: str, date_from: str | None, date_to: str | None) -> Path:
    """The output file, with ``{from}`` and ``{to}`` replaced by the period's ends (so a
    monthly job names each month's file)."""
    named = template.replace("{from}", date_from or "").replace("{to}", date_to or "")
    return Path(named).expanduser()


def compile_press_review(
    data_dir: DataDir, request: PressReviewRequest, *, today: date | None = None
) -> PressReviewResult:
    """Build the review the request asks for, write it atomically, and say what it holds.
    Raises what the library raises (``PressReviewError``, ``IndexMissingError``,
    ``QueryError``, ``ArchiveMissingError``) and ``OSError`` when the file cannot be written."""
    compiled_on = today or date.today()
    with Archive(data_dir) as archive:
        reviews = archive.press_reviews()
        saved_name = request.saved
        if saved_name is None and request.save_as:
            # Selected first, so a refused selection (too many, bad query) saves nothing.
            found = find_records(archive, _query(request))
            composition = reviews.create(
                request.title or default_title(request.date_from, request.date_to),
                name=request.save_as,
                date_from=request.date_from,
                date_to=request.date_to,
                intro=request.intro,
            )
            ids = [entry.record["id"] for entry in found]
            reviews.add(composition.name, ids, full_text=request.full_text)
            saved_name = composition.name
        outdated: list[CompositionItem] = []
        if saved_name is not None:
            outdated = reviews.get(saved_name).outdated_items
            review = reviews.document(
                saved_name, compiled_on=compiled_on, archive_url=request.archive_url
            )
            path = output_path(request.output, review.date_from, review.date_to)
        else:
            review = review_from_archive(
                archive,
                _query(request),
                title=request.title or default_title(request.date_from, request.date_to),
                intro=request.intro,
                full_text=request.full_text,
                compiled_on=compiled_on,
                archive_url=request.archive_url,
            )
            path = output_path(request.output, request.date_from, request.date_to)
    write_atomically(path, render(review, request.fmt))
    logger.debug("press review written to %s (%d items)", path, len(review.items))
    return PressReviewResult(path, review, request.save_as, outdated)


def _query(request: PressReviewRequest) -> ReviewQuery:
    options = {"types": tuple(request.types)} if request.types else {}
    return ReviewQuery(request.date_from, request.date_to, request.query, **options)


def _umask() -> int:
    # Read by setting it: the file gets the permissions a plain open() would give it.
    current = os.umask(0o022)
    os.umask(current)
    return current


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
