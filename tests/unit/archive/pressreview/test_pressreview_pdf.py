"""The PDF read back with pypdf: cover, table of contents whose page numbers are the pages
the items are on, every item in order, running header, "Seite X von Y" on every page,
links that work (web and internal), bookmarks; and a URL fetcher that reads nothing but
the document's own stylesheet."""

from __future__ import annotations

import http.server
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from archive.pressreview import Review, render
from archive.pressreview.htmldoc import STYLESHEET
from archive.pressreview.pdf import FetchRefusedError, local_files_fetcher

TOC_LINE = re.compile(r"^(?P<title>.+?)\s*\.{3,}\s*(?P<page>\d+)$")


@pytest.fixture
def pdf(review: Review) -> PdfReader:
    data = render(review, "pdf")
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def squeezed(text: str) -> str:
    """Text without any whitespace: line breaks of the layout fall out."""
    return "".join(text.split())


def test_cover(pdf: PdfReader) -> None:
    cover = page_texts(pdf)[0]
    for words in (
        "Institut für kommunale Planung und Entwicklung (IKPE)",
        "Pressespiegel März 2026",
        "Zeitraum: März 2026",
        "Zusammengestellt am 30. November 2026",
        "Nur für den internen Gebrauch",
    ):
        assert squeezed(words) in squeezed(cover), words  # fmt: skip
    assert pdf.metadata.title == "Pressespiegel März 2026"


def test_every_page_says_seite_x_von_y(pdf: PdfReader) -> None:
    texts = page_texts(pdf)
    total = len(texts)
    assert total >= 3
    for number, text in enumerate(texts, start=1):
        assert f"Seite {number} von {total}" in text, number


def test_the_running_header_names_the_review_and_the_section(pdf: PdfReader, layout) -> None:
    texts = page_texts(pdf)
    # pypdf reads the page's margin boxes last: the header, then the footer
    headers = [text.strip().splitlines()[-2] for text in texts]
    assert texts[0].count("Pressespiegel März 2026") == 1  # the cover has no header
    assert headers[1] == "Pressespiegel März 2026"  # no section yet on the contents page
    headings = ["Einleitung", *[section for section, _ in layout]]
    in_force = ""
    for text, header in zip(texts[2:], headers[2:], strict=True):
        first_line = text.splitlines()[0]
        at_start = first_line if first_line in headings else in_force
        assert header == f"Pressespiegel März 2026 {at_start}".strip()
        in_force = next((h for h in reversed(headings) if h in text.splitlines()), in_force)


def toc_entries(reader: PdfReader) -> list[tuple[str, int]]:
    entries = []
    for line in page_texts(reader)[1].splitlines():
        match = TOC_LINE.match(line.strip())
        if match:
            entries.append((match["title"].strip(), int(match["page"])))
    return entries


def test_the_table_of_contents_lists_everything_with_its_page(pdf: PdfReader, layout) -> None:
    entries = toc_entries(pdf)
    expected = ["Einleitung"]
    for section, items in layout:
        expected += [section, *items]
    assert [title for title, _ in entries] == expected
    texts = page_texts(pdf)
    for title, page in entries:
        # the page named holds the heading (and no earlier page after the contents does)
        assert squeezed(title) in squeezed(texts[page - 1]), (title, page)
        earlier = [squeezed(t) for t in texts[2 : page - 1]]
        assert all(squeezed(title) not in text for text in earlier), title


def test_items_and_their_content_come_in_order(pdf: PdfReader, layout) -> None:
    body = squeezed("".join(page_texts(pdf)[2:]))
    expected = ["Einleitung", "Liebe Leserinnen und Leser,", "der März stand im Zeichen"]
    for section, items in layout:
        expected += [section, *items]
    positions = [body.find(squeezed(words)) for words in expected]
    assert -1 not in positions, list(zip(expected, positions, strict=True))
    assert positions == sorted(positions)
    release = body[positions[4] : positions[5]]  # the first item, up to the second
    for words in (
        "5. März 2026 · Pressemitteilung",
        "Originaltitel: Programm Thüringer Präventionsketten zieht positive Bilanz",
        "Anmerkung: Für die Vorstandssitzung am 2. April.",
        "Volltext:",
        "In 14 Kommunen arbeiten Netzwerke gegen Kinderarmut.",
        "Original: https://www.ikpe-erfurt.de/wp-301/",
        "Archivkopie: https://archiv.ikpe-erfurt.de/r/wp-301/v/1/kopie",
        "Archiv: wp-301, Version 1",
    ):
        assert squeezed(words) in release, words


