"""Tables for archive.entities: people, e-mails, places, organisations from the seeds."""

from __future__ import annotations

import pytest

from archive.entities import (
    deobfuscate_emails,
    find_emails,
    find_organisations,
    find_people,
    find_places,
    strip_titles,
)

STAFF = (
    "Prof. Dr. Jörg Fischer",
    "Dr. Theresa Hilse-Carstensen",
    "Inga Döbel",
    "Petra Luise Binder",
    "Andreas Blume-Strotzer",
    "Julia Bäring",
    "Dr. Gernot Herzer",
    "Dr. Stefan Huber",
    "Katja Nicke",
    "Dr. Heike Schaarschmidt",
    "Josefine Elisabeth Strüning",
    "Dr. Rainer Vock",
)

# strip_titles: (input, expected, note).
TITLE_CASES = [
    ("Prof. Dr. Jörg Fischer", "Jörg Fischer", "seed 002"),
    ("Dr. Stefan Huber", "Stefan Huber", "seed 000"),
    ("Christian Kraft, M.Sc.", "Christian Kraft", "site-model references"),
    ("Dr. phil. Heike Schaarschmidt", "Heike Schaarschmidt", "Dr. phil."),
    ("Dipl.-Soz.Päd. Inga Döbel", "Inga Döbel", "Dipl.-Soz.Päd."),
    ("Dr. rer. pol. Rainer Vock", "Rainer Vock", "Dr. rer. pol."),
    ("Jun.-Prof. Dr. Anna Beispiel", "Anna Beispiel", "Jun.-Prof."),
    ("Andreas Blume-Strotzer, M.A.", "Andreas Blume-Strotzer", "M.A. after a comma"),
    ("Frau Dr. Theresa Hilse-Carstensen", "Theresa Hilse-Carstensen", "salutation"),
    ("Josefine Elisabeth Strüning", "Josefine Elisabeth Strüning", "no title"),
    ("Prof. Dr.  Jörg\u00a0Fischer", "Jörg Fischer", "odd spaces"),
]

