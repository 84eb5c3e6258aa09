"""Exports as reference managers and spreadsheets read them.

Every format is parsed back with the library such tools rely on: rispy (RIS), bibtexparser
(BibTeX; it silently drops an unbalanced entry, so entries are counted and braces checked
too) and pybtex in strict mode (it raises on anything BibTeX would warn about), citeproc-py
(renders the CSL-JSON in a real style), the csv module. The records are built by hand and
validated against the record schema, ordinary ones and hostile ones (one table, each text
put into titles, summaries, names, containers and URLs). The replica's own records are
exported and parsed in ``tests/e2e/test_export_replica.py``.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re

import bibtexparser
import pybtex.errors
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_string as pybtex_parse

from archive import export
from archive.validation import check

INSTITUTE = "Institut für kommunale Planung und Entwicklung (IKPE)"
CSL_STYLE = "harvard-cite-them-right"  # the style citeproc-py ships
# (text, note): each is put into a post's title, summary and URL and into a citation's
# title, container, author and URL.
HOSTILE_CASES = [
    ("Klammer } zu", "a closing brace"),
    ("Klammer { auf", "an opening brace"),
    ("Backslash am Ende \\", "a trailing backslash"),
    ("\\textbf{fett} \\input{/etc/passwd}", "LaTeX commands"),
    ("100 % & #1 _x_ $5 ~a ^b", "LaTeX's special characters"),
    ('Anführungszeichen "a "o und | < >', "quotes, bars and angle brackets"),
    ("<script>alert(1)</script><img src=x onerror=alert(2)>", "script and markup"),
    ("=cmd|' /C calc'!A0", "a spreadsheet formula"),
    ("Zeile eins\nER  - \nTY  - JOUR", "a forged RIS end"),
    ("@SUM(1+1)", "an at sign"),
    ("Größe Übung ÄÖÜ äöüß „Zitat“ – ‚halb‘", "umlauts, typographic quotes, dashes"),
    ("Donau" + "dampfschifffahrt" * 300, "a very long word"),
    ("Steuer\x1b[31mzeichen\x00\x07 \u202eumgekehrt\u200b", "control, escape, bidi characters"),
    ("Müller, Jr. and Smith", "a comma and an 'and' (name separators)"),
]
HOSTILE_TEXTS = [text for text, _note in HOSTILE_CASES]


def post(record_type: str = "news", number: int = 101, **changes) -> dict:
    """A valid record of one of the site's posts (``changes`` replace fields)."""
    record = {
        "schema_version": 1,
        "id": f"wp-{number}",
        "url": f"https://www.ikpe-erfurt.de/beitrag-{number}/",
        "type": record_type,
        "type_rule": f"{record_type}:test",
        "title": f"Beitrag {number} zur Sozialplanung",
        "text": "Erster Absatz.\n\nZweiter Absatz.",
        "summary": "Erster Absatz.",
        "date": "2024-03-12",
        "date_precision": "day",
        "date_source": "posting_date",
        "date_issues": [],
        "published": "2024-03-12",
        "people": ["Stefan Huber"],
        "emails": [],
        "places": ["Erfurt"],
        "organisations": [],
        "attachments": [],
        "credits": [],
        "categories": ["Aktuelles"],
        "reference": None,
        "source": {
            "via": "rest",
            "url": f"https://www.ikpe-erfurt.de/wp-json/wp/v2/posts/{number}",
            "fetched_at": "2024-03-14T05:06:07Z",
            "http_status": 200,
            "sha256": "a" * 64,
        },
        "provenance": {"title": "rest:title.rendered"},
    }
    record.update(changes)
    return check(record)


