"""The document built from a real store: a period's records grouped by section and sorted
by date, types and searches, the limits, links into the archive, and a saved
composition rendered in its own order from the versions it took."""

from __future__ import annotations

from datetime import date

import pytest

from archive.facade import Archive
from archive.pressreview import PressReviewError, ReviewQuery, find_records, review_from_archive
from archive.pressreview import assemble as assembling

MARCH = ReviewQuery("2026-03", "2026-03")
COMPILED = date(2026, 11, 30)


def layout(review) -> list[tuple[str, list[str]]]:
    return [(s.title, [i.record_id for i in s.items]) for s in review.sections]


def test_a_period_is_grouped_by_section_and_sorted_by_date(archive: Archive) -> None:
    review = review_from_archive(archive, MARCH, title="März", compiled_on=COMPILED)
    assert layout(review) == [
        ("Eigene Meldungen", ["wp-301", "wp-303", "wp-302", "wp-307"]),
        ("Presse über das IKPE",
         ["pub-a000000000000002", "pub-a000000000000001", "pub-a000000000000003"]),
        ("Termine", ["wp-304"]),
    ]  # fmt: skip
    dates = [item.date for item in review.sections[0].items]
    assert dates == sorted(dates)
    assert (review.title, review.compiled_on, review.date_from) == ("März", COMPILED, "2026-03")
    assert review.internal_use_only


# (types asked, sections of the document)
TYPES = [
    (("press_release",), [("Eigene Meldungen", ["wp-301"])]),
    (("event",), [("Termine", ["wp-304"])]),
    (("publication", "page"), [("Publikationen", ["pub-b000000000000001"]),
                               ("Weitere Seiten", ["wp-306"])]),
    (("news", "press_release"), [("Eigene Meldungen", ["wp-301", "wp-303", "wp-302", "wp-307"])]),
]  # fmt: skip


@pytest.mark.parametrize("types, expected", TYPES)
def test_types_choose_the_records(archive: Archive, types, expected) -> None:
    request = ReviewQuery("2026-03", "2026-03", types=types)
    review = review_from_archive(archive, request, title="T", compiled_on=COMPILED)
    assert layout(review) == expected
    assert review.internal_use_only is False


def test_own_items_only_in_a_review_without_coverage(archive: Archive) -> None:
    request = ReviewQuery("2026-02", "2026-02")
    review = review_from_archive(archive, request, title="Februar", compiled_on=COMPILED)
    assert layout(review) == [("Eigene Meldungen", ["wp-305"])]


def test_an_empty_period_gives_an_empty_document(archive: Archive) -> None:
    review = review_from_archive(archive, ReviewQuery("2020", "2020"), title="Leer")
    assert review.sections == () and review.compiled_on == date.today()


def test_a_search_query_narrows_the_period(archive: Archive) -> None:
    archive.update_index()
    request = ReviewQuery("2026-03", "2026-03", query="Qualifizierungsreihe")
    assert [f.record["id"] for f in find_records(archive, request)] == ["wp-302", "wp-307"]
    assert [f.version for f in find_records(archive, request)] == [1, 1]


def test_too_many_records_are_refused(archive: Archive, monkeypatch) -> None:
    monkeypatch.setattr(assembling, "MAX_ITEMS", 3)
    with pytest.raises(PressReviewError, match="umfasst 8 Einträge.*höchstens 3"):
        find_records(archive, MARCH)


def test_a_reversed_period_is_refused(archive: Archive) -> None:
    with pytest.raises(PressReviewError, match="nach seinem Ende"):
        find_records(archive, ReviewQuery("2026-04", "2026-03"))


def items_by_id(review) -> dict:
    return {item.record_id: item for item in review.items}


