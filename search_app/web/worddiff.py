"""A word-level diff of two texts, for comparing two versions of a record.

``difflib.SequenceMatcher`` over the words (paragraph breaks count as words of their own,
so a moved paragraph break shows too). The result is plain segments; the template puts
deletions in ``<del>`` and insertions in ``<ins>``, escaping every word.

The matcher is quadratic on repetitive text: a 120,000-word post (the hostile site's large
page) kept one request busy for minutes. So the common start and end are found first (in
linear time; two versions of a post mostly differ in a few places), and what lies between
is matched word by word only up to :data:`MAX_DIFF_WORDS` a side (a fraction of a second
at worst); a longer middle is shown as one deletion and one insertion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

PARAGRAPH_BREAK = "\n\n"
MAX_DIFF_WORDS = 2000  # words a side between the common start and end, matched one by one
_TOKENS = re.compile(r"\n\s*\n|\S+")


@dataclass(frozen=True)
class Segment:
    """A run of words that is the same in both texts (``equal``), only in the old one
    (``delete``) or only in the new one (``insert``). ``lead`` is the white space before
    it (outside the ``<del>``/``<ins>``), so the equal and deleted segments give the old
    text back and the equal and inserted ones the new text."""

    op: str
    text: str
    lead: str = ""


@dataclass(frozen=True)
class WordDiff:
    """The segments of a diff and how many words each side lost or gained."""

    segments: list[Segment]
    deleted: int
    inserted: int

    @property
    def changed(self) -> bool:
        """True when the texts differ in their words."""
        return bool(self.deleted or self.inserted)


def words(text: str) -> list[str]:
    """The words of ``text``, paragraph breaks as ``"\\n\\n"`` tokens."""
    return [PARAGRAPH_BREAK if token.isspace() else token for token in _TOKENS.findall(text or "")]


def _join(tokens: list[str]) -> str:
    out = ""
    for token in tokens:
        if out and token != PARAGRAPH_BREAK and not out.endswith(PARAGRAPH_BREAK):
            out += " "
        out += token
    return out


def word_diff(old: str, new: str) -> WordDiff:
    """The word-level difference from ``old`` to ``new``."""
    old_words, new_words = words(old), words(new)
    segments: list[Segment] = []
    deleted = inserted = 0
    # The last word of each text so far: a segment is led by a space unless a text starts
    # there or a paragraph break is on either side.
    last = {"old": "", "new": ""}
    for op, a1, a2, b1, b2 in _opcodes(old_words, new_words):
        runs = []
        if op == "equal":
            runs.append(("equal", old_words[a1:a2]))
        else:
            if a2 > a1:
                runs.append(("delete", old_words[a1:a2]))
                deleted += a2 - a1
            if b2 > b1:
                runs.append(("insert", new_words[b1:b2]))
                inserted += b2 - b1
        for kind, tokens in runs:
            side = "old" if kind == "delete" else "new"
            before = last[side]
            lead = "" if not before or _touches_break(before, tokens[0]) else " "
            segments.append(Segment(kind, _join(tokens), lead))
            if kind == "equal":
                last["old"] = last["new"] = tokens[-1]
            else:
                last[side] = tokens[-1]
    return WordDiff(segments=segments, deleted=deleted, inserted=inserted)


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """``SequenceMatcher.get_opcodes()`` of ``old`` and ``new``, bounded (see the module)."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old_end, new_end = len(old) - end, len(new) - end
    opcodes = [("equal", 0, start, 0, start)] if start else []
    if old_end - start > MAX_DIFF_WORDS or new_end - start > MAX_DIFF_WORDS:
        opcodes.append(("replace", start, old_end, start, new_end))
    elif old_end > start or new_end > start:
        matcher = SequenceMatcher(a=old[start:old_end], b=new[start:new_end], autojunk=False)
        opcodes += [
            (op, a1 + start, a2 + start, b1 + start, b2 + start)
            for op, a1, a2, b1, b2 in matcher.get_opcodes()
        ]
    if end:
        opcodes.append(("equal", old_end, len(old), new_end, len(new)))
    return opcodes


def _touches_break(before: str, after: str) -> bool:
    return before == PARAGRAPH_BREAK or after == PARAGRAPH_BREAK
