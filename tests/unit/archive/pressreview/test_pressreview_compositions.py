"""Saved press reviews in the archive's real SQLite file, through ``Archive.press_reviews()``
as the web app will call it: create, list, add with duplicates refused, edit, reorder,
move, remove; survival of a reopened store and of new versions of the records; every
change whole or not at all."""

from __future__ import annotations

import copy
import sqlite3
from contextlib import closing

import pytest

from archive.config import DataDir
from archive.facade import Archive
from archive.pressreview import (
    CompositionNotFoundError,
    ItemNotFoundError,
    PressReviewError,
    PressReviews,
)
from archive.pressreview.compositions import CompositionStore
from archive.store import ArchiveStore
from archive.validation import check
from tests.helpers import press_review_records, store_crawl

RELEASE = "wp-301"
NEWS = "wp-302"
NEWS_SAME_ADDRESS = "wp-307"
COVERAGE = "pub-a000000000000001"
COVERAGE_WITHOUT_LINK = "pub-a000000000000003"
EVENT = "wp-304"


@pytest.fixture
def reviews(archive: Archive) -> PressReviews:
    return archive.press_reviews()


@pytest.fixture
def march(reviews: PressReviews) -> str:
    """A saved review of March 2026 holding a release, a news item, coverage and an event."""
    name = reviews.create("Pressespiegel März 2026", date_from="2026-03", date_to="2026-03").name
    outcome = reviews.add(name, [RELEASE, NEWS, COVERAGE, EVENT])
    assert outcome.refused == ()
    return name


def ids(composition) -> list[list[str]]:
    return [[item.record_id for item in section.items] for section in composition.sections]


# --------------------------------------------------------------------------------------
# Creating and listing
# --------------------------------------------------------------------------------------


def test_a_new_review_has_the_three_starting_sections(reviews: PressReviews) -> None:
    created = reviews.create("Pressespiegel März 2026", date_from="2026-03", date_to="2026-03")
    assert created.name == "pressespiegel-maerz-2026"
    assert [s.title for s in created.sections] == [
        "Eigene Meldungen", "Presse über das IKPE", "Termine",
    ]  # fmt: skip
    assert [s.key for s in created.sections] == ["eigene", "presse", "termine"]
    assert created.items == [] and created.intro == ""
    assert reviews.get(created.name) == created


def test_names_are_made_unique_or_refused_when_given(reviews: PressReviews) -> None:
    first = reviews.create("Pressespiegel")
    second = reviews.create("Pressespiegel")
    assert (first.name, second.name) == ("pressespiegel", "pressespiegel-2")
    with pytest.raises(PressReviewError, match="gibt es schon"):
        reviews.create("Anderer Titel", name="pressespiegel")
    with pytest.raises(PressReviewError, match="Name"):
        reviews.create("Titel", name="Kein Name!")


def test_an_empty_title_becomes_the_period(reviews: PressReviews) -> None:
    assert reviews.create("", date_from="2026-03", date_to="2026-03").title == (
        "Pressespiegel März 2026"
    )


def test_the_list_shows_counts_newest_change_first(reviews: PressReviews, march: str) -> None:
    reviews.create("Leer")
    listed = reviews.list()
    assert [(s.name, s.item_count) for s in listed] == [("leer", 0), (march, 4)]
    reviews.update(march, intro="Neu.")
    assert [s.name for s in reviews.list()] == [march, "leer"]


def test_unknown_names_are_refused(reviews: PressReviews) -> None:
    with pytest.raises(CompositionNotFoundError, match="„nichts“"):
        reviews.get("nichts")
    with pytest.raises(CompositionNotFoundError):
        reviews.add("nichts", [RELEASE])


