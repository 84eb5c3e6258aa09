"""German analysis for the search index: folding, stemming and compound splitting.

The rules, in the order a word meets them:

1. **Tokens** are runs of word characters (``\\w+``): hyphens, slashes, gender stars and
   punctuation separate words (``Hilse-Carstensen`` is two words, found as a phrase).
2. **Folding** makes case and umlaut spellings equal: lower case, ``ß`` -> ``ss``, the
   digraphs ``ae``/``oe``/``ue`` -> ``a``/``o``/``u``, and every diacritic dropped
   (``ä`` -> ``a``). So ``Strüning``, ``Struening`` and ``Struning`` all fold to
   ``struning``. As in Snowball's "german2" variant, ``ue`` stays after ``q`` (``Quelle``)
   and after a vowel (``neue``, ``Bauer``), where it is never an umlaut.
3. **Stemming** with the Snowball German stemmer (``Präventionsketten`` and
   ``Präventionskette`` both give ``praventionskett``; ``Straße``/``Strasse`` give
   ``strass``). Feminine person nouns lose ``-in``/``-innen`` first, where what is left ends
   like a person noun (``AGENT_ENDINGS``: ``Planer-innen``, ``Referent-in``, ``Autor-in``),
   so ``Sozialplanerinnen``, ``Sozialplanerin``, ``SozialplanerInnen``,
   ``Sozialplaner_innen`` and ``Sozialplaner`` share ``sozialplan``; ``Innen``, ``Termin``,
   ``Berlin`` or ``Login`` keep theirs. (``Berliner`` and ``Berlin`` share ``berlin``, as
   ``Thüringer`` and ``Thüringen`` do: Snowball's ``-er`` rule, kept on purpose, since a
   search for the place wants its adjective too.)
4. **Compounds** are split against the archive's own vocabulary (:class:`Vocabulary`):
   the folded words that stand alone somewhere in the archive. A word of at least
   ``MIN_COMPOUND_CHARS`` letters is split into parts of at least ``MIN_PART_CHARS``
   letters each, every part a vocabulary word (or the stem of one, so ``schul`` from
   ``Schule`` counts in ``Schulsozialarbeit``), optionally followed by a linking element
   (``Armut-s-prävention``, ``Familie-n-befragung``). The split with the most parts wins,
   then the one with the longest parts. A word with no such split may still begin with
   vocabulary words joined by a linking ``-s-`` or ``-es-`` to a rest that is no word of
   the archive (``Gesundheit-s-wesen``, ``Bildung-s-einrichtungen``,
   ``Land-es-regierung``): that rest is a "free head" (``MIN_FREE_HEAD_CHARS`` letters or
   more), allowed only after a modifier that always takes ``-s-`` (``S_LINKED_ENDINGS``:
   ``-ung``, ``-heit``, ``-keit``, ``-schaft``, ``-ion``, ...) or after a whole vocabulary
   word and ``-es-`` not followed by another ``s`` (``Prof-es-sionalisierung`` is none).
   A free head is not indexed on its own. Feminine forms are split as their base
   (``Sozialplaner|innen`` as ``Sozial|planer``), so ``innen`` is never one of their
   parts. The index receives, at the word's position, the stem of the whole word, the
   stem of every part and of every run of adjacent parts
   (``Jugendhilfeplanung`` -> ``jugendhilfeplan``, ``jugend``, ``hilf``, ``planung``,
   ``jugendhilf``, ``hilfeplan``), so ``Planung`` finds ``Sozialplanung`` and ``Armut``
   finds ``Armutsprävention``. Queries are not split: a query word matches a whole word
   or a part.
5. **Word pairs**: the stems of adjacent whole words (``kommunal planung``) are indexed in
   a field of their own, so a phrase is a term lookup instead of a position check.
6. **Names** (the person field) are folded but not stemmed: ``Huber`` is not ``Hub``.

The vocabulary is counted from the records when an index generation is built (see
``archive.search.generations``) and travels with that generation, so an index is always the
product of the store alone (``update`` keeps the generation's vocabulary; new words take
part in splitting from the next rebuild). The same words, folded, answer "did you mean"
(:class:`SpellingIndex`). Source text is indexed as written, typos included.

The string functions are pure; the classes at the end adapt them to Whoosh.

Over 400 lines on purpose: the analyser's stages (folding, stemming, compound splitting)
are one Whoosh pipeline that the index and the query parser must build identically.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.lang.snowball.german import GermanStemmer

from archive.search.documents import PART_BREAK

# --------------------------------------------------------------------------------------
# Data tables
# --------------------------------------------------------------------------------------

WORD_PATTERN = r"\w+"
MIN_PART_CHARS = 4  # shorter "parts" are mostly accidents (``bera|tung``)
MIN_PART_STEM_CHARS = 3  # a part may match a vocabulary stem this short (``lag`` of ``Lagen``)
MIN_COMPOUND_CHARS = 2 * MIN_PART_CHARS
MIN_VOCABULARY_COUNT = 1  # how often a word must stand alone to be a compound part
# German linking elements (Fugenelemente), the empty one first.
LINKING_ELEMENTS = ("", "s", "es", "n", "en", "er", "e", "ens")
# Modifiers ending so always take a linking -s- (Bildung-s-, Gesundheit-s-, Integration-s-):
# after them an -s- marks a compound boundary even when the rest is no archive word.
S_LINKED_ENDINGS = ("ung", "heit", "keit", "schaft", "ion", "tat", "tum", "ling")
MIN_FREE_HEAD_CHARS = 5  # the unknown rest after such a boundary (``Gesundheits|amt`` is not)
# Feminine person nouns: ``-in``/``-innen`` after an ending of person nouns (Planer-in,
# Referent-in, Praktikant-in, Akteur-in, Journalist-in, Autor-in, Soziolog-in, Kolleg-in).
FEMININE_SUFFIXES = ("innen", "in")
AGENT_ENDINGS = ("er", "ent", "ant", "eur", "ist", "or", "og", "eg")
MIN_FEMININE_BASE_CHARS = 5  # ``Login`` (log-in) and ``Erin`` are no feminine forms
# Words that look feminine but are names or things (folded).
NOT_FEMININE = frozenset(
    {"konstantin", "valentin", "quentin", "florentin", "kristin", "christin", "glycerin"}
)
ANALYSIS_CACHE_SIZE = 500_000  # distinct token spellings remembered by an analyzer

# Function words that are never compound parts, even where they stand alone (folded).
FUNCTION_WORDS = frozenset([
    "aber", "alle", "allem", "allen", "aller", "alles", "also", "ander", "andere", "anderem",
    "anderen", "anderer", "anderes", "auch", "auf", "aus", "bei", "beim", "bereits", "beide",
    "beiden", "bis", "bisher", "dabei", "dadurch", "dafur", "dagegen", "daher", "damit",
    "danach", "dann", "daran", "darauf", "daruber", "darum", "darunter", "dass", "dazu", "dein",
    "deine", "deinem", "deinen", "deiner", "denen", "denn", "deren", "derer", "dessen", "dies",
    "diese", "diesem", "diesen", "dieser", "dieses", "doch", "dort", "durch", "eben", "eine",
    "einem", "einen", "einer", "eines", "einige", "einigem", "einigen", "einiger", "einiges",
    "einmal", "etwa", "etwas", "euer", "eure", "fast", "fur", "gegen", "gewesen", "habe",
    "haben", "hatte", "hatten", "hier", "hinter", "ihnen", "ihre", "ihrem", "ihren", "ihrer",
    "ihres", "immer", "indem", "jede", "jedem", "jeden", "jeder", "jedes", "jene", "jenem",
    "jenen", "jener", "jenes", "jetzt", "kann", "kein", "keine", "keinem", "keinen", "keiner",
    "keines", "konnen", "konnte", "machen", "manche", "mehr", "mein", "meine", "meinem",
    "meinen", "meiner", "muss", "musste", "nach", "nicht", "nichts", "noch", "nur", "oder",
    "ohne", "sehr", "sein", "seine", "seinem", "seinen", "seiner", "seit", "selbst", "sich",
    "sind", "solche", "solchem", "solchen", "solcher", "soll", "sollen", "sollte", "sondern",
    "sonst", "sowie", "uber", "unser", "unsere", "unter", "viel", "viele", "vom", "von",
    "wahrend", "waren", "warum", "weil", "weiter", "welche", "welchem", "welchen", "welcher",
    "wenn", "werde", "werden", "wieder", "will", "wird", "wurde", "wurden", "wollen", "wollte",
    "zwar", "zwischen",
])  # fmt: skip

_WORD = re.compile(WORD_PATTERN)
# ``ue`` is an umlaut spelling except after q (Quelle) or a vowel (neue, Bauer).
_DIGRAPHS = re.compile(r"(?<![aeiouäöüq])([aou])e")
_STEMMER = GermanStemmer()
# A cheap test before the second search for a split (most long words have no free head).
_MAY_HAVE_FREE_HEAD = re.compile(
    rf"(?:{'|'.join(S_LINKED_ENDINGS)})s.{{{MIN_FREE_HEAD_CHARS}}}"
    rf"|.{{{MIN_PART_CHARS}}}es.{{{MIN_FREE_HEAD_CHARS}}}"
)


# --------------------------------------------------------------------------------------
# Pure string functions
# --------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of a text as the tokenizer sees them."""
    return _WORD.findall(text)


