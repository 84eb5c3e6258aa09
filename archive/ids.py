"""Stable record identities."""

from __future__ import annotations

import hashlib
import html

DIGEST_LENGTH = 16


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def citation_digest(raw: str) -> str:
    """A digest of a citation with spacing, entities and case evened out."""
    return _digest(" ".join(html.unescape(raw).split()).casefold())


def post_id(wp_id: int) -> str:
    """The id of a WordPress post or page: survives renamed slugs and moved URLs."""
    return f"wp-{wp_id}"


def publication_id(raw: str) -> str:
    """The id of a publication reference or press item."""
    return f"pub-{citation_digest(raw)}"


def url_id(url: str) -> str:
    """The id of a record with neither a post id nor a citation (a newsletter view)."""
    return f"url-{_digest(url)}"
