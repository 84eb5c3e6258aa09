"""Text of attached PDFs, so that a press release's full text is searchable."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from archive.cleaning import normalise_whitespace

logger = logging.getLogger(__name__)
MAX_PAGES = 50


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF's pages (at most ``MAX_PAGES``), or None if it cannot be read."""
    if not data or not data.startswith(b"%PDF-"):
        return None
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except (PdfReadError, ValueError, TypeError, KeyError, OSError, RecursionError) as error:
        logger.warning("could not read PDF text: %s", error)
        return None
    return normalise_whitespace("\n\n".join(pages))
