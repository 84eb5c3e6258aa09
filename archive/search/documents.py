"""From a record to the fields the search index keeps: pure functions, no Whoosh.

Dates: a record's ``date`` may be partial (``2023``, ``2023-10``). It is indexed as the
range of days it stands for, ``date_start`` .. ``date_end`` (``2023`` -> 2023-01-01 ..
2023-12-31). A date filter matches a record when the two ranges overlap: ``--from
2023-10`` finds a record dated ``2023`` (it may be from October), ``--to 2023-09`` finds
it too, ``--from 2024`` does not. Sorting by date uses the range's start.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
FIELD_SEPARATOR = "\n"  # between the values of a multi-valued field
PART_BREAK = "\u2029"  # between the parts of a field: no phrase spans it
# How much of each text of a record is indexed and stored for snippets: the text, the
# summary, the attachments' text, the citation. About 30,000 words (a long report); one
# 20 MB post once made a rebuild take 157 s and 1 GB and every search 3.8 s. Words past
# the cut are not found; the store keeps the whole record.
MAX_INDEXED_CHARS = 200_000


class InvalidDateError(ValueError):
    """A date that is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""


def date_range(partial: str) -> tuple[date, date]:
    """The first and last day a partial ISO date stands for.

    >>> date_range("2023-02")
    (datetime.date(2023, 2, 1), datetime.date(2023, 2, 28))
    """
    match = PARTIAL_DATE.match(partial.strip()) if isinstance(partial, str) else None
    if not match:
        raise InvalidDateError(f"not a date: {partial!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match["year"])
    try:
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            return day, day
        if match["month"]:
            month = int(match["month"])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError as error:
        raise InvalidDateError(f"not a date: {partial!r} ({error})") from None


def day_number(day: date) -> int:
    """A date as the integer ``YYYYMMDD`` (what the index stores and compares)."""
    return day.year * 10_000 + day.month * 100 + day.day


def display_title(record: dict) -> str:
    """The title that says what the record is about on its own."""
    return record.get("display_title") or record["title"]


def _names(people: list[dict] | None) -> list[str]:
    return [
        " ".join(p for p in (n.get("given", ""), n.get("family", "")) if p) for n in people or ()
    ]


def _joined(values) -> str:
    return FIELD_SEPARATOR.join(v for v in values if v)


def capped(text: str, limit: int = MAX_INDEXED_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters, at the last whitespace before the cut
    (so no word is indexed half), or at the limit when the tail holds none."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(" ", 0, limit + 1), text.rfind("\n", 0, limit + 1))
    return text[: cut if cut > limit // 2 else limit]


def index_document(record: dict) -> dict:
    """The index fields of a schema-valid record (strings, ints; nothing Whoosh-specific).

    ``body`` gathers everything searched besides the title and the people: the text, the
    summary where it is not part of the text, the attachments' text, the citation, the
    organisations and the places, separated by ``PART_BREAK`` so that no phrase spans two
    of them.
    """
    reference = record.get("reference") or {}
    names = _names(reference.get("authors")) + _names(reference.get("editors"))
    people = list(dict.fromkeys([*record.get("people", ()), *names]))
    title = display_title(record)
    topic = record.get("topic") or ""
    title_text = capped(_joined([title, topic if topic not in title else ""]))
    text = capped(record.get("text", ""))
    summary = capped(record.get("summary", ""))
    attachment_text = capped(_joined(a.get("text") or "" for a in record.get("attachments", ())))
    reference_text = capped(
        _joined(
            [
                reference.get("raw", ""),
                reference.get("title", ""),
                reference.get("container", ""),
                reference.get("outlet", ""),
                reference.get("publisher", ""),
                *names,
            ]
        )
    )
    body = PART_BREAK.join(
        part
        for part in (
            text,
            summary if summary.strip() and summary.strip() not in text else "",
            attachment_text,
            reference_text,
            capped(_joined(record.get("organisations", ()))),
            capped(_joined(record.get("places", ()))),
        )
        if part
    )
    start, end = date_range(record["date"])
    return {
        "id": record["id"],
        "url": record["url"],
        "type": record["type"],
        "date": record["date"],
        "display_title": title,
        "summary": summary,
        "text": text,
        "attachment": attachment_text,
        "title": title_text,
        "body": body,
        "person": _joined(people),
        "place": _joined(record.get("places", ())),
        "person_facet": _joined(people),
        "place_facet": _joined(record.get("places", ())),
        "category": _joined(record.get("categories", ())),
        "year": start.year,
        "date_start": day_number(start),
        "date_end": day_number(end),
        "day": start.toordinal(),
    }


def pairs_text(document: dict) -> str:
    """The text whose adjacent word pairs answer phrase queries: title, then body."""
    return document["title"] + PART_BREAK + document["body"]


def vocabulary_texts(document: dict) -> list[str]:
    """The texts of an index document whose words form the compound vocabulary."""
    return [document["title"], document["body"]]