def test_what_each_item_carries(archive: Archive) -> None:
    review = review_from_archive(archive, MARCH, title="T", full_text=True)
    items = items_by_id(review)
    release, coverage = items["wp-301"], items["pub-a000000000000001"]
    assert release.full_text.startswith("Erfurt/05.03.2026.") and release.outlet == ""
    assert release.url == "https://www.ikpe-erfurt.de/wp-301/"
    assert coverage.full_text == "" and coverage.outlet == "Thüringer Allgemeine"
    assert coverage.url == "https://www.thueringer-allgemeine.de/erfurt/institut"
    assert items["pub-a000000000000002"].url == "https://www.lvz.de/altenburg/sozialbefragung"
    # without a link of its own, coverage points to the site's list where it is named
    assert items["pub-a000000000000003"].url == "https://www.ikpe-erfurt.de/category/referenzen/"
    event = items["wp-304"]
    assert (event.date, event.date_end, event.venue) == ("2026-03-25", "2026-03-26",
                                                         "Erfurt, Rathaus")  # fmt: skip
    assert items["wp-302"].full_text.startswith("Die Qualifizierungsreihe")
    assert items["wp-304"].full_text == ""  # events are not copied in full


def test_without_full_text_no_text_is_copied(archive: Archive) -> None:
    review = review_from_archive(archive, MARCH, title="T")
    assert all(item.full_text == "" for item in review.items)


# (archive address, page link of wp-301, copy link of wp-301, copy link of wp-302)
ARCHIVE_LINKS = [
    (None, "", "", ""),
    ("javascript:alert(1)", "", "", ""),
    ("https://archiv.ikpe-erfurt.de/", "https://archiv.ikpe-erfurt.de/r/wp-301/v/1",
     "https://archiv.ikpe-erfurt.de/r/wp-301/v/1/kopie", ""),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/r/wp-301/v/1",
     "http://127.0.0.1:8000/r/wp-301/v/1/kopie", ""),
]  # fmt: skip


@pytest.mark.parametrize("base, page, copy, copy_without_capture", ARCHIVE_LINKS)
def test_links_into_the_archive_name_the_version(
    archive: Archive, base, page: str, copy: str, copy_without_capture: str
) -> None:
    items = items_by_id(review_from_archive(archive, MARCH, title="T", archive_url=base))
    assert (items["wp-301"].archive_page, items["wp-301"].archive_copy) == (page, copy)
    assert items["wp-302"].archive_copy == copy_without_capture  # no raw capture kept


def test_a_saved_composition_keeps_its_order_sections_and_notes(archive: Archive) -> None:
    reviews = archive.press_reviews()
    name = reviews.create("Auswahl", date_from="2026-03", date_to="2026-03", intro="Hallo.").name
    reviews.add(name, ["wp-302", "pub-a000000000000001", "wp-301", "wp-304"])
    composition = reviews.get(name)
    release = next(i for i in composition.items if i.record_id == "wp-301")
    reviews.move_up(name, release.id)
    reviews.edit_item(name, release.id, display_title="Bilanz", comment="Wichtig.",
                      full_text=True)  # fmt: skip
    document = reviews.document(name, compiled_on=COMPILED, archive_url="https://a.example")
    assert layout(document) == [
        ("Eigene Meldungen", ["wp-301", "wp-302"]),
        ("Presse über das IKPE", ["pub-a000000000000001"]),
        ("Termine", ["wp-304"]),
    ]
    first = document.items[0]
    assert (first.title, first.original_title, first.comment) == (
        "Bilanz", "Programm Thüringer Präventionsketten zieht positive Bilanz", "Wichtig.",
    )  # fmt: skip
    assert first.full_text.startswith("Erfurt/05.03.2026.")
    assert first.archive_page == "https://a.example/r/wp-301/v/1"
    assert (document.intro, document.compiled_on) == ("Hallo.", COMPILED)


def test_empty_sections_of_a_composition_are_left_out(archive: Archive) -> None:
    reviews = archive.press_reviews()
    name = reviews.create("Nur Termine").name
    reviews.add(name, ["wp-304"])
    assert layout(reviews.document(name)) == [("Termine", ["wp-304"])]
