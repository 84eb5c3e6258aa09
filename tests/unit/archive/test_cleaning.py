"""Tables for archive.cleaning: the noise of the seed texts, credits, teaser doubling."""

from __future__ import annotations

import unicodedata

import pytest

from archive.cleaning import (
    clean_paragraphs,
    clean_text,
    normalise_inline,
    normalise_whitespace,
    remove_teaser_doubling,
)
from tests.helpers import SEEDS

# Copies of the five texts scraped from the real site (shared/seeds), kept with the tests.

# normalise_whitespace: (input, expected, note).
WHITESPACE_CASES = [
    ("a\u00a0b", "a b", "NBSP"),
    ("99084\u00a0Erfurt", "99084 Erfurt", "seed 002 address"),
    ("a\u202fb", "a b", "narrow NBSP"),
    ("a\u200bb", "ab", "zero-width space"),
    ("\ufeffText", "Text", "byte order mark"),
    ("Sozial\u00adplanung", "Sozialplanung", "soft hyphen"),
    ("a\tb", "a b", "tab"),
    ("\t\t\tErfurt/08.03.2024.", "Erfurt/08.03.2024.", "seed 000 leading tabs"),
    ("a  \t b", "a b", "runs of spaces"),
    ("das  Titelthema", "das Titelthema", "seed 002 double space"),
    ("Zeile   \nnächste", "Zeile\nnächste", "trailing spaces"),
    ("a\n\n\n\n\nb", "a\n\nb", "runs of blank lines"),
    ("a\n \n\t\t\n\u00a0\nb", "a\n\nb", "blank lines made of spaces and tabs"),
    ("a\r\nb", "a\nb", "CRLF"),
    ("a\rb", "a\nb", "CR"),
    ("a\u2028b", "a\nb", "line separator"),
    ("Anger 10\n99084 Erfurt", "Anger 10\n99084 Erfurt", "single newlines kept"),
    ("Ma\u0308rz", "März", "NFC"),
    ("\n\n  Text  \n\n", "Text", "outer whitespace"),
    ("a\x00b\x07c", "abc", "control characters"),
    ("\u200eErfurt\u200f", "Erfurt", "direction marks"),
    ("", "", "empty"),
]

# clean_text: (input, expected text, note).
CLEAN_CASES = [
    ("Text davor\n\nMEHR LESEN\n\nText danach", "Text davor\n\nText danach", "button line"),
    ("Titel\n\nMehr lesen", "Titel", "seed 002 events listing"),
    (
        "Erster Beitrag.\nMEHR LESENPressemitteilung, 13.09.2023\nKommunen unterstützen",
        "Erster Beitrag.\n\nPressemitteilung, 13.09.2023\nKommunen unterstützen",
        "seed 001: button glued onto the next title",
    ),
    (
        "Text.\nMEHR LESENNeu: Publikationen des IKPE",
        "Text.\n\nNeu: Publikationen des IKPE",
        "seed 001: glued onto 'Neu:'",
    ),
    (
        "Dieser Filmbeitrag beschreibt die Herausforderungen.\n\n"
        "Sie haben den zur Verwendung von Youtube benötigten Cookies nicht zugestimmt.\n"
        "Entscheidung widerrufen",
        "Dieser Filmbeitrag beschreibt die Herausforderungen.",
        "seed 002: consent plugin",
    ),
    (
        "Publikationen und Ergebnisse\n\nIKPE in der Presse\n\nBitte warten ...\n0\n1\n2\n3\n\n"
        "Sozialplanungsplattform",
        "Publikationen und Ergebnisse\n\nIKPE in der Presse\n\nSozialplanungsplattform",
        "seed 002: loading text and tab numbers",
    ),
    ("mitarbeiter\nactive category\n\nUnsere", "mitarbeiter\n\nUnsere", "active category"),
    (
        "Sie als Kommune bestimmen.\n\nLorem ipsum dolor sit amet, consetetur sadipscing elitr.",
        "Sie als Kommune bestimmen.",
        "seed 003: placeholder",
    ),
    (
        "… beim Arbeitskreis.\n\nBei nur einem Beitrag klappe ich das Accourdeon auf.\n\n"
        "Emscher Zukunftsinitiative",
        "… beim Arbeitskreis.\n\nEmscher Zukunftsinitiative",
        "seed 003: editor note",
    ),
    ("TODO: Bild einfügen\n\nText", "Text", "TODO marker"),
]

