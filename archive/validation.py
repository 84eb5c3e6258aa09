"""Validate records against the record schema (JSON Schema 2020-12, :mod:`archive.schema`).

Every record is checked by ``jsonschema-rs`` (compiled, about 40 times faster than the
pure-Python ``jsonschema``: a crawl validates thousands of records). Only a record that
fails is checked again by ``jsonschema``, whose messages and paths the reports show.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jsonschema_rs
from jsonschema import Draft202012Validator

from archive.schema import record_schema


@dataclass(frozen=True)
class Problem:
    """One way a record breaks the schema: where (a JSON pointer) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


def _inline_refs(node, definitions: dict):
    """The schema with its local ``#/$defs/...`` references replaced by their targets.

    The schema file keeps ``$defs`` for readers; validating against the inlined form
    spares jsonschema a reference lookup per field per record (a third of its time).
    """
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        rest = {k: _inline_refs(v, definitions) for k, v in node.items()
                if k not in ("$defs", "$ref")}  # fmt: skip
        if ref.startswith("#/$defs/"):
            # Siblings of a $ref here are annotations (a description): merging is exact.
            return {**_inline_refs(definitions[ref.removeprefix("#/$defs/")], definitions), **rest}
        return {**rest, **({"$ref": ref} if ref else {})}
    if isinstance(node, list):
        return [_inline_refs(v, definitions) for v in node]
    return node


@lru_cache(maxsize=1)
def _schema() -> dict:
    schema = record_schema()
    Draft202012Validator.check_schema(schema)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = _schema()
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


@lru_cache(maxsize=1)
def _fast_validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(_schema())


def _pointer(parts) -> str:
    return "/" + "/".join(str(part) for part in parts)


def problems(record: dict) -> list[Problem]:
    """Everything wrong with ``record``; an empty list means it is valid."""
    if _fast_validator().is_valid(record):
        return []
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    found = [Problem(_pointer(e.absolute_path), e.message[:300]) for e in errors]
    if not found:  # the two validators disagree: trust the stricter one, and say so
        found = [
            Problem(_pointer(e.instance_path), f"{e.message[:280]} (jsonschema-rs)")
            for e in _fast_validator().iter_errors(record)
        ]
    return found


class InvalidRecord(ValueError):
    """A record that breaks the schema; it names the URL and the failing paths."""

    def __init__(self, url: str, found: list[Problem]) -> None:
        self.url = url
        self.problems = found
        super().__init__(f"invalid record {url}: " + "; ".join(str(p) for p in found[:5]))


def check(record: dict) -> dict:
    """Return ``record`` if valid, else raise ``InvalidRecord``."""
    found = problems(record)
    if found:
        raise InvalidRecord(str(record.get("url", "?")), found)
    return record
