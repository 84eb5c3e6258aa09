"""The record schema, read from the installed ``schemas`` package, and what it enumerates.

The schema is the one owner of the record types: every list of them in the code is
:data:`RECORD_TYPES`, read from the schema's ``type`` enum.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

SCHEMA_PACKAGE = "schemas"
RECORD_SCHEMA = "record.schema.json"


@lru_cache(maxsize=1)
def record_schema() -> dict:
    """The record schema (JSON Schema 2020-12) as a dict; do not modify it."""
    text = resources.files(SCHEMA_PACKAGE).joinpath(RECORD_SCHEMA).read_text(encoding="utf-8")
    return json.loads(text)


def _enum(name: str) -> tuple[str, ...]:
    return tuple(record_schema()["properties"][name]["enum"])


RECORD_TYPES: tuple[str, ...] = _enum("type")
"""Every record type, in the schema's order: news, press releases, events, ..."""

CITATION_TYPES: tuple[str, ...] = ("publication", "press_coverage")
"""Types whose records are citations from a list, with no text of their own."""

ENTRY_TYPES: tuple[str, ...] = tuple(t for t in RECORD_TYPES if t not in CITATION_TYPES)
"""Types whose records are posts or pages with a text of their own."""

# What one record of each type is called in German (feeds, the press review).
TYPE_NAMES: dict[str, str] = {
    "news": "Meldung",
    "press_release": "Pressemitteilung",
    "event": "Termin",
    "publication": "Publikation",
    "press_coverage": "Pressebericht",
    "page": "Seite",
}
