"""Protection of the forms that change something (the Pressespiegel) against requests
another site makes the browser send.

Every page with such a form puts a token of the browser's session into it (a hidden field
``csrf_token``, or the header ``X-CSRF-Token`` for the page's script); a POST without the
session's token is refused with a German 400 page. The session cookie is ``SameSite=Lax``
and a request the browser marks as sent from another site (``Sec-Fetch-Site``) is refused
too. ``Origin`` and ``Referer`` are not required: privacy settings and proxies drop them,
and the token does not need them.

Holding a token is also what marks a browser as one of the team's: the search and record
pages show their "zum Pressespiegel" forms (with the names of the saved reviews) only to
a session that has opened the Pressespiegel, which production keeps behind a password.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session

from search_app.web import errors

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SESSION_KEY = "csrf_token"
TOKEN_BYTES = 32
# What the browser says of where a request comes from; "same-origin" and "none" (typed,
# bookmarked) pass, as does a browser that does not say.
FOREIGN_SITES = ("cross-site", "same-site")
REFUSED = (
    "Das Formular kam nicht von dieser Seite oder ist abgelaufen. Bitte die Seite neu laden "
    "und noch einmal absenden."
)


def token() -> str:
    """The session's token (made on first use; the session then lasts beyond the browser
    window, so a form left open overnight still works)."""
    value = session.get(SESSION_KEY)
    if not value:
        value = secrets.token_urlsafe(TOKEN_BYTES)
        session[SESSION_KEY] = value
        session.permanent = True
    return value


def has_token() -> bool:
    """True when this browser's session holds a token (it opened the Pressespiegel)."""
    return bool(session.get(SESSION_KEY))


def check() -> None:
    """Refuse (German 400) a request without the session's token or sent by another site."""
    if request.headers.get("Sec-Fetch-Site", "").lower() in FOREIGN_SITES:
        raise errors.bad_request(REFUSED)
    expected = session.get(SESSION_KEY)
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise errors.bad_request(REFUSED)
