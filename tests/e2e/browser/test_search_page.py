"""The search page in a browser: typing a query, facets, a date range, paging, sorting,
the keyboard and a phone's screen, over the real crawl of the replica served by gunicorn."""

from __future__ import annotations

import re
from calendar import monthrange
from urllib.parse import parse_qs, urlsplit

import pytest

QUERY = "Sozialplanung"


def hit_count(page) -> int:
    """The number of hits the page's heading announces ("42 Treffer für ...")."""
    heading = page.locator("h2.result-count").inner_text()
    match = re.match(r"([\d.]+) (?:Treffer|Einträge)", heading)
    assert match, heading
    return int(match.group(1).replace(".", ""))


def query_of(page) -> dict[str, list[str]]:
    """The page URL's parameters."""
    return parse_qs(urlsplit(page.url).query)


def hit_dates(page) -> list[str]:
    """The dates of the hits shown, as the ``datetime`` of their ``<time>``."""
    return page.locator("li.hit .hit-meta time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )


def bounds(value: str) -> tuple[str, str]:
    """The first and last day a (partial) ISO date stands for."""
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year}-01-01", f"{year}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        return f"{year}-{month:02d}-01", f"{year}-{month:02d}-{monthrange(year, month)[1]}"
    return value, value


def assert_newest_first(dates: list[str]) -> None:
    for newer, older in zip(dates, dates[1:], strict=False):
        assert bounds(newer)[1] >= bounds(older)[0], f"{newer} before {older}: {dates}"


def search(page, query: str) -> None:
    page.goto("/")
    box = page.get_by_role("searchbox")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")


def facet_link(page, facet: str, label: str):
    """The link of one value of a facet (``Typ`` / ``Meldung``)."""
    details = page.locator("details.facet", has=page.locator("summary", has_text=facet))
    return details.locator("a.facet-value", has=page.locator(".facet-label", has_text=label))


def facet_count(page, facet: str, label: str) -> int:
    count = facet_link(page, facet, label).locator(".count").inner_text()
    return int(count.replace(".", ""))


def test_a_query_typed_into_the_box_shows_the_hits_with_marked_words(page) -> None:
    search(page, QUERY)

    assert query_of(page)["q"] == [QUERY]
    total = hit_count(page)
    assert total > 10  # the replica has plenty, so there is a second page
    assert page.locator("h2.result-count").inner_text().endswith(f"für „{QUERY}“")
    hits = page.locator("li.hit")
    assert hits.count() == 10
    assert hits.first.locator("h3.hit-title a").is_visible()
    assert page.get_by_role("searchbox").input_value() == QUERY  # the box keeps the query
    marked = page.locator("li.hit .snippet mark")
    assert marked.count() >= 5
    assert marked.first.is_visible()
    words = {word.lower() for word in marked.all_inner_texts()}
    assert any(word.startswith("sozialplan") for word in words), words
    assert "Seite 1 von" in page.locator(".page-info").inner_text()


def test_facets_narrow_the_search_with_or_within_a_facet_and_dates_keep_the_state(page) -> None:
    search(page, QUERY)
    everything = hit_count(page)
    news, publications = (
        facet_count(page, "Typ", "Meldung"),
        facet_count(page, "Typ", "Publikation"),
    )
    assert 0 < news < everything and 0 < publications < everything

    facet_link(page, "Typ", "Meldung").click()  # no script: the facet values are links
    page.wait_for_url(re.compile(r"type=news"))
    assert hit_count(page) == news
    assert query_of(page)["type"] == ["news"] and query_of(page)["q"] == [QUERY]
    assert "is-selected" in (facet_link(page, "Typ", "Meldung").get_attribute("class") or "")
    assert page.locator(".active-filters").get_by_text("Typ: Meldung").is_visible()
    badges = page.locator("li.hit .badge").all_inner_texts()
    assert badges and set(badges) == {"Meldung"}
    # The other values keep their counts, so a second one can be added.
    assert facet_count(page, "Typ", "Publikation") == publications

    facet_link(page, "Typ", "Publikation").click()
    page.wait_for_url(re.compile(r"type=publication"))
    assert hit_count(page) == news + publications  # OR within one facet
    assert sorted(query_of(page)["type"]) == ["news", "publication"]
    assert set(page.locator("li.hit .badge").all_inner_texts()) <= {"Meldung", "Publikation"}

    page.get_by_label("Von", exact=True).fill("2016")
    page.get_by_label("Bis", exact=True).fill("2020-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Suchen").click()
    state = query_of(page)
    assert state["from"] == ["2016"] and state["to"] == ["2020-12-31"]
    assert sorted(state["type"]) == ["news", "publication"] and state["q"] == [QUERY]
    in_range = hit_count(page)
    assert 0 < in_range < news + publications
    for value in hit_dates(page):
        first, last = bounds(value)
        assert last >= "2016-01-01" and first <= "2020-12-31", value
    assert page.locator(".active-filters").get_by_text("Zeitraum:").is_visible()

    # The URL holds the whole state: opened again, it shows the same search.
    bookmarked = page.url
    page.goto("/")
    page.goto(bookmarked)
    assert hit_count(page) == in_range
    assert page.get_by_label("Von", exact=True).input_value() == "2016"
    assert page.get_by_label("Bis", exact=True).input_value() == "2020-12-31"

    page.get_by_role("link", name="Alle Filter entfernen").click()
    page.wait_for_url(lambda url: "type=" not in url and "from=" not in url)
    assert hit_count(page) == everything