# find_people without known names: (text, expected, note).
PEOPLE_CASES = [
    (
        "Deshalb nahmen die Prozessberaterin Josefine Elisabeth Strüning und Prozessberater "
        "Dr. Gernot Herzer aus dem Team teil.",
        ["Josefine Elisabeth Strüning", "Gernot Herzer"],
        "seed 000: role words and a title",
    ),
    (
        "Ansprechpartner: Dr. Rainer Vock, Andreas Blume-Strotzer",
        ["Rainer Vock", "Andreas Blume-Strotzer"],
        "seed 000 contact line",
    ),
    (
        "Ansprechpartner: Christian Kraft, M.Sc.; Dr. Stefan Huber",
        ["Christian Kraft", "Stefan Huber"],
        "site-model contact line with degrees",
    ),
    (
        "Ansprechpartner*innen:\nDr. Heike Schaarschmidt, Leiterin Programm",
        ["Heike Schaarschmidt"],
        "seed 000: label, names on the next line",
    ),
    (
        "Die Thüringer Sozialministerin Heike Werner ist Schirmherrin. Dazu Ministerin Werner:",
        ["Heike Werner"],
        "seed 001: a bare surname after a role maps to the full name",
    ),
    (
        "sagte Landrätin Christiane Schmidt-Rose in ihrem Statement",
        ["Christiane Schmidt-Rose"],
        "seed 002: hyphenated surname",
    ),
    (
        "Sozialplanerin Antje Schmerbauch (Weimarer Land) und Dr. Stefan Huber (IKPE) berichteten",
        ["Antje Schmerbauch", "Stefan Huber"],
        "seed 000",
    ),
    (
        "Referent ist Richard Roos, Wissenschaftlicher Mitarbeiter European Digital Innovation Hub",
        ["Richard Roos"],
        "seed 000: 'Referent ist' and a role after the name",
    ),
    (
        "Reinhard Krebs, Landrat im Wartburgkreis stellte fest",
        ["Reinhard Krebs"],
        "seed 002: role after the name",
    ),
    (
        "stellte Andreas Blume-Strotzer, wissenschaftlicher Mitarbeiter des IKPE, vor",
        ["Andreas Blume-Strotzer"],
        "seed 000: lower-case role adjective",
    ),
    (
        "diskutierten Joachim Leibiger (TLMB), Karola Stange (DIE LINKE), Beate Meißner (CDU)",
        ["Karola Stange", "Beate Meißner"],
        "seed 002: parties mark people; an acronym alone does not",
    ),
    (
        "Diskussionsrunde mit Prof. Dr. Fischer zum Thema",
        ["Fischer"],
        "seed 000: a bare titled surname is kept as written",
    ),
    (
        "Dr. Gernot Herzer präsentierte. Später erläuterte Dr. Herzer die Ergebnisse.",
        ["Gernot Herzer"],
        "bare surname maps to the full name in the same text",
    ),
    (
        "mit Prof. Corey Shdaimah von der University of Maryland/USA und Prof. Dassi "
        "Postan-Aizik vom Max Stern Yezreel Valley College",
        ["Corey Shdaimah", "Dassi Postan-Aizik"],
        "seed 001: the university is not a person",
    ),
    (
        "Oberbürgermeister der Stadt Jena Dr. Thomas Nietzsche, dass",
        ["Thomas Nietzsche"],
        "seed 002",
    ),
    (
        "Im Arbeitskreis Sozialplanung am Thüringer Ministerium für Arbeit, Soziales (TMASGFF)",
        [],
        "no ministry as a person",
    ),
    (
        "Projektleitung: Dr. Stefan Huber, IKPE",
        ["Stefan Huber"],
        "seed 004: acronym after the name",
    ),
    ("Kontakt: stefan.huber(at)ikpe-erfurt.de", [], "an address is not a name"),
    (
        "und Anke Schröpfer, Referentin für Zentrale Prüfungen",
        ["Anke Schröpfer"],
        "seed 002: feminine role after the name",
    ),
    (
        "zur Verfügung: (v.l.n.r.) Josefine Strüning, Dr. Gernot Herzer, Dr. Rainer Vock.",
        ["Josefine Strüning", "Gernot Herzer", "Rainer Vock"],
        "seed 001: a picture's name list",
    ),
    ("", [], "empty"),
]

# find_people with the staff list: (text, expected, note).
KNOWN_PEOPLE_CASES = [
    (
        "Einen Input gab Josefine Elisabeth Strüning zum Thema. Dr. Herzer erläuterte die "
        "Ergebnisse.",
        ["Josefine Elisabeth Strüning", "Gernot Herzer"],
        "seed 000: untitled staff name found, bare surname resolved",
    ),
    (
        "Weitere Autoren vom IKPE sind Inga Döbel und Dr. Stefan Huber",
        ["Inga Döbel", "Stefan Huber"],
        "seed 002",
    ),
    (
        "Diskussionsrunde mit Prof. Dr. Fischer zum Thema",
        ["Jörg Fischer"],
        "seed 000: surname resolved by the staff list",
    ),
    (
        "Die Kollegin Frau Bäring und Herr Huber",
        ["Julia Bäring", "Stefan Huber"],
        "salutations with surnames",
    ),
]

