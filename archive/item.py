"""The item contract: what the crawler hands to the normaliser for one post, page,
newsletter or citation.

The spider builds items (``crawler.items``), the pipelines add the downloaded
attachments' facts, and :func:`archive.records.build_record` turns an item into a
record. This module is the one description of that hand-over; it lives in the library
because the library reads it and the crawler depends on the library, not the reverse.
Items cross process boundaries (the record workers), so they stay plain dicts: these
are ``TypedDict`` types, checked by type checkers and free at run time.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

ItemKind = Literal["post", "page", "newsletter", "publication"]
Via = Literal["rest", "html", "ajax"]


class Attachment(TypedDict):
    """A document a post links to; the download facts come from the files pipeline."""

    url: str
    title: str
    path: NotRequired[str | None]  # under the attachments directory
    sha256: NotRequired[str | None]
    bytes: NotRequired[int | None]
    media_type: NotRequired[str | None]
    error: NotRequired[str | None]
    text: NotRequired[str | None]


class Capture(TypedDict):
    """Where the response's body is kept in the WARC files (``archive.captures``)."""

    warc_file: str
    offset: int
    sha256: str
    status: int
    fetched_at: str
    record_type: NotRequired[str]
    revalidated_at: NotRequired[str]


class Source(TypedDict):
    """Where an item's bytes came from."""

    via: Via
    url: str
    fetched_at: str
    http_status: int
    etag: NotRequired[str | None]
    last_modified: NotRequired[str | None]
    sha256: str
    cached: NotRequired[bool]
    capture: NotRequired[Capture | None]


class Publication(TypedDict):
    """One citation of a publication tab or of the year-grouped reference list."""

    tab: NotRequired[int | None]
    tab_name: str | None
    year_heading: int | None
    raw: str
    html: NotRequired[str]
    links: list[str]


class Item(TypedDict):
    """One harvested post, page, newsletter (``kind``) or citation (``publication``).

    ``key`` is the id the record will have (``archive.ids``), so the crawl, its journal
    and the store agree on what "the same post" is. ``provenance`` names, for each raw
    field, the signal that gave it (``meta:og:title``, ``html:time``, ...).
    """

    key: str
    kind: ItemKind
    url: str
    fetched_url: str
    title: str
    attachments: list[Attachment]
    attachment_urls: list[str]
    provenance: dict[str, str]
    source: Source
    # posts, pages and newsletters
    wp_id: NotRequired[int | None]
    slug: NotRequired[str | None]
    published: NotRequired[str | None]
    modified: NotRequired[str | None]
    visible_date: NotRequired[str | None]
    categories: NotRequired[list[str]]
    body_html: NotRequired[str]
    excerpt_html: NotRequired[str | None]
    links: NotRequired[list[str]]
    # citations (``text`` is also set, with ``credits`` and ``record``, once built)
    text: NotRequired[str]
    publication: NotRequired[Publication]
    credits: NotRequired[list[str]]
    record: NotRequired[dict]
