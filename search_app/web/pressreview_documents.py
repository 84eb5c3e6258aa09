"""The Pressespiegel as a document: the preview page, the document it frames, its
stylesheet, and the downloads (PDF, DOCX, Markdown).

The preview is the library's own HTML (``archive.pressreview.htmldoc``), the one WeasyPrint
lays out as the PDF, served as a page of its own and shown in a frame: it has no inline
style or script, so the app's Content-Security-Policy holds for it as for every page, and
its stylesheet comes from a route of the app (the print stylesheet, plus a few rules that
make a screen show it as pages on a desk). Links in the documents point to the app's
public address (``request.url_root``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Response, render_template, request, url_for

from archive.pressreview.htmldoc import review_html, stylesheet_text
from archive.pressreview.model import Composition
from archive.pressreview.render import FORMATS, render
from search_app.web.context import get_archive

SCREEN_STYLESHEET = Path(__file__).resolve().parent / "static" / "pressreview-preview.css"
# The order of the download links.
DOWNLOAD_FORMATS = ("pdf", "docx", "md")


def outlets(composition: Composition) -> dict[int, str]:
    """The outlet (newspaper) of each press-coverage item, by item id, as the version it
    was taken from names it."""
    archive = get_archive()
    found = {}
    for item in composition.items:
        if item.third_party:
            version = archive.version(item.record_id, item.version)
            reference = (version.record.get("reference") or {}) if version else {}
            if reference.get("outlet"):
                found[item.id] = reference["outlet"]
    return found


def download_links(name: str) -> list[dict]:
    """Each format's label, file name and URL."""
    return [
        {
            "label": FORMATS[fmt].label,
            "file_name": file_name(name, fmt),
            "url": url_for("pressreview.download", name=name, fmt=fmt),
        }
        for fmt in DOWNLOAD_FORMATS
    ]


def file_name(name: str, fmt: str) -> str:
    """The download's file name: the review's name (``[a-z0-9-]``, safe in a header)."""
    return f"{name}.{FORMATS[fmt].extension}"


def preview_page(name: str) -> str:
    """The preview: the document in a frame, the downloads beside it."""
    composition = get_archive().press_reviews().get(name)
    return render_template(
        "pressreview_preview.html",
        review=composition,
        document_url=url_for("pressreview.document", name=name),
        formats=download_links(name),
    )


def _document(name: str):
    return get_archive().press_reviews().document(name, archive_url=request.url_root)


def document_page(name: str) -> Response:
    """The document as the library writes it, linking the app's stylesheet route."""
    html = review_html(_document(name), stylesheet=url_for("pressreview.stylesheet"))
    return Response(html, mimetype="text/html")


@lru_cache(maxsize=1)
def _stylesheet_text() -> str:
    return stylesheet_text() + "\n" + SCREEN_STYLESHEET.read_text(encoding="utf-8")


def stylesheet() -> Response:
    """The document's print stylesheet and the screen rules of the preview."""
    response = Response(_stylesheet_text(), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def download(name: str, fmt: str) -> Response:
    """The document in ``fmt`` as an attachment named after the review."""
    data = render(_document(name), fmt)
    response = Response(data, content_type=FORMATS[fmt].media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{file_name(name, fmt)}"'
    response.headers["Cache-Control"] = "no-store"  # the review changes; always the latest
    return response
