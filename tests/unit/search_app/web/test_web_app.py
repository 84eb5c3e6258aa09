"""The app as a whole: security headers on every response, errors in German (or as
problem+json under /api/), the health check, never debug."""

from __future__ import annotations

import json
import sqlite3

import pytest

from search_app.web.app import CONTENT_SECURITY_POLICY

PAGES = [
    "/",
    "/suche?q=Sozialplanung",
    "/r/wp-101",
    "/r/wp-101/v/1",
    "/r/wp-101/diff?a=1&b=2",
    "/r/wp-104/kopie",
    "/jahre",
    "/typen",
    "/publikationen",
    "/r/wp-999",  # 404
    "/suche?from=kaputt",  # 400
    "/static/style.css",
    "/healthz",
]


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_response(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_the_policy_allows_no_inline_script_or_style() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'self'" and directives["object-src"] == "'none'"


def test_never_debug(app) -> None:
    assert app.debug is False


def test_healthz_ok(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    status = response.get_json()
    assert status["ok"] is True
    assert status["store"]["records"] == 19 and status["index"]["records"] == 19


def test_healthz_503_on_an_empty_data_directory(empty_app) -> None:
    response = empty_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["ok"] is False


@pytest.mark.parametrize("url", ["/", "/jahre", "/typen", "/publikationen", "/r/wp-101"])
def test_an_empty_archive_answers_503_in_german(empty_app, url: str) -> None:
    response = empty_app.test_client().get(url)
    assert response.status_code in (404, 503)
    assert response.mimetype == "text/html"
    assert 'lang="de"' in response.text


ERRORS = [
    ("get", "/gibt-es-nicht", 404, "Nicht gefunden"),
    ("get", "/r/wp-999", 404, "„wp-999“ gibt es im Archiv nicht"),
    ("post", "/suche", 405, "Methode nicht erlaubt"),
    ("get", "/suche?page=abc", 400, "Ungültige Anfrage"),
]


@pytest.mark.parametrize(("method", "url", "status", "words"), ERRORS)
def test_errors_are_german_pages(client, method, url, status, words) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert words in response.text
    assert 'lang="de"' in response.text and "Traceback" not in response.text


def test_405_names_the_allowed_methods(client) -> None:
    response = client.post("/jahre")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


@pytest.mark.parametrize(("method", "url", "status"), [
    ("get", "/api/gibt-es-nicht", 404),
    ("post", "/api/search", 405),
])  # fmt: skip
def test_api_errors_are_problem_json(client, method, url, status) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert json.loads(response.data)["status"] == status


def test_a_failing_view_is_a_german_500(app, monkeypatch) -> None:
    app.testing = False  # let the handler answer instead of raising into the test
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(app.extensions["ikpe_archive"], "stats", broken)
    response = app.test_client().get("/typen")
    assert response.status_code == 500
    assert "Interner Fehler" in response.text and "kaputt" not in response.text


# (what the store raised, the status): a file that cannot be read is "try later", a
# query the code got wrong is a bug, with its traceback in the log.
STORE_ERRORS = [
    (sqlite3.DatabaseError("file is not a database"), 503),
    (sqlite3.OperationalError("database is locked"), 503),
    (sqlite3.ProgrammingError("Incorrect number of bindings supplied"), 500),
    (sqlite3.OperationalError("no such column: titel"), 503),
    (sqlite3.IntegrityError("UNIQUE constraint failed"), 500),
    (sqlite3.InterfaceError("Error binding parameter 1"), 500),
]


@pytest.mark.parametrize("url", ["/typen", "/api/stats"])
@pytest.mark.parametrize(("error", "status"), STORE_ERRORS, ids=[repr(e) for e, _ in STORE_ERRORS])
def test_store_errors_are_503_unless_the_code_is_wrong(
    app, monkeypatch, caplog, url: str, error: Exception, status: int
) -> None:
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(app.extensions["ikpe_archive"], "stats", failing)
    response = app.test_client().get(url)
    assert response.status_code == status
    assert str(error) not in response.text
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert bool(tracebacks) == (status == 500)


@pytest.mark.parametrize(("url", "mimetype"), [
    ("/suche", "text/html"),
    ("/api/search", "application/problem+json"),
])  # fmt: skip
def test_a_large_body_is_413(client, url: str, mimetype: str) -> None:
    response = client.post(url, data=b"x" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert response.mimetype == mimetype