# find_emails: (text, expected, note).
EMAIL_CASES = [
    ("stefan.huber(at)ikpe-erfurt.de", ["stefan.huber@ikpe-erfurt.de"], "seed 000"),
    (
        "Kontakt: rainer.vock(at)ikpe-erfurt.de; andreas.blume-strotzer(at)ikpe-erfurt.de",
        ["rainer.vock@ikpe-erfurt.de", "andreas.blume-strotzer@ikpe-erfurt.de"],
        "seed 000, two on a line",
    ),
    ("E-Mail: stefan.huber(at)ikpe-erfurt.de", ["stefan.huber@ikpe-erfurt.de"], "label"),
    ("inga.doebel[at]ikpe-erfurt.de", ["inga.doebel@ikpe-erfurt.de"], "[at]"),
    ("julia.baering (at) ikpe-erfurt.de", ["julia.baering@ikpe-erfurt.de"], "spaced (at)"),
    ("petra.binder(at)ikpe-erfurt(dot)de", ["petra.binder@ikpe-erfurt.de"], "(dot)"),
    ("Joerg.Fischer@IKPE-Erfurt.de", ["joerg.fischer@ikpe-erfurt.de"], "lower-cased"),
    (
        "a(at)ikpe-erfurt.de und nochmal a(at)ikpe-erfurt.de",
        ["a@ikpe-erfurt.de"],
        "de-duplicated",
    ),
    ("Fotos: @ikpe/Josefine E. Strüning", [], "a credit handle is no address"),
    ("Montage:@ikpe/Binder", [], "glued credit"),
    ("www.thueringer-praeventionsketten.de", [], "a web address"),
]

# deobfuscate_emails: (text, expected, note).
DEOBFUSCATE_CASES = [
    ("Mail: stefan.huber(at)ikpe-erfurt.de.", "Mail: stefan.huber@ikpe-erfurt.de.", "sentence"),
    ("Treffen (at) Erfurt", "Treffen (at) Erfurt", "not an address: unchanged"),
]

# find_places: (text, expected, note).
PLACE_CASES = [
    ("Jena/12.03.2024. Fachtagung in Jena", ["Jena"], "seed 000, once"),
    (
        "Altenburg/06.02.204. Ergebnisse aus der Sozialbefragung 2023 im Altenburger Land im "
        "Kreistag des Altenburger Lands",
        ["Altenburg", "Altenburger Land"],
        "seed 000: genitive, town before district",
    ),
    (
        "Im Landkreis Weimarer Land und in Weimar",
        ["Weimarer Land", "Weimar"],
        "district is not the town",
    ),
    ("des Wartburgkreises und des Kyffhäuserkreises", ["Wartburgkreis", "Kyffhäuserkreis"], "gen."),
    (
        "(Jena, Saale-Orla-Kreis, Schmalkalden-Meiningen, Sömmerda und der Wartburgkreis)",
        ["Jena", "Saale-Orla-Kreis", "Schmalkalden-Meiningen", "Sömmerda", "Wartburgkreis"],
        "seed 001 list",
    ),
    ("in der Emscherregion und in Kölleda", ["Emscherregion", "Kölleda"], "seed 003"),
    ("ESPAnet-Tagung in Warschau/Polen", ["Warschau"], "seed 001"),
    ("in Nürnberg und in Hamburg", ["Nürnberg", "Hamburg"], "seed 002"),
    ("Landratsamt Ilmkreis", ["Ilmkreis"], "site-model event venue"),
    ("vom Landkreis Altenbruger Land", [], "a misspelt name is not corrected"),
    ("Erfurter Fachgespräch, Kölledaer Jugend", [], "adjectives are not places"),
    ("Wohnungslosigkeit in Thüringen", [], "the Land is not in the gazetteer"),
    ("Auftraggeber: Emschergenossenschaft, Essen", ["Essen"], "replica: Essen after a comma"),
    ("Nach dem Essen ging es weiter.", [], "Essen the meal is no place"),
]

