"""archive.pdftext on real PDF files (written by the replica's PDF builder): the text of a
PDF's pages, None for what is not a readable PDF, and the texts of an item's downloaded
attachments, each file read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.pdftext import MAX_PAGES, attachment_texts, pdf_text
from replica.pdf import LINES_PER_PAGE, make_pdf
from tests.helpers import stored_file

W = "https://www.ikpe-erfurt.de"
TITLE = "Pressemitteilung: Fachtag Armut"
PARAGRAPHS = [
    "Erfurt, 12.03.2024. Das IKPE lädt zum Fachtag über Armut und Teilhabe in Thüringen ein.",
    "Anmeldungen nimmt Frau Müller entgegen; die Teilnahme ist kostenfrei.",
]
PDF = make_pdf(TITLE, PARAGRAPHS)


# --------------------------------------------------------------------------------------
# pdf_text
# --------------------------------------------------------------------------------------


def test_the_text_of_a_real_pdf() -> None:
    text = pdf_text(PDF)
    assert text is not None
    assert text.startswith(TITLE)
    assert "Das IKPE lädt zum Fachtag über Armut und Teilhabe in Thüringen ein." in text
    assert "Frau Müller" in text  # umlauts survive the PDF's encoding
    assert "  " not in text and "\r" not in text  # white space evened out


def test_only_the_first_pages_are_read() -> None:
    # Each one-line paragraph takes two lines of a page; the title takes the first two.
    per_page = LINES_PER_PAGE // 2
    lines = [f"Zeile {n:05d}" for n in range((MAX_PAGES + 3) * per_page)]
    text = pdf_text(make_pdf("Lang", lines))
    last_read = (MAX_PAGES * LINES_PER_PAGE - 2) // 2 - 1  # the last line of page MAX_PAGES
    assert f"Zeile {last_read:05d}" in text
    assert f"Zeile {last_read + 1:05d}" not in text


def _damaged(data: bytes) -> bytes:
    """The PDF's page content replaced by garbage of the same length, xref intact."""
    start = data.index(b"stream\n") + len(b"stream\n")
    end = data.index(b"\nendstream")
    return data[:start] + b"\xff" * (end - start) + data[end:]


# (bytes), note: none of these gives a text.
NOT_READABLE_CASES = [
    (b"", "no bytes"),
    (b"<html><body>Datei nicht gefunden</body></html>", "an HTML error page"),
    (b"PK\x03\x04" + bytes(100), "a Word file (ZIP)"),
    (b"\n%PDF-1.4\n" + PDF[9:], "a PDF header not at the start"),
    (b"%PDF-1.4\n%%EOF\n", "a header and nothing else"),
    (b"%PDF-1.4\n" + bytes(range(256)) * 4, "a header, then noise"),
    (PDF[: len(PDF) // 3], "cut off after a third (no trailer, no xref)"),
]


@pytest.mark.parametrize(
    "data", [c[0] for c in NOT_READABLE_CASES], ids=[c[1] for c in NOT_READABLE_CASES]
)
def test_what_is_not_a_readable_pdf_gives_none(data: bytes) -> None:
    assert pdf_text(data) is None


def test_a_pdf_without_text_gives_empty_text() -> None:
    assert pdf_text(make_pdf("", [])) == ""


def test_damaged_page_content_gives_no_text() -> None:
    assert pdf_text(PDF) and pdf_text(_damaged(PDF)) in (None, "")


# --------------------------------------------------------------------------------------
# attachment_texts
# --------------------------------------------------------------------------------------


def attachment(name: str, media_type: str | None = "application/pdf", **facts) -> dict:
    return {
        "url": f"{W}/wp-content/uploads/{name}",
        "title": name,
        "media_type": media_type,
        **facts,
    }


def test_texts_by_url_for_downloaded_pdfs_only(tmp_path: Path) -> None:
    pdf = stored_file(tmp_path, PDF)
    image = stored_file(tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(50), ".png")
    word = stored_file(tmp_path, b"PK\x03\x04" + bytes(50), ".docx")
    attachments = [
        attachment("pm.pdf", **pdf),
        attachment("foto.png", "image/png", **image),
        attachment(
            "anmeldung.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            **word,
        ),
        attachment("ohne-typ.pdf", None, **pdf),  # not yet known to be a PDF
        attachment("nicht-geladen.pdf", error="download failed"),  # no path, no digest
        attachment("ohne-pfad.pdf", sha256=pdf["sha256"]),
        attachment("ohne-digest.pdf", path=pdf["path"]),
    ]
    texts = attachment_texts(attachments, tmp_path)
    assert list(texts) == [f"{W}/wp-content/uploads/pm.pdf"]
    assert "Frau Müller" in texts[f"{W}/wp-content/uploads/pm.pdf"]


# (file on disk: "missing" / "damaged" / "not a PDF"), note: each gives None for its URL.
UNREADABLE_FILE_CASES = [
    ("missing", "the file is gone from the attachments directory"),
    ("not a PDF", "the PDF media type on a file that is not one"),
    ("cut off", "a file cut short"),
]


@pytest.mark.parametrize(
    "problem", [c[0] for c in UNREADABLE_FILE_CASES], ids=[c[1] for c in UNREADABLE_FILE_CASES]
)
def test_an_unreadable_file_gives_none(tmp_path: Path, problem: str) -> None:
    data = {"missing": PDF, "not a PDF": b"<html>404</html>", "cut off": PDF[:200]}[problem]
    facts = stored_file(tmp_path, data)
    if problem == "missing":
        (tmp_path / facts["path"]).unlink()
    cache: dict = {}
    texts = attachment_texts([attachment("pm.pdf", **facts)], tmp_path, cache)
    assert texts == {f"{W}/wp-content/uploads/pm.pdf": None}
    assert cache == {facts["sha256"]: None}  # not tried again for the same file


def test_the_cache_spares_reading_a_file_twice(tmp_path: Path) -> None:
    facts = stored_file(tmp_path, PDF)
    cache: dict = {}
    first = attachment_texts([attachment("pm.pdf", **facts)], tmp_path, cache)
    assert list(cache) == [facts["sha256"]]
    (tmp_path / facts["path"]).unlink()  # a second read would now fail
    again = attachment_texts(
        [attachment("pm.pdf", **facts), attachment("pm-kopie.pdf", **facts)], tmp_path, cache
    )
    url = f"{W}/wp-content/uploads/pm.pdf"
    assert again == {url: first[url], f"{W}/wp-content/uploads/pm-kopie.pdf": first[url]}


def test_a_cached_text_is_used_without_a_file(tmp_path: Path) -> None:
    digest = "c" * 64
    cache = {digest: "Text aus einem früheren Lauf"}
    texts = attachment_texts(
        [attachment("pm.pdf", sha256=digest, path="cc/nirgends.pdf")], tmp_path, cache
    )
    assert texts == {f"{W}/wp-content/uploads/pm.pdf": "Text aus einem früheren Lauf"}


def test_no_attachments_no_texts(tmp_path: Path) -> None:
    assert attachment_texts([], tmp_path) == {}
    assert attachment_texts(iter([]), tmp_path, {}) == {}
