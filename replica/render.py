"""Render the replica's HTML pages from content and Jinja templates."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from replica.content import Entry
from replica.site import (
    ARCHIVE_ENTRIES_PER_PAGE,
    HOME_EVENTS_COUNT,
    POSTS_PER_PAGE,
    Links,
    SiteView,
)

BERLIN = ZoneInfo("Europe/Berlin")
TEASER_WORDS = 55
AREA_PAGES = ("analyse-und-forschung", "qualifizierung-und-weiterbildung", "strategieentwicklung")
_TAG = re.compile(r"<[^>]+>")


def local_to_aware(value: datetime) -> datetime:
    """Attach the site's time zone (Europe/Berlin) to a naive local datetime."""
    return value.replace(tzinfo=BERLIN)


def plain_text(body_html: str) -> str:
    """The visible text of a stored body, on one line."""
    return " ".join(html.unescape(_TAG.sub(" ", body_html)).split())


def teaser(entry: Entry) -> str:
    """The listing teaser: the stored excerpt or the body's first words, cut mid-sentence."""
    if entry.teaser:
        return entry.teaser
    return " ".join(plain_text(entry.body).split()[:TEASER_WORDS])


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=False,
    )
    env.filters["de_date"] = lambda value: value.strftime("%d.%m.%Y")
    env.filters["iso_local"] = lambda value: value.strftime("%Y-%m-%dT%H:%M:%S")
    env.filters["iso_offset"] = lambda value: local_to_aware(value).isoformat()
    env.filters["teaser"] = teaser
    env.filters["body_html"] = lambda entry, links: Markup(links.absolutise(entry.body, entry.id))
    return env


ENV = _environment()


def _page_links(base_path: str, links: Links, page_no: int, pages: int) -> dict:
    def url(number: int) -> str:
        return links.www_url(base_path if number == 1 else f"{base_path}page/{number}/")

    return {
        "page_no": page_no,
        "prev_url": url(page_no - 1) if page_no > 1 else None,
        "next_url": url(page_no + 1) if page_no < pages else None,
        "page_links": [(n, url(n)) for n in range(1, pages + 1)],
    }


def _common(view: SiteView, links: Links, *, charset: str = "utf-8") -> dict:
    return {"view": view, "links": links, "switches": view.switches, "charset": charset}


def json_ld(entry: Entry, links: Links) -> str:
    """A Yoast-like JSON-LD graph for a post, as SEO plugins emit it."""
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebPage" if entry.is_page else "Article",
                "headline": entry.title,
                "datePublished": local_to_aware(entry.posted).isoformat(),
                "dateModified": local_to_aware(entry.modified).isoformat(),
                "mainEntityOfPage": {"@id": links.canonical(entry)},
                "publisher": {"@type": "Organization", "name": "IKPE Erfurt"},
            }
        ],
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def render_entry(view: SiteView, links: Links, entry: Entry, *, charset: str = "utf-8") -> str:
    """A single post or page (topic pages get the accordion of their sub-posts)."""
    full = view.switches.signals == "full"
    categories = [view.categories[c] for c in entry.categories if c in view.categories]
    if entry.is_page:
        article_class = f"post-{entry.id} page type-page status-publish hentry"
        body_class = f"page-template-default page page-id-{entry.id}" if full else "seite"
    else:
        cats = " ".join(f"category-{c.slug}" for c in categories)
        article_class = (
            f"post-{entry.id} post type-post status-publish format-standard hentry {cats}"
        )
        body_class = (
            f"post-template-default single single-post postid-{entry.id}" if full else "beitrag"
        )
    rest_kind = "pages" if entry.is_page else "posts"
    return ENV.get_template("single.html").render(
        **_common(view, links, charset=charset),
        page_title=entry.title,
        entry=entry,
        canonical=links.canonical(entry),
        shortlink=links.www_url(f"/?p={entry.id}") if full else None,
        rest_link=links.www_url(f"/wp-json/wp/v2/{rest_kind}/{entry.id}"),
        json_ld=json_ld(entry, links),
        article_class=article_class if full else "beitrag",
        body_class=body_class,
        categories=categories,
        subposts=view.subposts(entry.slug) if entry.template == "topic" else [],
        topic_page=view.by_slug.get(entry.topic) if entry.topic else None,
    )