@lru_cache(maxsize=ANALYSIS_CACHE_SIZE)
def fold(word: str) -> str:
    """Lower case, ``ß`` -> ``ss``, umlaut digraphs and diacritics folded to plain letters."""
    lowered = word.lower().replace("ß", "ss")
    undigraphed = _DIGRAPHS.sub(r"\1", lowered)
    decomposed = unicodedata.normalize("NFKD", undigraphed)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=ANALYSIS_CACHE_SIZE)
def stem(folded: str) -> str:
    """The Snowball German stem of a folded word (a feminine form: of its base)."""
    base = feminine_base(folded)
    if base is not None:
        folded = base
    if len(folded) < 3 or not folded.isalpha():
        return folded
    return _STEMMER.stem(folded)


def feminine_base(folded: str) -> str | None:
    """The base of a feminine person noun (``sozialplanerinnen`` -> ``sozialplaner``,
    ``sozialplaner_innen`` -> ``sozialplaner``), or None when ``folded`` is none."""
    if folded in NOT_FEMININE:
        return None
    for suffix in FEMININE_SUFFIXES:
        for separator in ("_", ""):  # Sozialplaner_innen: ``\w`` keeps the underscore
            ending = separator + suffix
            if not folded.endswith(ending):
                continue
            base = folded[: -len(ending)]
            if (
                len(base) >= MIN_FEMININE_BASE_CHARS
                and base.isalpha()
                and base.endswith(AGENT_ENDINGS)
            ):
                return base
    return None


