"""The web app's pure rules, table-driven: German labels and dates, the search page's
parameters and URLs, the word diff, the histogram's geometry, the citation meta tags."""

from __future__ import annotations

from collections import Counter

import pytest
from werkzeug.datastructures import MultiDict

from search_app.web import histogram, labels, links
from search_app.web.page_meta import pdf_attachment, record_meta
from search_app.web.search_params import InvalidParameter, SearchParams, parse
from search_app.web.worddiff import MAX_DIFF_WORDS, word_diff

GERMAN_DATES = [
    ("2023-03-05", "05.03.2023"),
    ("2023-03", "März 2023"),
    ("2023-12", "Dezember 2023"),
    ("2023", "2023"),
    ("", ""),
    (None, ""),
    ("gestern", "gestern"),
]


@pytest.mark.parametrize(("value", "expected"), GERMAN_DATES)
def test_german_date(value, expected) -> None:
    assert labels.german_date(value) == expected


DATETIMES = [
    ("2025-01-02T03:04:05Z", "02.01.2025, 04:04 Uhr"),  # winter: UTC+1
    ("2025-07-02T03:04:05.123456Z", "02.07.2025, 05:04 Uhr"),  # summer: UTC+2
    ("2025-07-02T03:04:05+02:00", "02.07.2025, 03:04 Uhr"),
    ("kaputt", "kaputt"),
    (None, ""),
]


@pytest.mark.parametrize(("value", "expected"), DATETIMES)
def test_german_datetime_is_erfurt_time(value, expected) -> None:
    assert labels.german_datetime(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0, "0"), (999, "999"), (1000, "1.000"), (1234567, "1.234.567"),
])  # fmt: skip
def test_german_number(value, expected) -> None:
    assert labels.german_number(value) == expected


@pytest.mark.parametrize(("size", "expected"), [
    (None, ""), (512, "512 Bytes"), (2048, "2 KB"), (1572864, "1,5 MB"),
])  # fmt: skip
def test_file_size(size, expected) -> None:
    assert labels.file_size(size) == expected


def test_paragraphs_and_types() -> None:
    assert labels.paragraphs("Eins.\n\nZwei\nzeilig.\n \n\nDrei.") == [
        "Eins.",
        "Zwei\nzeilig.",
        "Drei.",
    ]
    assert labels.paragraphs(None) == []
    assert labels.type_label("press_coverage") == "Presse über das IKPE"
    assert labels.type_label("news", plural=True) == "Meldungen"
    assert labels.citation_date("2023-03-05") == "2023/03/05"


PARSED = [
    ("", SearchParams()),
    ("q=+Armut+", SearchParams(q="Armut")),
    ("type=news&type=event&type=news", SearchParams(facets={"type": ("news", "event")})),
    ("year=2023&place=Jena", SearchParams(facets={"year": ("2023",), "place": ("Jena",)})),
    ("from=2023&to=2023-06-30", SearchParams(date_from="2023", date_to="2023-06-30")),
    ("sort=-date&page=3&per_page=50", SearchParams(sort="-date", page=3, per_page=50)),
    ("per_page=20", SearchParams(per_page=20)),
    ("from=&to=&q=", SearchParams()),  # the form's empty text fields
]


@pytest.mark.parametrize(("query", "expected"), PARSED)
def test_parse_search_parameters(query: str, expected: SearchParams) -> None:
    args = MultiDict([tuple(p.split("=", 1)) for p in query.split("&") if p])
    args = MultiDict([(k, v.replace("+", " ")) for k, v in args.items(multi=True)])
    assert parse(args) == expected


@pytest.mark.parametrize("query", [
    [("from", "2023-00")], [("to", "2023-02-29")], [("type", "blog")], [("per_page", "30")],
    [("sort", "x")], [("page", "0")], [("q", "x" * 1001)], [("year", "23")],
])  # fmt: skip
def test_parse_refuses_nonsense(query) -> None:
    with pytest.raises(InvalidParameter):
        parse(MultiDict(query))


def test_state_round_trips_through_the_url() -> None:
    params = SearchParams(
        q="Armut", facets={"type": ("news", "event")}, date_from="2020", sort="date",
        page=2, per_page=20,
    )  # fmt: skip
    args = params.to_args()
    assert args == {"q": "Armut", "type": ["news", "event"], "from": "2020", "sort": "date",
                    "page": "2", "per_page": "20"}  # fmt: skip
    assert parse(MultiDict([(k, v) for k, vs in args.items() for v in
                            (vs if isinstance(vs, list) else [vs])])) == params  # fmt: skip
    assert params.twin_args()["per_page"] == "20" and "per-page" not in params.twin_args()
    assert "page" not in params.twin_args(paging=False)
    toggled = params.toggled("type", "news")
    assert toggled.selected("type") == ("event",) and toggled.page == 1
    assert params.toggled("place", "Jena").selected("place") == ("Jena",)
    assert params.cleared().to_args() == {"q": "Armut", "sort": "date", "per_page": "20"}