def test_update_and_delete(reviews: PressReviews, march: str, archive: Archive) -> None:
    updated = reviews.update(march, title="Neuer Titel", intro="Liebe Leserinnen.",
                             date_from="2026-03-01")  # fmt: skip
    assert (updated.title, updated.intro, updated.date_from, updated.date_to) == (
        "Neuer Titel", "Liebe Leserinnen.", "2026-03-01", "2026-03",
    )  # fmt: skip
    assert reviews.update(march, date_from="", date_to="").date_from is None
    with pytest.raises(PressReviewError, match="Titel"):
        reviews.update(march, title="  ")
    with pytest.raises(PressReviewError, match="nach seinem Ende"):
        reviews.update(march, date_from="2026-05", date_to="2026-04")
    reviews.delete(march)
    assert reviews.list() == []
    assert archive.record(RELEASE) is not None  # the records stay


# (field, too long a value) for each limit of what people type
TOO_LONG = [
    (lambda r, n: r.create("T" * 301), "Titel"),
    (lambda r, n: r.update(n, intro="x" * 20001), "Einleitung"),
    (lambda r, n: r.add_section(n, "R" * 121), "Rubrik"),
    (lambda r, n: r.edit_item(n, r.get(n).items[0].id, summary="s" * 3001), "Zusammenfassung"),
    (lambda r, n: r.edit_item(n, r.get(n).items[0].id, comment="c" * 3001), "Anmerkung"),
    (lambda r, n: r.edit_item(n, r.get(n).items[0].id, display_title="d" * 301), "Titel"),
]


@pytest.mark.parametrize("call, field", TOO_LONG, ids=[f"{i}-{row[1]}" for i, row in
                                                       enumerate(TOO_LONG)])  # fmt: skip
def test_too_long_input_is_refused_not_cut(reviews: PressReviews, march: str, call, field) -> None:
    before = reviews.get(march)
    with pytest.raises(PressReviewError, match=f"{field}: höchstens"):
        call(reviews, march)
    assert reviews.get(march) == before


# --------------------------------------------------------------------------------------
# Adding records
# --------------------------------------------------------------------------------------


def test_items_go_to_the_section_of_their_type_in_the_order_added(
    reviews: PressReviews, march: str
) -> None:
    composition = reviews.get(march)
    assert ids(composition) == [[RELEASE, NEWS], [COVERAGE], [EVENT]]
    release = composition.items[0]
    assert (release.version, release.latest_version, release.has_newer_version) == (1, 1, False)
    assert release.summary.startswith("Erfurt/05.03.2026. Das Programm")  # prefilled
    assert release.display_title is None and release.comment == "" and not release.full_text


def test_a_type_without_its_section_gets_one(reviews: PressReviews, march: str) -> None:
    outcome = reviews.add(march, ["pub-b000000000000001", "wp-306"])
    assert [item.record_id for item in outcome.added] == ["pub-b000000000000001", "wp-306"]
    titles = [s.title for s in reviews.get(march).sections]
    assert titles[3:] == ["Publikationen", "Weitere Seiten"]


def test_items_can_be_added_to_a_chosen_section(reviews: PressReviews, march: str) -> None:
    extra = reviews.add_section(march, "Aus den Projekten").sections[-1]
    reviews.add(march, ["wp-303"], section_id=extra.id)
    assert ids(reviews.get(march))[-1] == ["wp-303"]
    with pytest.raises(ItemNotFoundError, match="Rubrik"):
        reviews.add(march, ["wp-305"], section_id=999_999)


# (records asked, refused record, words of the message)
DUPLICATES = [
    ([RELEASE], RELEASE, "steht schon im Pressespiegel"),
    ([NEWS_SAME_ADDRESS], NEWS_SAME_ADDRESS, "dieselbe Adresse wie „Qualifizierungsreihe"),
    ([COVERAGE], COVERAGE, "steht schon"),
    (["wp-999"], "wp-999", "gibt es im Archiv nicht"),
]