def citation(kind: str, number: int = 1, record_type: str = "publication", **ref) -> dict:
    """A valid record of a parsed citation of form ``kind`` (``ref`` replaces fields)."""
    reference = {
        "raw": "Fischer, J./Huber, S. (2019): Armut in Thüringen. Erfurt: Verlag.",
        "parsed": True,
        "authors": [{"family": "Fischer", "given": "J."}, {"family": "Huber", "given": "S."}],
        "editors": [],
        "year": 2019,
        "title": "Armut in Thüringen",
        "place": "Erfurt",
        "publisher": "Verlag",
        "kind": kind,
        "tab": "Publikationen",
    }
    reference.update(ref)
    return post(
        record_type,
        number,
        id=f"pub-{number:016x}",
        url="https://www.ikpe-erfurt.de/",
        title=reference["title"] or "Publikation",
        text=reference["raw"],
        summary=reference["raw"],
        date="2019",
        date_precision="year",
        date_source="citation_year",
        published=None,
        reference=reference,
        source={
            "via": "ajax",
            "url": "https://www.ikpe-erfurt.de/wp-admin/admin-ajax.php",
            "fetched_at": "2024-01-02T00:00:00Z",
            "http_status": 200,
            "sha256": "0" * 64,
        },
    )


def event_notice() -> dict:
    return post(
        "event",
        202,
        date="2024-05-06",
        published="2024-03-01",
        event={
            "start": "2024-05-06",
            "end": "2024-05-07",
            "start_time": "10:00",
            "end_time": None,
            "venue": "Rathaus Erfurt",
            "online": False,
        },
    )


def press_item() -> dict:
    raw = 'Thüringer Allgemeine vom 12.03.2023: "Neue Wege in der Sozialplanung"'
    record = citation(
        "press",
        7,
        record_type="press_coverage",
        raw=raw,
        authors=[],
        year=2023,
        title="Neue Wege in der Sozialplanung",
        outlet="Thüringer Allgemeine",
        date="2023-03-12",
        place="",
        publisher="",
        tab="Presse",
    )
    return check({**record, "date": "2023-03-12", "date_precision": "day"})


# (record, RIS type, M3, CSL type, biblatex type, institute as author)
CASES = [
    pytest.param(post("news"), "ELEC", "Meldung", "post-weblog", "online", True, id="news"),
    pytest.param(
        post("press_release", 102),
        "ELEC", "Pressemitteilung", "report", "online", True, id="press_release",
    ),
    pytest.param(event_notice(), "ELEC", "Termin", "event", "online", True, id="event"),
    pytest.param(post("page", 103), "ELEC", "Webseite", "webpage", "online", True, id="page"),
    pytest.param(
        press_item(), "NEWS", "Pressebericht", "article-newspaper", "article", False,
        id="press_coverage",
    ),
    pytest.param(citation("book"), "BOOK", "Monografie", "book", "book", False, id="book"),
    pytest.param(
        citation("chapter", 2, container="Kommunale Sozialpolitik", pages="12-34",
                 editors=[{"family": "Meier", "given": "K."}]),
        "CHAP", "Buchbeitrag", "chapter", "incollection", False, id="chapter",
    ),
    pytest.param(
        citation("article", 3, container="Archiv für Wissenschaft und Praxis", volume="54",
                 issue="2", pages="4-15", doi="10.1000/xyz{1}"),
        "JOUR", "Zeitschriftenartikel", "article-journal", "article", False, id="article",
    ),
    pytest.param(
        citation("edited_book", 4, authors=[], editors=[{"family": "Meier", "given": "K."}]),
        "EDBOOK", "Sammelband", "book", "collection", False, id="edited_book",
    ),
    pytest.param(citation("report", 5), "RPRT", "Bericht", "report", "report", False, id="report"),
    pytest.param(
        citation("journal_issue", 6, container="Sozialplanung aktuell"),
        "JFULL", "Zeitschriftenheft", "periodical", "periodical", False, id="journal_issue",
    ),
    pytest.param(
        citation("", 8, parsed=False, authors=[], title="", raw="Irgendein Text, 2019"),
        "GEN", "Publikation", "book", "misc", False, id="unread_citation",
    ),
]  # fmt: skip


def hostile_pair(text: str, number: int = 300) -> list[dict]:
    """A post and a citation with ``text`` in titles, summaries, names, containers, URLs."""
    return [
        post(
            "press_release",
            number,
            title=text + " Titel",
            summary=text,
            url=f"https://www.ikpe-erfurt.de/{number}/?q={{x}}\\y%zz",
        ),
        citation(
            "chapter",
            number,
            title="Titel " + text,
            container=text,
            authors=[{"family": text, "given": "A."}],
            url=f"https://example.org/{number}/}}",
        ),
    ]


