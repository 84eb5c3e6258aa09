"""People, e-mail addresses, places and organisations named in a post.

Pure functions; precision over recall: a name is taken only where the text marks it as
one (an academic title, a role word, a contact line, a party in parentheses) or where the
caller knows it (``known_names``, the staff list). Names are returned as written, with
titles stripped, in first-mention order, without duplicates.

A bare surname after a title (``Dr. Herzer``) becomes the full name when exactly one known
name, or else exactly one full name in the same text, has that surname; otherwise it is
kept as written (``Fischer``). A bare surname after a role word (``Ministerin Werner``) is
kept only when it can be resolved that way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from archive.gazetteer import (
    AMBIGUOUS_PLACES,
    CONTACT_LABELS,
    LEGAL_FORMS,
    NOT_NAME_WORDS,
    ORG_CONNECTORS,
    ORG_LEADING_STOP,
    ORG_STOP_WORDS,
    PARTIES,
    PLACES,
    ROLE_ADJECTIVES,
    ROLES_AFTER,
    ROLES_BEFORE,
    TITLES,
)
from archive.patterns import first_letters, guarded

# --------------------------------------------------------------------------------------
# Patterns and limits
# --------------------------------------------------------------------------------------

# "v.l.n.r." (von links nach rechts) opens a list of the people in a picture.
PICTURE_ORDER = r"\(?v\.\s?l\.\s?n\.\s?r\.\)?:?"

EMAIL_AT = r"\s*(?:\(\s*(?:at|ät|@)\s*\)|\[\s*(?:at|ät|@)\s*\]|\{\s*(?:at|ät|@)\s*\})\s*"
EMAIL_DOT = r"\s*(?:\(\s*(?:dot|punkt)\s*\)|\[\s*(?:dot|punkt)\s*\]|\{\s*(?:dot|punkt)\s*\})\s*"

MAX_ORG_WORDS = 14
MAX_ORG_CHARS = 300  # how far back from a marker a name is looked for

_LETTER_LOWER = "a-zäöüßéèáàçëïñ"
NAME_TOKEN = rf"[A-ZÄÖÜ][{_LETTER_LOWER}]+(?:-[A-ZÄÖÜ][{_LETTER_LOWER}]+)*"
NAME = rf"{NAME_TOKEN}(?:[ ](?:{NAME_TOKEN}|[A-ZÄÖÜ]\.(?=[ ]{NAME_TOKEN}))){{0,3}}"
_TITLE_ALT = "|".join(TITLES)
# Runs of titles are bounded so a string of nothing but titles stays linear to scan.
_TITLES_RUN = rf"(?:(?:{_TITLE_ALT})[ ]?){{1,6}}"

# These scan whole posts: each is guarded by the characters its matches start with (a
# title, a role word, a capital, a contact label), see archive.patterns.
_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"  # what NAME_TOKEN starts with
_TITLE_FIRST = first_letters(TITLES)  # each title pattern opens with a literal character
_TITLED_RE = guarded(
    rf"(?<![\w.-])(?:{_TITLE_ALT})(?:[ ]?(?:{_TITLE_ALT})){{0,5}}[ ]+(?P<name>{NAME})",
    _TITLE_FIRST,
)
_ROLE_BEFORE_RE = guarded(
    rf"(?<![\w-])(?:{'|'.join(ROLES_BEFORE)})(?:in)?[ ]+(?:(?:ist|war)[ ]+)?"
    rf"(?:{_TITLES_RUN}[ ]*)?(?P<name>{NAME})",
    first_letters(ROLES_BEFORE),
)
_ROLE_AFTER_RE = guarded(
    rf"(?<![\w-])(?:{_TITLES_RUN}[ ]*)?(?P<name>{NAME}),[ ]+(?:(?i:{ROLE_ADJECTIVES})[ ]+)?"
    rf"(?:{'|'.join(ROLES_AFTER)})(?:in|innen)?(?![{_LETTER_LOWER}])",
    first_letters([*TITLES, *_CAPITALS]),
)
_PARTY_RE = guarded(
    rf"(?<![\w-])(?P<name>{NAME})[ ]\((?:{'|'.join(re.escape(p) for p in PARTIES)})\)",
    first_letters(_CAPITALS),
)
# Every match of the two above holds one of these, and most posts hold neither: a search
# for a comma or a parenthesis (which ``re`` finds fast) spares the scan from each capital.
_ROLE_AFTER_MARK_RE = re.compile(
    rf",[ ]+(?:(?i:{ROLE_ADJECTIVES})[ ]+)?(?:{'|'.join(ROLES_AFTER)})"
)
_PARTY_MARK_RE = re.compile(rf"[ ]\((?:{'|'.join(re.escape(p) for p in PARTIES)})\)")
_CONTACT_RE = guarded(
    rf"(?:(?<![\w-])(?:Ihr(?:e)?\s+)?(?:{'|'.join(CONTACT_LABELS)})\s*:|{PICTURE_ORDER})"
    r"[ \t]*(?P<value>[^\n]*)"
    r"(?:\n\s*(?P<next>[^\n]*))?",
    first_letters([*CONTACT_LABELS, "Ihr", "(", "v"], lower=True),
    re.IGNORECASE,
)
_CONTACT_SPLIT_RE = re.compile(r"\s*(?:,|;|\bund\b|&|/)\s*")
_TRAILING_TITLES_RE = re.compile(rf"(?:,?\s*(?:{_TITLE_ALT})){{1,6}}\s*$")
_LEADING_TITLES_RE = re.compile(rf"^(?:(?:{_TITLE_ALT})\s*)+")

_PLACE_ALT = "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True))
_PLACE_RE = guarded(
    rf"(?<![\w-])(?P<place>{_PLACE_ALT})(?:e?s)?(?![\w-])"
    r"|(?:(?<=\bin )|(?<=\bnach )|(?<=\baus )|(?<=, ))(?P<ambiguous>"
    + "|".join(map(re.escape, AMBIGUOUS_PLACES))
    + r")(?![\w-])",
    first_letters(PLACES + AMBIGUOUS_PLACES),
)

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])(?P<email>[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"(?![\w-])"
)
_OBFUSCATED_RE = re.compile(
    rf"(?<![\w.+-])(?P<local>[A-Za-z0-9][\w.+-]*){EMAIL_AT}"
    rf"(?P<domain>[A-Za-z0-9-]+(?:(?:\.|{EMAIL_DOT})[A-Za-z0-9-]+)+)",
    re.IGNORECASE,
)
_DOT_RE = re.compile(EMAIL_DOT, re.IGNORECASE)
# Every obfuscated address has one of these; most posts have none, so most skip the scan.
_AT_MARK_RE = re.compile(r"[(\[{]\s*(?:at|ät|@)\s*[)\]}]", re.IGNORECASE)

_ACRONYM_RE = re.compile(r"\((?P<acronym>[A-ZÄÖÜ][A-Za-zÄÖÜäöü0-9&-]{1,11})\)")
_ADJECTIVE_RE = re.compile(r"[a-zäöü]+(?:e|en|er|es|em)")
_LEGAL_FORM_RE = guarded(rf"(?<![\w])(?P<form>{LEGAL_FORMS})(?![\w])", "[eGg]")


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------


def _prepare(text: object) -> str:
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u200b\u2060\ufeff\u00ad]", "", text)
    return re.sub(r"[\u00a0\u202f\u2007\t]", " ", text)


def strip_titles(name: str) -> str:
    """A name without academic titles and salutations: ``Prof. Dr. Jörg Fischer`` ->
    ``Jörg Fischer``; ``Christian Kraft, M.Sc.`` -> ``Christian Kraft``."""
    text = " ".join(_prepare(name).split())
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_TITLES_RE.sub("", text).strip()
        text = _TRAILING_TITLES_RE.sub("", text).strip().rstrip(",").strip()
    return text


def _tidy_name(name: str) -> str | None:
    """Trim words that are not name parts; None when fewer than one name word remains."""
    tokens = name.split()
    while tokens and tokens[0] in NOT_NAME_WORDS:
        tokens.pop(0)
    while tokens and tokens[-1] in NOT_NAME_WORDS:
        tokens.pop()
    if not tokens or any(t in NOT_NAME_WORDS or t in PLACES for t in tokens):
        return None
    if tokens[-1].endswith("."):
        return None  # a name ends in a surname, not an initial
    return " ".join(tokens)


def _known_names(known_names: Iterable[str]) -> list[str]:
    names = []
    for name in known_names or ():
        if isinstance(name, str):
            stripped = strip_titles(name)
            if stripped and stripped not in names:
                names.append(stripped)
    return names


def find_people(text: str, known_names: Iterable[str] = ()) -> list[str]:
    """People named in ``text``: titles stripped, as written, first mention first."""
    text = _prepare(text)
    if not text:
        return []
    known = _known_names(known_names)
    # (position, name, kind): kind "full", "titled_surname" or "role_surname".
    mentions: list[tuple[int, str, str]] = []

    def add(position: int, raw: str, bare_kind: str) -> None:
        name = _tidy_name(raw)
        if name is None:
            return
        kind = "full" if " " in name else bare_kind
        mentions.append((position, name, kind))

    for match in _TITLED_RE.finditer(text):
        add(match.start("name"), match.group("name"), "titled_surname")
    for match in _ROLE_BEFORE_RE.finditer(text):
        add(match.start("name"), match.group("name"), "role_surname")
    for pattern, mark in ((_ROLE_AFTER_RE, _ROLE_AFTER_MARK_RE), (_PARTY_RE, _PARTY_MARK_RE)):
        if mark.search(text) is None:
            continue
        for match in pattern.finditer(text):
            add(match.start("name"), match.group("name"), "role_surname")
    for match in _CONTACT_RE.finditer(text):
        value, offset = match.group("value"), match.start("value")
        if not value.strip() and match.group("next") is not None:
            value, offset = match.group("next"), match.start("next")
        for piece in _CONTACT_SPLIT_RE.split(value):
            candidate = strip_titles(re.sub(r"\s*\([^()]*\)\s*$", "", piece).rstrip(".;: "))
            if re.fullmatch(NAME, candidate) and " " in candidate:
                add(offset + max(value.find(piece), 0), candidate, "role_surname")
    for name in known:
        pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, name.split())) + r"(?![\w-])"
        for match in re.finditer(pattern, text):
            mentions.append((match.start(), name, "full"))
            break

    full_names = [name for _pos, name, kind in mentions if kind == "full"]
    resolved: list[tuple[int, str]] = []
    for position, name, kind in mentions:
        if kind != "full":
            mapped = _resolve_surname(name, known) or _resolve_surname(name, full_names)
            if mapped is not None:
                name = mapped
            elif kind == "role_surname":
                continue
        resolved.append((position, name))
    resolved.sort(key=lambda item: item[0])
    people: list[str] = []
    seen: set[str] = set()
    for _position, name in resolved:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            people.append(name)
    return people


def _resolve_surname(surname: str, names: Iterable[str]) -> str | None:
    matches = {name for name in names if " " in name and name.split()[-1] == surname}
    return matches.pop() if len(matches) == 1 else None


# --------------------------------------------------------------------------------------
# E-mail addresses
# --------------------------------------------------------------------------------------


def deobfuscate_emails(text: str) -> str:
    """``stefan.huber(at)ikpe-erfurt.de`` -> ``stefan.huber@ikpe-erfurt.de``; also ``[at]``,
    ``{at}``, `` (at) `` and ``(dot)``; other text unchanged."""
    text = _prepare(text)

    def repair(match: re.Match[str]) -> str:
        domain = _DOT_RE.sub(".", match.group("domain"))
        return f"{match.group('local')}@{domain}"

    if not _AT_MARK_RE.search(text):
        return text
    return _OBFUSCATED_RE.sub(repair, text)


def find_emails(text: str) -> list[str]:
    """E-mail addresses, plain or obfuscated; lower-cased, de-duplicated, in order."""
    emails: list[str] = []
    text = deobfuscate_emails(text)
    if "@" not in text:
        return emails
    for match in _EMAIL_RE.finditer(text):
        email = match.group("email").lower().rstrip(".")
        if email not in emails:
            emails.append(email)
    return emails


# --------------------------------------------------------------------------------------
# Places and organisations
# --------------------------------------------------------------------------------------


def find_places(text: str) -> list[str]:
    """Places of :data:`PLACES` named in ``text`` (genitive ``-s`` too), first mention first."""
    places: list[str] = []
    for match in _PLACE_RE.finditer(_prepare(text)):
        place = match.group("place") or match.group("ambiguous")
        if place not in places:
            places.append(place)
    return places


def _initials(words: list[str]) -> str:
    return "".join(w.lstrip("„“\"'(")[:1].upper() for w in words if w.lstrip("„“\"'("))


def _covers(acronym: str, words: list[str]) -> bool:
    """True when every letter of the acronym is an initial of one of the words."""
    pool = list(_initials(words))
    for letter in (c.upper() for c in acronym if c.isalpha() and c.isupper()):
        if letter not in pool:
            return False
        pool.remove(letter)
    return True


def _name_before_acronym(before: str, acronym: str) -> str | None:
    words = before.split()[-MAX_ORG_WORDS:]
    for start in range(len(words) - 1, -1, -1):
        word = words[start]
        if start < len(words) - 1 and re.search(r"[.!?:;]$", word) and word not in {"e.V."}:
            return None  # a sentence ends here: no name reaches further back
        if not word[:1].isupper() or word in NOT_NAME_WORDS - {"Thüringer", "Institut"}:
            continue
        candidate = words[start:]
        if _covers(acronym, candidate):
            return " ".join(candidate).rstrip(",")
    return None


def _name_before_legal_form(before: str) -> str | None:
    words = before.split()[-MAX_ORG_WORDS:]
    taken: list[str] = []
    for word in reversed(words):
        bare = word.strip("„“\"',")
        if not bare or re.search(r"[.!?:;]$", word) or bare.lower() in ORG_STOP_WORDS:
            break
        if bare[0].isupper() or bare in ORG_CONNECTORS or _ADJECTIVE_RE.fullmatch(bare):
            taken.insert(0, word)
            continue
        break
    while taken and (not taken[0][0].isupper() or taken[0].lower() in ORG_LEADING_STOP):
        taken.pop(0)
    return " ".join(taken) if taken else None


def _line_before(text: str, position: int) -> str:
    """The text before ``position`` on its line, at most :data:`MAX_ORG_CHARS` of it."""
    window_start = max(0, position - MAX_ORG_CHARS)
    line_start = text.rfind("\n", window_start, position) + 1
    return text[max(line_start, window_start) : position]


def find_organisations(text: str) -> list[str]:
    """Organisations the text marks clearly: a name with its acronym in parentheses
    (``Thüringer Ministerium für ... (TMASGFF)``) or a legal form (``... e.V.``, ``GmbH``)."""
    text = _prepare(text)
    found: list[tuple[int, str, str]] = []  # (position, key, name)
    for match in _ACRONYM_RE.finditer(text):
        acronym = match.group("acronym")
        if sum(c.isupper() for c in acronym) < 2:
            continue
        name = _name_before_acronym(_line_before(text, match.start()), acronym)
        if name is not None:
            found.append((match.start() - len(name), acronym, f"{name} ({acronym})"))
    for match in _LEGAL_FORM_RE.finditer(text):
        name = _name_before_legal_form(_line_before(text, match.start()))
        if name is not None:
            full = f"{name} {match.group('form')}"
            found.append((match.start() - len(name), full.casefold(), full))
    found.sort(key=lambda item: item[0])
    organisations: list[str] = []
    keys: set[str] = set()
    for _position, key, name in found:
        if key not in keys and name not in organisations:
            keys.add(key)
            organisations.append(name)
    return organisations


__all__ = [
    "PLACES",
    "deobfuscate_emails",
    "find_emails",
    "find_organisations",
    "find_people",
    "find_places",
    "strip_titles",
]
