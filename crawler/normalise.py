"""Build and check a record from an item: the work a crawl hands to a worker process.

Normalising text (dates, people, citations) and validating against the schema cost more
CPU than fetching and parsing a page; in a worker process they run on another core while
the crawl goes on. The function is plain and picklable: it returns its outcome instead
of raising, since exceptions with extra fields do not cross process boundaries.

The normaliser, the validators and the PDF reader are imported inside the functions: the
crawl's own process imports this module to hand work out, and need not load them.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the crawl's own process need not import the library here
    from archive.item import Item

# PDF texts already extracted in this process, by the file's SHA-256.
_PDF_TEXTS: dict[str, str | None] = {}


def warm_up() -> None:
    """Load the normaliser and compile the schema validators, so the first record does not
    wait for them: a worker does this while the crawl is still starting."""
    from archive import records, validation  # noqa: F401

    validation.problems({})  # an invalid record: both validators get compiled


def normalise_item(item: Item, files_store: str) -> dict:
    """``{"record": ...}``, or ``{"problems": [(path, message)]}`` for an invalid record, or
    ``{"error": traceback}`` when the normaliser itself failed."""
    from archive import validation
    from archive.pdftext import attachment_texts
    from archive.records import build_record

    try:
        texts = attachment_texts(item.get("attachments", []), Path(files_store), _PDF_TEXTS)
        record = build_record(item, attachment_texts=texts)
    except Exception:  # a normaliser bug must not stop the crawl; the caller reports it
        return {"error": traceback.format_exc()}
    found = validation.problems(record)
    if found:
        return {"problems": [(p.path, p.message) for p in found]}
    return {"record": record}


def normalise_many(items: list[dict], files_store: str) -> list[dict]:
    """The outcome of each item (see :func:`normalise_item`), in order: one task, many items."""
    return [normalise_item(item, files_store) for item in items]