def hostile_records() -> list[dict]:
    """Records with text that breaks naive writers, in titles, summaries, names, URLs."""
    return [r for n, text in enumerate(HOSTILE_TEXTS, start=300) for r in hostile_pair(text, n)]


HOSTILE_PARAMS = [pytest.param(text, id=note) for text, note in HOSTILE_CASES]


# --------------------------------------------------------------------------------------
# Parsers reference managers rely on
# --------------------------------------------------------------------------------------


def parse_ris(text: str) -> list[dict]:
    return rispy.loads(text)


def parse_bibtex(text: str) -> list[dict]:
    """The entries bibtexparser reads, after checking that BibTeX would read them all:
    bibtexparser drops an unbalanced entry without a word, BibTeX counts every brace."""
    for entry in re.split(r"\n\n(?=@)", text.strip()):
        depth = 0
        for character in entry:
            depth += {"{": 1, "}": -1}.get(character, 0)
            assert depth >= 0, f"unbalanced braces in {entry!r}"
        assert depth == 0, f"unbalanced braces in {entry!r}"
    parser = BibTexParser(
        common_strings=False, ignore_nonstandard_types=False, interpolate_strings=False
    )
    entries = bibtexparser.loads(text, parser).entries
    assert len(entries) == text.count("\n@") + text.startswith("@"), "an entry was dropped"
    assert len(parse_pybtex(text).entries) == len(entries)
    return entries


def parse_pybtex(text: str):
    """The file as pybtex reads it in strict mode: any error or warning (a syntax error, a
    repeated key, a name with too many commas) raises instead of being skipped."""
    pybtex.errors.set_strict_mode(True)
    database = pybtex_parse(text, "bibtex")
    for entry in database.entries.values():
        for people in entry.persons.values():
            for person in people:
                str(person)  # every name splits into its parts
    return database


# LaTeX's escapes as the file uses them, read back (a table of its own, not the writer's).
LATEX_READ_BACK = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textquotedbl{}": '"',
    **{f"\\{c}": c for c in "%&#_$"},
}
_LATEX_TOKEN = re.compile(r"\\[a-z]+\{\}|\\[%&#_$]|[{}]|[^\\{}]+|\\")


def from_latex(value: str) -> str:
    """The text a LaTeX value prints: escapes read back, protecting braces gone. An escape
    the table does not know (a raw backslash) raises KeyError."""
    out = []
    for token in _LATEX_TOKEN.findall(value):
        if token in "{}":
            continue
        out.append(LATEX_READ_BACK[token] if token.startswith("\\") else token)
    return "".join(out)


def render_csl(items: list[dict]) -> str:
    """The bibliography citeproc-py renders from ``items`` in a real style (plain text)."""
    style = CitationStylesStyle(CSL_STYLE, validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return "\n".join(str(entry) for entry in bibliography.bibliography())


def as_text(records: list[dict], fmt: str) -> str:
    return export.export_text(records, fmt)


# --------------------------------------------------------------------------------------
# Types, authors, dates per kind of record
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("record", "ris", "genre", "csl", "biblatex", "institute"), CASES)
def test_ris_types_and_fields(record, ris, genre, csl, biblatex, institute) -> None:
    (entry,) = parse_ris(as_text([record], "ris"))
    assert entry["type_of_reference"] == ris
    assert entry["type_of_work"] == genre
    assert entry["id"] == record["id"]
    assert entry["language"] == "de"
    assert entry["access_date"] == record["source"]["fetched_at"][:10].replace("-", "/")
    assert entry["year"] == export.issued(record)[:4]
    assert entry["date"].startswith(export.issued(record).replace("-", "/"))
    assert entry["urls"] == [export.to_csl(record)["URL"]]
    if institute:
        assert entry["authors"] == [INSTITUTE]  # one institutional author, not split
    else:
        assert INSTITUTE not in entry.get("authors", [])
    if record.get("reference") and record["reference"]["authors"]:
        assert entry["authors"] == [
            f"{p['family']}, {p['given']}" for p in record["reference"]["authors"]
        ]


