"""Tables for crawler.discovery: what to fetch, read off REST answers, sitemaps, feeds,
archive pages and the publication tabs' AJAX answers. Pure parsers over bytes and text."""

from __future__ import annotations

import json

import pytest

from crawler.discovery import (
    AjaxTabs,
    Citation,
    SitemapEntry,
    ajax_html,
    find_ajax_tabs,
    is_listing,
    is_listing_sitemap,
    next_page_link,
    page_links,
    parse_citation_list,
    parse_feed,
    parse_rest_list,
    parse_sitemap,
    rest_root,
    sitemaps_in_robots,
)

SITE = "https://www.ikpe-erfurt.de"
PUBLICATIONS = f"{SITE}/publikationen/"

# --------------------------------------------------------------------------------------
# REST
# --------------------------------------------------------------------------------------

# (page HTML, base URL, root), note.
REST_ROOT_CASES = [
    (f'<link rel="https://api.w.org/" href="{SITE}/wp-json/">', f"{SITE}/a/", f"{SITE}/wp-json/",
     "absolute root as WordPress prints it"),
    ('<link rel="https://api.w.org/" href="/wp-json/">', f"{SITE}/a/b/", f"{SITE}/wp-json/",
     "root-relative href made absolute"),
    (f'<link rel="https://api.w.org/" href="{SITE}/?rest_route=/">', f"{SITE}/",
     f"{SITE}/?rest_route=/", "plain permalinks: ?rest_route="),
    ('<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">', f"{SITE}/",
     None, "an alternate link is not the API root"),
    ('<a rel="https://api.w.org/" href="/wp-json/">x</a>', f"{SITE}/", None,
     "only a <link> announces the root"),
    ("", f"{SITE}/", None, "empty page"),
    (None, f"{SITE}/", None, "no page at all"),
]  # fmt: skip


@pytest.mark.parametrize(
    "html_text, base, root", [c[:3] for c in REST_ROOT_CASES], ids=[c[3] for c in REST_ROOT_CASES]
)
def test_rest_root(html_text: str | None, base: str, root: str | None) -> None:
    assert rest_root(html_text, base) == root


# (body bytes, list), note.
REST_LIST_CASES = [
    (b"[]", [], "an empty collection (past the last page)"),
    (b'[{"id": 1}, {"id": 2}]', [{"id": 1}, {"id": 2}], "a collection"),
    ('[{"title": "Prävention"}]'.encode(), [{"title": "Prävention"}], "UTF-8 text"),
    (b'[{"id": 1}, 2]', None, "a list with a non-object"),
    (b'{"code": "rest_no_route", "data": {"status": 404}}', None, "an error object"),
    (b'{"id": 1}', None, "a single object"),
    (b"null", None, "JSON null"),
    (b"<html><body>Wartungsmodus</body></html>", None, "an HTML maintenance page"),
    (b'[{"id": 1}', None, "cut short"),
    (b"\xff\xfe[", None, "not UTF-8"),
    (b"", None, "empty body"),
]


@pytest.mark.parametrize(
    "body, expected", [c[:2] for c in REST_LIST_CASES], ids=[c[2] for c in REST_LIST_CASES]
)
def test_parse_rest_list(body: bytes, expected: list | None) -> None:
    assert parse_rest_list(body) == expected


# --------------------------------------------------------------------------------------
# Sitemaps, robots.txt, feeds
# --------------------------------------------------------------------------------------

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc> https://www.ikpe-erfurt.de/wp-sitemap-posts-post-1.xml </loc>
<lastmod>2024-01-01T00:00:00+00:00</lastmod></sitemap>
<sitemap><loc>https://www.ikpe-erfurt.de/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>
<sitemap><loc></loc></sitemap>
</sitemapindex>"""
URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://www.ikpe-erfurt.de/a/</loc><lastmod>2024-02-02T10:00:00+00:00</lastmod></url>
<url><loc>https://www.ikpe-erfurt.de/b/</loc><lastmod> </lastmod></url>
</urlset>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/hostname">]>
<urlset><url><loc>&e;</loc></url></urlset>"""