@pytest.mark.parametrize("asked, refused_id, message", DUPLICATES)
def test_duplicates_and_unknown_records_are_refused_with_a_note(
    reviews: PressReviews, march: str, asked, refused_id: str, message: str
) -> None:
    before = reviews.get(march)
    outcome = reviews.add(march, asked)
    assert outcome.added == ()
    assert [r.record_id for r in outcome.refused] == [refused_id]
    assert message in outcome.refused[0].message
    assert reviews.get(march).items == before.items


def test_citations_without_a_link_are_not_duplicates_of_each_other(
    reviews: PressReviews, march: str
) -> None:
    # Every citation's record URL is the site's list page: only the id can make them equal.
    outcome = reviews.add(march, [COVERAGE_WITHOUT_LINK, "pub-a000000000000002"])
    assert outcome.refused == () and len(outcome.added) == 2


def test_a_whole_search_is_added_with_the_duplicates_noted(
    reviews: PressReviews, march: str
) -> None:
    from archive.pressreview import ReviewQuery

    outcome = reviews.add_search(march, ReviewQuery("2026-03", "2026-03"))
    assert {r.record_id for r in outcome.refused} == {RELEASE, NEWS, COVERAGE, EVENT,
                                                      NEWS_SAME_ADDRESS}  # fmt: skip
    # in document order: own news first, then the coverage by date
    assert [i.record_id for i in outcome.added] == [
        "wp-303", "pub-a000000000000002", COVERAGE_WITHOUT_LINK,
    ]  # fmt: skip
    assert len(reviews.get(march).items) == 7


def test_the_same_id_twice_in_one_request_is_added_once(reviews: PressReviews) -> None:
    name = reviews.create("Doppelt").name
    outcome = reviews.add(name, [RELEASE, RELEASE])
    assert len(outcome.added) == 1 and outcome.refused == ()


def test_adding_with_full_text_asks_it_only_where_allowed(reviews: PressReviews) -> None:
    name = reviews.create("Volltext").name
    outcome = reviews.add(name, [RELEASE, COVERAGE, EVENT], full_text=True)
    assert {i.record_id: i.full_text for i in outcome.added} == {
        RELEASE: True, COVERAGE: False, EVENT: False,
    }  # fmt: skip


# --------------------------------------------------------------------------------------
# Editing items
# --------------------------------------------------------------------------------------


def test_display_title_summary_and_comment(reviews: PressReviews, march: str) -> None:
    item = reviews.get(march).items[0]
    edited = reviews.edit_item(
        march,
        item.id,
        display_title="Bilanz: Präventionsketten",
        summary="Kurz gefasst.",
        comment="Für die Vorstandssitzung.",
    )
    changed = edited.item(item.id)
    assert changed.shown_title == "Bilanz: Präventionsketten"
    assert changed.title == "Programm Thüringer Präventionsketten zieht positive Bilanz"
    assert (changed.summary, changed.comment) == ("Kurz gefasst.", "Für die Vorstandssitzung.")
    restored = reviews.edit_item(march, item.id, display_title="").item(item.id)
    assert restored.display_title is None and restored.summary == "Kurz gefasst."  # kept


# (record, full text allowed)
FULL_TEXT = [(RELEASE, True), (NEWS, True), (COVERAGE, False), (EVENT, False)]


@pytest.mark.parametrize("record_id, allowed", FULL_TEXT)
def test_full_text_only_for_own_news_and_press_releases(
    reviews: PressReviews, march: str, record_id: str, allowed: bool
) -> None:
    item = next(i for i in reviews.get(march).items if i.record_id == record_id)
    assert item.full_text_allowed is allowed
    if allowed:
        assert reviews.edit_item(march, item.id, full_text=True).item(item.id).full_text
        assert not reviews.edit_item(march, item.id, full_text=False).item(item.id).full_text
    else:
        with pytest.raises(PressReviewError, match="nur für eigene Meldungen"):
            reviews.edit_item(march, item.id, full_text=True)
        assert not reviews.get(march).item(item.id).full_text