@pytest.mark.parametrize(("record", "ris", "genre", "csl", "biblatex", "institute"), CASES)
def test_csl_types_and_fields(record, ris, genre, csl, biblatex, institute) -> None:
    (item,) = json.loads(as_text([record], "csljson"))
    assert item["type"] == csl
    assert item["language"] == "de"
    fetched = record["source"]["fetched_at"][:10]
    assert item["accessed"] == {"date-parts": [[int(p) for p in fetched.split("-")]]}
    issued = export.issued(record)
    assert item["issued"] == {"date-parts": [[int(p) for p in issued.split("-")]]}
    assert (item.get("author") == [{"literal": INSTITUTE}]) is institute
    assert ("abstract" in item) is institute  # a citation's summary is the citation itself
    if record["type"] == "press_release":
        assert item["genre"] == "Pressemitteilung"
        assert item["publisher"] == INSTITUTE
    rendered = render_csl([item])
    assert item["title"] in rendered


@pytest.mark.parametrize(("record", "ris", "genre", "csl", "biblatex", "institute"), CASES)
def test_biblatex_types_and_fields(record, ris, genre, csl, biblatex, institute) -> None:
    text = as_text([record], "bibtex")
    (entry,) = parse_bibtex(text)
    assert entry["ENTRYTYPE"] == biblatex
    assert entry["langid"] == "ngerman"
    assert entry["urldate"] == record["source"]["fetched_at"][:10]
    assert entry["url"] == export.to_csl(record)["URL"]
    assert entry["date"] == export.issued(record)
    if institute:
        # Double braces: biblatex reads the institute as one name, not "family, given".
        assert f"author = {{{{{INSTITUTE}}}}}" in text
        assert entry["note"] == genre
    title = export.title_of(record)
    shown = entry.get("issuetitle") if biblatex == "periodical" else entry["title"]
    assert from_latex(shown) == title
    assert "\\" not in entry["title"]  # no {\{...\}} wrapping
    # Capitals protected word by word, nothing else in braces.
    assert re.sub(r"\{([^{}]+)\}", r"\1", shown) == title
    assert all(word[0] == "{" for word in shown.split() if word.lower() != word)


def test_event_dates_are_the_posting_date_and_the_event() -> None:
    (item,) = json.loads(as_text([event_notice()], "csljson"))
    assert item["issued"] == {"date-parts": [[2024, 3, 1]]}
    assert item["event-date"] == {"date-parts": [[2024, 5, 6], [2024, 5, 7]]}
    assert item["event-place"] == "Rathaus Erfurt"


def test_chapter_keeps_its_book_editors_and_pages() -> None:
    record = CASES[6].values[0]
    (entry,) = parse_ris(as_text([record], "ris"))
    assert entry["secondary_title"] == "Kommunale Sozialpolitik"
    assert (entry["start_page"], entry["end_page"]) == ("12", "34")
    assert entry["secondary_authors"] == ["Meier, K."]
    (bib,) = parse_bibtex(as_text([record], "bibtex"))
    assert bib["booktitle"] == "{Kommunale} {Sozialpolitik}"
    assert bib["editor"] == "Meier, K."
    assert bib["author"] == "Fischer, J. and Huber, S."


def test_press_coverage_names_its_outlet() -> None:
    (entry,) = parse_ris(as_text([press_item()], "ris"))
    assert entry["secondary_title"] == "Thüringer Allgemeine"
    (bib,) = parse_bibtex(as_text([press_item()], "bibtex"))
    assert (bib["journaltitle"], bib["entrysubtype"]) == ("Thüringer Allgemeine", "newspaper")


# --------------------------------------------------------------------------------------
# Hostile text
# --------------------------------------------------------------------------------------


