"""The press review as one HTML document: what WeasyPrint lays out as the PDF, and what the
web app can show as the preview (it serves ``templates/review.css`` itself).

The template is autoescaped Jinja: text from the archive or the team is always text,
never markup, and Jinja never evaluates what a value contains (``{{ }}`` stays as typed).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from archive.pressreview.content import (
    CONTENTS_TITLE,
    EMPTY_NOTE,
    INTRO_ANCHOR,
    INTRO_TITLE,
    PERIOD_LABEL,
    document_view,
)
from archive.pressreview.model import Review

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "review.html"
# A title longer than this is set smaller on the cover, so the cover stays one page.
LONG_TITLE_CHARS = 90
STYLESHEET = TEMPLATES / "review.css"
LABELS = {
    "contents": CONTENTS_TITLE,
    "intro": INTRO_TITLE,
    "intro_anchor": INTRO_ANCHOR,
    "period": PERIOD_LABEL,
    "empty": EMPTY_NOTE,
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def review_html(review: Review, *, stylesheet: str | None = STYLESHEET.name) -> str:
    """The review as a whole HTML page, linking ``stylesheet`` (relative to the templates
    directory for the PDF; the web app passes its own static URL, or None)."""
    template = _environment().get_template(TEMPLATE)
    return template.render(
        doc=document_view(review),
        labels=LABELS,
        stylesheet=stylesheet,
        long_title=LONG_TITLE_CHARS,
    )


def stylesheet_text() -> str:
    """The print stylesheet, for a caller that serves it itself."""
    return STYLESHEET.read_text(encoding="utf-8")
