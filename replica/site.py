"""The replica's content as served under the current switches.

``SiteView`` is rebuilt whenever a switch changes; it is immutable, so the request
threads of the server can share it without locks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from replica.content import Category, Entry, Publication, SiteContent

BROKEN_UPLOAD = "/wp-content/uploads/2019/01/kaputt.pdf"
REDIRECT_LOOP = ("/weiterleitung/", "/weiterleitung-2/")
POSTS_PER_PAGE = 10
ARCHIVE_ENTRIES_PER_PAGE = 20
HOME_NEWS_COUNT = 8
HOME_EVENTS_COUNT = 4
LAYOUTS = ("normal", "broken")
SIGNAL_LEVELS = ("full", "none")


@dataclass(frozen=True)
class Switches:
    """What tests can switch on a running replica."""

    rest: bool = True
    changed: bool = False
    faults: bool = False
    layout: str = "normal"
    signals: str = "full"

    def as_dict(self) -> dict:
        """The switches as JSON-ready data."""
        return {
            "rest": self.rest,
            "changed": self.changed,
            "faults": self.faults,
            "layout": self.layout,
            "signals": self.signals,
        }


@dataclass(frozen=True)
class Links:
    """Absolute URLs on the two host names that stand for ``www.`` and the bare domain."""

    www: str
    bare: str

    def www_url(self, path: str) -> str:
        """The canonical (``www.``) URL of a root-relative path."""
        return self.www + path.lstrip("/")

    def mixed_url(self, path: str, key: int) -> str:
        """A URL on either host, picked by ``key``, as the real site's links mix them."""
        base = self.bare if key % 3 == 0 else self.www
        return base + path.lstrip("/")

    def entry_path(self, entry: Entry) -> str:
        """The permalink path of a post or page."""
        if entry.kind == "newsletter":
            return "/?mailpoet_router&endpoint=view_in_browser&action=view&data=" + (
                entry.token or str(entry.id)
            )
        return f"/{entry.slug}/"

    def canonical(self, entry: Entry) -> str:
        """The canonical URL of an entry."""
        return self.www_url(self.entry_path(entry))

    def absolutise(self, html: str, key: int) -> str:
        """Turn the root-relative links of a stored body into absolute, mixed-host links."""
        return _ROOT_RELATIVE.sub(
            lambda m: f'{m.group(1)}="{self.mixed_url(m.group(2), key)}"', html
        )


_PDF_LINK = re.compile(r'href="(/wp-content/uploads/[^"]+\.pdf)"[^>]*>(.*?)</a>', re.S)
_ROOT_RELATIVE = re.compile(r'\b(href|src)="(/[^"/][^"]*|/)"')


def fault_candidates(posts) -> list[Entry]:
    """News posts from the seeds, by id: the posts that faults are injected into."""
    seeded = [p for p in posts if p.kind == "news" and p.source.startswith("seed")]
    return sorted(seeded or posts, key=lambda p: p.id)


