"""One error format per audience: RFC 9457 problem+json under ``/api/``, a German HTML
page everywhere else. Never a traceback, never a 500 for a user's mistake.

Views raise :func:`bad_request` / :func:`not_found` with a German sentence for the
reader; :func:`register` installs the handlers that turn every HTTP error (and the
archive being empty) into the right response.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from http import HTTPStatus

from flask import Blueprint, Flask, Response, render_template, request
from werkzeug.exceptions import BadRequest, HTTPException, NotFound, default_exceptions

from archive.facade import ArchiveMissingError
from search_app.web.params import BadParams

PROBLEM_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)

# status -> (German title, what the reader can do)
GERMAN_ERRORS = {
    400: ("Ungültige Anfrage", "Die Anfrage enthält einen Wert, den das Archiv nicht versteht."),
    404: ("Nicht gefunden", "Diese Seite gibt es im Archiv nicht."),
    405: ("Methode nicht erlaubt", "Diese Adresse kann so nicht aufgerufen werden."),
    413: ("Anfrage zu groß", "Die Anfrage ist zu groß."),
    500: ("Interner Fehler", "Beim Bearbeiten der Anfrage ist ein Fehler aufgetreten."),
    503: ("Archiv nicht bereit", "Das Archiv ist noch leer oder gerade nicht erreichbar."),
}
HANDLED = (400, 404, 405, 413, 500)


def problem(status: int, title: str, detail: str | None = None, **extra) -> Response:
    """An RFC 9457 problem response (``type`` is ``about:blank``: the status says it)."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)


class GermanBadRequest(BadRequest):
    """A 400 whose description is a German sentence meant for the reader."""

    german = True


class GermanNotFound(NotFound):
    """A 404 whose description is a German sentence meant for the reader."""

    german = True


def bad_request(detail: str) -> GermanBadRequest:
    """A 400 to raise, saying in German what was wrong."""
    return GermanBadRequest(description=detail)


def not_found(detail: str) -> GermanNotFound:
    """A 404 to raise, saying in German what is missing."""
    return GermanNotFound(description=detail)


def wants_problem_json() -> bool:
    """True for the JSON API's paths, whose errors are problem+json."""
    return request.path == "/api" or request.path.startswith("/api/")


def error_response(status: int, detail: str | None = None) -> Response:
    """The error for this request: problem+json under ``/api/``, else the German page."""
    title, default_detail = GERMAN_ERRORS.get(status, (HTTPStatus(status).phrase, None))
    if wants_problem_json():
        return problem(status, HTTPStatus(status).phrase, detail)
    html = render_template(
        "error.html", status=status, title=title, detail=detail or default_detail
    )
    return Response(html, status=status, mimetype="text/html")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    # Werkzeug's own descriptions are English; only ours are shown on a German page.
    detail = error.description if getattr(error, "german", False) else None
    if wants_problem_json() and detail is None and status != 500:
        detail = error.description
    response = error_response(status, detail)
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _internal_error(error: Exception) -> Response:
    original = getattr(error, "original_exception", None) or error
    from search_app.web.secret_key import SecretKeyError

    if isinstance(original, SecretKeyError):  # raised saving the session, past the views
        return _archive_unreadable(original)
    logger.error("unhandled error on %s", request.path, exc_info=original)
    return error_response(500)


def _archive_missing(error: ArchiveMissingError) -> Response:
    return error_response(
        503, "Im Archiv liegt noch nichts: zuerst einen Crawl laufen lassen (ikpe-archive nightly)."
    )


def _index_missing(error: Exception) -> Response:
    return error_response(
        503, "Der Suchindex fehlt noch: ikpe-archive index baut ihn aus dem Archiv."
    )


# SQLite errors that say the code is wrong, not the file: a bug stays a 500 with its
# traceback in the log, never a "try again later".
SQL_BUGS = (
    sqlite3.ProgrammingError,
    sqlite3.IntegrityError,
    sqlite3.InterfaceError,
    sqlite3.NotSupportedError,
)


def _archive_unreadable(error: Exception) -> Response:
    # A damaged store or index, an unusable session key: not the reader's fault, and not a bug
    # of a view (it was a 500); the reason, with the server's paths, goes to the log.
    if isinstance(error, SQL_BUGS):
        return _internal_error(error)
    logger.warning("archive unavailable for %s: %s", request.path, error)
    response = error_response(
        503, "Das Archiv ist gerade nicht lesbar. Bitte später noch einmal versuchen."
    )
    response.headers["Retry-After"] = "60"
    return response


def register(app: Flask) -> None:
    """Install the handlers for 400/404/405/413/500 and an archive not ready (503)."""
    from archive.search import IndexMissingError, SearchIndexError
    from search_app.web.secret_key import SecretKeyError

    for status in HANDLED:
        if status == 500:
            app.register_error_handler(500, _internal_error)
        else:
            app.register_error_handler(status, _http_error)
    app.register_error_handler(ArchiveMissingError, _archive_missing)
    app.register_error_handler(IndexMissingError, _index_missing)
    app.register_error_handler(SearchIndexError, _archive_unreadable)
    app.register_error_handler(SecretKeyError, _archive_unreadable)
    app.register_error_handler(sqlite3.DatabaseError, _archive_unreadable)  # a damaged store


# --------------------------------------------------------------------------------------
# The API's errors: one format for every endpoint of a blueprint
# --------------------------------------------------------------------------------------


def _bad_params_problem(error: BadParams) -> Response:
    return problem(
        400,
        "Bad Request",
        str(error),
        **{"invalid-params": [{"name": error.param, "reason": error.english}]},
    )


def _http_problem(error: HTTPException) -> Response:
    response = problem(error.code or 500, error.name, error.description)
    headers = dict(error.get_headers())
    for name in ("Allow", "Retry-After"):  # a 405 says which methods are allowed
        if name in headers:
            response.headers[name] = headers[name]
    return response


def _other_problem(error: Exception) -> Response:
    from archive.search import QueryError, SearchIndexError  # loads Whoosh: only when needed

    if isinstance(error, QueryError):  # a filter the index refused
        return problem(400, "Bad Request", str(error))
    unreadable = ArchiveMissingError | SearchIndexError | sqlite3.Error | OSError
    if isinstance(error, unreadable) and not isinstance(error, SQL_BUGS):
        # Nothing harvested or indexed yet, or a file that cannot be read: not the
        # client's fault, and not a bug of this view; the next nightly may mend it. The
        # reason (with paths of the server) goes to the log, not to the client.
        logger.warning("archive unavailable for %s: %s", request.path, error)
        response = problem(
            503,
            "Service Unavailable",
            "Das Archiv ist gerade nicht lesbar. / The archive cannot be read right now.",
        )
        response.headers["Retry-After"] = "60"
        return response
    logger.exception("unexpected error in %s", request.path)
    return problem(500, "Internal Server Error", "Ein Fehler im Archiv. / An archive error.")


def register_problem_handlers(blueprint: Blueprint) -> None:
    """Answer every error raised in ``blueprint``'s views as a problem+json response.

    (Routing errors, a 404 for an unknown path or a 405, happen before a blueprint is
    chosen: the app's own handlers answer those, with problem+json under ``/api/``.)
    """
    blueprint.register_error_handler(BadParams, _bad_params_problem)
    # By status code too: Flask prefers the app's handler for a code (its German 404
    # page) over a blueprint's handler for a class of errors.
    for code in default_exceptions:
        blueprint.register_error_handler(code, _http_problem)
    blueprint.register_error_handler(HTTPException, _http_problem)
    blueprint.register_error_handler(Exception, _other_problem)
