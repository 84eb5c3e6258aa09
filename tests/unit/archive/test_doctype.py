"""Table for archive.doctype: the record type and the rule that decided it."""

from __future__ import annotations

import pytest

from archive.doctype import TYPES, classify

NEWS = ["willkommen", "news_archiv"]

# (title, first lines, categories, tab, has_event_line) -> (type, rule), note.
CLASSIFY_CASES = [
    (
        ("Kommunen unterstützen", ("Pressemitteilung, 13.09.2023",), NEWS, None, False),
        ("press_release", "press_release:opening_words"),
        "seed 001",
    ),
    (
        (
            "Fachtag „Teilhabe vor Ort“",
            ("Gemeinsame Pressemitteilung von TLMB und IKPE", "Erfurt, 13.11.2023"),
            NEWS,
            None,
            False,
        ),
        ("press_release", "press_release:opening_words"),
        "seed 002: joint press release",
    ),
    (
        (
            "Programm „Thüringer Präventionsketten“ zieht positive Bilanz",
            (
                "08.09.2023 – Thüringer Ministerium für Arbeit, Soziales, Gesundheit, Frauen und "
                "Familie",
            ),
            NEWS,
            None,
            False,
        ),
        ("press_release", "press_release:reposted_source_line"),
        "seed 001: re-posted release of the ministry",
    ),
    (
        ("Pressemitteilung: Neues Projekt", ("Erfurt, 05.02.2024",), NEWS, None, False),
        ("press_release", "press_release:title"),
        "the title says so",
    ),
    (
        (
            "Online-Veranstaltung: Digitale Transformation",
            ("21.03.2024 | 13:00 bis 14:30 Uhr | online",),
            ["willkommen"],
            None,
            False,
        ),
        ("event", "event:event_line"),
        "seed 000 event line",
    ),
    (
        (
            "Save the Date",
            ("11.09.2024 | Freie Evangelische Gemeinde Erfurt | 09:30 bis 15:30 Uhr",),
            NEWS,
            None,
            False,
        ),
        ("event", "event:event_line"),
        "seed 000: venue before the time",
    ),
    (
        ("AG Daten", ("Irgendein Text",), NEWS, None, True),
        ("event", "event:event_line"),
        "the harvester found the event line",
    ),
    (
        (
            "AG Daten: Befragungen und Fragebögen selbst entwickeln",
            ("– Prozessbegleitung kommunaler Sozialstrategien in Thüringen –",),
            ["willkommen", "veranstaltungen"],
            None,
            False,
        ),
        ("event", "event:category"),
        "seed 000: event notice without a date in the body",
    ),
    (
        ("Fachtag", ("Text",), ["Termine / Aktuelle Veranstaltungen"], None, False),
        ("event", "event:category"),
        "category by its name",
    ),
    (
        (
            "IKPE im „Parlamentsreport“",
            (
                "Diskussionsrunde mit Prof. Dr. Fischer zum Thema: “Für sozialen Zusammenhalt” am "
                "04. März 2024, veröffentlicht im “Parlamentsreport”",
            ),
            ["willkommen", "presse"],
            None,
            False,
        ),
        ("press_coverage", "press_coverage:veroeffentlicht_im"),
        "seed 000 coverage",
    ),
    (
        ("Thüringer Allgemeine, 12.05.2021", (), [], "IKPE in der Presse", False),
        ("press_coverage", "press_coverage:tab"),
        "the publications tab",
    ),
    (
        ("Interview", ("Text",), ["presse"], None, False),
        ("press_coverage", "press_coverage:category"),
        "coverage category",
    ),
    (
        ("Jugend im Blick", (), [], "Monographien und Herausgeberschaften", False),
        ("publication", "publication:tab"),
        "publication tab",
    ),
    (
        ("Beitrag", (), [], "Beiträge in Zeitschriften und Sammelwerken", False),
        ("publication", "publication:tab"),
        "second publication tab",
    ),
    (
        ("Neue Mitteilung", ("Text",), ["willkommen", "pressemitteilungen"], None, False),
        ("press_release", "press_release:category"),
        "press release category",
    ),
    (
        (
            "Publikation",
            ("Fischer, J. (2019): Sozialplanung. Erfurt: IKPE.",),
            ["referenzen"],
            None,
            False,
        ),
        ("publication", "publication:citation_form"),
        "a citation in the references",
    ),
    (
        (
            "Sozialstrategie Landkreis",
            ("Sozialstrategie im Landkreis", "Laufzeit: 2016-2020"),
            ["referenzen", "projekte"],
            None,
            False,
        ),
        ("page", "page:project"),
        "site-model: a project reference",
    ),
    (
        ("Zum Thema", ("Der Freistaat Thüringen förderte seit 2014",), [], None, False),
        ("page", "page:topic"),
        "seeds 003/004: a topic sub-post",
    ),
    (
        ("Kontakt", ("Viele Wege führen zu uns.",), [], None, False),
        ("page", "page:title"),
        "kontakt",
    ),
    (
        ("Newsletter 02|2023", ("Inhalt der Ausgabe:",), [], None, False),
        ("page", "page:newsletter"),
        "site-model: a MailPoet newsletter",
    ),
    (
        (
            "Newsletter 02|2023 erschienen",
            ("Zum Jahresende blicken wir in unserem Newsletter zurück",),
            ["willkommen", "news_archiv", "newsletter"],
            None,
            False,
        ),
        ("news", "news:default"),
        "replica: a post announcing the newsletter is news",
    ),
    (
        (
            "Lokale Sozialstrategien",
            ("Seit September 2023 begleitet das IKPE die Thüringer Landkreise",),
            [],
            None,
            False,
        ),
        ("page", "page:no_category"),
        "replica page: a dated opening sentence is no dateline",
    ),
    (
        ("Soziale Digitalisierung", ("Jena/12.03.2024.",), NEWS, None, False),
        ("news", "news:default"),
        "seed 000 news with a dateline",
    ),
    (
        (
            "Wir suchen Verstärkung",
            ("Wir suchen eine*n Mitarbeiter*in",),
            ["willkommen"],
            None,
            False,
        ),
        ("news", "news:default"),
        "site-model: job advertisement",
    ),
    (
        ("Unsere Arbeitsbereiche", ("Analyse und Forschung",), [], None, False),
        ("page", "page:no_category"),
        "no category, no dateline",
    ),
    (
        ("Beitrag 2019", ("Erfurt, 12.05.2019",), [], None, False),
        ("news", "news:default"),
        "a dateline makes a post even without categories",
    ),
]


