"""Tables for archive.citations: the German forms of site-model.md and the press items."""

from __future__ import annotations

import pytest

from archive.citations import Person, Reference, parse_citation

# (citation, expected fields, note); authors/editors as (family, given) pairs.
CITATION_CASES = [
    (
        "Fischer, Jörg/Lutz, Ronald (Hrsg.) (2015): Jugend im Blick. Gesellschaftliche "
        "Konstruktionen und pädagogische Zugänge. Weinheim: Juventa. (326 Seiten)",
        {
            "kind": "edited_book",
            "editors": [("Fischer", "Jörg"), ("Lutz", "Ronald")],
            "authors": [],
            "year": 2015,
            "title": "Jugend im Blick. Gesellschaftliche Konstruktionen und pädagogische Zugänge",
            "place": "Weinheim",
            "publisher": "Juventa",
            "page_count": 326,
        },
        "site-model: edited book with page count",
    ),
    (
        "Böwer, Michael/Fischer, Jörg (Hrsg.) (2014): Frühe Hilfen. Heft 7-8/2014 der "
        "Zeitschrift „Sozialmagazin“, 39. Jg., Weinheim: Juventa. (98 Seiten)",
        {
            "kind": "journal_issue",
            "editors": [("Böwer", "Michael"), ("Fischer", "Jörg")],
            "year": 2014,
            "title": "Frühe Hilfen",
            "container": "Sozialmagazin",
            "issue": "7-8/2014",
            "volume": "39",
            "place": "Weinheim",
            "publisher": "Juventa",
            "page_count": 98,
        },
        "site-model: an edited journal issue",
    ),
    (
        "Huber, S. (2017): Sozialplanung im ländlichen Raum. In: Fischer, J./Hilse-Carstensen, "
        "T. (Hrsg.): Handbuch Kommunale Planung und Steuerung. Wiesbaden: Springer VS, S. 12-34.",
        {
            "kind": "chapter",
            "authors": [("Huber", "S.")],
            "editors": [("Fischer", "J."), ("Hilse-Carstensen", "T.")],
            "year": 2017,
            "title": "Sozialplanung im ländlichen Raum",
            "container": "Handbuch Kommunale Planung und Steuerung",
            "place": "Wiesbaden",
            "publisher": "Springer VS",
            "pages": "12-34",
        },
        "chapter in an edited book, initials",
    ),
    (
        "Vock, R./Blume-Strotzer, A. (2023): Planende in Landkreisen und kreisfreien Städten. "
        "In: Sozialmagazin 9-10/2023, S. 20-27.",
        {
            "kind": "article",
            "authors": [("Vock", "R."), ("Blume-Strotzer", "A.")],
            "year": 2023,
            "container": "Sozialmagazin",
            "issue": "9-10/2023",
            "pages": "20-27",
        },
        "journal article, issue number (seed 002)",
    ),
    (
        "Döbel, I./Huber, S. (2023): Wissenstransfer und -integration. In: Sozialmagazin, "
        "48. Jg., Heft 9-10/2023, S. 28–35.",
        {"kind": "article", "volume": "48", "issue": "9-10/2023", "pages": "28-35"},
        "volume and Heft, en dash in pages",
    ),
    (
        "Fischer, J. (2019): Kommunale Sozialpolitik. In: Zeitschrift für Sozialreform 65 "
        "(2019), H. 3, S. 301–330.",
        {
            "container": "Zeitschrift für Sozialreform",
            "volume": "65",
            "issue": "3",
            "pages": "301-330",
        },
        "volume (year), H.",
    ),
    (
        "Hilse-Carstensen, T./Huber, S. (2024): Beteiligung in Kommunen. In: Fischer, J. (Hrsg.):"
        " Praxisforschung. Weinheim: Beltz Juventa. i.E.",
        {
            "kind": "chapter",
            "forthcoming": True,
            "year": 2024,
            "container": "Praxisforschung",
            "publisher": "Beltz Juventa",
        },
        "forthcoming, ends i.E.",
    ),
    (
        "Fischer, J. (i.E.): Armutsprävention in Kommunen. Weinheim: Beltz Juventa.",
        {"forthcoming": True, "year": None, "title": "Armutsprävention in Kommunen"},
        "forthcoming in the year slot",
    ),
    (
        "Vock, R./Huber, S. (2020): Sozialbefragung im Altenburger Land. Abschlussbericht. "
        "Erfurt: IKPE.",
        {
            "kind": "report",
            "title": "Sozialbefragung im Altenburger Land. Abschlussbericht",
            "place": "Erfurt",
            "publisher": "IKPE",
        },
        "report",
    ),
    (
        "Huber, S./Vock, R. (2019): Evaluation der Präventionsketten. Erfurt: Institut für "
        "kommunale Planung und Entwicklung.",
        {"kind": "report", "publisher": "Institut für kommunale Planung und Entwicklung"},
        "report, long publisher",
    ),
    (
        "Fischer,  Jörg (2016):  Armut  und Planung. 2. Aufl. Wiesbaden: Springer VS.",
        {
            "authors": [("Fischer", "Jörg")],
            "title": "Armut und Planung",
            "edition": "2. Aufl",
            "place": "Wiesbaden",
        },
        "double spaces, edition",
    ),
    (
        "Huber, S. (2021): Digitale Beteiligung. In: Archiv für Wissenschaft und Praxis der "
        "sozialen Arbeit 2/2021, S. 4-15. https://doi.org/10.5771/0340-3564-2021-2-4",
        {
            "doi": "10.5771/0340-3564-2021-2-4",
            "container": "Archiv für Wissenschaft und Praxis der sozialen Arbeit",
            "issue": "2/2021",
        },
        "DOI as a URL",
    ),
    (
        "IKPE (Hrsg.) (2018): Sozialstrategie Thüringen. Erfurt. Online unter: "
        "https://www.ikpe-erfurt.de/bericht.pdf (Zugriff am 12.03.2024)",
        {
            "editors": [("IKPE", "")],
            "title": "Sozialstrategie Thüringen",
            "place": "Erfurt",
            "url": "https://www.ikpe-erfurt.de/bericht.pdf",
        },
        "institution as editor, URL, access date",
    ),
    (
        "Lutz, Ronald/Fischer, Jörg (Hrsg.) (2010): Armut und Teilhabe in Thüringen. Weinheim und "
        "München: Juventa. (248 Seiten)",
        {"place": "Weinheim und München", "publisher": "Juventa", "page_count": 248},
        "replica: two places joined by 'und'",
    ),
    (
        "Schröder, Christian (2023): Rezension zu: Fischer, Jörg (Hrsg.): Handbuch kommunale "
        "Planung und Steuerung. In: socialnet Rezensionen, veröffentlicht am 05.07.2023",
        {
            "authors": [("Schröder", "Christian")],
            "title": "Rezension zu: Fischer, Jörg (Hrsg.): Handbuch kommunale Planung und "
            "Steuerung",
            "container": "socialnet Rezensionen",
            "date": "2023-07-05",
        },
        "replica: an online review with its date",
    ),
    (
        "Fischer, J.; Huber, S. (2022): Handbuch Kommunale Planung. Wiesbaden/Basel: Springer.",
        {
            "authors": [("Fischer", "J."), ("Huber", "S.")],
            "place": "Wiesbaden/Basel",
            "publisher": "Springer",
        },
        "semicolon between authors, two places",
    ),
    (
        "Fischer, J./Huber, S. u.a. (2020): Planung in Zeiten der Corona. Frankfurt am Main: "
        "Eigenverlag.",
        {
            "authors": [("Fischer", "J."), ("Huber", "S.")],
            "place": "Frankfurt am Main",
            "publisher": "Eigenverlag",
        },
        "u.a., place with 'am'",
    ),
    (
        "Fischer, J. (2020): Soziale Arbeit und Planung. Frankfurt a. M.: Suhrkamp.",
        {
            "place": "Frankfurt a. M.",
            "publisher": "Suhrkamp",
            "title": "Soziale Arbeit und Planung",
        },
        "place abbreviation a. M.",
    ),
    (
        "Fischer, J. (2020): Armut im Sozialstaat. Freiburg i. Br.: Lambertus.",
        {"place": "Freiburg i. Br.", "publisher": "Lambertus"},
        "place abbreviation i. Br.",
    ),
    (
        "Fischer, J. (2020): Planung: Grundlagen und Praxis. Halle (Saale): "
        "Mitteldeutscher Verlag.",
        {
            "place": "Halle (Saale)",
            "publisher": "Mitteldeutscher Verlag",
            "title": "Planung: Grundlagen und Praxis",
        },
        "colon in the title, parenthesis in the place",
    ),
    (
        "Fischer, J. (2021): Sozialplanung: Eine Einführung.",
        {"title": "Sozialplanung: Eine Einführung", "place": "", "publisher": ""},
        "a colon in the title is not place and publisher",
    ),
    (
        "Jörg Fischer (2018): Kommunale Armutsprävention. Weinheim: Beltz Juventa.",
        {"authors": [("Fischer", "Jörg")]},
        "name in given-family order",
    ),
    (
        "Diskussionsrunde mit Prof. Dr. Fischer zum Thema: “Für sozialen Zusammenhalt und "
        "Armutsprävention in Thüringen” am 04. März 2024, veröffentlicht im “Parlamentsreport”",
        {
            "kind": "press",
            "outlet": "Parlamentsreport",
            "date": "2024-03-04",
            "year": 2024,
            "title": "Für sozialen Zusammenhalt und Armutsprävention in Thüringen",
            "note": "Diskussionsrunde mit Prof. Dr. Fischer zum Thema",
        },
        "seed 000 press item",
    ),
    (
        "Thüringer Allgemeine, 12.05.2021: „Armut trifft Kinder zuerst“ – Interview mit "
        "Dr. Stefan Huber",
        {
            "kind": "press",
            "outlet": "Thüringer Allgemeine",
            "date": "2021-05-12",
            "title": "Armut trifft Kinder zuerst",
            "note": "Interview mit Dr. Stefan Huber",
        },
        "outlet, date: title",
    ),
    (
        "Interview mit Prof. Dr. Jörg Fischer. In: Thüringer Allgemeine vom 12.05.2021.",
        {
            "kind": "press",
            "outlet": "Thüringer Allgemeine",
            "date": "2021-05-12",
            "title": "Interview mit Prof. Dr. Jörg Fischer",
            "note": "",
        },
        "In: outlet vom date; no quoted headline",
    ),
    (
        "MDR Thüringen, 3. Februar 2023: Sozialplanung in den Landkreisen",
        {"kind": "press", "outlet": "MDR Thüringen", "date": "2023-02-03"},
        "date with a month name",
    ),
]