def render_home(view: SiteView, links: Links) -> str:
    """The home page with every section of seed 002."""
    pages = view.by_slug
    topic_pages = [p for p in view.pages if p.template == "topic"]
    topic_pages.sort(key=lambda p: (p.slug != "lokale-sozialstrategien", p.title))
    return ENV.get_template("home.html").render(
        **_common(view, links),
        page_title="Startseite",
        canonical=links.www_url("/"),
        body_class="home page-template-front-page",
        slider=view.slider,
        news=view.home_news,
        films=view.films,
        areas=[{"page": pages[s], "subposts": view.subposts(s)} for s in AREA_PAGES if s in pages],
        topics=[{"page": p, "subposts": view.subposts(p.slug)} for p in topic_pages],
        tab_names=view.content.tab_names,
        tab_count=len(view.content.tab_names),
        events=view.events[:HOME_EVENTS_COUNT],
        staff=view.content.staff,
    )


def pages_needed(count: int, per_page: int) -> int:
    """How many listing pages ``count`` items fill (at least one)."""
    return max(1, -(-count // per_page))


def render_category(view: SiteView, links: Links, path: str, page_no: int) -> str | None:
    """A category archive page, or None when the category or page does not exist."""
    category = view.category_by_path(path)
    if category is None:
        return None
    canonical_path = f"/category/{view.category_path(category)}/"
    posts = view.posts_in_category(category.slug)
    pages = pages_needed(len(posts), POSTS_PER_PAGE)
    if page_no > pages:
        return None
    years = []
    if category.slug == "referenzen" and page_no == 1:
        by_year: dict[int, list] = {}
        for item in view.publications():
            by_year.setdefault(item.year, []).append(item)
        years = sorted(by_year.items(), reverse=True)
        years = [
            (year, [(item, publication_link(item.url, links)) for item in items])
            for year, items in years
        ]
    entries = posts[(page_no - 1) * POSTS_PER_PAGE : page_no * POSTS_PER_PAGE]
    paging = _page_links(canonical_path, links, page_no, pages)
    return ENV.get_template("archive.html").render(
        **_common(view, links),
        page_title=f"{category.name} Archive",
        heading=f"Kategorie: {category.name}",
        canonical=paging["page_links"][page_no - 1][1],
        body_class=f"archive category category-{category.slug} category-{category.id}",
        category_feed=links.www_url(canonical_path + "feed/"),
        entries=entries,
        publication_years=years,
        **paging,
    )


def render_aktuelles(view: SiteView, links: Links, page_no: int) -> str | None:
    """The ``/aktuelles-archiv`` listing: date, title, teaser with dateline, ``Mehr lesen``."""
    posts = view.news_posts
    pages = pages_needed(len(posts), ARCHIVE_ENTRIES_PER_PAGE)
    if page_no > pages:
        return None
    paging = _page_links("/aktuelles-archiv/", links, page_no, pages)
    return ENV.get_template("aktuelles.html").render(
        **_common(view, links),
        page_title="Archiv",
        canonical=paging["page_links"][page_no - 1][1],
        body_class="page aktuelles-archiv",
        entries=posts[
            (page_no - 1) * ARCHIVE_ENTRIES_PER_PAGE : page_no * ARCHIVE_ENTRIES_PER_PAGE
        ],
        **paging,
    )


def render_newsletter(view: SiteView, links: Links, entry: Entry) -> str:
    """A MailPoet "view in browser" page."""
    return ENV.get_template("newsletter.html").render(**_common(view, links), entry=entry)


def publication_link(url: str, links: Links) -> str:
    """A citation's link as the list prints it: absolute, on the www host."""
    return links.www_url(url) if url.startswith("/") else url


def render_publications_fragment(view: SiteView, links: Links, tab: int) -> str:
    """The HTML the AJAX endpoint returns for one publication tab."""
    parts = [f'<div class="publication-list" data-tab="{tab}">']
    year = None
    for item in view.publications(tab):
        if item.year != year:
            year = item.year
            parts.append(f'<h4 class="pub-year">{year}</h4>')
        url = html.escape(publication_link(item.url, links)) if item.url else ""
        link = f' <a href="{url}">{url}</a>' if url else ""
        # The note stands beside the citation, not in it, as a banner would.
        aside = '<aside class="replica-provenance">[generiert]</aside>'
        mark = f" </p>{aside}" if item.generated else "</p>"
        parts.append(f'<p class="citation">{html.escape(item.text, quote=False)}{link}{mark}')
    parts.append("</div>")
    return "\n".join(parts)


def render_not_found(view: SiteView, links: Links) -> str:
    """WordPress's 404 page."""
    return ENV.get_template("notfound.html").render(
        **_common(view, links),
        page_title="Seite nicht gefunden",
        canonical=None,
        body_class="error404",
    )
