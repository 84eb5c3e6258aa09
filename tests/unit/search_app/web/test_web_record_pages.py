"""A record's pages: the record, its citations and meta tags, its attachment, its
versions and their diff, and the archived copy served as hostile content."""

from __future__ import annotations

import json

import pytest

from search_app.web.labels import INSTITUTE
from search_app.web.records import RAW_CAPTURE_POLICY

PUB = "pub-0123456789abcdef"


def _meta(found, name: str) -> list[str]:
    return found.xpath(f"//head/meta[@name='{name}']/@content")


def test_record_page_shows_the_record(page) -> None:
    found = page("/r/wp-102")
    assert found.status == 200
    assert found.texts("//h1") == ["Sozialplanung in Jena"]
    facts = dict(zip(found.texts("//dl[@class='facts']/dt"), found.texts("//dl[@class='facts']/dd"),
                     strict=True))  # fmt: skip
    assert facts["Typ"] == "Pressemitteilung"
    assert facts["Datum"] == "02.11.2023"
    assert facts["Ortsmarke"] == "Erfurt/02.11.2023."
    assert facts["Personen"] == "Anna Schmidt"
    assert facts["Orte"] == "Jena"
    assert facts["Kennung"] == "wp-102"
    assert "Zuerst gesehen" in facts and "Zuletzt gesehen" in facts
    assert found.xpath("//a[text()='Jena']/@href") == ["/suche?place=Jena"]
    source = found.xpath("//a[@class='source-link']")[0]
    assert source.get("href") == "https://www.ikpe-erfurt.de/wp-102/"
    assert set(source.get("rel").split()) == {"noopener", "noreferrer", "nofollow"}


def test_event_dates_and_credits(page) -> None:
    event = page("/r/wp-103")
    termin = event.texts("//dt[text()='Termin']/following-sibling::dd[1]")[0]
    assert "20.05.2024 – 21.05.2024" in termin and "10:00–16:00 Uhr" in termin
    assert "Augustinerkloster Erfurt" in termin
    news = page("/r/wp-101")
    assert news.texts("//section[@class='credits']//li") == ["Foto: IKPE/Josefine Strüning"]
    assert news.texts("//section[@class='record-text']/p") == [
        "Das IKPE begleitet Landkreise beim Aufbau von Präventionsketten.",
        "Der zweite Absatz bleibt gleich. Ein neuer Satz kommt hinzu.",
    ]


def test_a_removed_record_says_so(page) -> None:
    found = page("/r/wp-106")
    assert found.status == 200
    assert "Nicht mehr auf der Website" in found.texts("//strong[@class='removed']")[0]


def test_citation_meta_tags(page, archive_data) -> None:
    found = page("/r/wp-102")
    assert _meta(found, "citation_title") == ["Sozialplanung in Jena"]
    assert _meta(found, "citation_author") == [INSTITUTE]
    assert _meta(found, "citation_publication_date") == ["2023/11/02"]
    assert _meta(found, "citation_public_url") == ["http://localhost/r/wp-102"]
    assert _meta(found, "citation_publisher") == [INSTITUTE]
    assert _meta(found, "citation_language") == ["de"]
    assert _meta(found, "citation_pdf_url") == [
        f"http://localhost/r/wp-102/anhang/{archive_data.pdf_sha256}"
    ]
    assert _meta(found, "DC.title") == ["Sozialplanung in Jena"]
    assert found.xpath("//head/meta[@property='og:url']/@content") == ["http://localhost/r/wp-102"]
    assert _meta(page("/r/wp-101"), "citation_pdf_url") == []


def test_a_publication_cites_its_authors(page) -> None:
    found = page(f"/r/{PUB}")
    assert _meta(found, "citation_author") == ["Huber, Stefan", "Schmidt, Anna"]
    assert _meta(found, "citation_publication_date") == ["2022"]
    assert "Huber, S./Schmidt, A. (2022)" in found.texts("//p[@class='citation-raw']")[0]


def test_citation_box(page) -> None:
    found = page("/r/wp-102")
    boxes = {area.get("id"): area.text_content() for area in found.xpath("//textarea[@readonly]")}
    assert set(boxes) == {"zitat-bibtex", "zitat-ris", "zitat-csljson"}
    assert boxes["zitat-bibtex"].lstrip().startswith("@")
    assert "TY  -" in boxes["zitat-ris"]
    assert json.loads(boxes["zitat-csljson"])[0]["id"] == "wp-102"
    downloads = found.xpath("//p[@class='cite-actions']/a/@href")
    assert downloads == ["/r/wp-102.bib", "/r/wp-102.ris", "/r/wp-102.json"]