# Text that must come out exactly as it went in: the source is kept faithfully.
KEEP_CASES = [
    ("Vertreter*innen aus Wirschaft, Wissenschaft", "source spelling: Wirschaft"),
    ("zur Inkluson und Gleichstellung", "source spelling: Inkluson"),
    ("vom Landkreis Altenbruger Land beauftrag worden war.", "source spelling: Altenbruger"),
    (
        "„Ich fühle mich hier wohl und freue mich, ein Teil vom Altenburger Land zu sein.“",
        "first person without layout words is not an editor note",
    ),
    ("2017", "a year heading is not a tab number"),
    ("Mehr lesen Sie in unserem Bericht.", "a sentence that starts with 'Mehr lesen'"),
    ("Quelle: Statistisches Landesamt", "a source line is not a photo credit"),
    ("Anger 10\n99084 Erfurt\n\n0361 30257 - 602", "addresses and phone numbers"),
    ("– Was macht gute Planung aus?", "list items with dashes"),
    ("Die Montage der Ausstellung dauerte zwei Tage.", "'Montage' inside a sentence"),
    ("Zur Rezension", "link text"),
]

# Credits: (input, expected credits, expected text, note).
CREDIT_CASES = [
    (
        "Text.\n\nFotos: @ikpe/Josefine E. Strüning",
        ["Fotos: @ikpe/Josefine E. Strüning"],
        "Text.",
        "seed 000",
    ),
    ("Text.\n\n  Montage:@ikpe/Binder", ["Montage:@ikpe/Binder"], "Text.", "seed 000"),
    (
        "Text.\n\nFotos (3): @ikpe/Josefine E. Strüning",
        ["Fotos (3): @ikpe/Josefine E. Strüning"],
        "Text.",
        "seed 000 counted",
    ),
    (
        "Fotos(11): @IKPE/J.Strüning\nFotos (4): @IKPE/J. Neumann",
        ["Fotos(11): @IKPE/J.Strüning", "Fotos (4): @IKPE/J. Neumann"],
        "",
        "seed 002 two credit lines",
    ),
    ("Foto: @IKPE/Archiv", ["Foto: @IKPE/Archiv"], "", "seed 001"),
    ("Fotos: @IKPE", ["Fotos: @IKPE"], "", "seed 002"),
    (
        "v.l.n.r.: Beate Meißner (CDU), Prof. Dr. Jörg Fischer, Institutsleitung IKPE (Foto IKPE)",
        ["Foto IKPE"],
        "v.l.n.r.: Beate Meißner (CDU), Prof. Dr. Jörg Fischer, Institutsleitung IKPE",
        "seed 002 caption credit",
    ),
    ("Bild: © Stadt Jena", ["Bild: © Stadt Jena"], "", "Bild label"),
]

# Rules that fire: (input, rule name, note).
DROP_CASES = [
    ("MEHR LESEN", "read_more_button", "upper case"),
    ("Mehr lesen", "read_more_button", "mixed case"),
    ("Weiterlesen »", "read_more_button", "Weiterlesen"),
    ("Entscheidung widerrufen", "consent_notice", "consent button"),
    (
        "Sie haben den zur Verwendung von Vimeo benötigten Cookies nicht zugestimmt.",
        "consent_notice",
        "other video service",
    ),
    ("Bitte warten ...", "loading_placeholder", "seed 002"),
    ("Bitte warten…", "loading_placeholder", "ellipsis character"),
    ("3", "tab_number", "tab number"),
    ("active category", "active_category", "seed 002"),
    ("Lorem ipsum dolor sit amet", "lorem_ipsum", "placeholder"),
    ("Bei nur einem Beitrag klappe ich das Accourdeon auf.", "editor_note", "seed 003"),
    ("Hier setze ich noch einen Slider ein.", "editor_note", "slider note"),
]

