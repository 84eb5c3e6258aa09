"""Find what to fetch: REST listings, sitemaps, feeds, archive pagination, the AJAX tabs.

Pure parsers over response text; the spider decides what to request with what they return.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from archive.citations import is_citation

SITEMAP_PATHS = ("wp-sitemap.xml", "sitemap_index.xml", "sitemap.xml")
AJAX_URL_PATTERN = re.compile(r"""["']((?:https?:)?[^"'\s]*?/wp-admin/admin-ajax\.php)["']""")
AJAX_ACTION_PATTERN = re.compile(r"""["']?action["']?\s*[:=]\s*["']([a-z0-9_\-]+)["']""", re.I)
YEAR_HEADING = re.compile(r"^\s*((?:19|20)\d\d)\s*$")
# Sitemaps of taxonomies and authors list archives, not posts.
LISTING_SITEMAP = re.compile(r"(taxonom|categor|post_tag|tag-sitemap|author|user)", re.I)


@dataclass(frozen=True)
class SitemapEntry:
    """A ``<loc>`` of a sitemap, with ``<lastmod>`` when given."""

    url: str
    lastmod: str | None = None


def parse_sitemap(body: bytes) -> tuple[list[SitemapEntry], list[SitemapEntry]]:
    """Return (child sitemaps, page URLs) of a sitemap index or urlset; bad XML gives ([], [])."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except (etree.XMLSyntaxError, ValueError):
        return [], []
    if root is None:
        return [], []
    children, pages = [], []
    for element in root:
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        loc = lastmod = None
        for child in element:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "loc":
                loc = (child.text or "").strip()
            elif name == "lastmod":
                lastmod = (child.text or "").strip() or None
        if not loc:
            continue
        (children if tag == "sitemap" else pages).append(SitemapEntry(loc, lastmod))
    return children, pages


def is_listing_sitemap(url: str) -> bool:
    """True for sitemaps that list taxonomy or author archives rather than posts and pages."""
    return bool(LISTING_SITEMAP.search(url.rsplit("/", 1)[-1]))


def sitemaps_in_robots(text: str) -> list[str]:
    """``Sitemap:`` lines of a robots.txt."""
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.lower().startswith("sitemap:") and line.split(":", 1)[1].strip()
    ]


def parse_feed(body: bytes) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    links = [(el.text or "").strip() for el in root.iter("link") if el.getparent().tag == "item"]
    atom = "{http://www.w3.org/2005/Atom}"
    links += [
        el.get("href", "")
        for el in root.iter(f"{atom}link")
        if el.getparent().tag == f"{atom}entry"
    ]
    return [link for link in links if link]


def rest_root(page_html: str, base_url: str) -> str | None:
    """The REST API root announced by ``<link rel="https://api.w.org/">``."""
    href = (
        Selector(text=page_html or "<html/>")
        .css('link[rel="https://api.w.org/"]::attr(href)')
        .get()
    )
    return urljoin(base_url, href) if href else None


def parse_rest_list(body: bytes) -> list[dict] | None:
    """A REST collection answer as a list of objects, or None when it is not one."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        return None
    return data


@dataclass(frozen=True)
class AjaxTabs:
    """How a page loads its publication tabs: endpoint, action and tab keys."""

    url: str
    action: str
    tabs: tuple[str, ...]
    names: tuple[str, ...]


def find_ajax_tabs(page_html: str, base_url: str) -> AjaxTabs | None:
    """The AJAX endpoint a page's scripts call for its tabs (WordPress's admin-ajax.php)."""
    page = Selector(text=page_html or "<html/>")
    scripts = "\n".join(page.css("script::text").getall())
    url_match = AJAX_URL_PATTERN.search(scripts.replace("\\/", "/"))
    action_match = AJAX_ACTION_PATTERN.search(scripts)
    if not url_match or not action_match:
        return None
    tabs = page.css("[data-tab]")
    keys = tuple(dict.fromkeys(t.attrib["data-tab"] for t in tabs))
    names = tuple(" ".join(" ".join(t.css("::text").getall()).split()) for t in tabs)[: len(keys)]
    return AjaxTabs(urljoin(base_url, url_match.group(1)), action_match.group(1), keys, names)