def test_items_of_another_review_cannot_be_touched(reviews: PressReviews, march: str) -> None:
    other = reviews.create("Anderer").name
    foreign = reviews.get(march).items[0].id
    for call in (
        lambda: reviews.edit_item(other, foreign, comment="x"),
        lambda: reviews.move_up(other, foreign),
        lambda: reviews.remove_item(other, foreign),
        lambda: reviews.move_item(other, foreign, position=0),
    ):
        with pytest.raises(ItemNotFoundError, match="keinen Eintrag"):
            call()
    assert len(reviews.get(march).items) == 4


# --------------------------------------------------------------------------------------
# Order
# --------------------------------------------------------------------------------------


def test_up_and_down_stop_at_the_ends(reviews: PressReviews, march: str) -> None:
    release, news = reviews.get(march).sections[0].items
    assert ids(reviews.move_up(march, news.id))[0] == [NEWS, RELEASE]
    assert ids(reviews.move_up(march, news.id))[0] == [NEWS, RELEASE]
    assert ids(reviews.move_down(march, news.id))[0] == [RELEASE, NEWS]
    assert ids(reviews.move_down(march, news.id))[0] == [RELEASE, NEWS]
    positions = [i.position for i in reviews.get(march).sections[0].items]
    assert positions == [0, 1]


def test_moving_between_sections(reviews: PressReviews, march: str) -> None:
    composition = reviews.get(march)
    news = composition.items[1]
    press_section = composition.sections[1]
    moved = reviews.move_item(march, news.id, section_id=press_section.id, position=0)
    assert ids(moved) == [[RELEASE], [NEWS, COVERAGE], [EVENT]]
    assert [i.position for s in moved.sections for i in s.items] == [0, 0, 1, 0]
    moved = reviews.move_item(march, news.id, section_id=composition.sections[2].id)
    assert ids(moved) == [[RELEASE], [COVERAGE], [EVENT, NEWS]]


def test_reorder_a_section_as_drag_and_drop_sends_it(reviews: PressReviews, march: str) -> None:
    section = reviews.get(march).sections[0]
    release, news = (item.id for item in section.items)
    assert ids(reviews.reorder(march, section.id, [news, release]))[0] == [NEWS, RELEASE]
    for wrong in ([news], [news, release, release], [news, 999_999]):
        with pytest.raises(PressReviewError, match="genau einmal"):
            reviews.reorder(march, section.id, wrong)
    assert ids(reviews.get(march))[0] == [NEWS, RELEASE]


def test_remove_items_and_sections(reviews: PressReviews, march: str) -> None:
    composition = reviews.get(march)
    events = composition.sections[2]
    with pytest.raises(PressReviewError, match="enthält noch Einträge"):
        reviews.remove_section(march, events.id)
    after = reviews.remove_item(march, events.items[0].id)
    assert ids(after)[2] == []
    after = reviews.remove_section(march, events.id)
    assert [s.title for s in after.sections] == ["Eigene Meldungen", "Presse über das IKPE"]
    renamed = reviews.rename_section(march, after.sections[1].id, "Presseecho")
    assert renamed.sections[1].title == "Presseecho"
    moved = reviews.move_section(march, after.sections[1].id, 0)
    assert [s.title for s in moved.sections] == ["Presseecho", "Eigene Meldungen"]
    assert [s.position for s in moved.sections] == [0, 1]


# --------------------------------------------------------------------------------------
# Surviving restarts and new versions
# --------------------------------------------------------------------------------------


def test_a_review_survives_reopening_the_store(data_dir: DataDir, march: str) -> None:
    with Archive(data_dir) as first:
        reviews = first.press_reviews()
        item = reviews.get(march).items[1]
        reviews.edit_item(march, item.id, comment="Bitte vorlesen.")
        before = reviews.get(march)
    with Archive(DataDir(data_dir.root)) as reopened:
        assert reopened.press_reviews().get(march) == before