# remove_teaser_doubling: (paragraphs, expected paragraphs, note).
TEASER_CASES = [
    (
        (
            "IKPE-Team auf der Messe “KOMMUNALE”",
            "Nürnberg/18.-19.10.2023. Das Institut für kommunale Planung war mit einem Stand",
            "MEHR LESEN",
            "Nürnberg/18.-19.10.2023.",
            "Das Institut für kommunale Planung war mit einem Stand vor Ort.",
        ),
        [
            "IKPE-Team auf der Messe “KOMMUNALE”",
            "MEHR LESEN",
            "Nürnberg/18.-19.10.2023.",
            "Das Institut für kommunale Planung war mit einem Stand vor Ort.",
        ],
        "seed 002: teaser, button, full text",
    ),
    (
        (
            "Praxisforschung ist das  Titelthema der Ausgabe. Herausgegeben von Prof. Dr. Jörg",
            "MEHR LESEN",
            "Praxisforschung ist das  Titelthema der Ausgabe.",
            "Herausgegeben von Prof. Dr. Jörg Fischer.",
        ),
        [
            "MEHR LESEN",
            "Praxisforschung ist das  Titelthema der Ausgabe.",
            "Herausgegeben von Prof. Dr. Jörg Fischer.",
        ],
        "seed 002: double space, teaser spans two full paragraphs",
    ),
    (
        (
            "Ein kurzer Anriss des Beitrags …",
            "MEHR LESEN",
            "Ein kurzer Anriss des Beitrags und mehr.",
        ),
        ["MEHR LESEN", "Ein kurzer Anriss des Beitrags und mehr."],
        "ellipsis at the cut",
    ),
    (
        ("Ein anderer Beitrag ganz anders", "MEHR LESEN", "Nächster Beitrag mit eigenem Text."),
        ["Ein anderer Beitrag ganz anders", "MEHR LESEN", "Nächster Beitrag mit eigenem Text."],
        "slider: no doubling, nothing dropped",
    ),
    (
        ("Absatz, den die Seite wiederholt.", "Absatz, den die Seite wiederholt."),
        ["Absatz, den die Seite wiederholt.", "Absatz, den die Seite wiederholt."],
        "a repeat without a button is the site's content",
    ),
    (
        ("Kurz", "MEHR LESEN", "Kurz und gut."),
        ["Kurz", "MEHR LESEN", "Kurz und gut."],
        "too short to be a teaser",
    ),
]


def _keys(table: list) -> list:
    return [row[0] for row in table]


@pytest.mark.parametrize(
    "name, table",
    [
        ("WHITESPACE_CASES", WHITESPACE_CASES),
        ("CLEAN_CASES", CLEAN_CASES),
        ("KEEP_CASES", KEEP_CASES),
        ("CREDIT_CASES", CREDIT_CASES),
        ("DROP_CASES", DROP_CASES),
        ("TEASER_CASES", TEASER_CASES),
    ],
)
def test_no_input_repeats_in_a_table(name: str, table: list) -> None:
    keys = _keys(table)
    assert len(keys) == len(set(keys)), name


@pytest.mark.parametrize("text, expected, note", WHITESPACE_CASES)
def test_normalise_whitespace(text: str, expected: str, note: str) -> None:
    assert normalise_whitespace(text) == expected, note


@pytest.mark.parametrize("text, expected, note", CLEAN_CASES)
def test_clean_text(text: str, expected: str, note: str) -> None:
    assert clean_text(text).text == expected, note


