"""URL rules of the site: which hosts are one site, and the one spelling of each URL.

The real site answers under ``www.ikpe-erfurt.de`` and ``ikpe-erfurt.de`` and its links mix
them; the replica stands for them with ``127.0.0.1`` and ``localhost``. One post is one
record, so every URL is rewritten onto the start URL's host before it is requested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

LOOPBACK_ALIASES = frozenset({"127.0.0.1", "localhost"})
NON_PAGE_EXTENSIONS = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|css|js|mp4|mp3|zip|docx?|xlsx?|pptx?|woff2?|ttf)$", re.I
)
DOCUMENT_EXTENSIONS = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt)$", re.I)
TRACKING_PARAMS = frozenset({"utm_source", "utm_medium", "utm_campaign", "utm_content", "fbclid"})


def host_aliases(host: str) -> frozenset[str]:
    """The host names that serve the same site as ``host``."""
    host = host.lower()
    if host in LOOPBACK_ALIASES:
        return LOOPBACK_ALIASES
    bare = host.removeprefix("www.")
    return frozenset({bare, f"www.{bare}"})


@dataclass(frozen=True)
class Site:
    """The site being crawled: its canonical scheme, host and port, and its aliases."""

    scheme: str
    host: str
    port: int | None

    @classmethod
    def from_url(cls, url: str) -> Site:
        """The site a start URL belongs to."""
        parts = urlsplit(url)
        return cls(parts.scheme or "https", (parts.hostname or "").lower(), parts.port)

    @property
    def base(self) -> str:
        """The site's root URL with a trailing slash."""
        netloc = self.host if self.port is None else f"{self.host}:{self.port}"
        return f"{self.scheme}://{netloc}/"

    @property
    def domains(self) -> list[str]:
        """Host names for Scrapy's offsite filter."""
        return sorted(host_aliases(self.host))

    def owns(self, url: str) -> bool:
        """True when ``url`` is on this site (under any alias host)."""
        parts = urlsplit(url)
        return (parts.hostname or "").lower() in host_aliases(self.host) and (
            parts.port == self.port or parts.port is None and self.port is None
        )

    def normalise(self, url: str) -> str:
        """One spelling per page: the site's host, no fragment, no tracking parameters."""
        parts = urlsplit(url)
        if not self.owns(url):
            return urlunsplit(parts._replace(fragment=""))
        netloc = self.host if self.port is None else f"{self.host}:{self.port}"
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        query = parts.query
        if any(k in TRACKING_PARAMS for k, _ in pairs):
            query = urlencode([(k, v) for k, v in pairs if k not in TRACKING_PARAMS])
        path = parts.path or "/"
        return urlunsplit((self.scheme, netloc, path, query, ""))

    def url(self, path: str) -> str:
        """An absolute URL on the site for a root-relative path."""
        return self.base + path.lstrip("/")


def is_document(url: str) -> bool:
    """True for links to downloadable documents (PDF, Word, ...)."""
    return bool(DOCUMENT_EXTENSIONS.search(urlsplit(url).path))


def is_page_candidate(url: str) -> bool:
    """True for links that may lead to an HTML page (not images, scripts or documents)."""
    path = urlsplit(url).path
    return not NON_PAGE_EXTENSIONS.search(path) and not is_document(url)