def test_bibtex_of_hostile_records_stays_balanced_and_readable() -> None:
    records = hostile_records()
    entries = parse_bibtex(as_text(records, "bibtex"))
    assert len(entries) == len(records)
    for entry, record in zip(entries, records, strict=True):
        assert "\\{" not in entry["title"] and "\\}" not in entry["title"]
        assert "\n" not in entry["title"]
        assert re.fullmatch(r"[A-Za-z0-9-]+", entry["ID"])
        assert "{" not in entry["url"] and "}" not in entry["url"] and "\\" not in entry["url"]
        assert entry["url"].startswith(export.to_csl(record)["URL"][:20])


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_bibtex_of_a_hostile_text_reads_back_as_the_text(text: str) -> None:
    post_record, cited = hostile_pair(text)
    bib = as_text([post_record, cited], "bibtex")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u200b\u202e]", bib)
    entries = parse_bibtex(bib)
    assert from_latex(entries[0]["title"]) == export.title_of(post_record)
    assert from_latex(entries[0]["abstract"]) == export.one_line(post_record["summary"])
    assert from_latex(entries[1]["title"]) == export.title_of(cited)
    assert from_latex(entries[1]["booktitle"]) == export.one_line(text)
    (person,) = parse_pybtex(bib).entries[bibtex_key_of(entries[1])].persons["author"]
    family = " ".join(person.prelast_names + person.last_names)  # "von" parts included
    assert from_latex(family) == export.one_line(text)
    assert person.first_names == ["A."]


def bibtex_key_of(entry: dict) -> str:
    return entry["ID"]


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_ris_of_a_hostile_text_keeps_it_on_its_line(text: str) -> None:
    records = hostile_pair(text)
    entries = parse_ris(as_text(records, "ris"))
    assert [e["id"] for e in entries] == [r["id"] for r in records]
    assert [e["title"] for e in entries] == [export.title_of(r) for r in records]
    assert entries[1]["authors"] == [f"{export.one_line(text)}, A."]


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_csl_of_a_hostile_text_renders(text: str) -> None:
    items = json.loads(as_text(hostile_pair(text), "csljson"))
    rendered = render_csl(items)
    for item in items:
        assert item["title"] in rendered
        assert item["title"] == export.one_line(item["title"])


# (title, the title field as written), note: capitals protected word by word.
CASE_PROTECTION_CASES = [
    ("Armut in Thüringen", "{Armut} in {Thüringen}", "German nouns"),
    ("IKPE-Jahrestagung 2022", "{IKPE}-{Jahrestagung} 2022", "an acronym in a compound"),
    ("kleine wörter bleiben", "kleine wörter bleiben", "lower case: no braces"),
    ("Über Öffnungszeiten", "{Über} {Öffnungszeiten}", "capital umlauts"),
    ("ThILIK & Co_X", r"{ThILIK} \& {Co}\_{X}", "escapes stay outside the braces"),
    ("A } B", r"{A} \textbraceright{} {B}", "a brace command is never protected"),
]  # fmt: skip


@pytest.mark.parametrize(
    "title, written",
    [c[:2] for c in CASE_PROTECTION_CASES],
    ids=[c[2] for c in CASE_PROTECTION_CASES],
)
def test_bibtex_titles_keep_their_capitals(title: str, written: str) -> None:
    text = as_text([post(title=title)], "bibtex")
    assert f"  title = {{{written}}},\n" in text
    (entry,) = parse_bibtex(text)
    assert from_latex(entry["title"]) == title


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("a } b", r"a \textbraceright{} b"),
        ("a { b", r"a \textbraceleft{} b"),
        ("end \\", r"end \textbackslash{}"),
        ("100 % & # _ $", r"100 \% \& \# \_ \$"),
        ("~^", r"\textasciitilde{}\textasciicircum{}"),
        ('"a | <b>', r"\textquotedbl{}a | <b>"),
        ("eins\n\nzwei", "eins zwei"),
        ("Steuer\x1b[31mzeichen\x07\u202e", "Steuerzeichen"),
    ],
)
def test_latex_escape(text: str, latex: str) -> None:
    assert export.latex_escape(text) == latex


def test_bibtex_urls_are_percent_encoded_not_escaped() -> None:
    record = post(url="https://www.ikpe-erfurt.de/a b/{x}\\y%zz%20")
    (entry,) = parse_bibtex(as_text([record], "bibtex"))
    assert entry["url"] == "https://www.ikpe-erfurt.de/a%20b/%7Bx%7D%5Cy%25zz%20"


def test_ris_of_hostile_records_keeps_every_value_on_its_line() -> None:
    records = hostile_records()
    entries = parse_ris(as_text(records, "ris"))
    assert len(entries) == len(records)  # a newline in a title forged no "ER  -"
    for entry, record in zip(entries, records, strict=True):
        assert entry["id"] == record["id"]
        assert entry["title"] == export.title_of(record)