# Entries that cannot be read: parsed=False, raw kept (the caller counts them).
UNPARSED_CASES = [
    ("2017", "a year heading"),
    ("Neue Publikation erschienen", "prose"),
    ("", "empty"),
    ("Fischer, J.: Ohne Jahr.", "no year"),
    ("Fischer, J. (1850): Zu alt.", "year out of range"),
    ("Fischer, J. (1989): Vor 1990.", "before the archive's range: kept raw, not guessed"),
    ("(2019): Ohne Autor.", "no author"),
    ("((((((((((", "hostile"),
    ("Thüringer Allgemeine, ohne Datum: Interview", "press item without a date"),
]


def _keys(table: list) -> list:
    return [row[0] for row in table]


@pytest.mark.parametrize(
    "name, table", [("CITATION_CASES", CITATION_CASES), ("UNPARSED_CASES", UNPARSED_CASES)]
)
def test_no_input_repeats_in_a_table(name: str, table: list) -> None:
    keys = _keys(table)
    assert len(keys) == len(set(keys)), name


def test_enough_citation_rows() -> None:
    assert len(CITATION_CASES) >= 15


def _people(persons: list[Person]) -> list[tuple[str, str]]:
    return [(p.family, p.given) for p in persons]


@pytest.mark.parametrize("raw, expected, note", CITATION_CASES)
def test_parse_citation(raw: str, expected: dict, note: str) -> None:
    ref = parse_citation(raw)
    assert ref.parsed, note
    assert ref.raw == raw, note
    for key, value in expected.items():
        actual = getattr(ref, key)
        if key in ("authors", "editors"):
            actual = _people(actual)
        assert actual == value, f"{note}: {key} = {actual!r}"


