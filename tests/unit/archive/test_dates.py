"""Tables for archive.dates: cases from the seed texts and site-model.md (dateutil style)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from archive.dates import (
    MAX_YEAR,
    MIN_YEAR,
    DateContext,
    DateSpan,
    PartialDate,
    find_dates,
    parse_date,
    parse_dateline,
    parse_event_line,
    parse_issue,
    parse_machine_date,
    parse_period,
    parse_time_range,
    upload_year_month,
)
from tests.helpers import SEEDS

NO_CONTEXT = DateContext()
POSTED = DateContext(posting_date=date(2024, 3, 7))  # seed 000's Altenburg post, as replicated
UPLOADED = DateContext(upload_year_month=(2024, 2))
CONTEXTS = {"none": None, "posted": POSTED, "uploaded": UPLOADED}

# Every example of site-model.md's "Date and place formats seen": (input, reader, ISO, note).
SEEN_FORMATS = [
    ("Jena/12.03.2024.", "dateline", "2024-03-12", "place/date with a closing period"),
    ("Erfurt/08.03.2024.", "dateline", "2024-03-08", "seed 000"),
    ("Altenburg/06.02.204.", "dateline", "2024-02-06", "typo'd year, repaired from posting"),
    ("Erfurt, 05.02.2024", "dateline", "2024-02-05", "comma form"),
    ("Erfurt, 15.09.2023", "dateline", "2023-09-15", "seed 001"),
    ("Pressemitteilung, 13.09.2023", "dateline", "2023-09-13", "press release opening"),
    ("Nürnberg/18.-19.10.2023.", "dateline", "2023-10-18/2023-10-19", "numeric day range"),
    ("Vom 11. bis 12. März 2024", "date", "2024-03-11/2024-03-12", "textual day range"),
    ("am 04. März 2024", "date", "2024-03-04", "zero-padded day, month name"),
    ("am 7. September 2023", "date", "2023-09-07", "unpadded day"),
    ("Am 12.10.2023 fand ...", "date", "2023-10-12", "numeric in a sentence"),
    ("Erfurt/18.10.2023", "dateline", "2023-10-18", "no closing period"),
    ("08.09.2023 – Thüringer Ministerium ...", "dateline", "2023-09-08", "re-posted source"),
    ("21.03.2024 | 13:00 bis 14:30 Uhr | online", "event", "2024-03-21", "event line"),
    ("bis Mitte November 2023", "date", "2023-11", "vague: month precision"),
    ("Anfang Februar 2024", "date", "2024-02", "vague: month precision"),
    ("Laufzeit: September 2023 – Dezember 2025", "period", "2023-09/2025-12", "project run"),
    ("Sozialmagazin 9-10/2023", "issue", "2023", "journal issue"),
    ("29.06.2020", "date", "2020-06-29", "seed 003"),
]

# parse_date without context: (input, expected attributes, note).
DATE_CASES = [
    ("12.03.2024", {"iso": "2024-03-12", "precision": "day"}, "plain numeric"),
    ("12.03.2024.", {"iso": "2024-03-12"}, "trailing period"),
    ("1.2.2024", {"iso": "2024-02-01"}, "unpadded numeric"),
    ("12. 03. 2024", {"iso": "2024-03-12"}, "spaces after the dots"),
    ("4. März 2024", {"iso": "2024-03-04"}, "month name"),
    ("4. Maerz 2024", {"iso": "2024-03-04"}, "ae spelling"),
    ("4. Marz 2024", {"iso": "2024-03-04"}, "umlaut lost"),
    ("4. Mrz. 2024", {"iso": "2024-03-04"}, "abbreviation with dot"),
    ("4. Mrz 2024", {"iso": "2024-03-04"}, "abbreviation without dot"),
    ("4. MÄRZ 2024", {"iso": "2024-03-04"}, "capitals"),
    ("4. Ma\u0308rz 2024", {"iso": "2024-03-04"}, "decomposed umlaut (NFD)"),
    ("04.\u00a0März\u00a02024", {"iso": "2024-03-04"}, "non-breaking spaces"),
    ("1. Sept. 2023", {"iso": "2023-09-01"}, "Sept."),
    ("1. Sep 2023", {"iso": "2023-09-01"}, "Sep"),
    ("3. Okt 2023", {"iso": "2023-10-03"}, "Okt without dot"),
    ("3. Okt. 2023", {"iso": "2023-10-03"}, "Okt."),
    ("24. Dez. 2022", {"iso": "2022-12-24"}, "Dez."),
    ("6. Jänner 2021", {"iso": "2021-01-06"}, "Austrian January"),
    ("2. Febr. 2021", {"iso": "2021-02-02"}, "Febr."),
    ("1. Mai 2019", {"iso": "2019-05-01"}, "Mai"),
    ("17. Juni 2022", {"iso": "2022-06-17"}, "Juni"),
    ("9 Juli 2022", {"iso": "2022-07-09"}, "day without a dot"),
    ("22. Februar 2024", {"iso": "2024-02-22"}, "seed 000"),
    ("am 06. November 2023 veranstaltete", {"iso": "2023-11-06"}, "seed 002"),
    ("bis 12. April 2024", {"iso": "2024-04-12", "qualifier": "bis"}, "deadline"),
    ("September 2023", {"iso": "2023-09", "precision": "month"}, "month and year"),
    ("im September 2022", {"iso": "2022-09"}, "seed 001"),
    ("Ab September 2023 startete", {"iso": "2023-09", "qualifier": "ab"}, "seed 004"),
    ("Mitte Mai 2024", {"iso": "2024-05", "qualifier": "mitte"}, "Mitte"),
    ("Ende Juni 2024", {"iso": "2024-06", "qualifier": "ende"}, "Ende"),
    ("Anfang Februar 2024", {"iso": "2024-02", "qualifier": "anfang"}, "Anfang"),
    ("bis Mitte November 2023", {"iso": "2023-11", "qualifier": "bis mitte"}, "seed 000"),
    ("bis Ende 2025", {"iso": "2025", "qualifier": "bis ende"}, "seeds 001/004"),
    ("Ende 2023", {"iso": "2023", "precision": "year"}, "seed 002"),
    ("seit 2014", {"iso": "2014", "qualifier": "seit"}, "seed 004"),
    ("im Jahr 2021", {"iso": "2021", "qualifier": "im jahr"}, "im Jahr"),
    ("Sommer 2020", {"iso": "2020-06/2020-08", "qualifier": "sommer"}, "season: months"),
    ("bis zum Sommer 2020", {"iso": "2020-06/2020-08", "qualifier": "bis sommer"}, "seed 003"),
    ("im Herbst 2022", {"iso": "2022-09/2022-11"}, "seed 002"),
    ("Frühjahr 2024", {"iso": "2024-03/2024-05"}, "spring"),
    ("Winter 2023/24", {"iso": "2023-12/2024-02"}, "winter across the new year"),
    ("Winter 2023", {"iso": "2023", "precision": "year"}, "which winter: year only"),
    ("18.-19.10.2023", {"iso": "2023-10-18/2023-10-19"}, "numeric range"),
    ("18./19.10.2023", {"iso": "2023-10-18/2023-10-19"}, "slash range"),
    ("28.02.-01.03.2024", {"iso": "2024-02-28/2024-03-01"}, "range across months"),
    ("30.12.-02.01.2024", {"iso": "2023-12-30/2024-01-02"}, "range across the new year"),
    ("18.10.2023 - 19.10.2023", {"iso": "2023-10-18/2023-10-19"}, "two full dates"),
    ("01.09.2023 bis 31.12.2025", {"iso": "2023-09-01/2025-12-31"}, "bis between full dates"),
    ("11. bis 12. März 2024", {"iso": "2024-03-11/2024-03-12"}, "textual range"),
    ("11.-12. März 2024", {"iso": "2024-03-11/2024-03-12"}, "textual range with dash"),
    ("vom 18. bis 19. Oktober 2023", {"iso": "2023-10-18/2023-10-19"}, "seed 002"),
    ("30. September bis 2. Oktober 2024", {"iso": "2024-09-30/2024-10-02"}, "two months"),
    ("vom August bis September 2023", {"iso": "2023-08/2023-09"}, "seed 000 month range"),
    ("November bis Februar 2024", {"iso": "2023-11/2024-02"}, "month range over new year"),
    ("September 2023 – Dezember 2025", {"iso": "2023-09/2025-12"}, "seed 004"),
    ("18.-18.10.2023", {"iso": "2023-10-18"}, "range of one day is a day"),
    ("19.-18.10.2023", {"iso": "2023-10-19", "issues": ("end_before_start",)}, "flagged"),
    ("31.02.2024", {"iso": "2024-02", "issues": ("impossible_day",)}, "month kept"),
    ("29.02.2024", {"iso": "2024-02-29", "issues": ()}, "leap day"),
    ("29.02.2023", {"iso": "2023-02", "issues": ("impossible_day",)}, "no leap day"),
    ("01.02.24", {"iso": "2024-02-01", "issues": ("two_digit_year",)}, "two-digit year"),
    ("15.06.98", {"iso": "1998-06-15", "issues": ("two_digit_year",)}, "nineties"),
    ("2024-03-12", {"iso": "2024-03-12"}, "ISO in text"),
    ("2024-03-12T10:00:00+01:00", {"iso": "2024-03-12", "start_time": "10:00"}, "ISO time"),
    ("2024-03-12T09:00:00Z", {"iso": "2024-03-12", "start_time": "10:00"}, "UTC to Berlin"),
    (
        "21.03.2024 | 13:00 bis 14:30 Uhr | online",
        {"iso": "2024-03-21", "start_time": "13:00", "end_time": "14:30"},
        "times attach to a day",
    ),
    ("am 12.10.2023 um 10 Uhr", {"start_time": "10:00", "end_time": None}, "um 10 Uhr"),
    ("12.10.2023, 10 Teilnehmende", {"start_time": None}, "a number is not a time"),
    ("Sozialmagazin 9-10/2023", {"iso": "2023", "qualifier": "issue"}, "issue: year only"),
    ("Newsletter 02|2023", {"iso": "2023", "qualifier": "issue"}, "newsletter number"),
]

# Typo'd or impossible years, repaired only from the context: (input, context, attrs, note).
CONTEXT_CASES = [
    (
        "06.02.204",
        "posted",
        {"iso": "2024-02-06", "issues": ("year_repaired_from_posting_date",)},
        "seed 000: digit dropped",
    ),
    (
        "06.02.204",
        "uploaded",
        {"iso": "2024-02-06", "issues": ("year_repaired_from_upload_path",)},
        "upload path when no posting date",
    ),
    (
        "06.02.20244",
        "posted",
        {"iso": "2024-02-06", "issues": ("year_repaired_from_posting_date",)},
        "digit added",
    ),
    (
        "06.02.2204",
        "posted",
        {"iso": "2024-02-06", "issues": ("year_repaired_from_posting_date",)},
        "digits swapped",
    ),
    (
        "12.12.203",
        "posted",
        {"iso": "2023-12-12", "issues": ("year_repaired_from_posting_date",)},
        "previous year fits the posting date",
    ),
    (
        "4. März 204",
        "posted",
        {"iso": "2024-03-04", "issues": ("year_repaired_from_posting_date",)},
        "month name",
    ),
    ("01.02.24", "posted", {"iso": "2024-02-01", "issues": ("two_digit_year",)}, "two digits"),
    ("12.03.2024", "posted", {"iso": "2024-03-12", "issues": ()}, "a good year is left alone"),
]

# Inputs that give no date (without context unless stated): (input, context, note).
NONE_CASES = [
    ("", "none", "empty"),
    ("Kein Datum hier.", "none", "no date"),
    ("06.02.204", "none", "typo'd year without context: never guessed"),
    ("06.02.1024", "none", "impossible year without context"),
    ("06.10.204", "posted", "repair would land too far from the posting date"),
    ("06.02.1850", "posted", "too far from any nearby year"),
    ("32.01.2024", "none", "no day 32"),
    ("00.01.2024", "none", "no day 0"),
    ("12.13.2024", "none", "no month 13"),
    ("99.99.99999", "none", "hostile"),
    ("1.2.24", "none", "two-digit year only as DD.MM.YY"),
    ("am 06. November", "none", "no year: not guessed"),
    ("2023", "none", "a bare year is not a date"),
    ("09.10 bis 10.30 Uhr", "none", "times, not dates"),
    ("Ziel 4.8 und Fördergegenstand 2.1", "none", "section numbers"),
    ("Telefon: 0361 30257 - 602", "none", "phone"),
    ("mehr als 6.000 Personen ab 18 Jahren", "none", "numbers"),
    ("12. März 10 Teilnehmende", "none", "two-digit year after a month name is not read"),
    ("12.03.1989", "none", "before 1990"),
    ("12.03.2101", "none", "after 2100"),
    ("2024-02-30", "none", "impossible ISO day"),
    ("Sozialmagazin 9-10/1985", "none", "issue year out of range"),
]

# find_dates over seed sentences: (input, ISO of every span, note).
FIND_ALL_CASES = [
    (
        "Die Befragung fand vom August bis September 2023 statt.",
        ["2023-08/2023-09"],
        "seed 000",
    ),
    (
        "Erfurt/22.02.2024. Die zweite Runde fand am 22. Februar 2024 statt; "
        "Ergebnis des Fachtags am 19.06.2023. Ein weiterer Austausch ist am 12. April 2024.",
        ["2024-02-22", "2024-02-22", "2023-06-19", "2024-04-12"],
        "seed 000, several dates in order",
    ),
    (
        "Nürnberg/18.-19.10.2023. Deutschlands größte Kommunalmesse vom 18. bis 19. Oktober 2023",
        ["2023-10-18/2023-10-19", "2023-10-18/2023-10-19"],
        "seed 002",
    ),
    (
        "Programm\n09.00 bis 09.10 Begrüßung\n09.10 bis 10.30 Uhr Input",
        [],
        "programme times are no dates",
    ),
    ("Seit dem Start im September 2022 ist ein Jahr vergangen.", ["2022-09"], "seed 001"),
]

# parse_dateline with the posting context: (input, (kind, place, ISO, rest, issuer), note).
DATELINE_CASES = [
    ("Jena/12.03.2024.", ("dateline", "Jena", "2024-03-12", "", None), "seed 000"),
    (
        "\t\t\tErfurt/08.03.2024.",
        ("dateline", "Erfurt", "2024-03-08", "", None),
        "tabs before",
    ),
    (
        "Altenburg/06.02.204. Ausgewählte Ergebnisse",
        ("dateline", "Altenburg", "2024-02-06", "Ausgewählte Ergebnisse", None),
        "seed 000, repaired",
    ),
    (
        "Erfurt/18.10.2023 Der gemeinsame Fachtag",
        ("dateline", "Erfurt", "2023-10-18", "Der gemeinsame Fachtag", None),
        "seed 002 teaser",
    ),
    (
        "Erfurt, 15.09.2023 Die Ergebnisse",
        ("dateline", "Erfurt", "2023-09-15", "Die Ergebnisse", None),
        "seed 002",
    ),
    ("Erfurt, den 05.02.2024", ("dateline", "Erfurt", "2024-02-05", "", None), "den"),
    (
        "Bad Langensalza/01.03.2024.",
        ("dateline", "Bad Langensalza", "2024-03-01", "", None),
        "two-word place",
    ),
    ("09.11.2022", ("dateline", None, "2022-11-09", "", None), "posting-date line"),
    (
        "Pressemitteilung, 13.09.2023",
        ("press_release", None, "2023-09-13", "", None),
        "seed 001",
    ),
    (
        "Gemeinsame Pressemitteilung von TLMB und IKPE Erfurt, 13.11.2023 “Barrierefreiheit”",
        ("press_release", None, "2023-11-13", "“Barrierefreiheit”", "TLMB und IKPE Erfurt"),
        "seed 002",
    ),
    (
        "08.09.2023 – Thüringer Ministerium für Arbeit, Soziales, Gesundheit, Frauen und Familie",
        (
            "source",
            None,
            "2023-09-08",
            "",
            "Thüringer Ministerium für Arbeit, Soziales, Gesundheit, Frauen und Familie",
        ),
        "seed 001 re-posted release",
    ),
    (
        "21.03.2024 | 13:00 bis 14:30 Uhr | online",
        ("event", None, "2024-03-21", "13:00 bis 14:30 Uhr | online", None),
        "seed 000 event",
    ),
    (
        "Am 12.10.2023 fand in Erfurt die Sitzung statt.",
        ("opening_sentence", "Erfurt", "2023-10-12", "fand in Erfurt die Sitzung statt.", None),
        "seed 002: a dated opening sentence, place from 'in Erfurt'",
    ),
    (
        "Vom 11. bis 12. März 2024 diskutierten Vertreter*innen",
        ("opening_sentence", None, "2024-03-11/2024-03-12", "diskutierten Vertreter*innen", None),
        "seed 000: no place in the sentence",
    ),
    (
        "Anfang Februar 2024 stellte er die Ergebnisse vor. Danach in Jena.",
        (
            "opening_sentence",
            None,
            "2024-02",
            "stellte er die Ergebnisse vor. Danach in Jena.",
            None,
        ),
        "month precision; a place after the first sentence is not taken",
    ),
    (
        "Vom 23. bis 24. Mai 2017 trafen sich in Magdeburg die Akteure",
        (
            "opening_sentence",
            "Magdeburg",
            "2017-05-23/2017-05-24",
            "trafen sich in Magdeburg die Akteure",
            None,
        ),
        "replica 2017 post",
    ),
]

DATELINE_NONE_CASES = [
    ("Seit 2014 fördert der Freistaat", "a year opens no dated sentence"),
    ("Anfang Februar 2024", "a vague date alone"),
    ("Stand: 12.03.2024", "a label is no place"),
    ("– Prozessbegleitung kommunaler Sozialstrategien in Thüringen –", "no date at all"),
    ("Diskussionsrunde mit Prof. Dr. Fischer am 04. März 2024", "date inside a sentence"),
    ("", "empty"),
]

# parse_event_line: (input, context, (ISO, start, end, venue, online, issues), note).
EVENT_CASES = [
    (
        "21.03.2024 | 13:00 bis 14:30 Uhr | online",
        "none",
        ("2024-03-21", "13:00", "14:30", None, True, ()),
        "seed 000",
    ),
    (
        "11.09.2024 | Freie Evangelische Gemeinde Erfurt | 09:30 bis 15:30 Uhr",
        "none",
        ("2024-09-11", "09:30", "15:30", "Freie Evangelische Gemeinde Erfurt", False, ()),
        "seed 000, venue before time",
    ),
    (
        "10:00 – 16:00 Uhr | Landratsamt Ilmkreis",
        "posted",
        (
            "2024-03-07",
            "10:00",
            "16:00",
            "Landratsamt Ilmkreis",
            False,
            ("event_date_from_posting_date",),
        ),
        "site-model: times only, day from the listing",
    ),
    (
        "09.10 bis 10.30 Uhr Input des IKPE zu folgendem Thema:",
        "posted",
        ("2024-03-07", "09:10", "10:30", None, False, ("event_date_from_posting_date",)),
        "programme line",
    ),
    (
        "21.03.2024, 13:00 Uhr, Online-Veranstaltung",
        "none",
        ("2024-03-21", "13:00", None, None, True, ()),
        "commas instead of bars",
    ),
    (
        "18.04.2024 | Erfurt",
        "none",
        ("2024-04-18", None, None, "Erfurt", False, ()),
        "synthetic: date and place",
    ),
]

EVENT_NONE_CASES = [
    ("10:00 – 16:00 Uhr | Landratsamt Ilmkreis", "none", "no day and no context"),
    ("21.03.2024", "none", "a bare date"),
    ("08.09.2023 – Thüringer Ministerium für Arbeit", "none", "a source line"),
    ("Die Veranstaltung richtet sich an Planer", "posted", "no time, no date"),
]

# parse_time_range: (input, (start, end), note).
TIME_CASES = [
    ("13:00 bis 14:30 Uhr", ("13:00", "14:30"), "seed 000"),
    ("09:30 bis 15:30 Uhr", ("09:30", "15:30"), "seed 000"),
    ("10:00 – 16:00 Uhr", ("10:00", "16:00"), "site-model"),
    ("09.10 bis 10.30 Uhr", ("09:10", "10:30"), "programme, dotted"),
    ("09.00 bis 09.10 Begrüßung", ("09:00", "09:10"), "programme without Uhr"),
    ("12.00 bis 12.15 Uhr Themen", ("12:00", "12:15"), "seed 000"),
    ("um 10 Uhr", ("10:00", None), "hour only"),
    ("ab 9:30", ("09:30", None), "colon without Uhr"),
    ("10-12 Uhr", ("10:00", "12:00"), "hours only"),
]

TIME_NONE_CASES = [
    ("25:00 Uhr", "no hour 25"),
    ("10:75 Uhr", "no minute 75"),
    ("Kapitel 6 und 7", "numbers"),
    ("", "empty"),
]

# parse_period: (input, ISO, note).
PERIOD_CASES = [
    ("Laufzeit: September 2023 – Dezember 2025", "2023-09/2025-12", "seed 004"),
    ("Laufzeit: 2016-2020", "2016/2020", "site-model references"),
    ("Laufzeit: 2016 – 2020", "2016/2020", "spaced dash"),
    ("Projektlaufzeit: 01.09.2023 bis 31.12.2025", "2023-09-01/2025-12-31", "full dates"),
    ("Laufzeit: 09/2023 – 12/2025", "2023-09/2025-12", "numeric months"),
    ("Laufzeit: seit 2019", "2019", "open-ended"),
    ("Zeitraum: 2021", "2021", "one year"),
]

PERIOD_NONE_CASES = [
    ("Laufzeit: offen", "no date"),
    ("Laufzeit: 1980-1985", "out of range"),
    ("", "empty"),
]

# parse_issue: (input, (year, issue), note).
ISSUE_CASES = [
    ("9-10/2023", (2023, "9-10"), "seed 002"),
    ("Sozialmagazin 9-10/2023", (2023, "9-10"), "with the journal"),
    ("Heft 7-8/2014", (2014, "7-8"), "site-model citation"),
    ("Heft 7–8/2014", (2014, "7-8"), "en dash normalised"),
    ("Newsletter 02|2023", (2023, "02"), "newsletter"),
    ("H. 3/2019", (2019, "3"), "H."),
]

ISSUE_NONE_CASES = [
    ("9-10/1985", "year out of range"),
    ("Ausgabe neun", "no number"),
]

# parse_machine_date: (input, expected isoformat, note).
MACHINE_CASES = [
    ("2024-03-12", "2024-03-12T00:00:00+01:00", "date only: Berlin midnight"),
    ("2024-03-12T10:00:00+01:00", "2024-03-12T10:00:00+01:00", "offset kept"),
    ("2024-03-12T09:00:00Z", "2024-03-12T09:00:00+00:00", "Z"),
    ("2024-03-12 10:00:00", "2024-03-12T10:00:00+01:00", "WordPress naive: Berlin"),
    ("2024-07-12T10:00:00", "2024-07-12T10:00:00+02:00", "summer time"),
    ("2024-03-12T10:00:00.123456+01:00", "2024-03-12T10:00:00.123456+01:00", "fractions"),
    ("Tue, 12 Mar 2024 09:00:00 +0000", "2024-03-12T09:00:00+00:00", "RFC 2822"),
    ("Tue, 12 Mar 2024 09:00:00 GMT", "2024-03-12T09:00:00+00:00", "HTTP date"),
    ("12 Mar 2024 09:00:00 +0100", "2024-03-12T09:00:00+01:00", "RFC 2822 without weekday"),
]

MACHINE_NONE_CASES = [
    ("", "empty"),
    ("0000-00-00 00:00:00", "WordPress zero date"),
    ("1970-01-01T00:00:00Z", "epoch: outside 1990-2100"),
    ("gestern", "words"),
    ("Tue, 32 Mar 2024 09:00:00 +0000", "impossible RFC date"),
    ("2024-13-01", "no month 13"),
]


def _check_unique(table: list, note: str) -> None:
    keys = [row[0] if len(row) < 4 else (row[0], row[1]) for row in table]
    duplicates = {key for key in keys if keys.count(key) > 1}
    assert not duplicates, f"{note}: repeated inputs {duplicates}"


@pytest.mark.parametrize(
    "name, table",
    [
        ("SEEN_FORMATS", SEEN_FORMATS),
        ("DATE_CASES", DATE_CASES),
        ("CONTEXT_CASES", CONTEXT_CASES),
        ("NONE_CASES", NONE_CASES),
        ("FIND_ALL_CASES", FIND_ALL_CASES),
        ("DATELINE_CASES", DATELINE_CASES),
        ("DATELINE_NONE_CASES", DATELINE_NONE_CASES),
        ("EVENT_CASES", EVENT_CASES),
        ("EVENT_NONE_CASES", EVENT_NONE_CASES),
        ("TIME_CASES", TIME_CASES),
        ("TIME_NONE_CASES", TIME_NONE_CASES),
        ("PERIOD_CASES", PERIOD_CASES),
        ("PERIOD_NONE_CASES", PERIOD_NONE_CASES),
        ("ISSUE_CASES", ISSUE_CASES),
        ("ISSUE_NONE_CASES", ISSUE_NONE_CASES),
        ("MACHINE_CASES", MACHINE_CASES),
        ("MACHINE_NONE_CASES", MACHINE_NONE_CASES),
    ],
)
def test_no_input_repeats_in_a_table(name: str, table: list) -> None:
    _check_unique(table, name)


def _assert_span(span: DateSpan | None, expected: dict, note: str) -> None:
    assert span is not None, note
    for key, value in expected.items():
        actual = span.iso() if key == "iso" else getattr(span, key)
        assert actual == value, f"{note}: {key} = {actual!r}, expected {value!r}"
    assert MIN_YEAR <= span.start.year <= MAX_YEAR


@pytest.mark.parametrize("text, reader, iso, note", SEEN_FORMATS)
def test_seen_formats_normalise_to_iso(text: str, reader: str, iso: str, note: str) -> None:
    if reader == "dateline":
        dateline = parse_dateline(text, POSTED)
        assert dateline is not None, note
        assert dateline.span.iso() == iso, note
    elif reader == "date":
        span = parse_date(text, POSTED)
        assert span is not None and span.iso() == iso, note
    elif reader == "event":
        event = parse_event_line(text, POSTED)
        assert event is not None and event.span.iso() == iso, note
    elif reader == "period":
        span = parse_period(text)
        assert span is not None and span.iso() == iso, note
    else:
        issue = parse_issue(text)
        assert issue is not None and issue[0].iso() == iso, note


@pytest.mark.parametrize("text, expected, note", DATE_CASES)
def test_parse_date(text: str, expected: dict, note: str) -> None:
    _assert_span(parse_date(text), expected, note)


@pytest.mark.parametrize("text, context, expected, note", CONTEXT_CASES)
def test_years_repaired_only_from_context(
    text: str, context: str, expected: dict, note: str
) -> None:
    _assert_span(parse_date(text, CONTEXTS[context]), expected, note)


@pytest.mark.parametrize("text, context, note", NONE_CASES)
def test_no_date(text: str, context: str, note: str) -> None:
    assert parse_date(text, CONTEXTS[context]) is None, note
    assert find_dates(text, CONTEXTS[context]) == [], note


@pytest.mark.parametrize("text, expected, note", FIND_ALL_CASES)
def test_find_dates_in_order(text: str, expected: list[str], note: str) -> None:
    assert [span.iso() for span in find_dates(text)] == expected, note


@pytest.mark.parametrize("text, expected, note", DATELINE_CASES)
def test_parse_dateline(text: str, expected: tuple, note: str) -> None:
    dateline = parse_dateline(text, POSTED)
    assert dateline is not None, note
    kind, place, iso, rest, issuer = expected
    assert (dateline.kind, dateline.place, dateline.span.iso(), dateline.rest) == (
        kind,
        place,
        iso,
        rest,
    ), note
    assert dateline.issuer == issuer, note


@pytest.mark.parametrize("text, note", DATELINE_NONE_CASES)
def test_no_dateline(text: str, note: str) -> None:
    assert parse_dateline(text, POSTED) is None, note


def test_typo_year_dateline_is_flagged_and_not_guessed_without_context() -> None:
    repaired = parse_dateline("Altenburg/06.02.204.", POSTED)
    assert repaired is not None
    assert repaired.span.issues == ("year_repaired_from_posting_date",)
    assert parse_dateline("Altenburg/06.02.204.") is None


def test_dateline_far_from_posting_date_is_flagged() -> None:
    dateline = parse_dateline("Erfurt, 05.02.2019", POSTED)
    assert dateline is not None and "far_from_posting_date" in dateline.span.issues


@pytest.mark.parametrize("text, context, expected, note", EVENT_CASES)
def test_parse_event_line(text: str, context: str, expected: tuple, note: str) -> None:
    event = parse_event_line(text, CONTEXTS[context])
    assert event is not None, note
    iso, start, end, venue, online, issues = expected
    span = event.span
    assert (span.iso(), span.start_time, span.end_time) == (iso, start, end), note
    assert (event.venue, event.online, span.issues) == (venue, online, issues), note


@pytest.mark.parametrize("text, context, note", EVENT_NONE_CASES)
def test_no_event_line(text: str, context: str, note: str) -> None:
    assert parse_event_line(text, CONTEXTS[context]) is None, note


@pytest.mark.parametrize("text, expected, note", TIME_CASES)
def test_parse_time_range(text: str, expected: tuple, note: str) -> None:
    assert parse_time_range(text) == expected, note


@pytest.mark.parametrize("text, note", TIME_NONE_CASES)
def test_no_time_range(text: str, note: str) -> None:
    assert parse_time_range(text) is None, note


@pytest.mark.parametrize("text, iso, note", PERIOD_CASES)
def test_parse_period(text: str, iso: str, note: str) -> None:
    span = parse_period(text)
    assert span is not None and span.iso() == iso, note


@pytest.mark.parametrize("text, note", PERIOD_NONE_CASES)
def test_no_period(text: str, note: str) -> None:
    assert parse_period(text) is None, note


@pytest.mark.parametrize("text, expected, note", ISSUE_CASES)
def test_parse_issue(text: str, expected: tuple, note: str) -> None:
    parsed = parse_issue(text)
    assert parsed is not None, note
    assert (parsed[0].year, parsed[0].precision, parsed[1]) == (expected[0], "year", expected[1])


@pytest.mark.parametrize("text, note", ISSUE_NONE_CASES)
def test_no_issue(text: str, note: str) -> None:
    assert parse_issue(text) is None, note


@pytest.mark.parametrize("value, expected, note", MACHINE_CASES)
def test_parse_machine_date(value: str, expected: str, note: str) -> None:
    moment = parse_machine_date(value)
    assert moment is not None, note
    assert moment.tzinfo is not None, note
    assert moment.isoformat() == expected, note


@pytest.mark.parametrize("value, note", MACHINE_NONE_CASES)
def test_no_machine_date(value: str, note: str) -> None:
    assert parse_machine_date(value) is None, note


def test_machine_date_is_comparable_across_zones() -> None:
    berlin = parse_machine_date("2024-03-12T10:00:00+01:00")
    utc = parse_machine_date("2024-03-12T09:00:00Z")
    assert berlin == utc == datetime(2024, 3, 12, 9, tzinfo=UTC)
    assert berlin is not None and berlin.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    "partial, iso, precision, first, last",
    [
        (PartialDate(2024), "2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        (PartialDate(2024, 2), "2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        (PartialDate(2023, 2), "2023-02", "month", date(2023, 2, 1), date(2023, 2, 28)),
        (PartialDate(2024, 2, 6), "2024-02-06", "day", date(2024, 2, 6), date(2024, 2, 6)),
    ],
)
def test_partial_date(
    partial: PartialDate, iso: str, precision: str, first: date, last: date
) -> None:
    assert (partial.iso(), partial.precision) == (iso, precision)
    assert (partial.first_day(), partial.last_day()) == (first, last)


@pytest.mark.parametrize(
    "year, month, day", [(2024, 13, None), (2024, 2, 30), (2024, None, 3), (0, None, None)]
)
def test_partial_date_rejects_impossible_values(year: int, month: int | None, day: int | None):
    with pytest.raises(ValueError):
        PartialDate(year, month, day)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.ikpe-erfurt.de/wp-content/uploads/2024/02/plakat.pdf", (2024, 2)),
        ("/wp-content/uploads/2019/11/bild.jpg", (2019, 11)),
        ("/wp-content/uploads/1900/01/alt.jpg", None),
        ("https://www.ikpe-erfurt.de/unser-vorgehen-7", None),
    ],
)
def test_upload_year_month(url: str, expected: tuple[int, int] | None) -> None:
    assert upload_year_month(url) == expected


def test_dates_from_seed_000_carry_the_repair_flag(seed_000_text: str) -> None:
    spans = find_dates(seed_000_text, POSTED)
    repaired = [s for s in spans if "year_repaired_from_posting_date" in s.issues]
    assert [s.iso() for s in repaired] == ["2024-02-06"]
    assert all(MIN_YEAR <= s.start.year <= MAX_YEAR for s in spans)


@pytest.fixture
def seed_000_text() -> str:

    path = SEEDS / "000_1ec15fc9ff839adb.txt"
    return path.read_text(encoding="utf-8")
