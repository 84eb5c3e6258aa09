"""A record at its stable URL (``/r/<id>``), its versions, its archived copy, its files.

=================================  ======================================================
``/r/<id>``                        the record: metadata, clean text, attachments,
                                   citations, versions, similar records
``/r/<id>.bib|.ris|.json``         the citation as BibTeX, RIS, CSL-JSON (a download)
``/r/<id>/anhang/<sha256>``        an attachment (the PDF "Volltext"), from the archive
``/r/<id>/v/<n>``                  one stored version
``/r/<id>/diff?a=1&b=2``           a word-level diff of two versions
``/r/<id>/kopie``                  the archived copy, shown in a sandboxed frame
``/r/<id>/kopie/roh``              the raw capture itself, served as hostile content
``/r/<id>/v/<n>/kopie[/roh]``      the same for one version
=================================  ======================================================

Ids are checked by the URL converter (``wp-<n>``, ``pub-<hex>``, ``url-<hex>``), so
nothing else reaches a view. The raw capture is the page as it was fetched, not the live
page: it is served with ``Content-Security-Policy: sandbox`` that allows no script and no
request anywhere, and no referrer.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from flask import Blueprint, Response, render_template, request, send_file, url_for
from werkzeug.routing import BaseConverter

from search_app.web import errors
from search_app.web.context import get_archive
from search_app.web.page_meta import pdf_attachment, record_meta
from search_app.web.worddiff import word_diff

bp = Blueprint("records", __name__)

RAW_CAPTURE_POLICY = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
# An attachment is shown in the browser only in a type that cannot run script.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "text/plain")
# PDF viewers are plugins: the app's ``object-src 'none'`` would stop them.
ATTACHMENT_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'self'"
# (extension, export format, media type) of the citation downloads.
CITATION_FILES = {
    "bib": ("bibtex", "application/x-bibtex"),
    "ris": ("ris", "application/x-research-info-systems"),
    "json": ("csljson", "application/vnd.citationstyles.csl+json"),
}
CITATION_BOX = (("bibtex", "BibTeX", "bib"), ("ris", "RIS", "ris"), ("csljson", "CSL-JSON", "json"))
SIMILAR_RECORDS = 5


class RecordIdConverter(BaseConverter):
    """A record id: ``wp-<post id>``, ``pub-<hex digest>`` or ``url-<hex digest>``."""

    regex = r"(?:wp-[0-9]{1,12}|pub-[0-9a-f]{8,64}|url-[0-9a-f]{8,64})"


class Sha256Converter(BaseConverter):
    """A SHA-256 digest in lower-case hex."""

    regex = r"[0-9a-f]{64}"


@bp.record_once
def _add_converters(state) -> None:
    # Before the blueprint's rules are added: they use these converters.
    state.app.url_map.converters["record_id"] = RecordIdConverter
    state.app.url_map.converters["sha256"] = Sha256Converter


# --- the record --------------------------------------------------------------------------


@bp.get("/r/<record_id:record_id>")
def record(record_id: str) -> str:
    """The record page."""
    archive = get_archive()
    row = _row(record_id)
    current = row["record"]
    versions = archive.versions(record_id)
    pdf = pdf_attachment(current)
    pdf_url = (
        url_for("records.attachment", record_id=record_id, sha256=pdf["sha256"], _external=True)
        if pdf
        else None
    )
    page_url = url_for("records.record", record_id=record_id, _external=True)
    citations = [
        {
            "label": label,
            "text": archive.export_text([current], fmt),
            "url": url_for(f"records.citation_{extension}", record_id=record_id),
            "id": f"zitat-{fmt}",
        }
        for fmt, label, extension in CITATION_BOX
    ]
    return render_template(
        "record.html",
        row=row,
        record=current,
        version=None,
        versions=versions,
        citations=citations,
        meta=record_meta(current, page_url, pdf_url),
        similar=archive.similar(record_id, limit=SIMILAR_RECORDS),
        has_capture=bool((current.get("source") or {}).get("warc")),
        source_host=urlsplit(current.get("url") or "").hostname or "",
    )


def _row(record_id: str) -> dict:
    row = get_archive().record(record_id)
    if row is None:
        raise errors.not_found(f"Einen Eintrag „{record_id}“ gibt es im Archiv nicht.")
    return row


def _citation_file(record_id: str, extension: str) -> Response:
    fmt, media_type = CITATION_FILES[extension]
    text = get_archive().export_text([_row(record_id)["record"]], fmt)
    response = Response(text, content_type=f"{media_type}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{record_id}.{extension}"'
    return response


@bp.get("/r/<record_id:record_id>.bib")
def citation_bib(record_id: str) -> Response:
    """The record's citation as BibTeX (biblatex), to download."""
    return _citation_file(record_id, "bib")


@bp.get("/r/<record_id:record_id>.ris")
def citation_ris(record_id: str) -> Response:
    """The record's citation as RIS, to download."""
    return _citation_file(record_id, "ris")


