"""The JSON API: parameters -> status codes (never a 5xx), the shape of every answer
(checked against the OpenAPI document's schemas), paging links, one error format
(RFC 9457 problem+json), and scraped text that never appears as markup.

Uses the ``app``/``client`` fixtures of ``conftest.py`` (a real store, index and WARC
capture in a temporary data directory).
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest

from archive.captures import read_capture

PROBLEM = "application/problem+json"
LONG_QUERY = "Armut " * 166  # 996 characters

# (query string of /api/search, status, the parameter a 400 names)
SEARCH_CASES = [
    ("", 200, None),
    ("q=Sozialplanung", 200, None),
    ("q=Sozialplanung&type=news&type=event", 200, None),
    ("type=news&type=news", 200, None),
    ("q=Pr%C3%A4ventionsketten&sort=-date", 200, None),
    ("sort=date&per_page=5&page=2", 200, None),
    ("year=2023&year=2024", 200, None),
    ("from=2023&to=2024-06", 200, None),
    ("from=2023-03-15&to=2023-03-15", 200, None),
    ("from=&to=&q=&place=", 200, None),
    ("place=Erfurt&place=Jena&person=Stefan+Huber&category=Presse", 200, None),
    ("q=" + LONG_QUERY.replace(" ", "+"), 200, None),
    ("q=%FF%FE%00", 200, None),  # not UTF-8, a NUL
    ("q=-Armut", 200, None),
    ("q=%22unbalanced+(quote", 200, None),
    ("q=title:", 200, None),
    ("q=a*", 200, None),
    ("per_page=100", 200, None),
    ("unknown=1", 200, None),
    ("q=" + "a" * 1001, 400, "q"),
    ("q=a&q=b", 400, "q"),
    ("type=blog", 400, "type"),
    ("type=", 400, "type"),
    ("type=" + "&type=".join(["news"] * 21), 400, "type"),
    ("year=23", 400, "year"),
    ("year=1" + "0" * 20, 400, "year"),
    ("year=%D9%A2%D9%A0%D9%A2%D9%A3", 400, "year"),  # Arabic-Indic digits
    ("from=2023-13", 400, "from"),
    ("from=notadate", 400, "from"),
    ("to=2023-02-30", 400, "to"),
    ("from=2024&to=2023", 400, "from"),
    ("sort=best", 400, "sort"),
    ("sort=", 400, "sort"),
    ("page=0", 400, "page"),
    ("page=-1", 400, "page"),
    ("page=abc", 400, "page"),
    ("page=1.5", 400, "page"),
    ("page=10001", 400, "page"),
    ("per_page=0", 400, "per_page"),
    ("per_page=101", 400, "per_page"),
    ("place=%00", 400, "place"),
    ("person=" + "x" * 201, 400, "person"),
    ("page=99", 404, None),
    ("q=Sozialplanung&per_page=5&page=5", 404, None),
]


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def conforms(spec: dict, name: str, body) -> None:
    """``body`` is valid against the document's schema ``name`` (JSON Schema 2020-12)."""
    root = {"components": spec["components"], "$ref": f"#/components/schemas/{name}"}
    jsonschema.Draft202012Validator(root).validate(body)


def assert_problem(response, status: int, spec: dict | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status and body["type"] == "about:blank" and body["title"]
    if spec is not None:
        conforms(spec, "Problem", body)
    return body


# --------------------------------------------------------------------------------------
# Search: parameters -> status
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "status", "param"), SEARCH_CASES)
def test_search_parameters(client, spec, query: str, status: int, param) -> None:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 200:
        assert response.mimetype == "application/json"
        conforms(spec, "SearchResult", response.get_json())
        return
    body = assert_problem(response, status, spec)
    if param:
        assert body["invalid-params"][0]["name"] == param
        assert f"„{param}“" in body["detail"] and f"'{param}'" in body["detail"]  # de / en


@pytest.mark.parametrize(("query", "status", "param"), SEARCH_CASES)
def test_facets_take_the_same_parameters(client, spec, query: str, status: int, param) -> None:
    response = client.get(f"/api/facets?{query}")
    if status == 404:  # a facet count has no pages
        status = 200
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 200:
        conforms(spec, "FacetResult", response.get_json())