def prefix_term(text: str) -> str:
    """The index term a prefix query (``Präventionsk*``) should start with.

    Index terms are stems, so a typed prefix is stemmed too when its stem is a prefix of it
    (``Strategien*`` -> ``strategi``); wildcard patterns are only folded.
    """
    folded = fold(text)
    if "*" in folded or "?" in folded:
        return folded
    stemmed = stem(folded)
    return stemmed if folded.startswith(stemmed) else folded


@dataclass(frozen=True)
class Vocabulary:
    """The words that may be compound parts: folded words that stand alone in the archive.

    ``stems`` holds their stems too, so inflected and elided parts are recognised
    (``ketten`` by ``kett`` of ``Kette``, ``schul`` of ``Schule``).
    """

    words: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()

    @classmethod
    def from_counts(
        cls, counts: Mapping[str, int], min_count: int = MIN_VOCABULARY_COUNT
    ) -> Vocabulary:
        """The vocabulary of words counted at least ``min_count`` times."""
        kept = frozenset(
            word
            for word, count in counts.items()
            if count >= min_count
            and len(word) >= MIN_PART_CHARS
            and word.isalpha()
            and word not in FUNCTION_WORDS
        )
        stems = frozenset(s for s in map(stem, kept) if len(s) >= MIN_PART_STEM_CHARS)
        return cls(kept, stems)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """The vocabulary of some texts (a shortcut for tests and small archives)."""
        return cls.from_counts(count_words(texts))

    def __len__(self) -> int:
        return len(self.words)

    def is_modifier(self, part: str) -> bool:
        """True if ``part`` may stand before another part of a compound."""
        return part in self.words or part in self.stems

    def is_head(self, part: str) -> bool:
        """True if ``part`` may end a compound (it carries the inflection)."""
        return part in self.words or stem(part) in self.stems


