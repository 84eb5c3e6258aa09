"""The key that signs the app's session cookie (and so the forms' CSRF tokens).

It must be the same in every worker and after every restart, or a form opened before a
restart (or answered by the other worker) is refused. So it comes from the app's config
(``SECRET_KEY``) or ``$IKPE_ARCHIVE_SECRET_KEY`` when set, else from a file in the data
directory that the first process to need it creates: random, mode 0600, never in the
code or the repository.

The file is made lazily, when a session is first signed or read: an app over a data
directory that does not exist yet (nothing harvested) creates nothing at start-up.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from flask import Flask, Request, has_request_context, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

SECRET_KEY_ENV = "IKPE_ARCHIVE_SECRET_KEY"
SECRET_KEY_FILE = "web-secret-key"
KEY_BYTES = 32
MIN_KEY_CHARS = 32  # a shorter key in the file was not made here: refuse it
logger = logging.getLogger(__name__)


class SecretKeyError(RuntimeError):
    """The key file exists but holds no usable key."""


def load_or_create(path: Path) -> str:
    """The key in ``path``; made (random, mode 0600) when the file does not exist yet.

    Two workers starting at once must end with one key: the new key is written to a
    private temporary file and linked into place, which fails if another process linked
    its key first; then that key is read. Nobody ever reads a half-written file.
    """
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(KEY_BYTES) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
            logger.info("created the session key %s", path)
        except FileExistsError:
            pass  # another worker was first: use its key
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as error:  # bytes, a directory: one clear error
        raise SecretKeyError(
            f"{path} holds no usable session key ({type(error).__name__}): delete it to make "
            "a new one"
        ) from None
    if len(key) < MIN_KEY_CHARS:
        raise SecretKeyError(f"{path} holds no usable session key: delete it to make a new one")
    return key


class PersistentKeySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the key loaded on first use (see the module)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """The request's session; without a session cookie an empty one, and no key is
        needed (most visitors never have a session)."""
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        """``Secure`` when configured, and whenever the request came over https (behind
        the proxy, whose ``X-Forwarded-Proto`` gunicorn trusts)."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            has_request_context() and request.is_secure
        )

    def get_signing_serializer(self, app: Flask):
        """The serializer, once the app has its key."""
        if not app.secret_key:
            configured = os.environ.get(SECRET_KEY_ENV, "").strip()
            app.secret_key = configured or load_or_create(
                Path(app.config["DATA_DIR"]) / SECRET_KEY_FILE
            )
        return super().get_signing_serializer(app)


def install(app: Flask) -> None:
    """Sign ``app``'s sessions with the persistent key; cookies sent only to this site
    (``SameSite=Lax``), never readable by scripts, only over https when that is used."""
    app.session_interface = PersistentKeySessionInterface()
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:  # Flask's default is None
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