def test_search_answer(client, archive_data) -> None:
    body = client.get("/api/search?q=Sozialplanung&per_page=5").get_json()
    assert body["query"] == "Sozialplanung"
    assert (body["page"], body["per_page"]) == (1, 5)
    assert body["total"] > 5 and body["pages"] == -(-body["total"] // 5)
    hit = body["hits"][0]
    assert set(hit) == {"id", "url", "type", "date", "title", "score", "snippet", "links"}
    assert hit["url"] == archive_data.records[hit["id"]]["url"]
    assert hit["links"] == {"self": f"/api/records/{hit['id']}", "html": f"/r/{hit['id']}"}
    assert "<mark>" in " ".join(h["snippet"] for h in body["hits"])
    assert {facet["value"] for facet in body["facets"]["type"]} >= {"news", "event"}


@pytest.mark.parametrize(("query", "understood"), [
    ("Sozialplanung", []),
    ("Sozialplanung 2023", [{"text": "2023", "date": "2023"}]),
    ("Sozialplanung November 2023", [{"text": "November 2023", "date": "2023-11"}]),
])  # fmt: skip
def test_search_says_which_dates_it_understood(client, query: str, understood: list) -> None:
    body = client.get("/api/search", query_string={"q": query}).get_json()
    assert body["understood_dates"] == understood
    assert "wp-102" in [hit["id"] for hit in body["hits"]]


def test_every_record_newest_first_without_a_query(client, archive_data) -> None:
    body = client.get("/api/search?per_page=100").get_json()
    assert body["total"] == len(archive_data.records) - 1  # the removed one is not indexed
    dates = [hit["date"] for hit in body["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_paging_links_walk_every_hit_once(client) -> None:
    first = client.get("/api/search?q=Sozialplanung&sort=date&per_page=4").get_json()
    seen, link, pages = [], first["links"]["first"], 0
    while link:
        body = client.get(link).get_json()
        seen += [hit["id"] for hit in body["hits"]]
        pages += 1
        assert body["links"]["self"] == link
        if body["page"] == 1:
            assert body["links"]["prev"] is None
        else:
            assert client.get(body["links"]["prev"]).get_json()["page"] == body["page"] - 1
        link = body["links"]["next"]
    assert len(seen) == len(set(seen)) == first["total"]
    assert pages == first["pages"]
    last = client.get(first["links"]["last"]).get_json()
    assert last["links"]["next"] is None and last["page"] == first["pages"]
    assert dict(parse_qsl(urlsplit(first["links"]["next"]).query)) == {
        "q": "Sozialplanung", "sort": "date", "page": "2", "per_page": "4",
    }  # fmt: skip


def test_multi_select_ors_within_a_facet(client) -> None:
    def total(query: str) -> int:
        return client.get(f"/api/search?{query}").get_json()["total"]

    assert total("type=news&type=event") == total("type=news") + total("type=event")
    assert total("type=news&year=2021") <= total("type=news")


# --------------------------------------------------------------------------------------
# Records, versions, captures, counts
# --------------------------------------------------------------------------------------


def test_record(client, spec, archive_data) -> None:
    response = client.get("/api/records/wp-101")
    assert response.status_code == 200
    body = response.get_json()
    conforms(spec, "RecordAnswer", body)
    assert body["record"] == archive_data.records["wp-101"]
    assert body["status"]["version"] == 2 and body["status"]["removed"] is False
    assert body["links"] == {
        "self": "/api/records/wp-101",
        "html": "/r/wp-101",
        "versions": "/api/records/wp-101/versions",
        "capture": "/api/records/wp-101/capture",
    }


def test_a_removed_record_says_so(client) -> None:
    status = client.get("/api/records/wp-106").get_json()["status"]
    assert status["removed"] is True and status["removed_at"]


def test_versions(client, spec, archive_data) -> None:
    body = client.get("/api/records/wp-101/versions").get_json()
    conforms(spec, "Versions", body)
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert [v["crawl_id"] for v in body["versions"]] == ["crawl-1", "crawl-2"]
    assert body["versions"][0]["links"] == {
        "self": "/api/records/wp-101/versions/1", "html": "/r/wp-101/v/1",
    }  # fmt: skip
    first = client.get(body["versions"][0]["links"]["self"]).get_json()
    conforms(spec, "Version", first)
    assert first["record"]["text"] != archive_data.records["wp-101"]["text"]
    latest = client.get("/api/records/wp-101/versions/2").get_json()
    assert latest["record"] == archive_data.records["wp-101"]
    assert client.get(first["links"]["html"]).status_code == 200  # the page exists


def test_capture(client, spec, app, archive_data) -> None:
    body = client.get("/api/records/wp-104/capture").get_json()
    conforms(spec, "Capture", body)
    warc = archive_data.records["wp-104"]["source"]["warc"]
    raw = read_capture(archive_data.root / "warc", warc["file"], warc["offset"])
    assert body["url"] == archive_data.capture_url == raw.url
    assert body["sha256"] == hashlib.sha256(raw.body).hexdigest()
    assert (body["length"], body["status"]) == (len(raw.body), 200)
    assert body["content_type"].startswith("text/html")
    assert body["links"]["raw"] == "/r/wp-104/kopie/roh"
    assert client.get(body["links"]["raw"]).status_code == 200


def test_stats(client, spec, archive_data) -> None:
    body = client.get("/api/stats").get_json()
    conforms(spec, "Stats", body)
    assert body["records"] == len(archive_data.records) - 1
    assert body["by_status"] == {"present": body["records"], "removed": 1}
    assert body["versions"] == len(archive_data.records) + 1


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/records/wp-999", 404),
        ("/api/records/nonsense", 404),
        ("/api/records/wp-1%3Cscript%3E", 404),
        ("/api/records/wp-999/versions", 404),
        ("/api/records/wp-101/versions/3", 404),
        ("/api/records/wp-101/versions/0", 404),
        ("/api/records/wp-101/versions/abc", 404),
        ("/api/records/wp-101/versions/-1", 404),
        ("/api/records/wp-101/capture", 404),  # no raw capture archived
        ("/api/records/wp-999/capture", 404),
        ("/api/nothing-here", 404),
        ("/api/", 404),
        ("/api/search/", 404),
    ],
)
def test_unknown_things_are_problems(client, spec, path: str, status: int) -> None:
    response = client.get(path)
    assert_problem(response, status, spec)
    assert "<" not in response.get_data(as_text=True)  # the client's text is not echoed


@pytest.mark.parametrize("path", ["/api/search", "/api/records/wp-101", "/api/stats"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_problems(client, path: str, method: str) -> None:
    response = client.open(path, method=method)
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_an_empty_archive_is_503_not_500(empty_app) -> None:
    client = empty_app.test_client()
    for path in ("/api/search", "/api/facets", "/api/stats", "/api/records/wp-1",
                 "/api/records/wp-1/versions", "/api/records/wp-1/capture"):  # fmt: skip
        assert_problem(client.get(path), 503)


# --------------------------------------------------------------------------------------
# Scraped text
# --------------------------------------------------------------------------------------


def test_scraped_markup_is_never_markup_in_a_json_body(client, archive_data) -> None:
    """The record with <script> and <img onerror> in its title and text: the JSON holds
    the text exactly, and its bytes no markup (``<`` written as ``\\u003c``)."""
    hostile = archive_data.records["wp-104"]
    for path in ("/api/search?q=Armut&per_page=100", "/api/records/wp-104",
                 "/api/records/wp-104/versions/1"):  # fmt: skip
        response = client.get(path)
        raw = response.get_data(as_text=True)
        assert "<" not in raw and ">" not in raw, path
        assert json.loads(raw)  # still JSON
    record = client.get("/api/records/wp-104").get_json()["record"]
    assert (record["title"], record["text"]) == (hostile["title"], hostile["text"])
    hits = client.get("/api/search?q=Armut&per_page=100").get_json()["hits"]
    hit = next(h for h in hits if h["id"] == "wp-104")
    assert hit["title"] == hostile["title"]
    assert "<script>" not in hit["snippet"] and "&lt;script&gt;" in hit["snippet"]
