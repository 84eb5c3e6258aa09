"""biblatex entries, escaped so that every entry stays balanced whatever the text.

The file is UTF-8 (biber reads it as it is; umlauts stay umlauts). Every value is on one
line, without control or invisible characters (:func:`archive.export.common.one_line`),
with LaTeX's special characters as commands, so a ``}`` or a trailing ``\\`` in scraped
text can never end a value early. Braces in the text become ``\\textbraceleft{}`` and
``\\textbraceright{}``, not ``\\{``: BibTeX counts every brace, escaped or not.

Titles keep their capitals: every word of a title field that holds a capital letter is
wrapped in braces (``{Armut} in {Thüringen}``, ``{IKPE}-{Jahrestagung}``). biblatex
leaves German titles as they are, but BibTeX styles and biblatex's sentence case for
English lower-case everything unprotected, which is wrong for German nouns and acronyms.
The institute, an author that is no person, is one name in double braces. URLs and DOIs
are verbatim fields: characters that could break the entry are percent-encoded instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from archive.export.common import (
    BIBLATEX_LANGID,
    INSTITUTE,
    _people,
    accessed,
    is_post,
    issued,
    kind_of,
    one_line,
)
from archive.export.csl import to_csl

# --------------------------------------------------------------------------------------
# biblatex
# --------------------------------------------------------------------------------------

# LaTeX for the characters BibTeX or LaTeX would read as syntax. Braces become commands,
# not ``\{``: BibTeX counts every brace, escaped or not, to find where a value ends.
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # With babel's ngerman (the entries' langid) '"' starts a shorthand ('"a' is 'ä').
    # ('<', '>' and '|' stay: the T1 and TU font encodings German documents use print them.)
    '"': r"\textquotedbl{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX_SPECIALS)) + "]")
# Verbatim fields (url, doi) are not read as LaTeX: characters that could break the entry
# are percent-encoded instead, which leaves the address the same.
_VERBATIM_UNSAFE = re.compile(r"[\s{}\\%\"]")


# A word of escaped text: letters and digits not inside a command's name.
_ESCAPED_WORD = re.compile(r"(?<!\\)(?<![^\W_])[^\W_]+")
# Title fields: biblatex's sentence case and BibTeX styles change their case.
TITLE_FIELDS = frozenset({"title", "issuetitle", "booktitle", "maintitle"})


def latex_escape(value: str) -> str:
    """``value`` on one line with LaTeX's special characters escaped (balanced braces)."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_SPECIALS[m.group(0)], one_line(value))


def protect_case(escaped: str) -> str:
    """Every word of an escaped title that holds a capital letter, in braces, so that no
    style lower-cases it (``Armut in Thüringen`` -> ``{Armut} in {Thüringen}``)."""

    def protect(match: re.Match) -> str:
        word = match.group(0)
        return "{" + word + "}" if any(c.isupper() for c in word) else word

    return _ESCAPED_WORD.sub(protect, escaped)


def _verbatim(value: str) -> str:
    """A URL or DOI safe inside a braced biblatex field (existing %-escapes kept)."""

    def encode(match: re.Match) -> str:
        character = match.group(0)
        if character == "%" and re.match(r"%[0-9A-Fa-f]{2}", value[match.start() :]):
            return "%"
        return quote(character, safe="")

    return _VERBATIM_UNSAFE.sub(encode, value.strip())


def _bib_name(person: dict) -> str:
    family, given = latex_escape(person["family"]), latex_escape(person["given"])
    return f"{_name_part(family)}, {_name_part(given)}".strip(", ")


def _name_part(part: str) -> str:
    """A part of a name in braces when it would be read as more than one part: " and "
    would split the name list, a comma the name's parts."""
    if "," in part or re.search(r"\band\b", part, re.IGNORECASE):
        return "{" + part + "}"
    return part


def bibtex_key(record: dict) -> str:
    """The entry's key: first author's (or editor's, or the institute's) name, year, and
    the end of the record's id (stable across exports)."""
    reference = record.get("reference") or {}
    people = reference.get("authors") or reference.get("editors") or []
    stem = people[0]["family"] if people else "IKPE"
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        stem = stem.replace(umlaut, spelled).replace(umlaut.upper(), spelled.capitalize())
    stem = unicodedata.normalize("NFKD", stem)
    stem = re.sub(r"[^A-Za-z0-9]", "", stem) or "IKPE"
    return f"{stem}{(record.get('date') or '')[:4]}-{record['id'][-8:]}"


def to_bibtex(record: dict, key: str | None = None) -> str:
    """A biblatex entry for a record (UTF-8; every value escaped, every brace balanced)."""
    reference = record.get("reference") or {}
    kind = kind_of(record)
    csl = to_csl(record)
    fields: list[tuple[str, str]] = []
    for role, field in (("authors", "author"), ("editors", "editor")):
        people = _people(record, role)
        if people:
            fields.append((field, " and ".join(_bib_name(p) for p in people)))
    if is_post(record):
        fields.append(("author", "{" + latex_escape(INSTITUTE) + "}"))  # institutional
    title = protect_case(latex_escape(csl["title"]))
    if kind.biblatex == "periodical" and reference.get("container"):
        container = protect_case(latex_escape(reference["container"]))
        fields += [("title", container), ("issuetitle", title)]
    else:
        fields.append(("title", title))
    if kind.biblatex == "article" and kind.csl == "article-newspaper":
        fields.append(("entrysubtype", "newspaper"))
    if kind.biblatex == "report":
        fields.append(("type", latex_escape(kind.genre)))
    container_field = {"incollection": "booktitle", "article": "journaltitle"}.get(kind.biblatex)
    date = issued(record)
    for field, value in (
        (container_field, csl.get("container-title") if kind.biblatex != "online" else None),
        ("date", date),
        ("volume", csl.get("volume")),
        ("number", csl.get("issue")),
        ("pages", csl.get("page")),
        ("edition", csl.get("edition")),
        ("publisher", csl.get("publisher")),
        ("location", csl.get("publisher-place")),
        ("note", kind.genre if is_post(record) else csl.get("note")),
        ("abstract", csl.get("abstract")),
    ):
        if field and value:
            escaped = latex_escape(value)
            fields.append((field, protect_case(escaped) if field in TITLE_FIELDS else escaped))
    if csl.get("DOI"):
        fields.append(("doi", _verbatim(csl["DOI"])))
    fields.append(("url", _verbatim(csl["URL"])))
    fetched = accessed(record)
    if fetched:
        fields.append(("urldate", fetched))
    fields.append(("langid", BIBLATEX_LANGID))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind.biblatex}{{{key or bibtex_key(record)},\n{body}\n}}"


def _bibtex_chunks(records: Iterable[dict]) -> Iterator[str]:
    """Entries with keys unique within the file (a clash gets ``a``, ``b``, ... appended)."""
    used: set[str] = set()
    for record in records:
        key = base = bibtex_key(record)
        suffix = 0
        while key in used:
            suffix += 1
            key = f"{base}{_letters(suffix)}"
        used.add(key)
        yield to_bibtex(record, key) + "\n\n"


def _letters(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
