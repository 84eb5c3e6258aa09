"""Write records out: JSON Lines, CSV, and citations (BibTeX, RIS, CSL-JSON)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import TextIO

FORMATS = ("jsonl", "csv", "bibtex", "ris", "csljson")
CSV_COLUMNS = (
    "id",
    "type",
    "date",
    "title",
    "url",
    "summary",
    "people",
    "places",
    "categories",
    "published",
    "topic",
)
LIST_SEPARATOR = "; "
# Record type -> (CSL type, RIS type, BibTeX type) for records that are not citations.
ENTRY_TYPES = {
    "news": ("post-weblog", "BLOG", "online"),
    "press_release": ("post-weblog", "PRESS", "online"),
    "event": ("event", "GEN", "misc"),
    "press_coverage": ("article-newspaper", "NEWS", "article"),
    "page": ("webpage", "ELEC", "online"),
}
# Citation form (archive.citations' ``kind``) -> (CSL type, RIS type, BibTeX type).
REFERENCE_TYPES = {
    "book": ("book", "BOOK", "book"),
    "edited_book": ("book", "EDBOOK", "book"),
    "journal_issue": ("periodical", "JFULL", "book"),
    "chapter": ("chapter", "CHAP", "incollection"),
    "article": ("article-journal", "JOUR", "article"),
    "report": ("report", "RPRT", "techreport"),
    "press": ("article-newspaper", "NEWS", "article"),
}
INSTITUTE = "Institut für kommunale Planung und Entwicklung (IKPE)"


def _types(record: dict) -> tuple[str, str, str]:
    reference = record.get("reference") or {}
    if reference.get("kind") in REFERENCE_TYPES:
        return REFERENCE_TYPES[reference["kind"]]
    if record["type"] == "publication":
        return ("book", "GEN", "misc")
    return ENTRY_TYPES.get(record["type"], ("webpage", "ELEC", "online"))


def _date_parts(value: str) -> list[int]:
    return [int(part) for part in value.split("-") if part.isdigit()]


def to_csl(record: dict) -> dict:
    """A CSL-JSON item for a record."""
    reference = record.get("reference") or {}
    csl_type = _types(record)[0]
    item: dict = {
        "id": record["id"],
        "type": csl_type,
        "title": reference.get("title") or record.get("display_title") or record["title"],
        "URL": record["url"],
        "language": "de",
    }
    if record.get("date"):
        item["issued"] = {"date-parts": [_date_parts(record["date"])]}
    for role in ("authors", "editors"):
        names = [{"family": p["family"], "given": p["given"]} for p in reference.get(role, [])]
        if names:
            item["author" if role == "authors" else "editor"] = names
    if not reference:
        item["author"] = [{"literal": INSTITUTE}]
        item["container-title"] = "IKPE Erfurt – Website"
    for csl_key, ref_key in (
        ("container-title", "container"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("page", "pages"),
        ("publisher", "publisher"),
        ("publisher-place", "place"),
        ("DOI", "doi"),
    ):
        if reference.get(ref_key):
            item[csl_key] = reference[ref_key]
    if reference.get("outlet"):
        item["container-title"] = reference["outlet"]
    if record.get("summary"):
        item["abstract"] = record["summary"]
    return item


def to_ris(record: dict) -> str:
    """A RIS entry for a record."""
    reference = record.get("reference") or {}
    csl = to_csl(record)
    lines = [f"TY  - {_types(record)[1]}", f"ID  - {record['id']}", f"TI  - {csl['title']}"]
    for person in reference.get("authors", []):
        lines.append(f"AU  - {person['family']}, {person['given']}".rstrip(", "))
    for person in reference.get("editors", []):
        lines.append(f"ED  - {person['family']}, {person['given']}".rstrip(", "))
    if not reference:
        lines.append(f"AU  - {INSTITUTE}")
    if record.get("date"):
        parts = record["date"].split("-")
        lines.append(f"PY  - {parts[0]}")
        lines.append("DA  - " + "/".join(parts + [""] * (3 - len(parts))) + "/")
    for tag, key in (
        ("T2", "container-title"),
        ("VL", "volume"),
        ("IS", "issue"),
        ("SP", "page"),
        ("PB", "publisher"),
        ("CY", "publisher-place"),
        ("DO", "DOI"),
        ("AB", "abstract"),
    ):
        if csl.get(key):
            lines.append(f"{tag}  - {csl[key]}")
    lines += [f"UR  - {record['url']}", "LA  - de", "ER  - "]
    return "\n".join(lines)


def _bibtex_escape(value: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", value)


def _bibtex_key(record: dict) -> str:
    reference = record.get("reference") or {}
    people = reference.get("authors") or reference.get("editors") or []
    stem = people[0]["family"] if people else "IKPE"
    stem = (
        re.sub(
            r"[^A-Za-z0-9]",
            "",
            stem.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"),
        )
        or "IKPE"
    )
    return f"{stem}{record.get('date', '')[:4]}-{record['id'][-8:]}"


def to_bibtex(record: dict) -> str:
    """A BibTeX entry for a record (UTF-8, for biblatex)."""
    reference = record.get("reference") or {}
    csl = to_csl(record)
    fields: list[tuple[str, str]] = [("title", f"{{{csl['title']}}}")]
    for role, name in (("authors", "author"), ("editors", "editor")):
        people = reference.get(role, [])
        if people:
            joined = " and ".join(f"{p['family']}, {p['given']}".rstrip(", ") for p in people)
            fields.append((name, joined))
    if not reference:
        fields.append(("author", f"{{{INSTITUTE}}}"))
    if record.get("date"):
        fields.append(("date", record["date"]))
        fields.append(("year", record["date"][:4]))
    for bib_key, key in (
        ("booktitle" if _types(record)[2] == "incollection" else "journal", "container-title"),
        ("volume", "volume"),
        ("number", "issue"),
        ("pages", "page"),
        ("publisher", "publisher"),
        ("address", "publisher-place"),
        ("doi", "DOI"),
    ):
        if csl.get(key):
            fields.append((bib_key, csl[key]))
    fields += [("url", record["url"]), ("langid", "ngerman")]
    body = ",\n".join(
        f"  {k} = {{{_bibtex_escape(v) if k not in ('url', 'doi') else v}}}" for k, v in fields
    )
    return f"@{_types(record)[2]}{{{_bibtex_key(record)},\n{body}\n}}"


def _csv_row(record: dict) -> list[str]:
    row = []
    for column in CSV_COLUMNS:
        value = record.get(column)
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        row.append("" if value is None else str(value))
    return row


def write(records: Iterable[dict], fmt: str, out: TextIO) -> int:
    """Write ``records`` (already in order) in ``fmt``; return how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format: {fmt}")
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for record in records:
            writer.writerow(_csv_row(record))
            count += 1
    elif fmt == "csljson":
        items = [to_csl(r) for r in records]
        json.dump(items, out, ensure_ascii=False, indent=2)
        out.write("\n")
        count = len(items)
    else:
        for record in records:
            if fmt == "jsonl":
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            else:
                out.write((to_ris(record) if fmt == "ris" else to_bibtex(record)) + "\n\n")
            count += 1
    return count


def export_text(records: Iterable[dict], fmt: str) -> str:
    """The export as a string (for the web app's downloads)."""
    buffer = io.StringIO()
    write(records, fmt, buffer)
    return buffer.getvalue()
