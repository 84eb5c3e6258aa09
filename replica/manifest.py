"""The replica's machine-readable manifest: every item it serves, for tests to compare with."""

from __future__ import annotations

from replica.content import Entry
from replica.render import local_to_aware, publication_link
from replica.site import Links, SiteView


def entry_manifest(view: SiteView, links: Links, entry: Entry) -> dict:
    """Manifest row of a post, page or newsletter."""
    return {
        "url": links.canonical(entry),
        "id": entry.id,
        "slug": entry.slug,
        "kind": entry.kind,
        "type": entry.type,
        "is_page": entry.is_page,
        "title": entry.title,
        "posted": local_to_aware(entry.posted).isoformat(),
        "modified": local_to_aware(entry.modified).isoformat(),
        "categories": list(entry.categories),
        "topic": entry.topic,
        "topic_title": view.by_slug[entry.topic].title if entry.topic in view.by_slug else None,
        "source": entry.source,
        "generated": entry.generated,
        "attachments": [
            {"url": links.www_url("/wp-content/uploads/" + a.file), "title": a.title}
            for a in entry.attachments
        ],
        "expect": entry.expect,
    }


def build_manifest(view: SiteView, links: Links, faults: dict) -> dict:
    """Everything the replica serves under the current switches.

    ``entries`` are the posts, pages and newsletters with their canonical URL, expected
    record type, posting date and title; ``publications`` the citations of the four tabs
    with the tab each belongs to; ``removed`` what the content-change switch took away;
    ``faults`` the paths that currently misbehave.
    """
    entries = [*view.posts, *view.pages, *view.content.newsletters]
    ajax_url = links.www_url("/wp-admin/admin-ajax.php")
    return {
        "base_url": links.www,
        "bare_url": links.bare,
        "switches": view.switches.as_dict(),
        "version": view.version,
        "entries": [entry_manifest(view, links, e) for e in entries],
        "publications": [
            {
                "tab": p.tab,
                "tab_name": p.tab_name,
                "year": p.year,
                "text": p.text,
                "url": p.url,
                # What a reader sees: the citation, then its link (as the list shows it).
                "printed": f"{p.text} {publication_link(p.url, links)}" if p.url else p.text,
                "type": "press_coverage" if p.tab == 3 else "publication",
                "source": p.source,
                "generated": p.generated,
                "endpoint": ajax_url,
                "expect": p.expect,
            }
            for p in view.content.publications
        ],
        "removed": [entry_manifest(view, links, e) for e in view.removed],
        "faults": {path: fault.kind for path, fault in faults.items()},
    }
