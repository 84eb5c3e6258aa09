"""RIS, as Zotero, Citavi and EndNote import it: one value per line, always."""

from __future__ import annotations

import re

from archive.export.common import (
    INSTITUTE,
    LANGUAGE,
    _people,
    accessed,
    is_post,
    issued,
    kind_of,
    one_line,
)
from archive.export.csl import to_csl

# --------------------------------------------------------------------------------------
# RIS
# --------------------------------------------------------------------------------------


def _ris_date(value: str) -> str:
    parts = value.split("-")
    return "/".join(parts + [""] * (3 - len(parts))) + "/"


def to_ris(record: dict) -> str:
    """A RIS entry for a record (every value on one line)."""
    reference = record.get("reference") or {}
    kind = kind_of(record)
    csl = to_csl(record)
    lines = [("TY", kind.ris), ("ID", record["id"]), ("TI", csl["title"])]
    for person in _people(record, "authors"):
        lines.append(("AU", f"{person['family']}, {person['given']}".strip(", ")))
    # Editors are the secondary authors (A2), save those of an edited book: its authors.
    editor_tag = "AU" if kind.ris == "EDBOOK" and not _people(record, "authors") else "A2"
    for person in _people(record, "editors"):
        lines.append((editor_tag, f"{person['family']}, {person['given']}".strip(", ")))
    if is_post(record):
        # No comma: reference managers keep the whole name as one institutional author.
        lines.append(("AU", INSTITUTE))
    date = issued(record)
    if date:
        lines += [("PY", date[:4]), ("DA", _ris_date(date))]
    fetched = accessed(record)
    if fetched:
        lines.append(("Y2", fetched.replace("-", "/")))
    pages = re.split(r"\s*[-–]+\s*", reference.get("pages") or "", maxsplit=1)
    for tag, value in (
        ("T2", csl.get("container-title")),
        ("VL", csl.get("volume")),
        ("IS", csl.get("issue")),
        ("SP", pages[0]),
        ("EP", pages[1] if len(pages) > 1 else ""),
        ("ET", csl.get("edition")),
        ("PB", csl.get("publisher")),
        ("CY", csl.get("publisher-place")),
        ("DO", csl.get("DOI")),
        ("M3", kind.genre),
        ("AB", csl.get("abstract")),
        ("N1", csl.get("note")),
        ("UR", csl["URL"]),
        ("LA", LANGUAGE),
    ):
        if value:
            lines.append((tag, value))
    body = "\n".join(f"{tag}  - {one_line(value)}" for tag, value in lines if one_line(value))
    return body + "\nER  - "