@dataclass
class SiteView:
    """Content after applying the switches, with the lookups the routes need."""

    content: SiteContent
    synthetic: tuple[Entry, ...]
    switches: Switches
    version: int = 0
    removed: tuple[Entry, ...] = field(default=())

    def __post_init__(self) -> None:
        posts = list(self.content.posts) + list(self.synthetic)
        change = self.content.change
        if self.switches.changed and change is not None:
            removed = [p for p in posts if p.slug == change.remove_slug]
            posts = [
                self._edited(p, change) if p.slug == change.edit_slug else p
                for p in posts
                if p.slug != change.remove_slug
            ]
            posts.append(change.added)
            self.removed = tuple(removed)
        if self.switches.faults:
            posts = self._with_broken_link(posts)
        self.posts: tuple[Entry, ...] = tuple(
            sorted(posts, key=lambda p: (p.posted, p.id), reverse=True)
        )

    @staticmethod
    def _with_broken_link(posts: list[Entry]) -> list[Entry]:
        """Faults on: one post links a PDF that always fails (an attachment lost on the server)."""
        candidates = fault_candidates(posts)
        if not candidates:
            return posts
        target = candidates[-1]
        link = f'<p><a href="{BROKEN_UPLOAD}">Archiv-PDF</a></p>'
        return [p.with_changes(body=p.body + "\n" + link) if p is target else p for p in posts]

    @staticmethod
    def _edited(post: Entry, change) -> Entry:
        return post.with_changes(
            body=post.body + "\n" + change.edit_append_html, modified=change.edit_modified
        )

    @cached_property
    def pages(self) -> tuple[Entry, ...]:
        """All WordPress pages, in menu order (by title)."""
        return tuple(sorted(self.content.pages, key=lambda p: p.title))

    @cached_property
    def by_slug(self) -> dict[str, Entry]:
        """Posts and pages by slug (newsletters are reached by token)."""
        return {e.slug: e for e in (*self.pages, *self.posts)}

    @cached_property
    def by_id(self) -> dict[int, Entry]:
        """Posts, pages and newsletters by WordPress id."""
        return {e.id: e for e in (*self.pages, *self.posts, *self.content.newsletters)}

    @cached_property
    def newsletters_by_token(self) -> dict[str, Entry]:
        """Newsletters by their MailPoet view token."""
        return {n.token or str(n.id): n for n in self.content.newsletters}

    @cached_property
    def categories(self) -> dict[str, Category]:
        """Categories by slug."""
        return {c.slug: c for c in self.content.categories}

    def category_by_path(self, path: str) -> Category | None:
        """The category of an archive path such as ``willkommen/news_archiv``."""
        slugs = [s for s in path.strip("/").split("/") if s]
        if not slugs or any(s not in self.categories for s in slugs):
            return None
        return self.categories[slugs[-1]]

    def category_path(self, category: Category) -> str:
        """The archive path of a category, parents first (``willkommen/news_archiv``)."""
        parts = [category.slug]
        while category.parent:
            category = self.categories[category.parent]
            parts.append(category.slug)
        return "/".join(reversed(parts))

    def descendants(self, slug: str) -> set[str]:
        """A category slug and the slugs of all its children, recursively."""
        found = {slug}
        changed = True
        while changed:
            children = {c.slug for c in self.content.categories if c.parent in found}
            changed = not children <= found
            found |= children
        return found

    def posts_in_category(self, slug: str) -> list[Entry]:
        """Posts of a category archive (children included, as WordPress does), newest first."""
        wanted = self.descendants(slug)
        return [p for p in self.posts if wanted & set(p.categories)]

    def subposts(self, topic: str) -> list[Entry]:
        """The small posts a topic page is assembled from, in accordion order."""
        return sorted((p for p in self.posts if p.topic == topic), key=lambda p: p.order)

    @cached_property
    def home_news(self) -> list[Entry]:
        """Posts of the home page's news accordion."""
        flagged = [p for p in self.posts if p.home]
        return (flagged or [p for p in self.posts if p.kind != "subpost"])[:HOME_NEWS_COUNT]

    @cached_property
    def slider(self) -> list[Entry]:
        """Posts of the news slider."""
        return [p for p in self.posts if p.slider]

    @cached_property
    def events(self) -> list[Entry]:
        """Event notices, newest first."""
        return [p for p in self.posts if p.kind == "event"]

    @cached_property
    def films(self) -> list[Entry]:
        """Film posts with a consent-blocked embed."""
        return [p for p in self.posts if p.film]

    @cached_property
    def news_posts(self) -> list[Entry]:
        """Posts of the ``/aktuelles-archiv`` listing: everything but sub-posts."""
        return [p for p in self.posts if p.kind not in ("subpost",)]

    def publications(self, tab: int | None = None) -> list[Publication]:
        """Citations of one tab (or all), newest year first, in file order within a year."""
        chosen = [p for p in self.content.publications if tab is None or p.tab == tab]
        return sorted(chosen, key=lambda p: -p.year)

    @cached_property
    def uploads(self) -> dict[str, tuple[str, list[str], datetime]]:
        """PDFs under ``/wp-content/uploads/``: path -> (title, paragraphs, created).

        Attachments carry their own text; any other PDF a body links to (a poster, a
        flyer) gets a short text made from its link so that every link resolves.
        """
        found: dict[str, tuple[str, list[str], datetime]] = {}
        for entry in (*self.posts, *self.pages, *self.content.newsletters):
            for attachment in entry.attachments:
                paragraphs = [p for p in attachment.text.split("\n\n") if p.strip()]
                found["/wp-content/uploads/" + attachment.file] = (
                    attachment.title or entry.title,
                    paragraphs or [entry.title],
                    entry.posted,
                )
            for path, label in _PDF_LINK.findall(entry.body):
                text = re.sub(r"<[^>]+>", "", label).strip() or entry.title
                found.setdefault(path, (text, [text, entry.title], entry.posted))
        return found

    @cached_property
    def last_modified(self) -> datetime:
        """The newest modification of anything served (for listings' Last-Modified)."""
        stamps = [e.modified for e in (*self.posts, *self.pages)]
        return max(stamps) if stamps else datetime(2024, 1, 1)
