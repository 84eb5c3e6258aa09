"""Fixtures of the press review's tests: a real data directory whose SQLite store holds
the records of ``tests.helpers.press_review_records`` (one crawl), the facade on it, and
a saved review of March as the document the renderers' tests read back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from archive.config import DataDir
from archive.facade import Archive
from archive.pressreview import Review
from tests.helpers import press_review_records, store_crawl


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    """A data directory after one crawl of the press review's records."""
    directory = DataDir(tmp_path / "data").ensure()
    store_crawl(directory, "crawl-1", press_review_records())
    return directory


@pytest.fixture
def archive(data_dir: DataDir) -> Iterator[Archive]:
    """The facade on :func:`data_dir`."""
    with Archive(data_dir) as opened:
        yield opened


COMPILED = date(2026, 11, 30)
ARCHIVE_URL = "https://archiv.ikpe-erfurt.de"
# The saved review of :func:`review`: its sections and items in order (display titles).
REVIEW_LAYOUT = [
    ("Eigene Meldungen", ["Bilanz der Präventionsketten",
                          "Qualifizierungsreihe für Armutspräventionsplanerinnen startet"]),
    ("Presse über das IKPE", ["Fast jeder Dritte hat mitgemacht",
                              "Erfurter Institut berät Landkreise"]),
    ("Termine", ["Fachtag Teilhabe vor Ort"]),
]  # fmt: skip


@pytest.fixture
def review(archive: Archive) -> Review:
    """A saved review of March rendered as its document: an introduction, a display title,
    a comment and the full text on the press release, two press reports (so: for internal
    use) moved into their own order, an event; links into the archive."""
    reviews = archive.press_reviews()
    name = reviews.create(
        "Pressespiegel März 2026", date_from="2026-03", date_to="2026-03",
        intro="Liebe Leserinnen und Leser,\n\nder März stand im Zeichen der Prävention.",
    ).name  # fmt: skip
    reviews.add(name, ["wp-301", "wp-302", "pub-a000000000000001", "pub-a000000000000002",
                       "wp-304"])  # fmt: skip
    composition = reviews.get(name)
    release, coverage = composition.items[0], composition.items[3]
    reviews.edit_item(
        name,
        release.id,
        display_title="Bilanz der Präventionsketten",
        comment="Für die Vorstandssitzung am 2. April.",
        full_text=True,
    )
    reviews.move_up(name, coverage.id)
    return reviews.document(name, compiled_on=COMPILED, archive_url=ARCHIVE_URL)


@pytest.fixture
def layout() -> list[tuple[str, list[str]]]:
    """The sections and item headings :func:`review` must show, in order."""
    return REVIEW_LAYOUT
