"""The machine-readable head of a record page: Highwire ``citation_*`` tags (what Zotero's
browser connector and Google Scholar read), Dublin Core and OpenGraph.

Pure: the record and the page's absolute URLs in, ``(attribute, name, content)`` triples
out; the template writes them as ``<meta>`` tags, escaped.
"""

from __future__ import annotations

from search_app.web.labels import INSTITUTE, citation_date


def _authors(record: dict) -> list[str]:
    """Authors as "Family, Given" from a parsed citation; else the institute."""
    reference = record.get("reference") or {}
    names = [
        ", ".join(part for part in (name.get("family"), name.get("given")) if part)
        for name in reference.get("authors") or []
    ]
    return [name for name in names if name] or [INSTITUTE]


def record_meta(record: dict, page_url: str, pdf_url: str | None = None) -> list[tuple]:
    """The ``<meta>`` tags of a record page as ``(attribute, name, content)``."""
    reference = record.get("reference") or {}
    title = reference.get("title") or record.get("display_title") or record["title"]
    publisher = reference.get("publisher") or INSTITUTE
    summary = (record.get("summary") or "").strip()
    tags: list[tuple] = [("name", "citation_title", title)]
    tags += [("name", "citation_author", author) for author in _authors(record)]
    tags += [
        ("name", "citation_publication_date", citation_date(record.get("date"))),
        ("name", "citation_public_url", page_url),
        ("name", "citation_publisher", publisher),
        ("name", "citation_language", "de"),
    ]
    container = reference.get("outlet") or reference.get("container")
    if container and reference.get("kind") in ("article", "press", "journal_issue"):
        tags.append(("name", "citation_journal_title", container))
    for key in ("volume", "issue"):
        if reference.get(key):
            tags.append(("name", f"citation_{key}", reference[key]))
    if pdf_url:
        tags.append(("name", "citation_pdf_url", pdf_url))
    if summary:
        tags.append(("name", "description", summary[:300]))
    tags += [
        ("name", "DC.title", title),
        *[("name", "DC.creator", author) for author in _authors(record)],
        ("name", "DC.date", record.get("date") or ""),
        ("name", "DC.publisher", publisher),
        ("name", "DC.language", "de"),
        ("name", "DC.identifier", page_url),
        ("name", "DC.source", record.get("url") or ""),
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:url", page_url),
        ("property", "og:site_name", "IKPE-Archiv"),
        ("property", "og:locale", "de_DE"),
    ]
    if summary:
        tags.append(("property", "og:description", summary[:300]))
    return [tag for tag in tags if tag[2]]


def pdf_attachment(record: dict) -> dict | None:
    """The first attachment the archive holds as a PDF (for ``citation_pdf_url``)."""
    for attachment in record.get("attachments") or []:
        is_pdf = (attachment.get("media_type") or "").startswith("application/pdf") or (
            attachment.get("url", "").lower().endswith(".pdf")
        )
        if is_pdf and attachment.get("sha256") and attachment.get("path"):
            return attachment
    return None