# (body, children, pages), note.
SITEMAP_CASES = [
    (SITEMAP_INDEX,
     [SitemapEntry(f"{SITE}/wp-sitemap-posts-post-1.xml", "2024-01-01T00:00:00+00:00"),
      SitemapEntry(f"{SITE}/wp-sitemap-taxonomies-category-1.xml")],
     [], "index: children trimmed, empty <loc> skipped"),
    (URLSET, [],
     [SitemapEntry(f"{SITE}/a/", "2024-02-02T10:00:00+00:00"), SitemapEntry(f"{SITE}/b/")],
     "urlset: pages, a blank lastmod is none"),
    (b"<urlset><url><loc>https://www.ikpe-erfurt.de/c/</loc></url>", [],
     [SitemapEntry(f"{SITE}/c/")], "no namespace, cut short: recovered"),
    (XXE, [], [], "external entities are not resolved"),
    (b"<html><body>404</body></html>", [], [], "an HTML error page"),
    (b"kein xml", [], [], "not XML"),
    (b"", [], [], "empty body"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body, children, pages", [c[:3] for c in SITEMAP_CASES], ids=[c[3] for c in SITEMAP_CASES]
)
def test_parse_sitemap(body: bytes, children: list, pages: list) -> None:
    assert parse_sitemap(body) == (children, pages)


# (sitemap URL, lists archives?), note.
LISTING_SITEMAP_CASES = [
    (f"{SITE}/wp-sitemap-taxonomies-category-1.xml", True, "core: category taxonomy"),
    (f"{SITE}/wp-sitemap-taxonomies-post_tag-1.xml", True, "core: tags"),
    (f"{SITE}/wp-sitemap-users-1.xml", True, "core: authors"),
    (f"{SITE}/category-sitemap.xml", True, "Yoast: categories"),
    (f"{SITE}/post_tag-sitemap.xml", True, "Yoast: tags"),
    (f"{SITE}/author-sitemap.xml", True, "Yoast: authors"),
    (f"{SITE}/wp-sitemap-posts-post-1.xml", False, "core: posts"),
    (f"{SITE}/wp-sitemap-posts-page-1.xml", False, "core: pages"),
    (f"{SITE}/post-sitemap.xml", False, "Yoast: posts"),
    (f"{SITE}/category/wp-sitemap-posts-post-1.xml", False, "only the file name counts"),
]


@pytest.mark.parametrize(
    "url, expected",
    [c[:2] for c in LISTING_SITEMAP_CASES],
    ids=[c[2] for c in LISTING_SITEMAP_CASES],
)
def test_is_listing_sitemap(url: str, expected: bool) -> None:
    assert is_listing_sitemap(url) is expected


# (robots.txt, sitemaps), note.
ROBOTS_CASES = [
    ("User-agent: *\nDisallow: /wp-admin/\nSitemap: https://www.ikpe-erfurt.de/wp-sitemap.xml\n",
     [f"{SITE}/wp-sitemap.xml"], "WordPress's virtual robots.txt"),
    ("sitemap:   https://x.de/a.xml  \nSITEMAP: https://x.de/b.xml",
     ["https://x.de/a.xml", "https://x.de/b.xml"], "any case, value trimmed, in order"),
    ("Sitemap:\nSitemap:   \n", [], "empty values skipped"),
    ("# Sitemap: https://x.de/c.xml\nUser-agent: *", [], "a comment is no sitemap line"),
    ("", [], "empty robots.txt"),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected", [c[:2] for c in ROBOTS_CASES], ids=[c[2] for c in ROBOTS_CASES]
)
def test_sitemaps_in_robots(text: str, expected: list[str]) -> None:
    assert sitemaps_in_robots(text) == expected


RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<link>https://www.ikpe-erfurt.de/</link>
<item><title>A</title><link> https://www.ikpe-erfurt.de/a/ </link></item>
<item><title>Leer</title><link></link></item>
<item><link>https://www.ikpe-erfurt.de/b/</link></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<link href="https://www.ikpe-erfurt.de/"/>
<entry><link href="https://www.ikpe-erfurt.de/e1/"/></entry>
<entry><link rel="alternate" href="https://www.ikpe-erfurt.de/e2/"/></entry>
</feed>"""

# (body, links), note.
FEED_CASES = [
    (RSS, [f"{SITE}/a/", f"{SITE}/b/"], "RSS: item links only, trimmed, empty skipped"),
    (ATOM, [f"{SITE}/e1/", f"{SITE}/e2/"], "Atom: entry links only, not the feed's"),
    (b"<html><body>Fehler</body></html>", [], "an HTML page"),
    (b"kein feed", [], "not XML"),
    (b"", [], "empty body"),
]


@pytest.mark.parametrize("body, links", [c[:2] for c in FEED_CASES], ids=[c[2] for c in FEED_CASES])
def test_parse_feed(body: bytes, links: list[str]) -> None:
    assert parse_feed(body) == links


# --------------------------------------------------------------------------------------
# The publication tabs over admin-ajax.php
# --------------------------------------------------------------------------------------

TABS_PAGE = """<html><body>
<ul class="tabs"><li data-tab="pub">Publikationen</li><li data-tab="presse"> Presse
 schau </li></ul>
<script>var ikpe = {"ajaxurl":"https:\\/\\/www.ikpe-erfurt.de\\/wp-admin\\/admin-ajax.php"};
jQuery.post(ikpe.ajaxurl, {action: 'ikpe_load_tab', tab: key});</script>
</body></html>"""

# (page HTML, base URL, tabs), note.
AJAX_TABS_CASES = [
    (TABS_PAGE, f"{SITE}/",
     AjaxTabs(f"{SITE}/wp-admin/admin-ajax.php", "ikpe_load_tab", ("pub", "presse"),
              ("Publikationen", "Presse schau")),
     "wp_localize_script's escaped URL, tab names whitespace-collapsed"),
    ('<div data-tab="1">A</div><script>$.ajax({url: "/wp-admin/admin-ajax.php", '
     'data: {"action": "load_pubs"}})</script>', f"{SITE}/x/",
     AjaxTabs(f"{SITE}/wp-admin/admin-ajax.php", "load_pubs", ("1",), ("A",)),
     "relative endpoint, quoted action key"),
    ('<script>var u = "/wp-admin/admin-ajax.php";</script>', f"{SITE}/", None, "no action"),
    ("<script>var data = {action: 'x'};</script>", f"{SITE}/", None, "no endpoint"),
    ('<p>"/wp-admin/admin-ajax.php" action: "x"</p>', f"{SITE}/", None,
     "only scripts are read"),
    ("", f"{SITE}/", None, "empty page"),
]  # fmt: skip


@pytest.mark.parametrize(
    "html_text, base, expected",
    [c[:3] for c in AJAX_TABS_CASES],
    ids=[c[3] for c in AJAX_TABS_CASES],
)
def test_find_ajax_tabs(html_text: str, base: str, expected: AjaxTabs | None) -> None:
    assert find_ajax_tabs(html_text, base) == expected


@pytest.mark.xfail(
    strict=True, reason="bug: tab names are not paired with their keys when a key repeats"
)
def test_ajax_tab_names_follow_their_keys() -> None:
    # A tab's button and its panel both carry data-tab, as many tab plugins print them.
    html_text = (
        '<button data-tab="pub">Publikationen</button><div data-tab="pub"></div>'
        '<button data-tab="presse">Presseschau</button><div data-tab="presse"></div>'
        "<script>jQuery.post('/wp-admin/admin-ajax.php', {action: 'tabs'});</script>"
    )
    tabs = find_ajax_tabs(html_text, f"{SITE}/")
    assert tabs is not None
    assert dict(zip(tabs.tabs, tabs.names, strict=True)) == {
        "pub": "Publikationen",
        "presse": "Presseschau",
    }


# (body, (HTML, tab name)), note.
AJAX_HTML_CASES = [
    (json.dumps({"success": True, "data": {"html": "<p>a</p>", "name": "Publikationen"}}),
     ("<p>a</p>", "Publikationen"), "wp_send_json_success with html and name"),
    (json.dumps({"success": True, "data": "<p>s</p>"}), ("<p>s</p>", None),
     "wp_send_json_success with a string"),
    (json.dumps({"html": "<p>h</p>"}), ("<p>h</p>", None), "a bare object with html"),
    (json.dumps({"data": {"content": "<p>c</p>", "name": 5}}), ("<p>c</p>", None),
     "content key; a non-string name is dropped"),
    (json.dumps({"data": {"markup": "<p>m</p>"}}), ("<p>m</p>", None), "markup key"),
    ("<h4>2020</h4><p>Zitat</p>", ("<h4>2020</h4><p>Zitat</p>", None), "plain HTML answer"),
    (json.dumps({"success": False, "data": None}), ("", None), "wp_send_json_error"),
    (json.dumps({"data": {"count": 3}}), ("", None), "an object without HTML"),
    ("[1, 2]", ("", None), "a JSON list"),
    ("", ("", None), "empty answer"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body, expected", [c[:2] for c in AJAX_HTML_CASES], ids=[c[2] for c in AJAX_HTML_CASES]
)
def test_ajax_html(body: str, expected: tuple[str, str | None]) -> None:
    assert ajax_html(body.encode()) == expected


def test_ajax_html_of_bytes_that_are_not_utf8() -> None:
    text, name = ajax_html(b"<p>Gr\xfc\xdfe</p>")
    assert text == "<p>Gr\ufffd\ufffde</p>"
    assert name is None


# --------------------------------------------------------------------------------------
# Publication lists
# --------------------------------------------------------------------------------------

# (fragment, [(text, year, links)]), note.
CITATION_CASES = [
    ("<h2>2021</h2><p>Müller, A. (2021): Armut. Erfurt.</p><p>Huber, B. (2021): Teilhabe.</p>",
     [("Müller, A. (2021): Armut. Erfurt.", 2021, ()),
      ("Huber, B. (2021): Teilhabe.", 2021, ())], "h2 year heading, paragraphs"),
    ("<h4>2020</h4><ul><li>Eins (2020)</li><li>Zwei &amp; Drei (2020)</li></ul>",
     [("Eins (2020)", 2020, ()), ("Zwei & Drei (2020)", 2020, ())],
     "h4 heading, list items, entities decoded"),
    ("<p><strong>2019</strong></p><p>Alt (2019)</p>", [("Alt (2019)", 2019, ())],
     "a year in bold inside a paragraph"),
    ("<strong>2018</strong><br><p>C (2018)</p>", [("C (2018)", 2018, ())],
     "a bare <strong> year"),
    ("<p>2017</p><p>D (2017)</p>", [("D (2017)", 2017, ())], "a bare year paragraph"),
    ("<p> 2016 </p><p>E</p><h3>2015</h3><p>F</p>", [("E", 2016, ()), ("F", 2015, ())],
     "headings change the year in document order"),
    ("<p>Ohne Jahr</p><h2>2014</h2><p>G</p>", [("Ohne Jahr", None, ()), ("G", 2014, ())],
     "citations before the first heading have no year"),
    ("<h2>Publikationen</h2><p>H</p>", [("H", None, ())], "a heading that is no year is skipped"),
    ("<h2>2013</h2><p>Jahr 2013</p><p>1850</p>", [("Jahr 2013", 2013, ()), ("1850", 2013, ())],
     "only a bare 19xx/20xx is a year"),
    ("<h2>2012</h2><p>I <a href='/wp-content/uploads/i.pdf'>PDF</a> <a href='https://doi.org/"
     "10.1/x'>DOI</a></p>",
     [("I PDF DOI", 2012, (f"{SITE}/wp-content/uploads/i.pdf", "https://doi.org/10.1/x"))],
     "links made absolute, in order"),
    ("<h2>2011</h2><p>J (2011).</p><aside class='note'>[generiert]</aside><p>K</p>",
     [("J (2011).", 2011, ()), ("K", 2011, ())], "an <aside> note beside a citation"),
    ("<p>   </p><p>&nbsp;</p>", [], "empty paragraphs"),
    ("", [], "empty fragment"),
]  # fmt: skip


@pytest.mark.parametrize(
    "fragment, expected", [c[:2] for c in CITATION_CASES], ids=[c[2] for c in CITATION_CASES]
)
def test_parse_citation_list(fragment: str, expected: list[tuple]) -> None:
    citations = parse_citation_list(fragment, PUBLICATIONS)
    assert [(c.text, c.year_heading, c.links) for c in citations] == expected


def test_citation_keeps_its_html() -> None:
    fragment = '<h2>2021</h2><p class="citation">Müller (2021): <em>Armut</em></p>'
    assert parse_citation_list(fragment, PUBLICATIONS) == [
        Citation(
            "Müller (2021): Armut",
            '<p class="citation">Müller (2021): <em>Armut</em></p>',
            2021,
            (),
        )
    ]


# Citations the module's rules say should come out otherwise.
CITATION_BUG_CASES = [
    ("<h2>2020</h2><ul><li>Huber (2020): Teilhabe. <aside>[generiert]</aside></li></ul>",
     [("Huber (2020): Teilhabe.", 2020, ())], "an <aside> note inside a list item"),
    ("<h2>2020</h2><ul><li><p>Huber (2020): Teilhabe.</p></li></ul>",
     [("Huber (2020): Teilhabe.", 2020, ())],
     "a paragraph inside a list item is one citation, not two"),
    ("<h2>2019</h2><p>Müller (2019): <em>Armut</em>. Erfurt: IKPE.</p>",
     [("Müller (2019): Armut. Erfurt: IKPE.", 2019, ())],
     "an italic title followed by a full stop gains no space"),
]  # fmt: skip


@pytest.mark.xfail(strict=True, reason="bug: see the row's id (reported)")
@pytest.mark.parametrize(
    "fragment, expected",
    [c[:2] for c in CITATION_BUG_CASES],
    ids=[c[2] for c in CITATION_BUG_CASES],
)
def test_parse_citation_list_documented(fragment: str, expected: list[tuple]) -> None:
    citations = parse_citation_list(fragment, PUBLICATIONS)
    assert [(c.text, c.year_heading, c.links) for c in citations] == expected


# --------------------------------------------------------------------------------------
# Archive pages: listing detection, pagination, links
# --------------------------------------------------------------------------------------


def teasers(label: str, count: int) -> str:
    return "".join(
        f'<article><h2><a href="/p{n}/">Beitrag {n}</a></h2><p>Anriss</p>'
        f'<a class="more-link" href="/p{n}/">{label}</a></article>'
        for n in range(count)
    )


# (page HTML, listing?), note.
LISTING_CASES = [
    (f"<main>{teasers('MEHR LESEN', 3)}</main>", True, "three MEHR LESEN links (the site's)"),
    (f"<main>{teasers('Weiterlesen »', 3)}</main>", True, "weiterlesen with a guillemet"),
    (f"<main>{teasers('weiterlesen …', 4)}</main>", True, "lower case, ellipsis"),
    (f"<main>{teasers('Mehr lesen...', 3)}</main>", True, "three dots"),
    (f"<main>{teasers('Read more ›', 3)}</main>", True, "English theme"),
    (f"<body>{teasers('mehr', 3)}</body>", True, "bare 'mehr', no <main>"),
    (f"<main>{teasers('MEHR LESEN', 2)}</main>", False, "two are not enough"),
    (f"<body><main>{teasers('MEHR LESEN', 2)}</main></body>", False,
     "a link inside <main> and <body> counts once"),
    (f"<main>{teasers('Mehr lesen Sie im Bericht', 3)}</main>", False,
     "a sentence starting with 'Mehr lesen' is no read-more link"),
    ("<main><p>Mehr lesen</p><p>Mehr lesen</p><p>Mehr lesen</p></main>", False,
     "text that is not a link"),
    ("", False, "empty page"),
]  # fmt: skip


@pytest.mark.parametrize(
    "html_text, expected", [c[:2] for c in LISTING_CASES], ids=[c[2] for c in LISTING_CASES]
)
def test_is_listing(html_text: str, expected: bool) -> None:
    assert is_listing(html_text) is expected


NEWS = f"{SITE}/category/news/"
NEWS_3 = f"{SITE}/category/news/page/3/"

# (page HTML, base URL, next page), note.
NEXT_PAGE_CASES = [
    ('<link rel="next" href="/category/news/page/2/">', NEWS, f"{NEWS}page/2/",
     "link rel=next in the head (SEO plugins)"),
    ('<a rel="next" href="page/2/">Ältere</a>', NEWS, f"{NEWS}page/2/", "a rel=next, relative"),
    (f'<a class="prev page-numbers" href="{NEWS}">«</a><a class="next page-numbers" '
     f'href="{NEWS}page/2/">»</a>', NEWS, f"{NEWS}page/2/", "paginate_links(): a.next"),
    ('<a class="wp-block-query-pagination-next" href="?query-1-page=2">Weiter</a>', NEWS,
     f"{NEWS}?query-1-page=2", "block theme's query pagination"),
    ('<div class="nav-previous"><a href="/category/news/page/2/">Ältere Beiträge</a></div>'
     '<div class="nav-next"><a href="/neuere/">Neuere</a></div>', NEWS, f"{NEWS}page/2/",
     "classic 'older posts' is the next page"),
    ('<a rel="next" href="  ">kaputt</a><a class="next" href="/weiter/">»</a>', NEWS,
     f"{SITE}/weiter/", "a blank rel=next is skipped"),
    ('<a href="/category/news/page/2/">2</a><a href="/category/news/page/3/">3</a>', NEWS,
     f"{NEWS}page/2/", "numbered links only: page 2 of the first page"),
    ('<a href="/category/news/page/2/">2</a><a href="/category/news/page/4/">4</a>', NEWS_3,
     f"{NEWS}page/4/", "numbered links: N+1 of page N"),
    ('<a href="/category/news/page/4">4</a>', NEWS_3, f"{NEWS}page/4",
     "numbered link without a trailing slash"),
    ('<a href="/page/2/">2</a>', f"{SITE}/", f"{SITE}/page/2/", "the posts page at the root"),
    ('<a href="/category/other/page/2/">2</a>', NEWS, None, "another archive's page 2"),
    ('<a href="/category/news/page/2/">2</a>', NEWS_3, None, "only earlier pages"),
    ("<p>Keine Seiten</p>", NEWS, None, "no pagination"),
    ("", NEWS, None, "empty page"),
]  # fmt: skip


@pytest.mark.parametrize(
    "html_text, base, expected",
    [c[:3] for c in NEXT_PAGE_CASES],
    ids=[c[3] for c in NEXT_PAGE_CASES],
)
def test_next_page_link(html_text: str, base: str, expected: str | None) -> None:
    assert next_page_link(html_text, base) == expected


# (page HTML, links), note.
PAGE_LINK_CASES = [
    ('<a href=" /a/ ">a</a><a href="https://o.de/b">b</a>', [f"{SITE}/a/", "https://o.de/b"],
     "trimmed, absolute, in order"),
    ('<a href="rel/">r</a><a href="#top">t</a>', [f"{SITE}/x/rel/", f"{SITE}/x/#top"],
     "relative to the page, fragments kept"),
    ('<a href="">leer</a><a href="   ">blank</a><a>kein href</a>', [], "no usable href"),
    ('<a href="/a/">1</a><a href="/a/">2</a>', [f"{SITE}/a/", f"{SITE}/a/"], "repeats kept"),
    ("", [], "empty page"),
]  # fmt: skip


@pytest.mark.parametrize(
    "html_text, links", [c[:2] for c in PAGE_LINK_CASES], ids=[c[2] for c in PAGE_LINK_CASES]
)
def test_page_links(html_text: str, links: list[str]) -> None:
    assert page_links(html_text, f"{SITE}/x/") == links
