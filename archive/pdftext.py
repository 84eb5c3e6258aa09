"""Text of attached PDFs, so that a press release's full text is searchable."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from pathlib import Path

from archive.cleaning import normalise_whitespace

logger = logging.getLogger(__name__)
MAX_PAGES = 50


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF's pages (at most ``MAX_PAGES``), or None if it cannot be read."""
    if not data or not data.startswith(b"%PDF-"):
        return None
    # Imported with the first PDF: most crawls' record workers never read one, and pypdf
    # took a third of a second of each worker's start.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except (PdfReadError, ValueError, TypeError, KeyError, OSError, RecursionError) as error:
        logger.warning("could not read PDF text: %s", error)
        return None
    return normalise_whitespace("\n\n".join(pages))


def attachment_texts(
    attachments: Iterable[dict], files_dir: Path, cache: dict[str, str | None] | None = None
) -> dict[str, str | None]:
    """The text of each downloaded PDF among an item's or record's ``attachments``, by URL.

    Only attachments with a stored file (``path``), a digest and the PDF media type are
    read; ``cache`` (by SHA-256) spares reading the same file twice. The crawl's record
    workers and the re-extraction both call this, so both give a record the same texts.
    """
    cache = {} if cache is None else cache
    texts = {}
    for attachment in attachments:
        digest, path = attachment.get("sha256"), attachment.get("path")
        if not digest or not path or attachment.get("media_type") != "application/pdf":
            continue
        if digest not in cache:
            try:
                cache[digest] = pdf_text((files_dir / path).read_bytes())
            except OSError:
                cache[digest] = None
        texts[attachment["url"]] = cache[digest]
    return texts