# find_organisations: (text, expected, note).
ORGANISATION_CASES = [
    (
        "Im Arbeitskreis Sozialplanung am Thüringer Ministerium für Arbeit, Soziales, Gesundheit, "
        "Frauen und Familie (TMASGFF) stellte sich das Team vor.",
        ["Thüringer Ministerium für Arbeit, Soziales, Gesundheit, Frauen und Familie (TMASGFF)"],
        "seed 000",
    ),
    (
        "am Institut für kommunale Planung und Entwicklung (IKPE) am Start",
        ["Institut für kommunale Planung und Entwicklung (IKPE)"],
        "seed 000: lower-case adjective inside",
    ),
    (
        "Arbeit des European Digital Innovation Hub (EDIH) Thüringen",
        ["European Digital Innovation Hub (EDIH)"],
        "seed 000",
    ),
    (
        "In Kooperation mit dem Landesjugendring Thüringen e.V. und dem Landkreis",
        ["Landesjugendring Thüringen e.V."],
        "seed 003 e.V.",
    ),
    (
        "Dazu gehörte die Ankerstein GmbH Rudolstadt-Schwarza, der KiEZ Ferienpark Feuerkuppe "
        "e. V. Sondershausen",
        ["Ankerstein GmbH", "KiEZ Ferienpark Feuerkuppe e. V."],
        "seed 002 GmbH and spaced e. V.",
    ),
    (
        "vom Kronbergerkreis für Dialogische Qualitätssicherung e.V. entwickelte Ansatz",
        ["Kronbergerkreis für Dialogische Qualitätssicherung e.V."],
        "seed 003",
    ),
    ("diskutierten Beate Meißner (CDU) und Dr. Stefan Huber (IKPE)", [], "people, not names"),
    ("Thüringer Präventionsketten (v.l.n.r.)", [], "not an acronym"),
]


def _keys(table: list) -> list:
    return [row[0] for row in table]


@pytest.mark.parametrize(
    "name, table",
    [
        ("TITLE_CASES", TITLE_CASES),
        ("PEOPLE_CASES", PEOPLE_CASES),
        ("KNOWN_PEOPLE_CASES", KNOWN_PEOPLE_CASES),
        ("EMAIL_CASES", EMAIL_CASES),
        ("DEOBFUSCATE_CASES", DEOBFUSCATE_CASES),
        ("PLACE_CASES", PLACE_CASES),
        ("ORGANISATION_CASES", ORGANISATION_CASES),
    ],
)
def test_no_input_repeats_in_a_table(name: str, table: list) -> None:
    keys = _keys(table)
    assert len(keys) == len(set(keys)), name


@pytest.mark.parametrize("name, expected, note", TITLE_CASES)
def test_strip_titles(name: str, expected: str, note: str) -> None:
    assert strip_titles(name) == expected, note


@pytest.mark.parametrize("text, expected, note", PEOPLE_CASES)
def test_find_people(text: str, expected: list[str], note: str) -> None:
    assert find_people(text) == expected, note


@pytest.mark.parametrize("text, expected, note", KNOWN_PEOPLE_CASES)
def test_find_people_with_known_names(text: str, expected: list[str], note: str) -> None:
    assert find_people(text, STAFF) == expected, note


def test_surname_shared_by_two_known_names_stays_bare() -> None:
    known = ("Dr. Stefan Huber", "Dr. Anna Huber")
    assert find_people("Laut Dr. Huber ist das so.", known) == ["Huber"]


@pytest.mark.parametrize("text, expected, note", EMAIL_CASES)
def test_find_emails(text: str, expected: list[str], note: str) -> None:
    assert find_emails(text) == expected, note


@pytest.mark.parametrize("text, expected, note", DEOBFUSCATE_CASES)
def test_deobfuscate_emails(text: str, expected: str, note: str) -> None:
    assert deobfuscate_emails(text) == expected, note


@pytest.mark.parametrize("text, expected, note", PLACE_CASES)
def test_find_places(text: str, expected: list[str], note: str) -> None:
    assert find_places(text) == expected, note


@pytest.mark.parametrize("text, expected, note", ORGANISATION_CASES)
def test_find_organisations(text: str, expected: list[str], note: str) -> None:
    assert find_organisations(text) == expected, note
