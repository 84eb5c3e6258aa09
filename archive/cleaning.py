"""The text of a record: page furniture out, credits aside, whitespace normalised.

Pure functions. The cleaner only removes or replaces with something no longer, so the
cleaned text is never longer than the NFC form of its input (a property test holds it to
that). Source spelling is kept: an archive does not edit its sources.

Decisions:

- Paragraphs are separated by exactly one blank line (``"\\n\\n"``). Single newlines inside
  a paragraph are kept: on this site they carry structure (addresses, contact cards, caption
  lines, programme items) that joining would lose.
- Noise is recognised line by line, so it is found whether a scraper kept blank lines or
  not. Only whole lines are dropped, except for the ``MEHR LESEN`` button glued onto a title
  (``MEHR LESENPressemitteilung``), a consent sentence, and a trailing ``(Foto IKPE)``.
- The listing doubling (teaser cut mid-sentence, ``MEHR LESEN``, then the full text) is
  recognised only around a read-more button and only when the full text after it begins
  with the teaser; paragraphs a post itself repeats are kept.
- Editor notes are dropped only when a short line is in the first person *and* talks about
  the layout (``Accordeon``, ``Slider``, ``Platzhalter``): conservative on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------

MIN_TEASER_CHARS = 20  # a shorter "teaser" is more likely a title or a heading
MAX_TEASER_LINES = 6  # lines before a read-more button that may form its teaser
MAX_CREDIT_CHARS = 120
MAX_EDITOR_NOTE_CHARS = 200

# Whole lines that are a read-more button.
READ_MORE_LINE = r"(?:mehr\s+lesen|weiterlesen|weiter\s+lesen|read\s+more)\s*[»›>…]*"
# The listing's button glued onto the next title or onto the teaser's last word.
GLUED_READ_MORE = "MEHR LESEN"

# Cookie-consent plugin: sentences removed wherever they stand, lines removed whole.
CONSENT_SENTENCES = (
    r"Sie haben den zur Verwendung von [\w .&-]{1,40}? benötigten Cookies nicht zugestimmt\.?",
)
CONSENT_LINES = (r"Entscheidung widerrufen",)

# Other whole-line noise: (rule name, pattern).
NOISE_LINES: tuple[tuple[str, str], ...] = (
    ("loading_placeholder", r"Bitte warten\s*(?:\.{2,}|…)?"),
    ("tab_number", r"\d{1,2}"),
    ("active_category", r"active\s+category"),
)

LOREM_IPSUM = r"lorem\s+ipsum"

# An editor's note: first person and about the page layout, on a short line of its own.
EDITOR_FIRST_PERSON = r"\b(?:ich|mir|mich)\b"
EDITOR_LAYOUT_WORDS = (
    r"acc?ou?rd[eé]on|akk?ord[eé]on|accordion|aufklapp|klappe\b.*\bauf\b|slider|kachel"
    r"|platzhalter|blindtext|layout|template|widget|shortcode"
)
EDITOR_MARKERS = r"^(?:\[?(?:TODO|FIXME|XXX)\b|\[(?:Anm(?:erkung)?\.?|Notiz)\b)"

# Photo credits: a line of their own, or a parenthesis closing a caption.
CREDIT_LABELS = r"(?:Fotos?|Fotografie|Bild(?:er)?|Montage|Grafik|Abbildung|Illustration)"
CREDIT_LINE = rf"(?:{CREDIT_LABELS}\s*(?:\(\d+\))?\s*:\s*\S.*|(?:©|\(c\)|Copyright)\s*\S.*)"
CREDIT_TRAILING = rf"\s*\((?P<credit>{CREDIT_LABELS}\s*:?\s*[^()]{{1,60}}|©\s*[^()]{{1,60}})\)\s*$"

# Characters that are not text: removed. Zero-width characters (ZWNJ and ZWJ too: they
# can hide text in a terminal; an emoji sequence they join falls apart into its emoji),
# soft hyphens, and bidi marks, embeddings, overrides and isolates, which can reorder what
# a terminal or a page shows ("Trojan Source").
ZERO_WIDTH = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Spaces of every width, and tabs: one plain space.
SPACE_LIKE = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\x0b\x0c"
)
# Line breaks of every kind: "\n" (a one-character break stays one character).
LINE_BREAKS = "\r\u2028\u2029\x85\x1c\x1d\x1e"

_READ_MORE_LINE_RE = re.compile(rf"{READ_MORE_LINE}", re.IGNORECASE)
_GLUED_START_RE = re.compile(rf"^{GLUED_READ_MORE}\s*(?=\S)")
_GLUED_END_RE = re.compile(rf"(?<=\S)\s*{GLUED_READ_MORE}$")
_CONSENT_SENTENCE_RES = tuple(re.compile(p, re.IGNORECASE) for p in CONSENT_SENTENCES)
_CONSENT_LINE_RES = tuple(re.compile(p, re.IGNORECASE) for p in CONSENT_LINES)
_NOISE_LINE_RES = tuple((name, re.compile(p, re.IGNORECASE)) for name, p in NOISE_LINES)
_LOREM_RE = re.compile(LOREM_IPSUM, re.IGNORECASE)
_EDITOR_PERSON_RE = re.compile(EDITOR_FIRST_PERSON, re.IGNORECASE)
_EDITOR_LAYOUT_RE = re.compile(EDITOR_LAYOUT_WORDS, re.IGNORECASE)
_EDITOR_MARKER_RE = re.compile(EDITOR_MARKERS)
_CREDIT_LINE_RE = re.compile(CREDIT_LINE)
_CREDIT_TRAILING_RE = re.compile(CREDIT_TRAILING)
_ELLIPSIS_RE = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|…|\.\.\.)\s*$")

_ODD_CHARACTERS = str.maketrans(
    {
        **dict.fromkeys(ZERO_WIDTH, None),
        **dict.fromkeys(SPACE_LIKE, " "),
        **dict.fromkeys(LINE_BREAKS, "\n"),
    }
)
# Most text has none of them: a regex finds out far faster than translate() would.
_ODD_CHARACTER_RE = re.compile(f"[{re.escape(ZERO_WIDTH + SPACE_LIKE + LINE_BREAKS)}]")
# Terminal escape sequences, removed whole (removing only the ESC would leave "[31m"):
# CSI ("ESC [ 1 ; 31 m", or the one-byte CSI), OSC ("ESC ] 0 ; title BEL"), other ESC x.
_ESCAPE_SEQUENCE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# Control characters left after that, and Unicode's invisible tag characters and
# interlinear annotation marks.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_SPACE_RUN_RE = re.compile(r" {2,}")
_BLANK_RUN_RE = re.compile(r"\n{2,}")


@dataclass
class CleanText:
    """Cleaned text, the credits taken out of it, and what was dropped (rule, snippet)."""

    text: str
    credits: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# Whitespace
# --------------------------------------------------------------------------------------


def normalise_whitespace(text: str) -> str:
    """NFC; invisible characters out; NBSP, tabs and other spaces to one space per run;
    lines stripped; runs of blank lines to exactly one (paragraphs joined by ``"\\n\\n"``).

    Single newlines inside a paragraph are kept. ``"\\r\\n"`` becomes ``"\\n"``.
    """
    if not isinstance(text, str) or not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n")
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_SEQUENCE_RE.sub("", text)
    if _ODD_CHARACTER_RE.search(text):
        text = text.translate(_ODD_CHARACTERS)
    text = _CONTROL_RE.sub("", text)
    lines = [line.strip() for line in _SPACE_RUN_RE.sub(" ", text).split("\n")]
    text = _BLANK_RUN_RE.sub("\n\n", "\n".join(lines)).strip("\n")
    # Removing invisible characters can bring a letter next to its combining mark.
    return unicodedata.normalize("NFC", text)


def normalise_inline(text: str) -> str:
    """A short text on one line (a title, a category, a link's text): as
    :func:`normalise_whitespace`, then every run of white space, line breaks too, one space."""
    if not isinstance(text, str) or not text:
        return ""
    return " ".join(normalise_whitespace(text).split())


# --------------------------------------------------------------------------------------
# Teaser doubling
# --------------------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def _is_read_more(line: str) -> bool:
    return _READ_MORE_LINE_RE.fullmatch(line.strip()) is not None


def _split_glued(lines: Iterable[str]) -> list[str]:
    """``MEHR LESENPressemitteilung`` -> ``MEHR LESEN`` + ``Pressemitteilung`` (two lines)."""
    out: list[str] = []
    for line in lines:
        head = _GLUED_START_RE.match(line)
        if head is not None:
            out.extend((GLUED_READ_MORE, line[head.end() :]))
            continue
        tail = _GLUED_END_RE.search(line)
        if tail is not None:
            out.extend((line[: tail.start()], GLUED_READ_MORE))
            continue
        out.append(line)
    return out


def _teaser_lines(lines: list[str]) -> dict[int, int]:
    """Lines that are a listing's teaser: {first line index: number of lines}."""
    teasers: dict[int, int] = {}
    taken: set[int] = set()
    for index, line in enumerate(lines):
        if not _is_read_more(line):
            continue
        following: list[str] = []
        for later in lines[index + 1 :]:
            if _is_read_more(later):
                break
            following.append(later)
        full = _flat(" ".join(following))
        if not full:
            continue
        best = 0
        gathered = ""
        for count in range(1, MAX_TEASER_LINES + 1):
            position = index - count
            if position < 0 or position in taken or _is_read_more(lines[position]):
                break
            gathered = _flat(f"{lines[position]} {gathered}")
            teaser = _ELLIPSIS_RE.sub("", gathered)
            if len(teaser) >= MIN_TEASER_CHARS and full.startswith(teaser):
                best = count
        if best:
            teasers[index - best] = best
            taken.update(range(index - best, index))
    return teasers


def _drop_teasers(paragraphs: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Paragraphs (as lines) without teaser lines, and the teasers removed."""
    addresses = [(p, i) for p, lines in enumerate(paragraphs) for i in range(len(lines))]
    flat_lines = [paragraphs[p][i] for p, i in addresses]
    teasers = _teaser_lines(flat_lines)
    drop: set[int] = set()
    removed: list[str] = []
    for first, count in teasers.items():
        drop.update(range(first, first + count))
        removed.append(" ".join(flat_lines[first : first + count]))
    kept: list[list[str]] = [[] for _ in paragraphs]
    for position, (p, _i) in enumerate(addresses):
        if position not in drop:
            kept[p].append(flat_lines[position])
    return kept, removed


def remove_teaser_doubling(paragraphs: list[str]) -> list[str]:
    """Drop a listing's teasers (cut mid-sentence, then ``MEHR LESEN``, then the full text).

    A teaser is the line(s) just before a read-more button when the text after the button
    begins with them. The buttons themselves stay (split off when glued onto a title):
    :func:`clean_paragraphs` drops them. Paragraphs left empty disappear.
    """
    as_lines = [_split_glued(p.split("\n")) for p in paragraphs if isinstance(p, str)]
    kept, _removed = _drop_teasers(as_lines)
    return ["\n".join(lines) for lines in kept if any(line.strip() for line in lines)]


# --------------------------------------------------------------------------------------
# Line rules
# --------------------------------------------------------------------------------------


def _is_editor_note(line: str) -> bool:
    if _EDITOR_MARKER_RE.match(line):
        return True
    return (
        len(line) <= MAX_EDITOR_NOTE_CHARS
        and _EDITOR_PERSON_RE.search(line) is not None
        and _EDITOR_LAYOUT_RE.search(line) is not None
    )


def _clean_line(line: str, result: CleanText) -> str:
    """The line without noise ("" when nothing is left); credits and drops recorded."""
    stripped = line.strip()
    if not stripped:
        return ""
    if _is_read_more(stripped):
        result.dropped.append(("read_more_button", stripped))
        return ""
    for pattern in _CONSENT_SENTENCE_RES:
        for match in pattern.finditer(stripped):
            result.dropped.append(("consent_notice", match.group(0)))
        stripped = pattern.sub("", stripped).strip()
    if not stripped:
        return ""
    if any(p.fullmatch(stripped) for p in _CONSENT_LINE_RES):
        result.dropped.append(("consent_notice", stripped))
        return ""
    for name, pattern in _NOISE_LINE_RES:
        if pattern.fullmatch(stripped):
            result.dropped.append((name, stripped))
            return ""
    if _LOREM_RE.match(stripped) or (_LOREM_RE.search(stripped[:80]) and "dolor" in stripped):
        result.dropped.append(("lorem_ipsum", stripped))
        return ""
    if _is_editor_note(stripped):
        result.dropped.append(("editor_note", stripped))
        return ""
    if len(stripped) <= MAX_CREDIT_CHARS and _CREDIT_LINE_RE.fullmatch(stripped):
        _add_credit(result, stripped)
        return ""
    trailing = _CREDIT_TRAILING_RE.search(stripped)
    if trailing is not None and trailing.start() > 0:
        _add_credit(result, trailing.group("credit").strip())
        stripped = stripped[: trailing.start()].rstrip()
    return stripped


def _add_credit(result: CleanText, credit: str) -> None:
    if credit not in result.credits:
        result.credits.append(credit)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def clean_paragraphs(paragraphs: list[str]) -> CleanText:
    """Clean a post's paragraphs: doubling, buttons, consent text, placeholders, editor notes
    and tab numbers out; credits moved to ``credits``; whitespace normalised; NFC.

    Returns the text as paragraphs joined by ``"\\n\\n"``.
    """
    result = CleanText(text="")
    blocks: list[list[str]] = []
    for paragraph in paragraphs or []:
        if not isinstance(paragraph, str):
            continue
        for block in normalise_whitespace(paragraph).split("\n\n"):
            if block:
                blocks.append(_split_glued(block.split("\n")))
    blocks, teasers = _drop_teasers(blocks)
    result.dropped.extend(("teaser_doubling", teaser) for teaser in teasers)
    cleaned_blocks: list[str] = []
    for lines in blocks:
        kept: list[str] = []
        for line in lines:
            if _is_read_more(line) and kept:
                # The button ends a listed post: what follows is another paragraph.
                cleaned_blocks.append("\n".join(kept))
                kept = []
            cleaned = _clean_line(line, result)
            if cleaned:
                kept.append(cleaned)
        if kept:
            cleaned_blocks.append("\n".join(kept))
    result.text = unicodedata.normalize("NFC", "\n\n".join(cleaned_blocks))
    return result


def clean_text(text: str) -> CleanText:
    """Clean a post's text (paragraphs separated by blank lines); see :func:`clean_paragraphs`."""
    if not isinstance(text, str):
        return CleanText(text="")
    return clean_paragraphs(normalise_whitespace(text).split("\n\n"))


__all__ = [
    "CleanText",
    "clean_paragraphs",
    "clean_text",
    "normalise_inline",
    "normalise_whitespace",
    "remove_teaser_doubling",
]
