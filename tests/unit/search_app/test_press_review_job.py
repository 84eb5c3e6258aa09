"""The press review job (``search_app.jobs.press_review``) in-process over a real store: the
month before today, output names with the period, atomic writes, a saved composition
with items whose records have a newer version, and ``--save-as``."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from archive.config import DataDir
from archive.facade import Archive
from archive.pressreview import PressReviewError
from archive.validation import check
from search_app.jobs.press_review import (
    PressReviewRequest,
    compile_press_review,
    month_period,
    output_path,
    write_atomically,
)
from tests.helpers import press_review_records, store_crawl

MONTHS = [
    (("2026-03", date(2026, 11, 30)), ("2026-03", "2026-03")),
    (("previous", date(2026, 11, 30)), ("2026-10", "2026-10")),
    (("previous", date(2026, 1, 1)), ("2025-12", "2025-12")),
    (("previous", date(2026, 3, 31)), ("2026-02", "2026-02")),
]


@pytest.mark.parametrize("given, expected", MONTHS)
def test_months(given, expected) -> None:
    assert month_period(*given) == expected


@pytest.mark.parametrize(
    "template, expected",
    [
        ("/tmp/pressespiegel-{from}.pdf", "/tmp/pressespiegel-2026-03.pdf"),
        ("/tmp/ps-{from}_{to}.md", "/tmp/ps-2026-03_2026-04.md"),
        ("/tmp/fest.docx", "/tmp/fest.docx"),
    ],
)
def test_output_names_carry_the_period(template: str, expected: str) -> None:
    assert output_path(template, "2026-03", "2026-04" if "{to}" in template else "2026-03") == (
        Path(expected)
    )


def test_the_command_line_offers_every_format() -> None:
    from archive.pressreview import FORMATS
    from search_app.cli import PRESS_REVIEW_FORMATS

    assert set(PRESS_REVIEW_FORMATS) == set(FORMATS)


def test_a_write_replaces_the_file_whole_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "neu" / "pressespiegel.md"
    write_atomically(target, b"alt")
    write_atomically(target, b"neu")
    assert target.read_bytes() == b"neu"
    assert [p.name for p in target.parent.iterdir()] == ["pressespiegel.md"]


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    directory = DataDir(tmp_path / "data").ensure()
    store_crawl(directory, "crawl-1", press_review_records())
    return directory


def test_a_period_written_as_markdown(data_dir: DataDir, tmp_path: Path) -> None:
    request = PressReviewRequest(
        fmt="md", output=str(tmp_path / "ps-{from}.md"), date_from="2026-03", date_to="2026-03"
    )
    result = compile_press_review(data_dir, request, today=date(2026, 11, 30))
    assert result.path == tmp_path / "ps-2026-03.md"
    text = result.path.read_text(encoding="utf-8")
    assert text.startswith("# Pressespiegel März 2026\n")
    assert "Zusammengestellt am 30. November 2026" in text
    assert result.item_count == 8 and result.outdated == [] and result.saved_as is None


def test_save_as_keeps_the_selection_as_a_composition(data_dir: DataDir, tmp_path: Path) -> None:
    request = PressReviewRequest(
        fmt="md", output=str(tmp_path / "ps.md"), date_from="2026-03", date_to="2026-03",
        types=("press_release", "press_coverage"), title="Auswahl", full_text=True,
        save_as="auswahl-maerz",
    )  # fmt: skip
    result = compile_press_review(data_dir, request)
    with Archive(data_dir) as archive:
        saved = archive.press_reviews().get("auswahl-maerz")
    assert saved.title == "Auswahl" and result.saved_as == "auswahl-maerz"
    assert [i.record_id for i in saved.items] == [
        "wp-301", "pub-a000000000000002", "pub-a000000000000001", "pub-a000000000000003",
    ]  # fmt: skip
    assert [i.full_text for i in saved.items] == [True, False, False, False]
    assert "**Volltext:**" in result.path.read_text(encoding="utf-8")


def test_a_refused_selection_saves_nothing(data_dir: DataDir, tmp_path: Path) -> None:
    request = PressReviewRequest(fmt="md", output=str(tmp_path / "x.md"), date_from="2026-04",
                                 date_to="2026-03", save_as="kaputt")  # fmt: skip
    with pytest.raises(PressReviewError, match="nach seinem Ende"):
        compile_press_review(data_dir, request)
    with Archive(data_dir) as archive:
        assert archive.press_reviews().list() == []
    assert not (tmp_path / "x.md").exists()


def test_a_saved_review_reports_newer_versions(data_dir: DataDir, tmp_path: Path) -> None:
    with Archive(data_dir) as archive:
        reviews = archive.press_reviews()
        name = reviews.create("Gespeichert", date_from="2026-03", date_to="2026-03").name
        reviews.add(name, ["wp-301", "wp-304"])
    changed = copy.deepcopy(press_review_records()[0])
    changed["text"] += "\n\nEin Nachtrag."
    store_crawl(data_dir, "crawl-2", [check(changed)])
    request = PressReviewRequest(fmt="docx", output=str(tmp_path / "g.docx"), saved=name)
    result = compile_press_review(data_dir, request)
    assert [(i.record_id, i.version, i.latest_version) for i in result.outdated] == [
        ("wp-301", 1, 2)
    ]
    assert result.item_count == 2 and result.path.read_bytes()[:2] == b"PK"