@pytest.mark.parametrize("raw, note", UNPARSED_CASES)
def test_unparsable_keeps_raw(raw: str, note: str) -> None:
    ref = parse_citation(raw)
    assert not ref.parsed, note
    assert ref.raw == raw, note


def test_press_tab_reads_press_forms_first() -> None:
    raw = "Thüringer Allgemeine, 12.05.2021: „Armut trifft Kinder zuerst“"
    ref = parse_citation(raw, tab="IKPE in der Presse")
    assert (ref.parsed, ref.kind, ref.outlet) == (True, "press", "Thüringer Allgemeine")


def test_report_tab_marks_reports() -> None:
    raw = "Huber, S. (2019): Sozialstrategie Landkreis Sömmerda. Erfurt: IKPE."
    assert parse_citation(raw, tab="Forschungsarbeiten und Berichte").kind == "report"
    assert parse_citation(raw).kind == "book"


def test_to_dict_is_json_ready() -> None:
    ref = parse_citation("Huber, S. (2017): Titel. Erfurt: IKPE.")
    data = ref.to_dict()
    assert data["authors"] == [{"family": "Huber", "given": "S."}]
    assert data["raw"] == "Huber, S. (2017): Titel. Erfurt: IKPE." and data["parsed"] is True
    assert Person("Huber", "S.").to_dict() == {"family": "Huber", "given": "S."}


@pytest.mark.parametrize("value", [None, 42, b"bytes"])
def test_non_strings_never_raise(value: object) -> None:
    ref = parse_citation(value)  # type: ignore[arg-type]
    assert isinstance(ref, Reference) and not ref.parsed
