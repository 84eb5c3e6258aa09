"""One document, three formats: the renderer of each, and what a download needs to know."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from archive.pressreview.errors import PressReviewError
from archive.pressreview.model import Review


@dataclass(frozen=True)
class Format:
    """A format of the document: its file extension and media type."""

    name: str
    extension: str
    media_type: str
    label: str


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "pdf", "application/pdf", "PDF"),
    "docx": Format(
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "md": Format("md", "md", "text/markdown; charset=utf-8", "Markdown"),
}


def _renderer(fmt: str) -> Callable[[Review], bytes]:
    # Each renderer's library (WeasyPrint, python-docx) loads only when its format is asked.
    if fmt == "pdf":
        from archive.pressreview.pdf import render_pdf

        return render_pdf
    if fmt == "docx":
        from archive.pressreview.docx import render_docx

        return render_docx
    if fmt == "md":
        from archive.pressreview.markdown import render_markdown

        return render_markdown
    raise PressReviewError(f"Unbekanntes Format „{fmt[:20]}“ (möglich: {', '.join(FORMATS)}).")


def render(review: Review, fmt: str) -> bytes:
    """The review as a file in ``fmt`` (``pdf``, ``docx`` or ``md``), as bytes."""
    return _renderer(fmt)(review)
