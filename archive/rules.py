"""The version of the rules that build records: a digest of their code, data and libraries.

A crawl reuses a stored record instead of building it again when the item is the one
that built it *and* the rules are the ones that built it (``crawler.normalise``). The
rules are found by walking the imports of the modules that build and check a record
(:data:`ROOTS`) inside ``archive/``, so a new rule module is covered the day
``records.py`` (or a module it imports) imports it; nobody has to remember a list.
Besides their bytes the version covers the schema files (read as package data, not
imported), the versions of the third-party libraries those modules import (lxml's HTML
parser, pypdf's text extraction, the validators) and Python's (its Unicode tables
normalise every text).
"""

from __future__ import annotations

import ast
import hashlib
import sys
import unicodedata
from functools import cache
from importlib import metadata, resources
from pathlib import Path

ARCHIVE_DIR = Path(__file__).resolve().parent
# Where building a record starts: the recipe, the schema check, the PDF texts.
ROOTS = ("archive.records", "archive.validation", "archive.pdftext")
# The package whose files hold the record schema (read by archive/schema.py).
SCHEMA_PACKAGE = "schemas"


def _module_file(name: str) -> Path | None:
    """The source file of an ``archive`` module or package, or None if there is none."""
    parts = name.split(".")
    if parts[0] != "archive":
        return None
    base = ARCHIVE_DIR.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _imports(name: str, path: Path) -> tuple[set[str], set[str]]:
    """(``archive`` modules, top-level third-party names) that a module imports anywhere
    (inside functions too: the normaliser imports the PDF reader late)."""
    local, foreign = set(), set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the module's package
                package = _package_of(name, path).split(".")
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            # ``from archive import ids`` names a module, ``from archive.x import f`` does not:
            # both are tried, only files that exist count.
            targets = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "archive":
                local.add(target)
            elif target and target.split(".")[0] not in sys.stdlib_module_names:
                foreign.add(target.split(".")[0])
    return local, foreign


def rule_files() -> tuple[list[Path], set[str]]:
    """The source files that build a record (sorted) and the third-party modules they import."""
    seen: dict[str, Path] = {}
    foreign: set[str] = set()
    todo = list(ROOTS)
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if path is None or name in seen:
            continue
        seen[name] = path
        local, outside = _imports(name, path)
        foreign |= outside
        todo.extend(local - seen.keys())
    return sorted(set(seen.values())), foreign - {SCHEMA_PACKAGE}


# Distributions named otherwise than the module they install (the rest are looked up by
# the module's name first: ``packages_distributions`` reads every installed package's
# metadata, a quarter of a second the crawl would wait for).
DISTRIBUTIONS = {"dateutil": "python-dateutil", "jsonschema_rs": "jsonschema-rs"}


def _library_versions(modules: set[str]) -> list[str]:
    versions = []
    for module in sorted(modules):
        name = DISTRIBUTIONS.get(module, module)
        try:
            versions.append(f"{name}=={metadata.version(name)}")
            continue
        except metadata.PackageNotFoundError:
            pass
        for distribution in sorted(metadata.packages_distributions().get(module, [module])):
            try:
                versions.append(f"{distribution}=={metadata.version(distribution)}")
            except metadata.PackageNotFoundError:
                versions.append(f"{distribution}==?")
    return versions


def _schema_files() -> list[tuple[str, bytes]]:
    root = resources.files(SCHEMA_PACKAGE)
    return sorted(
        (entry.name, entry.read_bytes())
        for entry in root.iterdir()
        if entry.is_file() and not entry.name.endswith(".pyc")
    )


@cache
def rules_version(*extra: Path) -> str:
    """A SHA-256 of everything that builds a record besides the item: the rule modules'
    bytes, the schema files, the libraries' and Python's versions, and the ``extra`` files
    (the caller's own glue, e.g. ``crawler/normalise.py``). Computed once per process."""
    digest = hashlib.sha256()
    files, foreign = rule_files()
    for path in [*files, *extra]:
        name = (
            path.relative_to(ARCHIVE_DIR.parent)
            if path.is_relative_to(ARCHIVE_DIR.parent)
            else path
        )
        digest.update(f"file {name.as_posix()}\n".encode())
        digest.update(path.read_bytes())
    for name, data in _schema_files():
        digest.update(f"schema {name}\n".encode())
        digest.update(data)
    for line in _library_versions(foreign):
        digest.update(f"library {line}\n".encode())
    python = (
        f"python {sys.version_info[0]}.{sys.version_info[1]} unicode {unicodedata.unidata_version}"
    )
    digest.update(python.encode())
    return digest.hexdigest()