@pytest.mark.parametrize("text, note", KEEP_CASES)
def test_source_text_is_kept(text: str, note: str) -> None:
    result = clean_text(text)
    assert result.text == text, note
    assert result.dropped == [] and result.credits == [], note


@pytest.mark.parametrize("text, credits, expected, note", CREDIT_CASES)
def test_credits_move_out_of_the_text(
    text: str, credits: list[str], expected: str, note: str
) -> None:
    result = clean_text(text)
    assert result.credits == credits, note
    assert result.text == expected, note


@pytest.mark.parametrize("text, rule, note", DROP_CASES)
def test_rules_record_what_they_drop(text: str, rule: str, note: str) -> None:
    result = clean_text(f"Vorher.\n\n{text}\n\nNachher.")
    assert result.text == "Vorher.\n\nNachher.", note
    assert [name for name, _snippet in result.dropped] == [rule], note


@pytest.mark.parametrize("paragraphs, expected, note", TEASER_CASES)
def test_remove_teaser_doubling(paragraphs: tuple, expected: list[str], note: str) -> None:
    assert remove_teaser_doubling(list(paragraphs)) == expected, note


def test_clean_paragraphs_records_teasers() -> None:
    result = clean_paragraphs(
        [
            "Arbeitskreis Sozialplanung tagte",
            "Am 12.10.2023 fand in Erfurt die Sitzung des Arbeitskreises statt. Im Mittelpunkt",
            "MEHR LESEN",
            "Am 12.10.2023 fand in Erfurt die Sitzung des Arbeitskreises statt.",
            "Im Mittelpunkt stand die Altenhilfeplanung.",
        ]
    )
    assert result.text == (
        "Arbeitskreis Sozialplanung tagte\n\n"
        "Am 12.10.2023 fand in Erfurt die Sitzung des Arbeitskreises statt.\n\n"
        "Im Mittelpunkt stand die Altenhilfeplanung."
    )
    assert [rule for rule, _ in result.dropped] == ["teaser_doubling", "read_more_button"]


def test_teaser_doubling_found_without_blank_lines() -> None:
    text = (
        "Titel des Beitrags\nErfurt, 15.09.2023 Die Ergebnisse der Untersuchung stellte\n"
        "MEHR LESEN\nErfurt, 15.09.2023\nDie Ergebnisse der Untersuchung stellte er vor."
    )
    assert clean_text(text).text == (
        "Titel des Beitrags\n\nErfurt, 15.09.2023\nDie Ergebnisse der Untersuchung stellte er vor."
    )


def _seed(name: str) -> str:
    path = SEEDS / name
    return path.read_text(encoding="utf-8")


def test_seed_002_listing() -> None:
    result = clean_text(_seed("002_f0179f4e2a04d036.txt"))
    assert "MEHR LESEN" not in result.text and "Mehr lesen" not in result.text
    assert "Cookies nicht zugestimmt" not in result.text
    assert "Bitte warten" not in result.text and "active category" not in result.text
    assert [rule for rule, _ in result.dropped].count("teaser_doubling") == 6
    # Each listed post's opening sentence appears once, not twice.
    assert result.text.count("Am 12.10.2023 fand in Erfurt") == 1
    assert result.text.count("Deutschlands größte Kommunalmesse") == 1
    assert result.credits == [
        "Foto IKPE",
        "Fotos: @IKPE",
        "Fotos(11): @IKPE/J.Strüning",
        "Fotos (4): @IKPE/J. Neumann",
    ]
    # The staff cards the page itself repeats stay.
    assert result.text.count("theresa.hilse-carstensen(at)ikpe-erfurt.de") == 6


