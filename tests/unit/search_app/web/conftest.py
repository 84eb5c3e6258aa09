"""Fixtures of the web app's tests, in the pattern of Flask's tutorial: ``app`` (the app
over a temporary data directory) and ``client`` (its test client).

The data directory is real and built once per session, the way a nightly run builds it:
hand-made records validated against the schema, saved by two crawls into the SQLite
store (one record changes between them and so has two versions; one is gone in the
second and is marked removed), an attachment file on disk, a WARC capture whose body
carries a script, and a Whoosh index built by ``archive.sync.sync_index``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from archive.config import DataDir
from archive.store import ArchiveStore
from archive.sync import sync_index
from archive.validation import check
from search_app.web.app import create_app
from tests.helpers import stored_file, write_capture

SITE = "https://www.ikpe-erfurt.de"
XSS_TITLE = "Armut <script>alert(1)</script> im Landkreis <img src=x onerror=alert(2)>"
XSS_TEXT = (
    "Ein Bericht über Armut <script>alert(1)</script> und Teilhabe.\n\n"
    'Zweiter Absatz <img src=x onerror=alert(2)> mit "Anführungszeichen" & Ampersand.'
)
# Strings that must never reach a page unescaped.
XSS_PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<img src=x")
CAPTURE_SCRIPT = "<script>document.body.innerHTML='PWNED'</script>"
PDF_BYTES = b"%PDF-1.4\n% IKPE Testdokument\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
VERSION_1_TEXT = (
    "Das IKPE begleitet Kommunen beim Aufbau von Präventionsketten.\n\n"
    "Der zweite Absatz bleibt gleich."
)
VERSION_2_TEXT = (
    "Das IKPE begleitet Landkreise beim Aufbau von Präventionsketten.\n\n"
    "Der zweite Absatz bleibt gleich. Ein neuer Satz kommt hinzu."
)


def make_record(record_id: str, record_type: str, title: str, date: str, **fields) -> dict:
    """A schema-valid record; ``fields`` override or add fields."""
    precision = {4: "year", 7: "month", 10: "day"}[len(date)]
    text = fields.pop("text", f"{title}. Ein Text über Sozialplanung in Thüringen.")
    record = {
        "schema_version": 1,
        "id": record_id,
        "url": f"{SITE}/{record_id}/",
        "type": record_type,
        "type_rule": f"{record_type}:test",
        "title": title,
        "text": text,
        "summary": text.split("\n")[0][:120],
        "date": date,
        "date_precision": precision,
        "date_source": "posting_date",
        "date_issues": [],
        "published": date if precision == "day" else None,
        "people": [],
        "emails": [],
        "places": [],
        "organisations": [],
        "attachments": [],
        "credits": [],
        "categories": ["Aktuelles"],
        "source": {
            "via": "html",
            "url": f"{SITE}/{record_id}/",
            "fetched_at": "2025-01-02T03:04:05Z",
            "http_status": 200,
            "sha256": "0" * 64,
        },
        "provenance": {"date": "test"},
    }
    record.update(fields)
    return check(record)


@dataclass(frozen=True)
class ArchiveFixture:
    """The data directory and what the tests need to know about its records."""

    root: Path
    records: dict[str, dict]
    pdf_sha256: str
    capture_url: str
    xss_payloads: tuple[str, ...] = XSS_PAYLOADS


def _attachment(data_dir: DataDir) -> dict:
    return {
        "url": f"{SITE}/wp-content/uploads/2023/11/PM-Sozialplanung-Jena.pdf",
        "title": "Pressemitteilung als PDF (Volltext)",
        "media_type": "application/pdf",
        **stored_file(data_dir.attachments_dir, PDF_BYTES),
        "text": "Volltext der Pressemitteilung zur Sozialplanung in Jena.",
        "error": None,
    }


def _capture(data_dir: DataDir, url: str) -> dict:
    body = (
        "<!doctype html><html><head><meta charset='utf-8'><title>Armut im Landkreis</title>"
        f"</head><body><h1>Archivierte Seite</h1><p>Umlaute: äöüß</p>{CAPTURE_SCRIPT}"
        "<img src='https://www.ikpe-erfurt.de/logo.png'></body></html>"
    ).encode()
    return write_capture(data_dir, "crawl-1", url, body)


def build_records(data_dir: DataDir) -> list[dict]:
    """The records of the first crawl."""
    xss_url = f"{SITE}/armut-im-landkreis/"
    xss_source = {
        "via": "html",
        "url": xss_url,
        "fetched_at": "2025-01-02T03:04:05Z",
        "http_status": 200,
        "sha256": "1" * 64,
        "warc": _capture(data_dir, xss_url),
    }
    records = [
        make_record(
            "wp-101", "news", "Präventionsketten in Thüringen", "2023-03-15",
            text=VERSION_1_TEXT, people=["Stefan Huber"], places=["Erfurt"],
            credits=["Foto: IKPE/Josefine Strüning"],
        ),
        make_record(
            "wp-102", "press_release", "Sozialplanung in Jena", "2023-11-02",
            people=["Anna Schmidt"], places=["Jena"], categories=["Presse"],
            attachments=[_attachment(data_dir)],
            dateline={"place": "Erfurt", "date": "2023-11-02", "date_end": None,
                      "kind": "dateline", "text": "Erfurt/02.11.2023."},
        ),
        make_record(
            "wp-103", "event", "Fachtag Sozialplanung", "2024-05-20",
            places=["Erfurt"], categories=["Termine"],
            event={"start": "2024-05-20", "end": "2024-05-21", "start_time": "10:00",
                   "end_time": "16:00", "venue": "Augustinerkloster Erfurt", "online": False},
        ),
        make_record(
            "wp-104", "news", XSS_TITLE, "2024-01-10", text=XSS_TEXT,
            people=["Stefan Huber"], places=["Gotha"], url=xss_url, source=xss_source,
        ),
        make_record(
            "pub-0123456789abcdef", "publication",
            "Sozialplanung in Thüringen: ein Handbuch", "2022",
            url=f"{SITE}/category/referenzen/", text="", categories=["Referenzen"],
            reference={
                "raw": "Huber, S./Schmidt, A. (2022): Sozialplanung in Thüringen. "
                "Ein Handbuch. Erfurt: IKPE.",
                "parsed": True, "kind": "book", "year": 2022,
                "title": "Sozialplanung in Thüringen. Ein Handbuch",
                "authors": [{"family": "Huber", "given": "Stefan"},
                            {"family": "Schmidt", "given": "Anna"}],
                "place": "Erfurt", "publisher": "IKPE",
            },
        ),
        make_record(
            "pub-fedcba9876543210", "press_coverage",
            "Erfurter Institut berät Landkreise", "2024-02",
            url=f"{SITE}/category/referenzen/", text="", categories=["Referenzen"],
            reference={
                "raw": "Thüringer Allgemeine (2024): „Erfurter Institut berät Landkreise“.",
                "parsed": True, "kind": "press", "year": 2024,
                "title": "Erfurter Institut berät Landkreise",
                "outlet": "Thüringer Allgemeine",
            },
        ),
        make_record("wp-105", "page", "Über uns", "2021-06-01", categories=[]),
        make_record("wp-106", "news", "Ein entfernter Beitrag", "2022-09-01"),
    ]  # fmt: skip
    for number in range(12):  # enough news for a second page of results
        month = 1 + number % 12
        records.append(
            make_record(
                f"wp-2{number:02d}", "news", f"Meldung {number + 1} zur Sozialplanung",
                f"2021-{month:02d}-{10 + number:02d}", places=["Weimar"],
            )
        )  # fmt: skip
    return records


@pytest.fixture(scope="session")
def archive_data(tmp_path_factory) -> ArchiveFixture:
    """A data directory as a nightly run leaves it: store, index, WARC, attachment."""
    data_dir = DataDir(tmp_path_factory.mktemp("web-data")).ensure()
    first = build_records(data_dir)
    second = [copy.deepcopy(r) for r in first if r["id"] != "wp-106"]  # wp-106 is gone
    changed = next(r for r in second if r["id"] == "wp-101")
    changed["text"] = VERSION_2_TEXT
    changed["summary"] = VERSION_2_TEXT.split("\n")[0][:120]
    check(changed)
    with ArchiveStore(data_dir.store_path) as store:
        for crawl_id, records in (("crawl-1", first), ("crawl-2", second)):
            store.begin_crawl(crawl_id, f"{SITE}/")
            store.save(records, crawl_id)
            store.finish_crawl(crawl_id, "finished")
        sync_index(data_dir, store, rebuild=True)
    current = {r["id"]: r for r in first}
    current.update({r["id"]: r for r in second})
    return ArchiveFixture(
        root=data_dir.root,
        records=current,
        pdf_sha256=current["wp-102"]["attachments"][0]["sha256"],
        capture_url=current["wp-104"]["url"],
    )


@pytest.fixture
def app(archive_data: ArchiveFixture):
    """The web app over the session's data directory."""
    app = create_app({"TESTING": True, "DATA_DIR": str(archive_data.root)})
    yield app
    app.extensions["ikpe_archive"].close()


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def empty_app(tmp_path: Path):
    """The web app over an empty data directory (nothing harvested yet)."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "leer")})
    yield app
    app.extensions["ikpe_archive"].close()


@dataclass
class Page:
    """An HTML answer of the app, parsed."""

    status: int
    response: object
    tree: lxml.html.HtmlElement

    def xpath(self, path: str) -> list:
        """``tree.xpath(path)``."""
        return self.tree.xpath(path)

    def texts(self, path: str) -> list[str]:
        """The whitespace-normalised text of every element ``path`` finds."""
        return [" ".join(element.text_content().split()) for element in self.tree.xpath(path)]

    def hit_ids(self) -> list[str]:
        """The record ids of the search hits, in order."""
        return [href.rsplit("/", 1)[-1] for href in self.xpath("//h3[@class='hit-title']/a/@href")]

    def facet(self, label: str) -> dict[str, int]:
        """A facet's values and counts (``{"Meldung": 14, ...}``)."""
        values = {}
        for link in self.xpath(f"//details[summary='{label}']//a[contains(@class,'facet-value')]"):
            name = " ".join(link.xpath("string(.//span[@class='facet-label'])").split())
            values[name] = int(link.xpath("string(.//span[@class='count'])").replace(".", ""))
        return values

    def selected(self, label: str) -> list[str]:
        """The selected values of a facet."""
        path = f"//details[summary='{label}']//a[contains(@class,'is-selected')]"
        return [" ".join(a.xpath("string(.//span[@class='facet-label'])").split())
                for a in self.xpath(path)]  # fmt: skip


@pytest.fixture
def page(client):
    """GET a URL of the app and parse the HTML: ``page("/suche?q=...")``."""

    def get(url: str) -> Page:
        response = client.get(url)
        tree = lxml.html.fromstring(response.data or b"<html></html>")
        return Page(response.status_code, response, tree)

    return get
