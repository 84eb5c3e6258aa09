"""What the command line needs besides its commands: text that is safe to print on a
terminal, JSON that stays valid UTF-8, query words that start with ``-``, and the library's
errors turned into one line and exit 1.

Kept apart from ``search_app.cli`` so that the commands stay declarations and calls; it
imports nothing heavy (``--help`` stays instant).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import click

# Unicode categories that must not reach a terminal raw: control characters (ANSI escape
# sequences start with ESC), format characters (bidi overrides, zero-width ones),
# surrogates (undecodable bytes) and private-use ones.
UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_SPACES = re.compile(r"[\t\n\r\x0b\x0c]+")


def printable(text: object) -> str:
    """``text`` for a terminal line: line breaks and tabs become one space, every other
    control, format or surrogate character is dropped (``\\x1b[31m`` shows as ``[31m``;
    a right-to-left override cannot turn the rest of the line around)."""
    spaced = _SPACES.sub(" ", str(text))
    return "".join(
        character
        for character in spaced
        if unicodedata.category(character) not in UNPRINTABLE_CATEGORIES
    )


def json_text(payload: object) -> str:
    """``payload`` as indented JSON, UTF-8 text kept readable, but every control, format
    or surrogate character written as a ``\\uXXXX`` escape (they can only stand inside
    strings): the output is valid UTF-8 and shows nothing hidden on a terminal."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    # json.dumps escapes C0 controls inside strings already: a raw line break here is the
    # indentation's and stays.
    return "".join(
        f"\\u{ord(character):04x}"
        if character != "\n" and unicodedata.category(character) in UNPRINTABLE_CATEGORIES
        else character
        for character in text
    )


def argument_text(value: str) -> str:
    """A command-line argument as text: bytes that were not UTF-8 (which Python keeps as
    lone surrogates) become U+FFFD, as any UTF-8 decoder would show them."""
    try:
        return os.fsencode(value).decode("utf-8", "replace")
    except UnicodeError:  # a surrogate that no byte made
        return value.encode("utf-8", "replace").decode("utf-8")


class WordsCommand(click.Command):
    """A command whose argument is free text, so that ``search -Armut Teilhabe`` is a query
    (``-word`` excludes a word) and not an unknown option ``-A``.

    Before click parses, every argument that is neither one of the command's options
    (with its value) nor an option-like ``--word`` is moved behind a ``--``. Single-dash
    words are therefore always text, except ``-h`` (help); unknown ``--options`` remain
    errors, so a typo such as ``--jsn`` is not searched for.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: set[str] = set()
        known: set[str] = set(ctx.help_option_names)
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                known.update(param.opts)
                if not param.is_flag and not param.count:
                    takes_value.update(param.opts)
        options: list[str] = []
        words: list[str] = []
        remaining = list(args)
        while remaining:
            arg = remaining.pop(0)
            if arg == "--":
                words.extend(remaining)
                break
            name = arg.split("=", 1)[0]
            if arg in known or (name in known and arg.startswith("--")):
                options.append(arg)
                if arg in takes_value and remaining:
                    options.append(remaining.pop(0))
            elif arg.startswith("--") and len(arg) > 2:
                options.append(arg)  # an unknown --option: click says so
            else:
                words.append(arg)
        return super().parse_args(ctx, [*options, "--", *words] if words else options)


class BadValue(click.ClickException):
    """A bad value in one line and exit 2, a usage error (click's own errors print the
    usage first; a limit from the environment or ``crawl.toml`` is no option at all)."""

    exit_code = 2


@contextlib.contextmanager
def library_errors(store_path: Path | None = None) -> Iterator[None]:
    """Turn the library's errors about missing or damaged files into one line on stderr
    and exit 1 (``click.ClickException``), and invalid search options (``QueryError``)
    into a usage error (exit 2). ``store_path``: the store a job opened itself, whose
    SQLite errors mean damage."""
    from archive.facade import ArchiveMissingError
    from archive.store import StoreDamagedError, damaged_store, is_damage

    try:
        yield
    except (StoreDamagedError, ArchiveMissingError) as error:
        raise click.ClickException(str(error)) from error
    except sqlite3.DatabaseError as error:
        if store_path is not None and is_damage(error):
            raise click.ClickException(str(damaged_store(store_path, error))) from error
        raise
    except Exception as error:
        search = sys.modules.get("archive.search")  # loaded if the command searched
        if search is not None and isinstance(error, search.QueryError):
            raise click.UsageError(str(error)) from error
        if search is not None and isinstance(error, search.SearchIndexError):
            raise click.ClickException(str(error)) from error
        raise
