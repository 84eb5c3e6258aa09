"""Browsing: by year (with the month histogram whose bars set the date range), by type,
and the publication lists with their export form."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def test_years_table_links_to_searches(page) -> None:
    found = page("/jahre")
    assert found.status == 200
    years = found.texts("//table[@class='counts']//th[@scope='row']")
    counts = found.texts("//table[@class='counts']//td[@class='num']")
    rows = dict(zip(years, counts, strict=True))
    assert rows == {"2024": "3", "2023": "2", "2022": "1", "2021": "13"}
    assert found.xpath("//th[@scope='row']/a[text()='2023']/@href") == ["/suche?year=2023"]


def test_histogram_bars_set_the_date_range(page) -> None:
    found = page("/jahre")
    svg = found.xpath("//figure[@class='histogram']/*[local-name()='svg']")
    assert len(svg) == 1
    links = svg[0].xpath(".//*[local-name()='a']")
    by_month = {}
    for link in links:
        query = parse_qs(urlsplit(link.get("href")).query)
        assert query["from"] == query["to"]
        title = link.xpath("string(.//*[local-name()='title'])")
        by_month[query["from"][0]] = title
    assert by_month["2023-03"] == "März 2023: 1 Eintrag"
    assert by_month["2023-11"] == "November 2023: 1 Eintrag"
    assert "2024-05" in by_month and "2023-04" not in by_month  # an empty month has no bar
    assert len(by_month) == 17  # 12 months of 2021, 2023-03, 2023-11, 2024-01, -02, -05
    # a click on a bar gives that month's records
    assert page("/suche?from=2023-03&to=2023-03").hit_ids() == ["wp-101"]
    assert "1 Einträge sind nur aufs Jahr genau datiert" in found.texts("//figcaption")[0]


def test_types_with_counts(page) -> None:
    found = page("/typen")
    rows = dict(zip(found.texts("//th[@scope='row']"), found.texts("//td[@class='num']"),
                    strict=True))  # fmt: skip
    assert rows["Meldungen"] == "14" and rows["Pressemitteilungen"] == "1"
    assert found.xpath("//th/a[text()='Meldungen']/@href") == ["/suche?type=news"]


def test_publications_grouped_by_year_and_kind_with_an_export_form(page) -> None:
    found = page("/publikationen")
    assert found.texts("//section[@class='pub-year']/h2") == ["2024", "2022"]
    legends = found.texts("//fieldset[@class='pub-kind']/legend")
    assert legends == ["Presseberichte (1)", "Monografien (1)"]
    form = found.xpath("//form[@class='publications']")[0]
    assert form.get("method") == "get"
    ids = form.xpath(".//input[@type='checkbox'][@name='id']/@value")
    assert sorted(ids) == ["pub-0123456789abcdef", "pub-fedcba9876543210"]
    for box in form.xpath(".//input[@type='checkbox']"):
        assert form.xpath(f".//label[@for='{box.get('id')}']")
    actions = form.xpath(".//button[@type='submit']/@formaction")
    assert {urlsplit(a).path for a in actions} >= {
        "/export.bibtex",
        "/export.ris",
        "/export.csljson",
    }