def test_a_new_version_keeps_the_taken_one_and_says_so(data_dir: DataDir, march: str) -> None:
    changed = copy.deepcopy(next(r for r in press_review_records() if r["id"] == RELEASE))
    changed["title"] = "Präventionsketten: Bilanz nach drei Jahren (aktualisiert)"
    store_crawl(data_dir, "crawl-2", [check(changed)])
    with Archive(data_dir) as archive:
        reviews = archive.press_reviews()
        composition = reviews.get(march)
        release = composition.items[0]
        assert (release.version, release.latest_version) == (1, 2)
        assert release.has_newer_version
        assert composition.outdated_items == [release]
        assert release.title == "Programm Thüringer Präventionsketten zieht positive Bilanz"
        document = reviews.document(march)
        assert document.items[0].title == release.title  # rendered from version 1
        assert document.items[0].version == 1
        updated = reviews.take_latest_version(march, release.id).item(release.id)
        assert (updated.version, updated.has_newer_version) == (2, False)
        assert updated.title == changed["title"]
        assert reviews.document(march).items[0].version == 2


def test_a_newer_version_at_another_item_s_address_is_refused(
    data_dir: DataDir, march: str
) -> None:
    moved = copy.deepcopy(next(r for r in press_review_records() if r["id"] == RELEASE))
    moved["url"] = "https://ikpe-erfurt.de/qualifizierungsreihe"  # where wp-302 is
    store_crawl(data_dir, "crawl-2", [check(moved)])
    with Archive(data_dir) as archive:
        reviews = archive.press_reviews()
        release = reviews.get(march).items[0]
        with pytest.raises(PressReviewError, match="steht schon im Pressespiegel"):
            reviews.take_latest_version(march, release.id)
        assert reviews.get(march).item(release.id).version == 1


def test_a_record_gone_from_the_site_stays_and_says_so(data_dir: DataDir, march: str) -> None:
    others = [r for r in press_review_records() if r["id"] != NEWS]
    store_crawl(data_dir, "crawl-2", others)  # a finished crawl that did not see wp-302
    with Archive(data_dir) as archive:
        news = archive.press_reviews().get(march).items[1]
    assert news.record_id == NEWS and news.removed and not news.has_newer_version


# --------------------------------------------------------------------------------------
# The tables, the file and the transactions
# --------------------------------------------------------------------------------------


def test_an_existing_store_gains_the_tables_and_loses_nothing(data_dir: DataDir) -> None:
    before = ArchiveStore(data_dir.store_path)
    stats, versions = before.stats(), before.history(RELEASE)
    before.close()
    with Archive(data_dir) as archive:
        assert archive.press_reviews().list() == []
        assert archive.stats() == stats
        assert archive.versions(RELEASE)[0].record == versions[0]["record"]
    with closing(sqlite3.connect(data_dir.store_path)) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"press_reviews", "press_review_sections", "press_review_items"} <= tables
    assert {"records", "versions", "crawls"} <= tables


def test_a_change_is_committed_whole_or_not_at_all(data_dir: DataDir, march: str) -> None:
    with ArchiveStore(data_dir.store_path) as store:
        compositions = CompositionStore(store.db)
        review_id = compositions.review_id(march)
        with pytest.raises(RuntimeError, match="mitten"), compositions.transaction():
            compositions.update(review_id, title="Halb geändert")
            compositions.add_section(review_id, "Halb angelegt")
            raise RuntimeError("mitten in der Änderung")
        with pytest.raises(RuntimeError, match="inside transaction"):
            compositions.add_section(review_id, "Ohne Transaktion")
    with Archive(data_dir) as archive:
        composition = archive.press_reviews().get(march)
    assert composition.title == "Pressespiegel März 2026"
    assert len(composition.sections) == 3


def test_without_an_archive_the_reviews_say_so(tmp_path) -> None:
    from archive.facade import ArchiveMissingError

    empty = Archive(DataDir(tmp_path / "leer"))
    with pytest.raises(ArchiveMissingError, match="ikpe-archive crawl"):
        empty.press_reviews().list()
    assert not (tmp_path / "leer").exists()