def test_sorted_newest_first_and_paged_the_dates_stay_in_order(page) -> None:
    search(page, QUERY)

    page.get_by_label("Sortierung", exact=True).select_option("-date")
    with page.expect_navigation():
        page.get_by_role("button", name="Suchen").click()
    assert query_of(page)["sort"] == ["-date"]
    assert page.get_by_label("Sortierung", exact=True).input_value() == "-date"
    first_page = hit_dates(page)
    assert len(first_page) == 10
    assert_newest_first(first_page)
    titles_1 = page.locator("li.hit h3 a").all_inner_texts()

    page.get_by_role("navigation", name="Seiten").get_by_role("link", name="Seite 2").click()
    page.wait_for_url(re.compile(r"page=2"))
    state = query_of(page)
    assert state["page"] == ["2"] and state["sort"] == ["-date"] and state["q"] == [QUERY]
    assert "Seite 2 von" in page.locator(".page-info").inner_text()
    assert page.locator("ol.hits").get_attribute("start") == "11"
    second_page = hit_dates(page)
    assert second_page
    assert_newest_first(first_page + second_page)
    assert not set(titles_1) & set(page.locator("li.hit h3 a").all_inner_texts())
    current = page.locator(".pagination a[aria-current='page']")
    assert current.inner_text() == "2"

    page.get_by_role("link", name="‹ Zurück").click()
    page.wait_for_url(lambda url: "page=" not in url)
    assert page.locator("li.hit h3 a").all_inner_texts() == titles_1


def test_the_search_box_is_reached_with_tab_and_submitted_with_enter(page) -> None:
    page.goto("/")
    page.locator("body").focus()
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if reached[-1] == "q":
            break
    assert reached[-1] == "q", f"Tab went through {reached} without reaching the search box"
    assert reached[0] == "A"  # the skip link comes first
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused search box shows no focus ring"
    page.keyboard.type("Wohnungslosigkeit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert query_of(page)["q"] == ["Wohnungslosigkeit"]
    assert hit_count(page) > 0
    assert page.locator("li.hit .snippet mark").count() > 0


def test_on_a_phone_the_form_and_results_fit_the_screen(pages) -> None:
    phone = pages.open(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        device_scale_factor=3,
    )  # fmt: skip
    phone.goto("/")
    phone.get_by_role("searchbox").fill(QUERY)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Suchen").tap()
    for element in (
        "#q",
        "button[type=submit]",
        "h2.result-count",
        "li.hit h3 a",
        "li.hit .snippet",
    ):
        assert phone.locator(element).first.is_visible(), element
    # A page wider than the phone makes a mobile browser zoom out, which widens innerWidth
    # too: so both are compared with the phone's width.
    width = phone.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1] == 390, f"the search page scrolls sideways: {width}"
    for element in ("#q", "button[type=submit]", "li.hit"):
        box = phone.locator(element).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (element, box)


@pytest.mark.parametrize(
    "path",
    ["/", "/jahre", "/typen", "/publikationen", "/suche?q=Sozialplanung&sort=-date"],
)
def test_no_page_scrolls_sideways_on_a_phone(pages, path: str) -> None:
    phone = pages.open(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        device_scale_factor=3,
    )  # fmt: skip
    phone.goto(path)
    width = phone.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1] == 390, f"{path} scrolls sideways: {width}"


def test_screenshots_of_the_search_and_record_pages(page, crawled_archive, screenshot_dir) -> None:
    page.goto(f"/suche?q={QUERY}")
    page.screenshot(path=str(screenshot_dir / "ikpe-browser-suche.png"), full_page=True)
    page.get_by_role("searchbox").fill("Wohnungslosigkeit")
    with page.expect_navigation():
        page.get_by_role("searchbox").press("Enter")
    page.get_by_role("link", name=crawled_archive.changed_title, exact=True).click()
    page.wait_for_url(re.compile(rf"/r/{crawled_archive.changed_id}$"))
    page.screenshot(path=str(screenshot_dir / "ikpe-browser-eintrag.png"), full_page=True)