def test_word_diff() -> None:
    diff = word_diff("Der alte Text.\n\nZweiter Absatz.", "Der neue Text.\n\nZweiter Absatz. Mehr.")
    assert [(s.op, s.text) for s in diff.segments if s.op != "equal"] == [
        ("delete", "alte"),
        ("insert", "neue"),
        ("insert", "Mehr."),
    ]
    assert (diff.deleted, diff.inserted, diff.changed) == (1, 2, True)
    assert "".join(s.lead + s.text for s in diff.segments if s.op != "delete") == (
        "Der neue Text.\n\nZweiter Absatz. Mehr."
    )
    assert "".join(s.lead + s.text for s in diff.segments if s.op != "insert") == (
        "Der alte Text.\n\nZweiter Absatz."
    )
    assert not word_diff("gleich  bleibt", "gleich bleibt").changed
    assert word_diff("", "neu").segments[0].op == "insert"


def test_a_long_changed_middle_is_one_deletion_and_one_insertion() -> None:
    """Past MAX_DIFF_WORDS words a side between the common start and end, the middle is
    not matched word by word (quadratic): it is shown replaced whole."""
    pairs = MAX_DIFF_WORDS // 2  # 2 * pairs + 1 words a side: just over the bound
    old = "Anfang " + "b a " * pairs + "b Ende"
    new = "Anfang " + "c a " * pairs + "c Ende"
    diff = word_diff(old, new)
    assert [s.op for s in diff.segments] == ["equal", "delete", "insert", "equal"]
    assert (diff.deleted, diff.inserted) == (2 * pairs + 1, 2 * pairs + 1)
    assert "".join(s.lead + s.text for s in diff.segments if s.op != "delete") == new.strip()
    short = word_diff("Anfang a b a b Ende", "Anfang a c a c Ende")
    assert [s.op for s in short.segments].count("equal") > 2  # under the bound: word by word


def test_histogram_layout() -> None:
    counts, undated = histogram.month_counts(["2023-01-05", "2023-01", "2023-03-01", "2023"])
    assert counts == Counter({"2023-01": 2, "2023-03": 1}) and undated == 1
    chart = histogram.layout(counts, undated)
    assert [bar.month for bar in chart.bars] == ["2023-01", "2023-03"]  # February: no bar
    tall, short = chart.bars
    assert tall.y + tall.height == chart.baseline == short.y + short.height
    assert tall.height == pytest.approx(2 * short.height)
    assert short.x > tall.x + tall.width  # February keeps its place
    assert [mark.year for mark in chart.years] == ["2023"]
    assert histogram.layout(Counter()).bars == []


def test_histogram_spans_years_and_thins_labels() -> None:
    counts = Counter({"2000-01": 1, "2024-12": 1})
    chart = histogram.layout(counts)
    assert len(chart.years) == 25
    labelled = [mark.x for mark in chart.years if mark.label]
    assert 5 < len(labelled) < 25
    assert all(b - a >= histogram.LABEL_ROOM for a, b in zip(labelled, labelled[1:]))  # noqa: B905


def test_record_meta() -> None:
    record = {
        "id": "wp-1", "title": "Titel", "date": "2023-05", "url": "https://x/1/",
        "summary": "Kurz.", "attachments": [
            {"url": "https://x/a.docx", "title": "Word", "media_type": "application/msword",
             "sha256": "a" * 64, "path": "a"},
            {"url": "https://x/b.pdf", "title": "PDF", "media_type": None,
             "sha256": "b" * 64, "path": "b"},
        ],
    }  # fmt: skip
    tags = record_meta(record, "https://archiv/r/wp-1", "https://archiv/r/wp-1/anhang/bbb")
    names = {(attribute, name): content for attribute, name, content in tags}
    assert names[("name", "citation_author")] == labels.INSTITUTE
    assert names[("name", "citation_publication_date")] == "2023/05"
    assert names[("name", "citation_pdf_url")] == "https://archiv/r/wp-1/anhang/bbb"
    assert names[("property", "og:description")] == "Kurz."
    assert pdf_attachment(record)["title"] == "PDF"
    assert pdf_attachment({"attachments": []}) is None


def test_links_fall_back_to_the_agreed_paths(app) -> None:
    with app.test_request_context("/"):
        assert links.endpoint_url("gibt.es.nicht", "/export.bibtex", fmt="bibtex", q="a b",
                                  type=["news", "event"]) == (
            "/export.bibtex?q=a+b&type=news&type=event"
        )  # fmt: skip
        assert links.export_url("ris", id=["pub-1", "pub-2"]) == "/export.ris?id=pub-1&id=pub-2"
        assert links.feed_url() == "/feed.atom"