def test_seed_000_keeps_its_own_repeats() -> None:
    text = _seed("000_1ec15fc9ff839adb.txt")
    result = clean_text(text)
    assert result.text.count("Im Fragebogen wurde übrigens abschließend gefragt") == 2
    assert result.credits == [
        "Fotos: @ikpe/Josefine E. Strüning",
        "Montage:@ikpe/Binder",
        "Fotos (3): @ikpe/Josefine E. Strüning",
    ]
    assert "\t" not in result.text and "\u00a0" not in result.text
    assert "\n\n\n" not in result.text


def test_seed_003_editor_note_and_placeholder() -> None:
    result = clean_text(_seed("003_c1e137378e7b7df9.txt"))
    assert "Accourdeon" not in result.text and "Lorem ipsum" not in result.text
    assert [rule for rule, _ in result.dropped] == ["editor_note", "lorem_ipsum"]


def test_seed_001_slider_keeps_every_post() -> None:
    result = clean_text(_seed("001_8f4ebab04ef17ee5.txt"))
    assert "\n\nPressemitteilung, 13.09.2023\n" in result.text
    assert "\n\nNeu: Publikationen des IKPE" in result.text
    assert result.credits == ["Foto: @IKPE/Archiv"]


def test_all_five_seeds_are_here() -> None:
    assert len(list(SEEDS.glob("*.txt"))) == 5


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seeds_never_grow(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    assert len(clean_text(text).text) <= len(unicodedata.normalize("NFC", text))


# Characters that must never reach a terminal or a page raw (issue 13): (input, inline
# form, note). normalise_whitespace removes the same characters and keeps line breaks.
HOSTILE_CHARACTER_CASES = [
    ("\x1b[31mRot\x1b[0m", "Rot", "ANSI colour: the whole sequence out, not only ESC"),
    ("a\x1b[1;2;3Hb", "ab", "cursor movement with parameters"),
    ("a\x9b2Jb", "ab", "the one-byte CSI"),
    ("\x1b]0;gehackt\x07Titel", "Titel", "window title (OSC, ended by BEL)"),
    ("\x1b]8;;https://x.org\x1b\\Link\x1b]8;;\x1b\\", "Link", "hyperlink (OSC, ended by ST)"),
    ("a\x1bcb", "ab", "terminal reset (ESC c)"),
    ("a\x00b\x07c\x08d\x7fe", "abcde", "NUL, BEL, backspace, DEL"),
    ("\u202eevil\u202c", "evil", "right-to-left override"),
    ("a\u2066b\u2069c\u061c", "abc", "bidi isolates, Arabic letter mark"),
    ("a\u200cb\u200dc\u2060d", "abcd", "ZWNJ, ZWJ, word joiner"),
    ("a\U000e0041\U000e007fb", "ab", "invisible tag characters"),
    ("a\u2062b", "ab", "invisible times"),
    ("Zeile\u2028zwei\rdrei", "Zeile zwei drei", "line and paragraph separators, CR"),
    ("Größe „Zitat“ – Straße ‚ok‘ — Ende", "Größe „Zitat“ – Straße ‚ok‘ — Ende",
     "German letters, typographic quotes and dashes kept"),
    ("a\u00a0b\u202fc", "a b c", "no-break spaces: one space"),
    ("Café 😀 Ελλάδα", "Café 😀 Ελλάδα", "any other Unicode kept"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, inline",
    [c[:2] for c in HOSTILE_CHARACTER_CASES],
    ids=[c[2] for c in HOSTILE_CHARACTER_CASES],
)
def test_normalise_inline_removes_what_a_terminal_would_run(text: str, inline: str) -> None:
    assert normalise_inline(text) == inline
    assert " ".join(normalise_whitespace(text).split()) == inline
    assert len(normalise_whitespace(text)) <= len(unicodedata.normalize("NFC", text))


def test_hostile_characters_leave_the_cleaned_text() -> None:
    text = "\x1b[31mTitel\x1b[0m\n\nAbsatz \u202emit\u202c Trick\x07."
    assert clean_text(text).text == "Titel\n\nAbsatz mit Trick."