def test_csl_of_hostile_records_renders() -> None:
    records = hostile_records()
    items = json.loads(as_text(records, "csljson"))
    rendered = render_csl(items)
    for item in items:
        assert item["title"] in rendered


def test_csv_neutralises_formulas_and_parses_back() -> None:
    records = hostile_records()
    rows = list(csv.reader(io.StringIO(as_text(records, "csv"))))
    assert tuple(rows[0]) == export.CSV_COLUMNS
    assert len(rows) == len(records) + 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(export.FORMULA_STARTS), cell
    titles = {row[3] for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0 Titel" in titles
    assert "'@SUM(1+1) Titel" in titles


@pytest.mark.parametrize("text", HOSTILE_PARAMS)
def test_csv_of_a_hostile_text_parses_back_neutralised(text: str) -> None:
    records = hostile_pair(text)
    rows = list(csv.reader(io.StringIO(as_text(records, "csv"))))
    assert len(rows) == len(records) + 1  # a line break or quote stays inside its cell
    for row, record in zip(rows[1:], records, strict=True):
        assert dict(zip(export.CSV_COLUMNS, row, strict=True))["title"] == export.csv_cell(
            record["title"]
        )
        assert not any(cell.startswith(export.FORMULA_STARTS) for cell in row)


def test_csv_of_ordinary_records_is_unchanged() -> None:
    """Ids, ISO dates, URLs and titles start with none of the formula characters: no cell
    of an ordinary record gets an apostrophe."""
    records = [post(), citation("book"), event_notice(), press_item()]
    rows = list(csv.DictReader(io.StringIO(as_text(records, "csv"))))
    for row, record in zip(rows, records, strict=True):
        assert (row["id"], row["date"], row["url"], row["title"]) == (
            record["id"],
            record["date"],
            record["url"],
            record["title"],
        )
        assert not any(cell.startswith("'") for cell in row.values())


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+49 361", "'+49 361"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("-30 % Armut", "'-30 % Armut"),  # no column holds numbers: a "-" is always text
        ("2024-03-12", "2024-03-12"),
        (" =1+1", " =1+1"),  # a leading space: text for every spreadsheet
        ("", ""),
        (["=a", "b"], "'=a; b"),
        (None, ""),
    ],
)
def test_csv_cell(value, cell: str) -> None:
    assert export.csv_cell(value) == cell


# --------------------------------------------------------------------------------------
# Files as a whole
# --------------------------------------------------------------------------------------


def test_bibtex_keys_are_unique_within_a_file() -> None:
    record = post()
    twin = copy.deepcopy(record)
    entries = parse_bibtex(as_text([record, twin, record], "bibtex"))
    keys = [entry["ID"] for entry in entries]
    assert keys == ["IKPE2024-wp-101", "IKPE2024-wp-101a", "IKPE2024-wp-101b"]


def test_jsonl_is_the_records_as_sorted_json_lines() -> None:
    records = [post(), citation("book"), *hostile_records()]
    expected = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    assert as_text(records, "jsonl") == expected


@pytest.mark.parametrize("count", [0, 1, 3])
def test_csljson_is_the_indented_json_array(count: int) -> None:
    records = [post(number=n) for n in range(1, count + 1)]
    items = [export.to_csl(r) for r in records]
    assert as_text(records, "csljson") == json.dumps(items, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_write_counts_and_chunks_join_to_the_text(fmt: str) -> None:
    records = [post(), citation("book"), event_notice()]
    buffer = io.StringIO()
    assert export.write(iter(records), fmt, buffer) == 3
    assert "".join(export.chunks(records, fmt)) == buffer.getvalue()


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_empty_exports_parse(fmt: str) -> None:
    text = as_text([], fmt)
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(text))) == [list(export.CSV_COLUMNS)]
    elif fmt == "csljson":
        assert json.loads(text) == []
    else:
        assert text == ""


def test_unknown_format_is_refused_before_reading() -> None:
    def records():
        raise AssertionError("read")
        yield

    with pytest.raises(ValueError, match="unknown export format"):
        export.chunks(records(), "docx")