def count_words(texts: Iterable[str], counts: Counter[str] | None = None) -> Counter[str]:
    """Count the folded words of ``texts`` that could be compound parts."""
    return folded_counts(count_spellings(texts), counts)


def count_spellings(texts: Iterable[str], spellings: Counter[str] | None = None) -> Counter[str]:
    """Count the words of ``texts`` as written (``Counter`` counts a list in C: a build
    counts every word of the archive this way, and folds each spelling once, in
    :func:`folded_counts`)."""
    spellings = Counter() if spellings is None else spellings
    for text in texts:
        spellings.update(_WORD.findall(text))
    return spellings


def folded_counts(spellings: Mapping[str, int], counts: Counter[str] | None = None) -> Counter[str]:
    """The counts of :func:`count_spellings` by folded word, for the words that could be
    compound parts."""
    counts = Counter() if counts is None else counts
    for word, count in spellings.items():
        if len(word) >= MIN_PART_CHARS:
            counts[fold(word)] += count
    return counts


def split_compound(folded: str, vocabulary: Vocabulary) -> list[str] | None:
    """The parts of a folded compound (linking elements dropped), or None if it is none.

    ``split_compound("armutspravention", v) == ["armut", "pravention"]``; a feminine form
    gives the parts of its base.
    """
    base = feminine_base(folded) or folded
    spans = _split_spans(base, vocabulary)
    return [base[start:end] for start, end in spans] if spans else None


def _split_spans(word: str, vocabulary: Vocabulary) -> list[tuple[int, int]] | None:
    """The best split into vocabulary words; failing that, the best split that may end in
    a free head (after ``-s-``/``-es-``, see the module's docstring)."""
    length = len(word)
    if length < MIN_COMPOUND_CHARS or not word.isalpha():
        return None
    split = _best_split(word, vocabulary, free_heads=False)
    if split is None and _MAY_HAVE_FREE_HEAD.search(word):
        split = _best_split(word, vocabulary, free_heads=True)
    return split


def _free_head_after(word: str, start: int, end: int, link: str, vocabulary: Vocabulary) -> bool:
    """True if ``word[start:end]`` + ``link`` may begin a compound whose rest is unknown."""
    if len(word) - (end + len(link)) < MIN_FREE_HEAD_CHARS:
        return False
    modifier = word[start:end]
    if link == "s":
        return modifier.endswith(S_LINKED_ENDINGS)
    # ``Prof-es-sionalisierung``: an -s- after -es- belongs to the rest more often than not.
    return link == "es" and modifier in vocabulary.words and not word.startswith("s", end + 2)