def test_no_input_repeats_in_the_table() -> None:
    keys = [repr(row[0]) for row in CLASSIFY_CASES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("inputs, expected, note", CLASSIFY_CASES)
def test_classify(inputs: tuple, expected: tuple[str, str], note: str) -> None:
    title, first_lines, categories, tab, has_event_line = inputs
    result = classify(
        title=title,
        first_lines=list(first_lines),
        categories=list(categories),
        tab=tab,
        has_event_line=has_event_line,
    )
    assert result == expected, note
    assert result[0] in TYPES
    assert result[1].startswith(result[0] + ":")


def test_messy_input_defaults_to_news_or_page() -> None:
    kind, rule = classify(title="", first_lines=["", "   "], categories=["willkommen"])
    assert (kind, rule) == ("news", "news:default")


# A post without categories (a theme that prints none): its posting date decides.
# ((title, first_lines, posting, is_page), expected, note)
UNCATEGORISED_CASES = [
    (("Planungsprozesse im Krisenmodus", ("Das IKPE beteiligte sich mit zwei Vorträgen am "
      "Arbeitskreis Sozialplanung in Erfurt am 29.06.2020.",), "markup", False),
     ("news", "news:posting_date_and_day_in_text"),
     "issue 14: a post of 2020 with no dateline, a day in its text"),
    (("Neuer Flyer", ("Unser neuer Flyer ist da.",), "shown", False),
     ("news", "news:posting_date_shown"),
     "issue 14: the theme prints the posting date above the headline"),
    (("Neuer Flyer", ("Unser neuer Flyer ist da.",), "markup", False),
     ("page", "page:no_category"),
     "a date from markup alone and nothing news-like: no reason to call it news"),
    (("Lokale Sozialstrategien", ("Seit September 2023 begleitet das IKPE die Landkreise",),
      "markup", False),
     ("page", "page:no_category"),
     "a month is how a standing page tells its history, not news"),
    (("Planungsprozesse im Krisenmodus", ("Vortrag am 29.06.2020 in Erfurt.",), "shown", True),
     ("page", "page:no_category"),
     "WordPress says page: a page it stays"),
    (("Planungsprozesse im Krisenmodus", ("Vortrag am 29.06.2020 in Erfurt.",), None, False),
     ("page", "page:no_category"),
     "no posting date at all: the old rule"),
    (("Kontakt", ("Tel. 0361 30257 - 602, am 29.06.2020 umgezogen",), "shown", False),
     ("page", "page:title"),
     "a people/contact title stays a page whatever its date"),
]  # fmt: skip


def test_no_input_repeats_in_the_uncategorised_table() -> None:
    keys = [repr(row[0]) for row in UNCATEGORISED_CASES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("inputs, expected, note", UNCATEGORISED_CASES)
def test_posts_without_categories(inputs: tuple, expected: tuple[str, str], note: str) -> None:
    title, first_lines, posting, is_page = inputs
    result = classify(
        title=title, first_lines=list(first_lines), categories=[], posting=posting, is_page=is_page
    )
    assert result == expected, note
