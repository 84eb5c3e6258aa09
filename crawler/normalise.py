"""Build and check a record from an item: the work a crawl hands to a worker process.

Normalising text (dates, people, citations) and validating against the schema cost more
CPU than fetching and parsing a page; in a worker process they run on another core while
the crawl goes on. The function is plain and picklable: it returns its outcome instead
of raising, since exceptions with extra fields do not cross process boundaries.

The normaliser, the validators and the PDF reader are imported inside the functions: the
crawl's own process imports this module to hand work out, and need not load them.
"""

from __future__ import annotations

import hashlib
import json
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from archive.rules import rules_version

if TYPE_CHECKING:  # the crawl's own process need not import the library here
    from archive.item import Item

# PDF texts already extracted in this process, by the file's SHA-256.
_PDF_TEXTS: dict[str, str | None] = {}


THIS_FILE = Path(__file__).resolve()  # part of the rules (rules_version); resolved once

# Item keys left out of the item digest: ``source`` changes with every fetch (fetch time,
# WARC capture, cache and revalidation flags, ETag, the digest of a whole REST page) while
# the record reads from it only its own ``source``, which the store does not count as
# content; the rest are what the pipelines add once the record is built.
DIGEST_SKIPPED_KEYS = frozenset(
    {"source", "attachment_files", "record", "counters", "build_digest"}
)
# Attachment keys left out: whether the download was fresh or the file was up to date.
DIGEST_SKIPPED_ATTACHMENT_KEYS = frozenset({"download_status"})


def item_digest(item: Item | dict) -> str:
    """A SHA-256 of everything in ``item`` that the record builder reads.

    Left out is what changes from fetch to fetch while the content does not: the whole
    ``source`` (``fetched_at``, ``capture``, ``cached``, ``etag``, ``last_modified``, the
    response's ``sha256``) and each attachment's ``download_status``; and what the
    pipelines add after the record is built (:data:`DIGEST_SKIPPED_KEYS`). An attachment's
    ``sha256`` stays in: its text comes from the file.
    """
    content = {k: v for k, v in item.items() if k not in DIGEST_SKIPPED_KEYS}
    content["attachments"] = [
        {k: v for k, v in attachment.items() if k not in DIGEST_SKIPPED_ATTACHMENT_KEYS}
        for attachment in item.get("attachments", [])
    ]
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def build_digest(item: Item | dict) -> str:
    """What a stored record was built from: the item's digest and the version of the rules
    (``archive.rules``, this module's own glue included). Equal digests, equal records."""
    rules = rules_version(THIS_FILE)
    return hashlib.sha256(f"{item_digest(item)} {rules}".encode("ascii")).hexdigest()


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
