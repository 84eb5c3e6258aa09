"""The search page: query, multi-select facets with disjunctive counts, dates, sort,
paging, did-you-mean, the result list's twins, and bad parameters (400/404, never 500).

The archive of the fixtures holds 19 present records: 14 news (12 of them from 2021 in
Weimar), one each of press release, event, publication, press coverage and page.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest


def test_front_page_lists_every_record_newest_first(page) -> None:
    found = page("/")
    assert found.status == 200
    assert "19 Einträge im Archiv" in found.texts("//h2[@id='treffer']")[0]
    assert found.hit_ids()[0] == "wp-103"  # 2024-05-20, the newest
    assert found.xpath("//form[@role='search']//input[@name='q']")
    assert found.xpath("//html/@lang") == ["de"]


def test_a_query_finds_and_highlights(page) -> None:
    found = page("/suche?q=Pr%C3%A4ventionsketten")
    assert found.hit_ids() == ["wp-101"]
    assert "1 Treffer für „Präventionsketten“" in found.texts("//h2[@id='treffer']")[0]
    snippet = found.xpath("//p[@class='snippet']")[0]
    assert snippet.xpath(".//mark/text()") == ["Präventionsketten"]


# (query and range, what the page offers), note.
UNDERSTOOD_CASES = [
    ("q=Sozialplanung+2023", [("2023", "2023", "2023")], "a year"),
    ("q=Sozialplanung+November+2023", [("November 2023", "2023-11", "2023-11")], "a month"),
    ("q=Sozialplanung+2023&from=2023&to=2023", [], "already the range"),
    ("q=Sozialplanung", [], "no date named"),
]


@pytest.mark.parametrize(("args", "offers"), [row[:2] for row in UNDERSTOOD_CASES],
                         ids=[row[2] for row in UNDERSTOOD_CASES])  # fmt: skip
def test_a_date_in_the_query_is_offered_as_the_range(page, args: str, offers: list) -> None:
    found = page(f"/suche?{args}")
    assert "wp-102" in found.hit_ids()  # Sozialplanung in Jena, 2023-11-02
    links = found.xpath("//p[@class='understood']/a")
    got = []
    for link in links:
        query = parse_qs(urlsplit(link.get("href")).query)
        got.append((link.text.removeprefix("Nur Einträge aus ").removesuffix(" zeigen"),
                    query["from"][0], query["to"][0]))  # fmt: skip
    assert got == offers


def test_every_input_has_a_label(page) -> None:
    found = page("/suche?q=Armut")
    for field in found.xpath("//form//input[not(@type='hidden')] | //form//select"):
        assert found.xpath(f"//label[@for='{field.get('id')}']"), field.get("name")


TYPE_COUNTS = {
    "Meldung": 14,
    "Pressemitteilung": 1,
    "Termin": 1,
    "Publikation": 1,
    "Presse über das IKPE": 1,
    "Seite": 1,
}


def test_facets_count_every_value(page) -> None:
    found = page("/")
    assert found.facet("Typ") == TYPE_COUNTS
    assert found.facet("Ort")["Weimar"] == 12
    assert found.facet("Jahr")["2021"] == 13


def test_several_values_of_one_facet_are_ored(page) -> None:
    found = page("/suche?type=event&type=press_release")
    assert sorted(found.hit_ids()) == ["wp-102", "wp-103"]
    assert sorted(found.selected("Typ")) == ["Pressemitteilung", "Termin"]
    # the type facet is counted without its own selection: the other types still show
    assert found.facet("Typ") == TYPE_COUNTS
    # the other facets are counted within the selection
    assert found.facet("Ort") == {"Erfurt": 1, "Jena": 1}


def test_facets_combine_with_and_and_count_disjunctively(page) -> None:
    found = page("/suche?type=news&place=Erfurt")
    assert found.hit_ids() == ["wp-101"]
    assert found.facet("Typ") == {"Meldung": 1, "Termin": 1}  # under place=Erfurt
    assert found.facet("Ort") == {"Weimar": 12, "Erfurt": 1, "Gotha": 1}  # under type=news


def test_a_facet_link_toggles_its_value(page) -> None:
    found = page("/suche?q=Sozialplanung&type=news")
    links = {
        " ".join(a.xpath("string(.//span[@class='facet-label'])").split()): a.get("href")
        for a in found.xpath("//details[summary='Typ']//a")
    }
    add = parse_qs(urlsplit(links["Termin"]).query)
    assert add["type"] == ["news", "event"] and add["q"] == ["Sozialplanung"]
    remove = parse_qs(urlsplit(links["Meldung"]).query)
    assert "type" not in remove and remove["q"] == ["Sozialplanung"]


def test_active_filters_can_be_removed(page) -> None:
    found = page("/suche?type=news&place=Gotha&from=2024")
    chips = found.texts("//a[@class='chip']")
    assert any("Typ: Meldung" in chip for chip in chips)
    assert any("Ort: Gotha" in chip for chip in chips)
    assert any("Zeitraum" in chip for chip in chips)
    assert found.xpath("//a[@class='clear-all']/@href") == ["/suche"]


DATE_RANGES = [
    ("from=2023&to=2023", {"wp-101", "wp-102"}),
    ("from=2024-01&to=2024-02", {"wp-104", "pub-fedcba9876543210"}),
    ("from=2024-05-20", {"wp-103"}),
    ("to=2021-02", {"wp-200", "wp-201"}),
]


@pytest.mark.parametrize(("args", "expected"), DATE_RANGES)
def test_date_range(page, args: str, expected: set[str]) -> None:
    assert set(page(f"/suche?{args}&per_page=50").hit_ids()) == expected


def test_sort_by_date_both_ways(page) -> None:
    oldest = page("/suche?q=Sozialplanung&sort=date").hit_ids()
    newest = page("/suche?q=Sozialplanung&sort=-date").hit_ids()
    assert oldest[0] == "wp-200" and newest[0] == "wp-103"
    selected = page("/suche?sort=date").xpath("//select[@name='sort']/option[@selected]/@value")
    assert selected == ["date"]


def test_paging(page) -> None:
    first = page("/")
    second = page("/suche?page=2")
    assert len(first.hit_ids()) == 10 and len(second.hit_ids()) == 9
    assert not set(first.hit_ids()) & set(second.hit_ids())
    assert first.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["/suche?page=2"]
    assert second.xpath("//ol[@class='hits']/@start") == ["11"]
    assert len(page("/suche?per_page=20").hit_ids()) == 19
    assert page("/suche?per_page=20").xpath("//nav[@class='pagination']") == []


def test_did_you_mean(page) -> None:
    found = page("/suche?q=Sozialplanug")
    assert found.texts("//p[@class='suggestion']")[0].startswith("Meinten Sie Sozialplanung")
    link = found.xpath("//p[@class='suggestion']/a/@href")[0]
    assert parse_qs(urlsplit(link).query)["q"] == ["Sozialplanung"]


def test_twins_and_feed_autodiscovery(page) -> None:
    found = page("/suche?q=Sozialplanung&type=news&per_page=20")
    feed = found.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert len(feed) == 1
    assert parse_qs(urlsplit(feed[0]).query) == {"q": ["Sozialplanung"], "type": ["news"]}
    assert urlsplit(feed[0]).path == "/feed.atom"
    twins = {
        a.text_content().strip(): a.get("href") for a in found.xpath("//section[@class='twins']//a")
    }
    assert urlsplit(twins["JSON"]).path == "/api/search"
    assert parse_qs(urlsplit(twins["JSON"]).query)["per_page"] == ["20"]
    for label, extension in (("CSV", "csv"), ("BibTeX", "bibtex"), ("RIS", "ris"),
                             ("CSL-JSON", "csljson")):  # fmt: skip
        assert urlsplit(twins[label]).path == f"/export.{extension}"
    everything = found.xpath("//p[@class='export-all']/following-sibling::ul[1]//a/@href")
    assert everything and all(parse_qs(urlsplit(u).query)["all"] == ["1"] for u in everything)
    assert "Alle 12 Treffer exportieren" in found.texts("//p[@class='export-all']")[0]


def test_the_form_keeps_the_state(page) -> None:
    found = page("/suche?q=Armut&type=news&type=event&from=2020&per_page=20&sort=-date")
    assert found.xpath("//input[@name='q']/@value") == ["Armut"]
    assert found.xpath("//input[@type='hidden'][@name='type']/@value") == ["news", "event"]
    assert found.xpath("//input[@name='from']/@value") == ["2020"]
    assert found.xpath("//select[@name='per_page']/option[@selected]/@value") == ["20"]


BAD_PARAMETERS = [
    ("from=2023-13", 400),
    ("from=gestern", 400),
    ("to=2023-02-30", 400),
    ("from=2024&to=2023", 400),
    ("to=2023%2F10", 400),
    ("type=blog", 400),
    ("type=news&type=blog", 400),
    ("year=zwanzig", 400),
    ("sort=title", 400),
    ("page=0", 400),
    ("page=abc", 400),
    ("page=-1", 400),
    ("page=99999999999", 400),
    ("page=3", 404),
    ("q=Pr%C3%A4ventionsketten&page=2", 404),
    ("per_page=13", 400),
    ("per_page=0", 400),
    ("per_page=1000", 400),
    ("q=" + "a" * 1001, 400),
    ("q=eins&q=zwei", 400),
    ("place=" + "x" * 300, 400),
]


@pytest.mark.parametrize(("args", "status"), BAD_PARAMETERS)
def test_bad_parameters_get_a_german_error_never_500(client, args: str, status: int) -> None:
    response = client.get(f"/suche?{args}")
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert "Fehler" in response.text and 'lang="de"' in response.text


GOOD_ODDITIES = [
    "q=Armut&from=&to=&sort=relevance&per_page=10",  # the form, sent with empty dates
    "q=%22",  # an unbalanced quote falls back to the words
    "q=title%3A",
    "q=(((",
    "q=*",
    "q=-",
    "q=%3Cscript%3E",
    "q=%00",
    "unknown=parameter",
    "per_page=50",
    "year=2023&year=2024",
]


@pytest.mark.parametrize("args", GOOD_ODDITIES)
def test_odd_but_valid_searches_answer(client, args: str) -> None:
    assert client.get(f"/suche?{args}").status_code == 200


def test_every_twin_link_answers(client, page) -> None:
    found = page("/suche?q=Sozialplanung&type=news&place=Weimar&per_page=20")
    twins = found.xpath("//section[@class='twins']//a/@href")
    twins += found.xpath("//head/link[@rel='alternate']/@href")
    assert len(twins) >= 13
    for url in twins:
        assert client.get(url).status_code == 200, url