def test_press_coverage_is_a_reference(pdf: PdfReader, layout) -> None:
    body = squeezed("".join(page_texts(pdf)[2:]))
    coverage = body[body.find(squeezed("Erfurter Institut berät Landkreise")) :]
    assert squeezed("Thüringer Allgemeine · 12. März 2026 · Pressebericht") in coverage
    assert squeezed("Zum Bericht: https://www.thueringer-allgemeine.de/erfurt/institut") in (
        coverage
    )


def link_annotations(reader: PdfReader) -> tuple[list[str], int]:
    uris, internal = [], 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is not None and action.get("/URI") is not None:
                uris.append(str(action["/URI"]))
            elif action is not None or annotation.get("/Dest") is not None:
                internal += 1
    return uris, internal


def test_links_work(pdf: PdfReader, layout) -> None:
    uris, internal = link_annotations(pdf)
    for uri in (
        "https://www.ikpe-erfurt.de/wp-301/",
        "https://archiv.ikpe-erfurt.de/r/wp-301/v/1",
        "https://archiv.ikpe-erfurt.de/r/wp-301/v/1/kopie",
        "https://www.thueringer-allgemeine.de/erfurt/institut",
        "https://www.lvz.de/altenburg/sozialbefragung",
    ):
        assert uri in uris, uri  # fmt: skip
    assert all(uri.startswith(("https://", "http://")) for uri in uris)
    entries = 1 + sum(1 + len(items) for _, items in layout)  # Einleitung, sections, items
    assert internal >= entries  # the contents' entries jump to their headings


def test_bookmarks_follow_the_sections(pdf: PdfReader, layout) -> None:
    outline = pdf.outline
    top = [entry.title for entry in outline if not isinstance(entry, list)]
    assert top == ["Inhalt", "Einleitung", *[section for section, _ in layout]]
    children = [entry for entry in outline if isinstance(entry, list)]
    assert [[item.title for item in group] for group in children] == [items for _, items in layout]


# --------------------------------------------------------------------------------------
# The URL fetcher
# --------------------------------------------------------------------------------------


class CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[str]:
    """A local HTTP server that counts what it is asked; its base URL."""
    CountingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/x.png", "https://www.ikpe-erfurt.de/", "ftp://example.org/x",
     "data:text/css,body{}", "file:///etc/passwd", "file://example.org/etc/passwd"],
)  # fmt: skip
def test_the_fetcher_refuses_all_but_its_files(url: str) -> None:
    with pytest.raises(FetchRefusedError, match="refused"):
        local_files_fetcher([STYLESHEET]).fetch(url)


def test_the_fetcher_reads_the_files_it_was_given() -> None:
    response = local_files_fetcher([STYLESHEET]).fetch(STYLESHEET.as_uri())
    assert response.read() == STYLESHEET.read_bytes()
    assert response.content_type == "text/css"


def test_a_document_asking_for_the_network_gets_nothing(listener: str, tmp_path: Path) -> None:
    from weasyprint import HTML

    secret = tmp_path / "geheim.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    html = (
        f'<link rel="stylesheet" href="{listener}/style.css">'
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        f'<img src="{listener}/bild.png"><p style="background: url({listener}/hg.png)">Text</p>'
    )
    data = HTML(string=html, url_fetcher=local_files_fetcher([STYLESHEET])).write_pdf()
    assert data.startswith(b"%PDF-")
    assert CountingHandler.requests == []


def test_the_fetcher_s_listener_does_answer(listener: str) -> None:
    # The counting server works: the test above is not passing for want of a server.
    import urllib.request

    with urllib.request.urlopen(f"{listener}/probe") as answer:
        assert answer.status == 200
    assert CountingHandler.requests == ["/probe"]


def test_without_pango_a_pdf_is_one_clear_error(monkeypatch, review: Review) -> None:
    """WeasyPrint loads Pango from the system when imported: without it, the press review
    says which packages to install (the CLI prints that line, the web app a 4xx page)."""
    import sys
    import types

    from archive.pressreview import PressReviewError

    broken = types.ModuleType("weasyprint")

    def missing_library(name: str):
        raise OSError("cannot load library 'libpango-1.0-0'")

    broken.__getattr__ = missing_library  # what WeasyPrint's import raises without Pango
    monkeypatch.setitem(sys.modules, "weasyprint", broken)
    with pytest.raises(PressReviewError, match="apt-get install libpango-1.0-0"):
        render(review, "pdf")
