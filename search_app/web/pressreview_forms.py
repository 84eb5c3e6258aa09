"""The Pressespiegel's form fields, read and checked before anything is changed.

Every value a form sends is checked here with the press review's own rules (lengths,
periods, names, from ``archive.pressreview.rules``), and anything wrong is a German 400
that names the field: a view only ever passes checked values to the library. Also the
notes that tell the user what adding records did, kept short enough for the session
cookie that carries them to the next page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from archive.pressreview.errors import PressReviewError
from archive.pressreview.model import AddOutcome
from archive.pressreview.rules import NAME, check_period, checked_text, clean_text
from search_app.web import errors
from search_app.web.records import RecordIdConverter

RECORD_ID = re.compile(RecordIdConverter.regex)
MAX_NUMBER = 10**12  # item, section and position numbers: SQLite's ids stay far below
MAX_ORDER = 1000  # items in one section's new order (a review holds at most 500)
MAX_PATH = 4000  # a page to return to (a search's URL may be long)
# The notes after adding records travel in the session cookie (about 4 KB at most): a
# whole search's refusals are counted, and only the first few are quoted, each cut short.
NOTES_QUOTED = 3
NOTE_CHARS = 160


def text(form: Mapping, field: str, label: str, limit: int, *, required: bool = False) -> str:
    """A text field, cleaned (``rules.checked_text``); 400 when too long or missing."""
    try:
        return checked_text(form.get(field, ""), label, limit, required=required)
    except PressReviewError as error:
        raise errors.bad_request(str(error)) from None


def optional_text(form: Mapping, field: str, label: str, limit: int) -> str | None:
    """A text field, or None when the form has no such field (it keeps the value)."""
    return text(form, field, label, limit) if field in form else None


def period(form: Mapping) -> tuple[str, str]:
    """The period's ends (``date_from``, ``date_to``) as typed, '' for an open end; 400
    when one is no partial date or the start is after the end."""
    date_from = form.get("date_from", "").strip()
    date_to = form.get("date_to", "").strip()
    try:
        check_period(date_from or None, date_to or None)
    except PressReviewError as error:
        raise errors.bad_request(str(error)) from None
    return date_from, date_to


def number(form: Mapping, field: str, label: str) -> int:
    """A whole number from 0 (an id or a position); 400 otherwise."""
    return parse_number(form.get(field, ""), label)


def optional_number(form: Mapping, field: str, label: str) -> int | None:
    """A whole number, or None when the field is missing or empty."""
    value = form.get(field, "")
    return None if value == "" else parse_number(value, label)


def parse_number(value: str, label: str) -> int:
    """``value`` as a whole number from 0; 400 otherwise."""
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or int(value) > MAX_NUMBER:
        raise errors.bad_request(f"{label}: „{clean_text(value)[:20]}“ ist keine gültige Nummer.")
    return int(value)


def numbers(form, field: str, label: str) -> list[int]:
    """Every value of a repeated field as whole numbers (a section's new order)."""
    values = form.getlist(field)
    if len(values) > MAX_ORDER:
        raise errors.bad_request(f"{label}: zu viele Angaben (höchstens {MAX_ORDER}).")
    return [parse_number(value, label) for value in values]


def review_name(value: str) -> str:
    """A saved review's name as the form sends it; 400 when it cannot be one."""
    if not NAME.match(value or ""):
        raise errors.bad_request("Bitte einen gespeicherten Pressespiegel auswählen.")
    return value


def optional_review_name(form: Mapping) -> str | None:
    """The name a new review asks for, or None (one is made from the title)."""
    value = form.get("name", "").strip()
    if not value:
        return None
    if not NAME.match(value):
        raise errors.bad_request(
            f"Kurzname: „{clean_text(value)[:80]}“ geht nicht. Erlaubt sind Kleinbuchstaben, "
            "Ziffern und Bindestriche (bis 80 Zeichen), etwa „pressespiegel-2026-03“."
        )
    return value


def record_id(value: str) -> str:
    """A record id (``wp-<n>``, ``pub-<hex>``, ``url-<hex>``); 400 for anything else."""
    if not RECORD_ID.fullmatch(value or ""):
        raise errors.bad_request(
            f"„{clean_text(value or '')[:40]}“ ist keine Kennung eines Eintrags im Archiv."
        )
    return value


def checkbox(form: Mapping, field: str) -> bool | None:
    """A checkbox: True when ticked, False when the form showed it unticked (it sends a
    hidden ``<field>_shown``), None when the form did not have it."""
    if field in form:
        return True
    return False if f"{field}_shown" in form else None


def local_path(value: str | None, default: str) -> str:
    """``value`` when it is a path on this site (a page to return to), else ``default``:
    never an address elsewhere (``//host``, ``https:``, a backslash that browsers read as a
    slash)."""
    if (
        not value
        or len(value) > MAX_PATH
        or not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or any(ord(char) < 32 or ord(char) == 127 for char in value)
    ):
        return default
    return value


def outcome_notes(outcome: AddOutcome, review_title: str) -> list[tuple[str, str]]:
    """What adding did, as (category, sentence) notes: how many were added, each refusal
    quoted (the library's own sentence) up to :data:`NOTES_QUOTED`, the rest counted."""
    notes: list[tuple[str, str]] = []
    title = _short(review_title)
    added = len(outcome.added)
    if added == 1:
        notes.append(("ok", f"„{_short(outcome.added[0].shown_title)}“ steht jetzt im "
                            f"Pressespiegel „{title}“."))  # fmt: skip
    elif added:
        notes.append(("ok", f"{added} Einträge zum Pressespiegel „{title}“ hinzugefügt."))
    for refusal in outcome.refused[:NOTES_QUOTED]:
        notes.append(("note", _short(refusal.message)))
    rest = len(outcome.refused) - NOTES_QUOTED
    if rest > 0:
        notes.append(("note", f"{rest} weitere Einträge nicht hinzugefügt."))
    return notes


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= NOTE_CHARS else value[: NOTE_CHARS - 1] + "…"
