"""Regular expressions that scan long texts, compiled so Python's ``re`` can skip ahead.

A pattern that opens with a lookbehind (``(?<![\\w-])Erfurt``) makes ``re`` try every
position of the text in turn, which costs a crawl several milliseconds per record. Put a
lookahead for the characters a match can start with in front of it, and ``re`` jumps from
one such character to the next: the same matches, five to ten times faster on a post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def first_letters(words: Iterable[str], *, lower: bool = False, digits: bool = False) -> str:
    """A character class of the first characters of ``words``: ``["bis", "ab"]`` -> ``[ab]``.

    With ``lower`` the letters are lower-cased, for patterns compiled with ``re.IGNORECASE``;
    with ``digits`` the class takes ``\\d`` too.
    """
    letters = sorted({(word[0].lower() if lower else word[0]) for word in words if word})
    return "[" + ("\\d" if digits else "") + "".join(re.escape(c) for c in letters) + "]"


# Every guarded pattern with its plain form, (guarded, pattern, flags): tests compare them.
GUARDED: list[tuple[re.Pattern[str], str, int]] = []


def guarded(pattern: str, first: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled behind a lookahead for ``first``, the class of characters every
    match of ``pattern`` starts with. A wrong ``first`` loses matches: build it from the
    words the pattern is made of; the tests check each guarded pattern against its plain
    form (see :data:`GUARDED`)."""
    compiled = re.compile(f"(?={first})(?:{pattern})", flags)
    GUARDED.append((compiled, pattern, flags))
    return compiled


__all__ = ["GUARDED", "first_letters", "guarded"]
