"""Load the replica's structured content: one file per post or page.

The files live in ``content/`` beside this module. Posts and pages are Markdown-like
files with a TOML front matter block between two ``+++`` lines and an HTML body as
WordPress stores it. Categories, publications, staff and the content-change set are
plain TOML files. See ``content/README.md`` for the format.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

CONTENT_DIR = Path(__file__).with_name("content")
FRONT_MATTER_FENCE = "+++"


@dataclass(frozen=True)
class Attachment:
    """A file under ``/wp-content/uploads/`` that an entry links to (a PDF, mostly)."""

    file: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class Entry:
    """One WordPress post, page or newsletter of the replica."""

    id: int
    slug: str
    title: str
    posted: datetime
    modified: datetime
    body: str
    kind: str
    type: str
    source: str
    is_page: bool = False
    categories: tuple[str, ...] = ()
    teaser: str | None = None
    home: bool = False
    slider: bool = False
    topic: str | None = None
    order: int = 0
    film: str | None = None
    template: str | None = None
    parent: str | None = None
    token: str | None = None
    attachments: tuple[Attachment, ...] = ()
    expect: dict = field(default_factory=dict)

    @property
    def generated(self) -> bool:
        """True when the entry was made up rather than taken from the real site's texts.

        Seed entries whose title or posting date had to be made up say so in ``source``
        (``seed 000 (title, posting date generated)``) but count as taken from the seeds.
        """
        return self.source.startswith("generated")

    def with_changes(self, **changes) -> Entry:
        """Return a copy with the given fields replaced."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Category:
    """A WordPress category; ``parent`` is the parent's slug or ``""``."""

    id: int
    slug: str
    name: str
    parent: str = ""


@dataclass(frozen=True)
class Publication:
    """One citation of the publication tabs."""

    tab: int
    tab_name: str
    year: int
    text: str
    source: str
    url: str = ""
    expect: dict = field(default_factory=dict)

    @property
    def generated(self) -> bool:
        """True when the citation was made up for the replica."""
        return self.source.startswith("generated")


@dataclass(frozen=True)
class ContentChange:
    """The content-change switch: one post edited, one added, one removed."""

    edit_slug: str
    edit_modified: datetime
    edit_append_html: str
    added: Entry
    remove_slug: str


@dataclass(frozen=True)
class SiteContent:
    """Everything the replica serves, before switches are applied."""

    posts: tuple[Entry, ...]
    pages: tuple[Entry, ...]
    newsletters: tuple[Entry, ...]
    categories: tuple[Category, ...]
    publications: tuple[Publication, ...]
    tab_names: tuple[str, ...]
    staff: tuple[dict, ...]
    change: ContentChange | None


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split a content file into its TOML front matter and its body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise ValueError("content file does not start with a +++ front matter fence")
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            meta = tomllib.loads("".join(lines[1:index]))
            return meta, "".join(lines[index + 1 :]).strip("\n")
    raise ValueError("front matter is not closed by a +++ line")


def _as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.fromisoformat(str(value))


def load_entry(path: Path, *, is_page: bool = False) -> Entry:
    """Read one post, page or newsletter file."""
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    posted = _as_datetime(meta["posted"])
    return Entry(
        id=int(meta["id"]),
        slug=meta.get("slug", path.stem),
        title=meta["title"],
        posted=posted,
        modified=_as_datetime(meta.get("modified", posted)),
        body=body,
        kind=meta.get("kind", "page" if is_page else "news"),
        type=meta.get("type", "page" if is_page else "news"),
        source=meta.get("source", "generated"),
        is_page=is_page,
        categories=tuple(meta.get("categories", ())),
        teaser=meta.get("teaser"),
        home=bool(meta.get("home", False)),
        slider=bool(meta.get("slider", False)),
        topic=meta.get("topic"),
        order=int(meta.get("order", 0)),
        film=meta.get("film"),
        template=meta.get("template"),
        parent=meta.get("parent"),
        token=meta.get("token"),
        attachments=tuple(Attachment(**a) for a in meta.get("attachments", ())),
        expect=dict(meta.get("expect", {})),
    )


def _load_dir(directory: Path, *, is_page: bool = False) -> tuple[Entry, ...]:
    if not directory.is_dir():
        return ()
    return tuple(load_entry(p, is_page=is_page) for p in sorted(directory.glob("*.md")))


def _load_publications(directory: Path) -> tuple[tuple[Publication, ...], tuple[str, ...]]:
    publications: list[Publication] = []
    tab_names: dict[int, str] = {}
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        tab = int(data["tab"])
        tab_names[tab] = data["name"]
        for item in data.get("item", ()):
            publications.append(
                Publication(
                    tab=tab,
                    tab_name=data["name"],
                    year=int(item["year"]),
                    text=item["text"],
                    source=item.get("source", "generated"),
                    url=item.get("url", ""),
                    expect=dict(item.get("expect", {})),
                )
            )
    names = tuple(tab_names[t] for t in sorted(tab_names))
    return tuple(publications), names


def _load_change(root: Path) -> ContentChange | None:
    path = root / "changes.toml"
    if not path.exists():
        return None
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return ContentChange(
        edit_slug=data["edit"]["slug"],
        edit_modified=_as_datetime(data["edit"]["modified"]),
        edit_append_html=data["edit"]["append_html"],
        added=load_entry(root / data["add"]["file"]),
        remove_slug=data["remove"]["slug"],
    )


TOPIC_CATEGORY_ID_OFFSET = 10_000


def topic_category(page: Entry, parents: set[str]) -> Category:
    """The category that ties a topic page's sub-posts to it, as the theme does."""
    return Category(
        id=TOPIC_CATEGORY_ID_OFFSET + page.id,
        slug=f"thema-{page.slug}",
        name=page.title,
        parent="themen" if "themen" in parents else "",
    )


def _with_topic_categories(
    posts: tuple[Entry, ...], pages: tuple[Entry, ...], categories: tuple[Category, ...]
) -> tuple[tuple[Entry, ...], tuple[Category, ...]]:
    known = {c.slug for c in categories}
    topics = {p.slug: topic_category(p, known) for p in pages if p.template == "topic"}
    needed = {p.topic for p in posts if p.topic in topics}
    new_categories = categories + tuple(topics[t] for t in sorted(needed))
    tagged = tuple(
        p.with_changes(categories=(*p.categories, topics[p.topic].slug))
        if p.topic in topics and topics[p.topic].slug not in p.categories
        else p
        for p in posts
    )
    return tagged, new_categories


def load_content(root: Path = CONTENT_DIR) -> SiteContent:
    """Load every content file under ``root``."""
    categories = tomllib.loads((root / "categories.toml").read_text(encoding="utf-8"))
    staff_path = root / "staff.toml"
    staff = tomllib.loads(staff_path.read_text(encoding="utf-8")) if staff_path.exists() else {}
    publications, tab_names = _load_publications(root / "publications")
    pages = _load_dir(root / "pages", is_page=True)
    posts, all_categories = _with_topic_categories(
        _load_dir(root / "posts"),
        pages,
        tuple(Category(**c) for c in categories.get("category", ())),
    )
    return SiteContent(
        posts=posts,
        pages=pages,
        newsletters=_load_dir(root / "newsletters", is_page=True),
        categories=all_categories,
        publications=publications,
        tab_names=tab_names,
        staff=tuple(staff.get("person", ())),
        change=_load_change(root),
    )
