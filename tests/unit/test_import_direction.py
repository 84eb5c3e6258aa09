"""The house's arrows point one way: archive <- crawler <- search_app.

Read from the source with ``ast`` (imports inside functions count too), so a forbidden
import fails here even when no test runs the line that holds it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import PROJECT_ROOT

# room -> top-level modules it must never import
FORBIDDEN = {
    "archive": {"crawler", "search_app", "replica", "scrapy", "twisted", "flask", "werkzeug",
                "gunicorn", "click"},
    "crawler": {"search_app", "replica", "flask", "werkzeug", "gunicorn", "whoosh"},
    "replica": {"archive", "crawler", "search_app", "scrapy", "flask"},
}
# modules of another room that a room must not import (finer than top-level names)
FORBIDDEN_MODULES = {
    "crawler": ("archive.search", "archive.sync", "archive.facade"),
}
WHOOSH_OWNER = ("archive", "search")


def imports_of(path: Path) -> list[str]:
    """Every module ``path`` imports, absolute names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def sources(room: str) -> list[Path]:
    return sorted((PROJECT_ROOT / room).rglob("*.py"))


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_rooms_import_only_downwards(room: str) -> None:
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}: {name}"
        for path in sources(room)
        for name in imports_of(path)
        if name.split(".")[0] in FORBIDDEN[room]
        or name.startswith(FORBIDDEN_MODULES.get(room, ("\0",)))
    ]
    assert offenders == []


def test_only_the_search_package_imports_whoosh() -> None:
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for room in ("archive", "crawler", "search_app", "replica")
        for path in sources(room)
        if path.relative_to(PROJECT_ROOT).parts[:2] != WHOOSH_OWNER
        and any(name.split(".")[0] == "whoosh" for name in imports_of(path))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import scrapy", ["scrapy"]),
        ("from crawler.extract import x", ["crawler.extract", "crawler.extract.x"]),
        ("def f():\n    import flask", ["flask"]),
        ("from . import sibling", []),
    ],
)
def test_imports_are_read_inside_functions_too(source: str, expected, tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(source)
    assert imports_of(path) == expected
