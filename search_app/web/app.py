"""The application factory: ``create_app(config)`` builds the web app over one data directory.

One blueprint per area: ``search`` (the search page), ``records`` (a record, its versions,
its archived copy, its citations), ``browse`` (years, types, publications), ``api`` (JSON
under ``/api/``), ``feeds`` (Atom feeds and export downloads) and ``pressreview`` (the
Pressespiegel, composed and edited under ``/pressespiegel/``). Every view calls the
app's :class:`archive.facade.Archive` (``search_app.web.context.get_archive``); none opens
the store or the index itself.

Scraped text is untrusted, so every response carries a Content-Security-Policy without
inline scripts or styles, ``nosniff`` and a same-origin referrer policy; a response that
sets its own policy (the sandboxed raw capture) keeps it. The app never runs in debug mode.
Only the Pressespiegel changes anything (POST forms with a CSRF token); its session is
signed with a key that lives in the data directory (``search_app.web.secret_key``).
"""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, jsonify, request

from archive.config import DataDir
from archive.facade import Archive
from search_app.web import context, errors, labels, links, secret_key

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# Only the Pressespiegel's forms have a body (an introduction is at most 20000 characters).
MAX_REQUEST_BYTES = 1024 * 1024


def create_app(config: dict | None = None) -> Flask:
    """The web app. ``config`` may set ``DATA_DIR`` (default: ``$IKPE_ARCHIVE_DATA`` or
    ``./data``) and any Flask setting (``TESTING``)."""
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES, JSON_AS_ASCII=False)
    app.config.update(config or {})
    app.debug = False  # never: the debugger runs code sent to it
    data_dir = DataDir.from_env(app.config.get("DATA_DIR"))
    app.config["DATA_DIR"] = str(data_dir.root)
    app.extensions[context.EXTENSION_KEY] = Archive(data_dir)
    secret_key.install(app)

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(labels.FILTERS)
    app.jinja_env.globals.update(
        url_for=links.cached_url_for,
        site_name=labels.SITE_NAME,
        export_url=links.export_url,
        feed_url=links.feed_url,
        api_search_url=links.api_search_url,
        type_labels=labels.TYPE_LABELS,
    )

    _register_blueprints(app)
    errors.register(app)
    app.before_request(_refuse_large_bodies)
    app.after_request(_security_headers)
    app.add_url_rule("/healthz", "healthz", _healthz)
    return app


def _register_blueprints(app: Flask) -> None:
    from search_app.web import api, browse, feeds, pressreview, records, search

    app.register_blueprint(search.bp)
    app.register_blueprint(records.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(feeds.bp)
    app.register_blueprint(pressreview.bp)


def _refuse_large_bodies() -> None:
    # Flask checks the limit only when a view reads the body; no view does, so check here
    # (before routing answers 405), and a large upload is a 413 on every path.
    if (request.content_length or 0) > current_app.config["MAX_CONTENT_LENGTH"]:
        abort(413)


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _healthz() -> tuple[Response, int]:
    """Whether the store and the index open (for systemd and monitoring): 200 or 503."""
    status = context.get_archive().health()
    return jsonify(status), 200 if status["ok"] else 503