def ajax_html(body: bytes) -> tuple[str, str | None]:
    """The HTML of an AJAX answer (``wp_send_json_success`` JSON or plain HTML) and its tab name."""
    text = body.decode("utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        return text, None
    if isinstance(data, dict):
        inner = data.get("data", data)
        if isinstance(inner, dict):
            name = inner.get("name") if isinstance(inner.get("name"), str) else None
            for key in ("html", "content", "markup"):
                if isinstance(inner.get(key), str):
                    return inner[key], name
        if isinstance(inner, str):
            return inner, None
    return "", None


@dataclass(frozen=True)
class Citation:
    """One entry of a publication list, with the year heading it stood under."""

    text: str
    html: str
    year_heading: int | None
    links: tuple[str, ...]


# The frame of a whole page: what stands in it is never an entry of the list.
FRAME_ANCESTORS = "ancestor::header or ancestor::footer or ancestor::nav or ancestor::aside"


def parse_citation_list(fragment: str, base_url: str) -> list[Citation]:
    """Citations (one per paragraph or list item) in document order, under year headings.

    A whole page (an HTML document with a head, not an AJAX fragment) holds more than its
    list: its frame (menus, footer address, sidebar) is skipped, and of the rest only what
    parses as a citation is kept (teasers of projects, post titles: issue 14).
    """
    page = Selector(text=fragment or "<div></div>")
    whole_page = bool(page.xpath("/html/head/*"))
    citations: list[Citation] = []
    year: int | None = None
    nodes = "//h1|//h2|//h3|//h4|//h5|//h6|//strong[not(ancestor::p)]|//p|//li"
    if whole_page:
        nodes = "|".join(f"{path}[not({FRAME_ANCESTORS})]" for path in nodes.split("|"))
    for node in page.xpath(nodes):
        text = " ".join(html.unescape(" ".join(node.css("::text").getall())).split())
        if not text:
            continue
        tag = node.root.tag
        match = YEAR_HEADING.match(text)
        if match and (tag.startswith("h") or tag == "strong" or len(text) == 4):
            year = int(match.group(1))
            continue
        if tag.startswith("h"):
            continue
        clean = node.xpath("self::*")[0]
        text = " ".join(html.unescape(" ".join(clean.css("::text").getall())).split())
        links = tuple(urljoin(base_url, h) for h in clean.css("a::attr(href)").getall())
        if whole_page and not is_citation(text):
            continue
        citations.append(Citation(text, clean.get(), year, links))
    return citations


def split_citations(
    citations: list[Citation], tab_name: str | None = None
) -> tuple[list[Citation], list[Citation]]:
    """The entries that parse as citations (authors or editors, year, title: at
    :data:`archive.citations.CITATION_MIN_CONFIDENCE`), and the rest: a tab's fragment may
    carry a project's teaser, post titles or an address around its list (issue 14)."""
    kept: list[Citation] = []
    dropped: list[Citation] = []
    for citation in citations:
        (kept if is_citation(citation.text, tab_name) else dropped).append(citation)
    return kept, dropped


READ_MORE = re.compile(r"^\s*(mehr lesen|weiterlesen|read more|mehr)\s*(»|›|\.\.\.|…)?\s*$", re.I)
LISTING_MIN_READ_MORE = 3


def is_listing(page_html: str) -> bool:
    """True for a page that lists other posts (several "Mehr lesen" links), not a post."""
    page = Selector(text=page_html or "<html/>")
    texts = (" ".join(a.css("::text").getall()) for a in page.css("main a, body a"))
    return sum(1 for text in texts if READ_MORE.match(text)) >= LISTING_MIN_READ_MORE


NEXT_PAGE_SELECTORS = (
    'link[rel="next"]::attr(href)',
    'a[rel="next"]::attr(href)',
    "a.next::attr(href)",  # classic paginate_links(): a.next.page-numbers
    "a.wp-block-query-pagination-next::attr(href)",  # block themes
    ".nav-previous a::attr(href)",  # classic "Older posts" (older is the next page)
)
PAGE_NUMBER = re.compile(r"/page/(\d+)/?$")


def next_page_link(page_html: str, base_url: str) -> str | None:
    """The next page of an archive: a ``rel=next`` link or a theme's pagination anchor, else
    a link to ``<archive>/page/N+1/``."""
    page = Selector(text=page_html or "<html/>")
    for selector in NEXT_PAGE_SELECTORS:
        href = page.css(selector).get()
        if href and href.strip():
            return urljoin(base_url, href.strip())
    path = urlsplit(base_url).path
    match = PAGE_NUMBER.search(path)
    number = int(match.group(1)) if match else 1
    archive = path[: match.start()] if match else path.rstrip("/")
    wanted = f"{archive}/page/{number + 1}"
    for href in page.css("a::attr(href)").getall():
        url = urljoin(base_url, href.strip())
        if urlsplit(url).path.rstrip("/") == wanted:
            return url
    return None


def page_links(page_html: str, base_url: str) -> list[str]:
    """Every link of a page, absolute, in order."""
    page = Selector(text=page_html or "<html/>")
    return [urljoin(base_url, h.strip()) for h in page.css("a::attr(href)").getall() if h.strip()]