CITATION_FILES = [
    ("bib", "application/x-bibtex", "@"),
    ("ris", "application/x-research-info-systems", "TY  -"),
    ("json", "application/vnd.citationstyles.csl+json", "["),
]


@pytest.mark.parametrize(("extension", "media_type", "start"), CITATION_FILES)
def test_citation_downloads(client, extension: str, media_type: str, start: str) -> None:
    response = client.get(f"/r/wp-102.{extension}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Content-Disposition"] == (f'attachment; filename="wp-102.{extension}"')
    assert response.text.lstrip().startswith(start)
    assert client.get(f"/r/wp-999.{extension}").status_code == 404


def test_attachment_is_served_from_the_archive(client, page, archive_data) -> None:
    link = page("/r/wp-102").xpath("//section[@class='attachments']//a/@href")[0]
    assert link == f"/r/wp-102/anhang/{archive_data.pdf_sha256}"
    response = client.get(link)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b"%PDF-")
    assert client.get(f"/r/wp-101/anhang/{archive_data.pdf_sha256}").status_code == 404
    assert client.get(f"/r/wp-102/anhang/{'0' * 64}").status_code == 404
    assert client.get("/r/wp-102/anhang/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_versions_timeline_and_pages(page) -> None:
    record = page("/r/wp-101")
    assert record.xpath("//ol[@class='timeline']//a[starts-with(text(),'Version')]/@href") == [
        "/r/wp-101/v/2",
        "/r/wp-101/v/1",
    ]
    assert "/r/wp-101/diff?a=1&b=2" in record.xpath("//ol[@class='timeline']//a/@href")
    first = page("/r/wp-101/v/1")
    assert first.status == 200
    assert "Kommunen" in first.texts("//section[@class='record-text']")[0]
    assert "Version 1 von 2" in first.texts("//div[@class='notice']")[0]
    second = page("/r/wp-101/v/2")
    assert "Landkreise" in second.texts("//section[@class='record-text']")[0]


def test_diff_shows_the_changed_words(page) -> None:
    found = page("/r/wp-101/diff?a=1&b=2")
    assert found.status == 200
    assert found.texts("//div[@class='diff-text']/del") == ["Kommunen"]
    assert found.texts("//div[@class='diff-text']/ins") == [
        "Landkreise",
        "Ein neuer Satz kommt hinzu.",
    ]
    assert found.xpath("//p[@class='diff-text']/del") == []  # the title did not change
    assert page("/r/wp-101/diff").texts("//div[@class='diff-text']/del") == ["Kommunen"]


NOT_FOUND = [
    "/r/wp-999",
    "/r/wp-101/v/3",
    "/r/wp-101/v/0",
    "/r/wp-101/diff?a=1&b=7",
    "/r/wp-101/kopie",  # no capture
    "/r/wp-999/kopie/roh",
    "/r/foo",
    "/r/wp-12x",
    "/r/pub-XYZ",
    "/r/wp-101/v/-1",
    "/r/../etc/passwd",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_unknown_records_and_versions_are_404(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html" and 'lang="de"' in response.text


@pytest.mark.parametrize("args", ["a=x", "a=1&b=0", "b=1e3", "a=-1"])
def test_bad_diff_parameters_are_400(client, args: str) -> None:
    assert client.get(f"/r/wp-101/diff?{args}").status_code == 400


def test_archived_copy_page_frames_the_capture_in_a_sandbox(page, archive_data) -> None:
    found = page("/r/wp-104/kopie")
    assert found.status == 200
    frames = found.xpath("//iframe")
    assert len(frames) == 1
    assert frames[0].get("sandbox") == ""  # no allow-scripts, no allow-same-origin
    assert frames[0].get("src") == "/r/wp-104/kopie/roh"
    facts = " ".join(found.texts("//dl[@class='facts']/dd"))
    assert archive_data.capture_url in facts and "200" in facts and "text/html" in facts


@pytest.mark.parametrize("url", ["/r/wp-104/kopie/roh", "/r/wp-104/v/1/kopie/roh"])
def test_raw_capture_is_served_as_hostile_content(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == RAW_CAPTURE_POLICY
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Archivierte Seite</h1>" in response.text  # the capture, as it was fetched


def test_record_page_links_its_archived_copy(page) -> None:
    assert page("/r/wp-104").xpath("//section[@class='archived']//a/@href") == ["/r/wp-104/kopie"]
    assert page("/r/wp-101").xpath("//section[@class='archived']//a") == []


def test_similar_records(page) -> None:
    similar = page("/r/wp-200").xpath("//section[@class='similar']//a/@href")
    assert similar and "/r/wp-200" not in similar
