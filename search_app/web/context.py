"""What every view reaches for: the app's archive facade."""

from __future__ import annotations

from flask import current_app

from archive.facade import Archive

EXTENSION_KEY = "ikpe_archive"


def get_archive() -> Archive:
    """The :class:`Archive` of the running app (one per process, shared by threads)."""
    return current_app.extensions[EXTENSION_KEY]