@bp.get("/r/<record_id:record_id>.json")
def citation_json(record_id: str) -> Response:
    """The record's citation as CSL-JSON, to download."""
    return _citation_file(record_id, "json")


@bp.get("/r/<record_id:record_id>/anhang/<sha256:sha256>")
def attachment(record_id: str, sha256: str) -> Response:
    """An attachment of the record, as the archive downloaded it."""
    found = get_archive().attachment(record_id, sha256)
    if found is None:
        raise errors.not_found("Diese Datei ist im Archiv nicht vorhanden.")
    meta, path = found
    media_type = (meta.get("media_type") or "").split(";")[0].strip().lower()
    name = PurePosixPath(urlsplit(meta.get("url") or "").path).name or f"{sha256[:12]}"
    inline = media_type in INLINE_TYPES
    response = send_file(
        path,
        mimetype=media_type if inline else "application/octet-stream",
        as_attachment=not inline,
        download_name=name,
        conditional=True,
        max_age=86400,
    )
    response.headers["Content-Security-Policy"] = ATTACHMENT_POLICY
    return response


# --- versions ------------------------------------------------------------------------------


@bp.get("/r/<record_id:record_id>/v/<int:number>")
def version(record_id: str, number: int) -> str:
    """One stored version of the record."""
    row = _row(record_id)
    found = get_archive().version(record_id, number)
    if found is None:
        raise errors.not_found(f"Eine Version {number} von „{record_id}“ gibt es nicht.")
    return render_template(
        "version.html",
        row=row,
        record=found.record,
        version=found,
        versions=get_archive().versions(record_id),
        meta=[],
        has_capture=bool(found.warc_file),
        source_host=urlsplit(found.record.get("url") or "").hostname or "",
    )


@bp.get("/r/<record_id:record_id>/diff")
def diff(record_id: str) -> str:
    """A word-level diff of the title and text of two versions (``a`` and ``b``)."""
    row = _row(record_id)
    versions = {v.number: v for v in get_archive().versions(record_id)}
    latest = max(versions) if versions else row["version"]
    a = _version_number(request.args.get("a"), "a", default=max(1, latest - 1))
    b = _version_number(request.args.get("b"), "b", default=latest)
    for number in (a, b):
        if number not in versions:
            raise errors.not_found(f"Eine Version {number} von „{record_id}“ gibt es nicht.")
    old, new = versions[a], versions[b]
    return render_template(
        "diff.html",
        row=row,
        record=row["record"],
        old=old,
        new=new,
        versions=sorted(versions.values(), key=lambda v: v.number),
        title_diff=word_diff(_title(old.record), _title(new.record)),
        text_diff=word_diff(old.record.get("text", ""), new.record.get("text", "")),
    )


def _title(record: dict) -> str:
    return record.get("display_title") or record.get("title") or ""


def _version_number(value: str | None, name: str, *, default: int) -> int:
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) < 1:
        raise errors.bad_request(f"{name}={value[:20]!r}: eine Versionsnummer ist eine Zahl ab 1.")
    return int(value)


# --- the archived copy ---------------------------------------------------------------------


@bp.get("/r/<record_id:record_id>/kopie", defaults={"number": None})
@bp.get("/r/<record_id:record_id>/v/<int:number>/kopie")
def copy(record_id: str, number: int | None) -> str:
    """The archived copy: what was fetched, and the capture in a sandboxed frame."""
    row = _row(record_id)
    capture = get_archive().capture(record_id, number)
    if capture is None:
        raise errors.not_found("Zu diesem Eintrag ist keine Rohkopie gespeichert.")
    raw_url = (
        url_for("records.raw_copy", record_id=record_id)
        if number is None
        else url_for("records.raw_version_copy", record_id=record_id, number=number)
    )
    return render_template(
        "copy.html",
        row=row,
        record=row["record"],
        number=number,
        capture=capture,
        raw_url=raw_url,
    )


@bp.get("/r/<record_id:record_id>/kopie/roh", defaults={"number": None})
def raw_copy(record_id: str, number: int | None) -> Response:
    """The raw capture of the current version."""
    return _raw(record_id, number)


@bp.get("/r/<record_id:record_id>/v/<int:number>/kopie/roh")
def raw_version_copy(record_id: str, number: int) -> Response:
    """The raw capture of one version."""
    return _raw(record_id, number)


def _raw(record_id: str, number: int | None) -> Response:
    capture = get_archive().capture(record_id, number)
    if capture is None:
        raise errors.not_found("Zu diesem Eintrag ist keine Rohkopie gespeichert.")
    response = Response(capture.body, status=200)
    # As captured (charset included), never sniffed: the sandbox policy holds either way.
    response.headers["Content-Type"] = capture.content_type or "application/octet-stream"
    response.headers["Content-Security-Policy"] = RAW_CAPTURE_POLICY
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
