"""WordPress's machine-readable listings: robots.txt, core sitemaps and RSS 2.0 feeds."""

from __future__ import annotations

from email.utils import format_datetime
from xml.sax.saxutils import escape

from replica.content import Entry
from replica.render import local_to_aware, teaser
from replica.site import REDIRECT_LOOP, Links, SiteView

FEED_ITEMS = 10
SITEMAP_MAX_URLS = 2000  # WordPress core's wp_sitemaps_get_max_urls()
DISALLOWED_PATH = "/wp-admin/"


def robots_txt(links: Links) -> str:
    """WordPress's default robots.txt, with the core sitemap announced."""
    return (
        "User-agent: *\n"
        f"Disallow: {DISALLOWED_PATH}\n"
        "Allow: /wp-admin/admin-ajax.php\n"
        "Disallow: /__replica__/\n"
        "\n"
        f"Sitemap: {links.www_url('/wp-sitemap.xml')}\n"
    )


def _url(loc: str, lastmod: str | None = None) -> str:
    mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(loc)}</loc>{mod}</url>"


def sitemap_index(view: SiteView, links: Links) -> str:
    """``/wp-sitemap.xml``: the index of the post, page and category sitemaps."""
    post_pages = max(1, -(-len(view.posts) // SITEMAP_MAX_URLS))
    names = [f"wp-sitemap-posts-post-{n}.xml" for n in range(1, post_pages + 1)]
    names += ["wp-sitemap-posts-page-1.xml", "wp-sitemap-taxonomies-category-1.xml"]
    body = "".join(
        f"<sitemap><loc>{escape(links.www_url('/' + name))}</loc></sitemap>" for name in names
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{body}</sitemapindex>\n"
    )


def _urlset(urls: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(urls)
        + "</urlset>\n"
    )


def _lastmod(entry: Entry) -> str:
    return local_to_aware(entry.modified).isoformat()


def sitemap(view: SiteView, links: Links, kind: str, number: int) -> str | None:
    """One sub-sitemap (``posts-post-N``, ``posts-page-1``, ``taxonomies-category-1``)."""
    if kind == "posts-post":
        chunk = view.posts[(number - 1) * SITEMAP_MAX_URLS : number * SITEMAP_MAX_URLS]
        if not chunk:
            return None
        urls = [_url(links.canonical(p), _lastmod(p)) for p in chunk]
        if view.switches.faults and number == 1:
            # A stale entry for a moved page whose redirects go round in a loop.
            urls.append(_url(links.www_url(REDIRECT_LOOP[0])))
        return _urlset(urls)
    if number != 1:
        return None
    if kind == "posts-page":
        return _urlset([_url(links.canonical(p), _lastmod(p)) for p in view.pages])
    if kind == "taxonomies-category":
        return _urlset(
            [
                _url(links.www_url(f"/category/{view.category_path(c)}/"))
                for c in view.content.categories
            ]
        )
    return None


def rss(view: SiteView, links: Links, posts: list[Entry], title: str, self_url: str) -> str:
    """An RSS 2.0 feed of ``posts`` with ``content:encoded`` and categories."""
    items = []
    for post in posts:
        categories = "".join(
            f"<category><![CDATA[{view.categories[c].name}]]></category>"
            for c in post.categories
            if c in view.categories
        )
        body = links.absolutise(post.body, post.id).replace("]]>", "]]]]><![CDATA[>")
        items.append(
            "<item>"
            f"<title>{escape(post.title)}</title>"
            f"<link>{escape(links.canonical(post))}</link>"
            f"<pubDate>{format_datetime(local_to_aware(post.posted))}</pubDate>"
            f"{categories}"
            f'<guid isPermaLink="false">{escape(links.www_url(f"/?p={post.id}"))}</guid>'
            f"<description><![CDATA[{teaser(post)} [&#8230;]]]></description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            "</item>"
        )
    newest = format_datetime(local_to_aware(posts[0].modified)) if posts else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{escape(title)}</title>"
        f'<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml" />'
        f"<link>{escape(links.www_url('/'))}</link>"
        "<description>Institut für kommunale Planung und Entwicklung</description>"
        f"<lastBuildDate>{newest}</lastBuildDate><language>de-DE</language>"
        + "".join(items)
        + "</channel></rss>\n"
    )