def _best_split(
    word: str, vocabulary: Vocabulary, *, free_heads: bool
) -> list[tuple[int, int]] | None:
    length = len(word)
    # best[i]: the best split of word[i:] into modifiers and a head, as (start, end) spans.
    best: list[list[tuple[int, int]] | None] = [None] * (length + 1)
    for start in range(length - MIN_PART_CHARS, -1, -1):
        candidates: list[list[tuple[int, int]]] = []
        if vocabulary.is_head(word[start:]):
            candidates.append([(start, length)])
        for end in range(start + MIN_PART_CHARS, length - MIN_PART_CHARS + 1):
            if not vocabulary.is_modifier(word[start:end]):
                continue
            for link in LINKING_ELEMENTS:
                rest = end + len(link)
                if not word.startswith(link, end):
                    continue
                if best[rest]:
                    candidates.append([(start, end), *best[rest]])
                elif free_heads and _free_head_after(word, start, end, link, vocabulary):
                    candidates.append([(start, end), (rest, length)])
        if candidates:
            best[start] = max(candidates, key=_split_preference)
    spans = best[0]
    return spans if spans and len(spans) > 1 else None


def _split_preference(spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Most parts first (every part is a word of the archive), then the longest parts."""
    return len(spans), sum((end - start) ** 2 for start, end in spans)


@lru_cache(maxsize=ANALYSIS_CACHE_SIZE)
def index_terms(word: str, vocabulary: Vocabulary) -> tuple[str, ...]:
    """The terms a word of a document is indexed under: its stem, then its compound parts
    (a free head, no word of the archive, only within longer runs)."""
    folded = fold(word)
    whole = stem(folded)
    base = feminine_base(folded) or folded
    spans = _split_spans(base, vocabulary)
    if not spans:
        return (whole,)
    terms = [whole]
    last_part = len(spans) - 1
    for first in range(len(spans)):
        for last in range(first, len(spans)):
            if first == 0 and last == last_part:
                continue
            text = base[spans[first][0] : spans[last][1]]
            if first == last == last_part and not vocabulary.is_head(text):
                continue
            term = stem(text)
            if term not in terms:
                terms.append(term)
    return tuple(terms)


def query_term(word: str) -> str:
    """The term a word of a query is looked up under (compounds are not split)."""
    return stem(fold(word))


def pair_terms(terms: list[str]) -> list[str]:
    """The pair terms of a phrase whose words are already analysed (``query_term``)."""
    return [f"{first} {second}" for first, second in zip(terms, terms[1:], strict=False)]


def edit_distance(first: str, second: str) -> int:
    """Levenshtein distance (for ranking did-you-mean candidates; words are short)."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


class SpellingIndex:
    """Finds the words of a vocabulary near a misspelled one (deletion neighbourhoods:
    every word is filed under itself and each of its one-letter deletions)."""

    def __init__(self, vocabulary_words: Iterable[str]) -> None:
        self._by_key: dict[str, list[str]] = {}
        for word in vocabulary_words:
            for key in self._keys(word):
                self._by_key.setdefault(key, []).append(word)

    @staticmethod
    def _keys(word: str) -> set[str]:
        return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}

    def nearest(self, folded: str, max_distance: int = 2) -> list[tuple[int, str]]:
        """(distance, word) of the vocabulary words within ``max_distance`` edits (those
        reachable by one deletion on either side), closest first."""
        candidates = {w for key in self._keys(folded) for w in self._by_key.get(key, ())}
        found = [(edit_distance(folded, word), word) for word in candidates if word != folded]
        return sorted(item for item in found if item[0] <= max_distance)


def highlight_spans(
    text: str,
    vocabulary: Vocabulary,
    terms: frozenset[str] | set[str],
    name_terms: frozenset[str] | set[str] = frozenset(),
) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` that match query terms.

    A word matches when one of its index terms is in ``terms`` or its folded form is in
    ``name_terms`` (terms of the name fields, which are not stemmed).
    """
    spans: list[tuple[int, int]] = []
    cache: dict[str, bool] = {}
    for match in _WORD.finditer(text):
        word = match.group(0)
        hit = cache.get(word)
        if hit is None:
            hit = fold(word) in name_terms or any(
                term in terms for term in index_terms(word, vocabulary)
            )
            cache[word] = hit
        if hit:
            spans.append(match.span())
    return spans


# --------------------------------------------------------------------------------------
# Whoosh adapters
# --------------------------------------------------------------------------------------


class GermanTokenizer(RegexTokenizer):
    """``\\w+`` tokens; marks tokens of untokenized query text (prefixes, wildcards)."""

    def __init__(self) -> None:
        super().__init__(WORD_PATTERN)

    def __call__(self, value, tokenize=True, **kwargs):  # noqa: D102 (Whoosh protocol)
        return super().__call__(value, tokenize=tokenize, verbatim=not tokenize, **kwargs)


class GermanFilter(Filter):
    """Folds, stems and, when indexing, adds compound parts at the same position."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict:
        return {"vocabulary": self.vocabulary}

    def __setstate__(self, state: dict) -> None:
        self.vocabulary = state["vocabulary"]
        self._cache = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GermanFilter) and other.vocabulary == self.vocabulary

    def __hash__(self) -> int:
        return hash(len(self.vocabulary))

    def __call__(self, tokens: Iterator) -> Iterator:  # Whoosh protocol
        cache = self._cache
        vocabulary = self.vocabulary
        for token in tokens:
            if token.mode == "query":
                if getattr(token, "verbatim", False):
                    token.text = prefix_term(token.text)
                else:
                    token.text = query_term(token.text)
                yield token
                continue
            text = token.text
            terms = cache.get(text)
            if terms is None:
                if len(cache) >= ANALYSIS_CACHE_SIZE:
                    cache.clear()
                terms = cache[text] = index_terms(text, vocabulary)
            for term in terms:
                token.text = term
                yield token


class NameFilter(Filter):
    """Folds without stemming: for people's names, where ``Huber`` is not ``Hub``."""

    def __call__(self, tokens: Iterator) -> Iterator:  # Whoosh protocol
        for token in tokens:
            token.text = fold(token.text)
            yield token


class ValueTokenizer(RegexTokenizer):
    """One token per line: exact facet values (``Landkreis Altenburger Land``)."""

    def __init__(self) -> None:
        super().__init__(r"[^\n]+")


def german_analyzer(vocabulary: Vocabulary):
    """The analyzer of the full-text fields."""
    return GermanTokenizer() | GermanFilter(vocabulary)


def name_analyzer():
    """The analyzer of the person field."""
    return GermanTokenizer() | NameFilter()


def value_analyzer():
    """The analyzer of facet fields: values are kept exactly, one per line."""
    return ValueTokenizer()


class PairTokenizer(RegexTokenizer):
    """Words, and ``PART_BREAK`` as a token of its own (it ends a run of pairs)."""

    def __init__(self) -> None:
        super().__init__(rf"{WORD_PATTERN}|{PART_BREAK}")


class PairFilter(Filter):
    """Adjacent word pairs (``kommunal planung``): phrase queries look these up instead of
    checking positions, which is what makes common phrases fast."""

    def __call__(self, tokens: Iterator) -> Iterator:  # Whoosh protocol
        previous = None
        for token in tokens:
            if token.text == PART_BREAK:
                previous = None
                continue
            term = query_term(token.text)
            if previous is not None:
                token.text = f"{previous} {term}"
                yield token
            previous = term


def pair_analyzer():
    """The analyzer of the field of adjacent word pairs."""
    return PairTokenizer() | PairFilter()


def vocabulary_of(analyzer) -> Vocabulary:
    """The compound vocabulary inside an analyzer built by :func:`german_analyzer`."""
    for item in getattr(analyzer, "items", ()):
        if isinstance(item, GermanFilter):
            return item.vocabulary
    return Vocabulary()
