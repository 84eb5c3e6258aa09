"""Tables for crawler.extract: a page's raw fields and the signal each came from.

The pages are small hand-written documents in the markup of common WordPress themes (a
classic theme, a block theme, an SEO plugin's head) and of plain custom themes, not the
replica's templates. Each row says which signal should win, following the module's
documented chain: WordPress's standard signals first, the theme's visible text last.
"""

from __future__ import annotations

import pytest

from archive.htmltext import html_to_text
from crawler.extract import (
    Extracted,
    body_links,
    extract_page,
    extract_rest_entry,
    is_listing_body,
    iso_date,
)

SITE = "https://www.ikpe-erfurt.de"
URL = f"{SITE}/2024/03/fachtag-armut/"


def page(head: str = "", body: str = "", body_class: str = "") -> str:
    """A minimal HTML document around ``head`` and ``body``."""
    attr = f' class="{body_class}"' if body_class else ""
    return (
        f'<!DOCTYPE html><html lang="de-DE"><head><meta charset="UTF-8">{head}</head>'
        f"<body{attr}>{body}</body></html>"
    )


# A classic theme (Twenty Twenty-One style): masthead, menu, one article, widgets, footer.
CLASSIC = page(
    head=(
        "<title>Fachtag Armut und Teilhabe &#8211; IKPE Erfurt</title>"
        '<link rel="canonical" href="/2024/03/fachtag-armut/">'
        f'<link rel="shortlink" href="{SITE}/?p=412">'
        f'<link rel="https://api.w.org/" href="{SITE}/wp-json/">'
        "<style>.entry-title{color:#333}</style>"
    ),
    body_class="post-template-default single single-post postid-412 single-format-standard",
    body=(
        '<div id="cookie-notice">Wir verwenden Cookies. '
        '<a href="/datenschutz/">Datenschutzerklärung</a></div>'
        '<header id="masthead"><p class="site-title">IKPE Erfurt</p>'
        '<nav><ul><li><a href="/">Start</a></li><li><a href="/kontakt/">Kontakt</a></li>'
        "</ul></nav></header>"
        '<main id="main">'
        '<article id="post-412" class="post-412 post type-post status-publish '
        'category-news category-termine">'
        '<header class="entry-header"><h1 class="entry-title">Fachtag <em>Armut</em> und '
        "Teilhabe</h1>"
        '<div class="entry-meta"><time class="entry-date published" '
        'datetime="2024-03-12T09:30:00+01:00">12. März 2024</time>'
        '<time class="updated" datetime="2024-03-14T11:00:00+01:00">14. März 2024</time>'
        '<span class="cat-links"><a href="/category/news/" rel="category tag">News</a>, '
        '<a href="/category/termine/" rel="category tag"> Termine </a></span></div></header>'
        '<div class="entry-content"><p>Am 12.03.2024 fand in Erfurt der Fachtag statt.</p>'
        '<p>Mehr im <a href="/wp-content/uploads/2024/03/programm.pdf">Programm</a>.</p>'
        "</div>"
        '<footer class="entry-footer">Veröffentlicht in News</footer>'
        "</article>"
        '<aside class="widget-area"><h2>Neueste Beiträge</h2>'
        '<time datetime="2023-01-01">1. Januar 2023</time></aside>'
        "</main>"
        '<footer id="colophon">© IKPE Erfurt</footer>'
        "<script>var ikpe = {tracking: true};</script>"
    ),
)

# A block theme (Twenty Twenty-Three style): no <article>, blocks carry the signals.
BLOCK = page(
    head=(
        "<title>Fachtag 2024 – IKPE Erfurt</title>"
        '<link rel="alternate" type="application/json" '
        f'href="{SITE}/wp-json/wp/v2/posts/77">'
    ),
    body_class="wp-singular post-template-default single single-post wp-embed-responsive",
    body=(
        '<div class="wp-site-blocks"><header class="wp-block-template-part">'
        '<nav class="wp-block-navigation"><a href="/">Start</a></nav></header>'
        '<main class="wp-block-group">'
        '<h1 class="wp-block-post-title">Fachtag 2024</h1>'
        '<div class="wp-block-post-date"><time datetime="2024-05-02T10:00:00+02:00">'
        "2. Mai 2024</time></div>"
        '<div class="taxonomy-category wp-block-post-terms"><a href="/category/news/">News'
        '</a><span>, </span><a href="/category/fachtage/">Fachtage</a></div>'
        '<div class="entry-content wp-block-post-content"><p>Text des Fachtags.</p></div>'
        '<div class="wp-block-latest-posts"><time datetime="2020-01-01T00:00:00+01:00">'
        "1. Januar 2020</time></div>"
        '</main><footer class="wp-block-template-part">Fußzeile</footer></div>'
    ),
)

# A classic theme under an SEO plugin (Yoast style): JSON-LD graph, Open Graph tags.
SEO = page(
    head=(
        "<title>Kita-Sozialarbeit wirkt - IKPE Erfurt</title>"
        '<meta property="og:site_name" content="IKPE Erfurt">'
        '<meta property="og:title" content="Kita-Sozialarbeit wirkt - IKPE Erfurt">'
        f'<meta property="og:url" content="{SITE}/kita-sozialarbeit-wirkt/">'
        '<meta property="article:published_time" content="2023-11-20T08:15:00+00:00">'
        '<meta property="article:modified_time" content="2023-11-21T08:15:00+00:00">'
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebPage","@id":"x"},{"@type":"Article","headline":'
        '"Kita-Sozialarbeit wirkt &#8211; Bilanz","datePublished":"2023-11-20T09:15:00+01:00",'
        '"dateModified":"2023-11-22T10:00:00+01:00"}]}</script>'
    ),
    body_class="post-template-default single single-post postid-901",
    body='<article id="post-55"><div itemprop="articleBody"><p>Rumpf</p></div></article>',
)

# A plain custom theme: no WordPress classes, a long menu first, a bare date line above
# the headline, a cookie banner, a sidebar and a long footer.
MENU = "".join(
    f'<a href="/{n}/">{n.title()}</a>'
    for n in (
        "start", "institut", "projekte", "publikationen", "presse", "team", "kontakt",
        "impressum", "datenschutz", "newsletter", "termine", "archiv", "suche",
    )
)  # fmt: skip
CUSTOM = page(
    head="<title>IKPE Erfurt | Neues Projekt gestartet</title>",
    body=(
        f'<div id="top"><nav class="menu">{MENU}</nav></div>'
        '<div class="cookie-consent">Diese Website nutzt Cookies. <button>OK</button></div>'
        '<div class="inhalt">'
        '<div class="datum">05.02.2024</div>'
        "<h1>Neues Projekt gestartet</h1>"
        '<div class="text"><p>Das IKPE startet ein neues Projekt zur kommunalen '
        "Armutsprävention in Thüringen.</p>"
        "<p>Weitere Informationen folgen in Kürze auf dieser Seite und im Newsletter.</p>"
        "<aside>Randnotiz: ein langer Hinweis, der nicht zum Beitrag gehört, obwohl er "
        "sehr viel Text enthält.</aside>"
        "<style>.text p{margin:0}</style>"
        "<script>trackPageView('neues-projekt');</script></div>"
        '<div class="sidebar"><p>Kurz</p></div>'
        "</div>"
        "<footer><p>Impressum · Datenschutz · Kontakt · ein langer Fußzeilentext, der nicht "
        "zum Beitrag gehört und länger ist als der Beitrag selbst, wirklich viel länger.</p>"
        "</footer>"
    ),
)

# A classic theme's static page: page-id body class, theme-specific content class.
STATIC_PAGE = page(
    head=(f'<title>Team | IKPE Erfurt</title><link rel="shortlink" href="{SITE}/?page_id=9">'),
    body_class="page-template-default page page-id-9",
    body=(
        '<main><article id="post-9" class="page"><h1 class="entry-title">Team</h1>'
        '<div class="post-content"><p>Wir sind das Team.</p></div></article></main>'
    ),
)

PAGES = {"classic": CLASSIC, "block": BLOCK, "seo": SEO, "custom": CUSTOM, "page": STATIC_PAGE}

# (page, field, value, provenance), note.
FIELD_CASES = [
    ("classic", "title", "Fachtag Armut und Teilhabe", "html:.entry-title", "h1.entry-title"),
    ("classic", "published", "2024-03-12T09:30:00+01:00", "html:time.published",
     "time.entry-date.published[datetime], not the widget's <time> in the sidebar"),
    ("classic", "modified", "2024-03-14T11:00:00+01:00", "html:time.updated", "time.updated"),
    ("classic", "wp_id", 412, "html:shortlink", "shortlink ?p=412 comes first"),
    ("classic", "categories", ["News", "Termine"], "html:rel=category",
     "a[rel~=category] texts, whitespace trimmed, in order"),
    ("classic", "canonical", URL, "html:canonical", "relative canonical made absolute"),
    ("block", "title", "Fachtag 2024", "html:.entry-title", "h1.wp-block-post-title"),
    ("block", "published", "2024-05-02T10:00:00+02:00", "html:wp-block-post-date",
     "block theme's post date, not the latest-posts block after the content"),
    ("block", "wp_id", 77, "html:rest-alternate", "id from the REST alternate link"),
    ("block", "is_page", False, "html:rest-alternate", "/wp/v2/posts/ is a post"),
    ("block", "categories", ["News", "Fachtage"], "html:taxonomy-category",
     "post-terms block of the category taxonomy"),
    ("seo", "title", "Kita-Sozialarbeit wirkt – Bilanz", "json-ld:headline",
     "JSON-LD in an @graph wins over og:title, entities decoded"),
    ("seo", "published", "2023-11-20T09:15:00+01:00", "json-ld:datePublished",
     "JSON-LD datePublished first"),
    ("seo", "modified", "2023-11-22T10:00:00+01:00", "json-ld:dateModified",
     "JSON-LD dateModified first"),
    ("seo", "wp_id", 901, "html:body-class", "no shortlink: body class postid-901 before "
     "article#post-55"),
    ("seo", "canonical", f"{SITE}/kita-sozialarbeit-wirkt/", "meta:og:url",
     "no link rel=canonical: og:url"),
    ("seo", "body_html", '<div itemprop="articleBody"><p>Rumpf</p></div>',
     "html:itemprop=articleBody", "schema.org articleBody"),
    ("custom", "title", "Neues Projekt gestartet", "theme:headline-in-title",
     "the heading <title> holds after the site name"),
    ("custom", "visible_date", "2024-02-05", "theme:date-line",
     "bare DD.MM.YYYY line before the headline, found behind a 13-link menu"),
    ("custom", "canonical", URL, "response-url", "no canonical signal: the response URL"),
    ("page", "wp_id", 9, "html:shortlink", "shortlink ?page_id=9"),
    ("page", "is_page", True, "html:body-class", "body class page-id-9"),
    ("page", "title", "Team", "html:.entry-title", "page title without the site name"),
    ("page", "body_html", '<div class="post-content"><p>Wir sind das Team.</p></div>',
     "theme:.post-content", "theme's .post-content"),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, field, value, source",
    [case[:4] for case in FIELD_CASES],
    ids=[f"{c[0]}-{c[1]}: {c[4]}" for c in FIELD_CASES],
)
def test_theme_pages(name: str, field: str, value, source: str) -> None:
    result = extract_page(PAGES[name], URL)
    assert result.fields.get(field) == value
    assert result.provenance.get(field) == source


# (page, fields that must be absent), note.
ABSENT_CASES = [
    ("classic", ("visible_date", "is_page"), "the only DD.MM.YYYY is inside a sentence"),
    ("block", ("modified",), "no modified signal on the page"),
    ("custom", ("wp_id", "published", "categories"), "no WordPress signals at all"),
    ("seo", ("categories", "visible_date"), "none given"),
]


@pytest.mark.parametrize(
    "name, absent", [c[:2] for c in ABSENT_CASES], ids=[c[2] for c in ABSENT_CASES]
)
def test_missing_signals_give_missing_fields(name: str, absent: tuple[str, ...]) -> None:
    result = extract_page(PAGES[name], URL)
    for field in absent:
        assert field not in result.fields
        assert field not in result.provenance


def test_every_field_has_its_provenance() -> None:
    for html_text in PAGES.values():
        result = extract_page(html_text, URL)
        # "<field>.<library>" keys hold a library's verdict beside the field's winner.
        assert set(result.fields) == {key.split(".")[0] for key in result.provenance}
        assert all(isinstance(source, str) and source for source in result.provenance.values())


# --------------------------------------------------------------------------------------
# Body: .entry-content, and the page's chrome kept out
# --------------------------------------------------------------------------------------

# (page, text that must be in the body, text that must not), note.
BODY_CASES = [
    ("classic", "Am 12.03.2024 fand in Erfurt", "Wir verwenden Cookies", "cookie notice"),
    ("classic", "Programm", "site-title", "masthead header"),
    ("classic", "Programm", "Kontakt", "nav menu"),
    ("classic", "Programm", "Neueste Beiträge", "aside widget area"),
    ("classic", "Programm", "© IKPE Erfurt", "site footer"),
    ("classic", "Programm", "Veröffentlicht in News", "entry footer outside .entry-content"),
    ("classic", "Programm", "ikpe = {tracking", "script"),
    ("classic", "Programm", "color:#333", "style in the head"),
    ("classic", "Programm", "entry-title", "the headline is not part of the body"),
    ("block", "Text des Fachtags", "Fußzeile", "block theme footer template part"),
    ("block", "Text des Fachtags", "1. Januar 2020", "latest-posts block after the content"),
    ("custom", "Armutsprävention in Thüringen", "Diese Website nutzt Cookies",
     "fallback: .cookie-consent banner"),
    ("custom", "Weitere Informationen", "Randnotiz", "fallback: <aside> inside the text block"),
    ("custom", "Weitere Informationen", "trackPageView", "fallback: <script>"),
    ("custom", "Weitere Informationen", "margin:0", "fallback: <style>"),
    ("custom", "Weitere Informationen", "Fußzeilentext",
     "fallback: a footer longer than the post is still chrome"),
    ("custom", "Weitere Informationen", "Publikationen", "fallback: the menu"),
    ("custom", "Weitere Informationen", "Kurz", "fallback: the sidebar is a smaller block"),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, kept, dropped", [c[:3] for c in BODY_CASES], ids=[c[3] for c in BODY_CASES]
)
def test_body_keeps_the_post_and_drops_chrome(name: str, kept: str, dropped: str) -> None:
    body = extract_page(PAGES[name], URL).fields["body_html"]
    assert kept in body
    assert dropped not in body


def test_fallback_body_is_the_content_after_the_headline() -> None:
    result = extract_page(CUSTOM, URL)
    assert result.provenance["body_html"] == "theme:content-after-headline"
    assert result.fields["body_html"].startswith('<div class="text">')


def test_without_a_headline_the_body_is_the_largest_block_of_paragraphs() -> None:
    result = extract_page(CUSTOM.replace("<h1>", "<p>").replace("</h1>", "</p>"), URL)
    assert result.provenance["body_html"] == "theme:largest-text-block"
    assert result.fields["body_html"].startswith('<div class="text">')


def test_entry_content_wins_over_a_larger_block_elsewhere() -> None:
    long_text = "<p>" + "Sehr langer Text im Kasten neben dem Beitrag. " * 20 + "</p>"
    html_text = page(
        body=(
            f'<main><div class="kasten">{long_text}</div>'
            '<div class="entry-content"><p>Kurzer Beitrag.</p></div></main>'
        )
    )
    result = extract_page(html_text, URL)
    assert result.fields["body_html"] == '<div class="entry-content"><p>Kurzer Beitrag.</p></div>'
    assert result.provenance["body_html"] == "html:.entry-content"


# --------------------------------------------------------------------------------------
# Titles
# --------------------------------------------------------------------------------------

# (head, body, title, provenance), note.
TITLE_CASES = [
    ("<title>Fachtag Armut | IKPE Erfurt</title>", "<p>x</p>", "Fachtag Armut", "html:title",
     "Title | Site: site name cut from <title>"),
    ("<title>Fachtag Armut &#8211; IKPE Erfurt</title>", "<p>x</p>", "Fachtag Armut",
     "html:title", "Title – Site (en dash entity)"),
    ("<title>Fachtag Armut — IKPE Erfurt</title>", "<p>x</p>", "Fachtag Armut", "html:title",
     "Title — Site (em dash)"),
    ("<title>Fachtag Armut</title>", "<p>x</p>", "Fachtag Armut", "html:title",
     "a bare <title> stays whole"),
    ("<title>  Fachtag\n   Armut  </title>", "<p>x</p>", "Fachtag Armut", "html:title",
     "whitespace collapsed"),
    ("<title>Armut – Teilhabe – Prävention – IKPE Erfurt</title>", "<p>x</p>",
     "Armut – Teilhabe – Prävention", "html:title",
     "dashes inside the title survive, only the last segment (the site) goes"),
    ('<meta property="og:title" content="Fachtag Armut | IKPE Erfurt">'
     "<title>Fachtag Armut | IKPE Erfurt</title>", "<p>x</p>", "Fachtag Armut",
     "meta:og:title", "og:title with the site name appended, guessed from <title>"),
    ('<meta property="og:site_name" content="IKPE Erfurt">'
     '<meta property="og:title" content="Armut - was tun? - IKPE Erfurt">', "<p>x</p>",
     "Armut - was tun?", "meta:og:title", "og:site_name says exactly what to cut"),
    ('<meta property="og:title" content="Vom Plugin">', '<h1 class="entry-title">Vom Theme</h1>',
     "Vom Plugin", "meta:og:title", "og:title before the theme's entry title"),
    ('<title>X | IKPE</title>', '<h1 class="entry-title">Erster</h1><h3 class="entry-title">'
     "Verwandter Beitrag</h3>", "Erster", "html:.entry-title",
     "the first entry title only, not a related post's"),
    ("<title>X | IKPE</title>", '<main><p class="kicker">Nachricht</p><h1>Der <b>Titel</b></h1>'
     "</main>", "Der Titel", "theme:h1", "no entry-title class: the first h1 of <main>"),
    ('<script type="application/ld+json">[{"@type":"NewsArticle","headline":"Aus JSON-LD"}]'
     "</script><title>X | IKPE</title>", '<h1 class="entry-title">Aus HTML</h1>',
     "Aus JSON-LD", "json-ld:headline", "JSON-LD as a top-level list"),
    ('<script type="application/ld+json">{"@type": "Article", "headline": </script>'
     '<meta property="og:title" content="Nach kaputtem JSON-LD">', "<p>x</p>",
     "Nach kaputtem JSON-LD", "meta:og:title", "broken JSON-LD is skipped, not fatal"),
    ('<script type="application/ld+json">{"@type":"Article","headline":42}</script>'
     "<title>Zahl | IKPE</title>", "<p>x</p>", "Zahl", "html:title",
     "a non-string headline is no title"),
]  # fmt: skip


@pytest.mark.parametrize(
    "head, body, title, source", [c[:4] for c in TITLE_CASES], ids=[c[4] for c in TITLE_CASES]
)
def test_title(head: str, body: str, title: str, source: str) -> None:
    result = extract_page(page(head=head, body=body), URL)
    assert (result.fields.get("title"), result.provenance.get("title")) == (title, source)


# The site name in front ("Site – Title"), as some themes and SEO setups put it: cut when
# og:site_name names it (it used to be kept and the title dropped).
SITE_FIRST_CASES = [
    ("<title>IKPE Erfurt – Fachtag Armut</title>"
     '<meta property="og:site_name" content="IKPE Erfurt">', "Fachtag Armut",
     "Site – Title, the site named by og:site_name"),
    ("<title>IKPE Erfurt | Fachtag Armut</title>"
     '<meta property="og:site_name" content="IKPE Erfurt">', "Fachtag Armut",
     "Site | Title, the site named by og:site_name"),
    ('<meta property="og:site_name" content="IKPE Erfurt">'
     '<meta property="og:title" content="IKPE Erfurt | Fachtag Armut">', "Fachtag Armut",
     "og:title with the site name in front"),
]  # fmt: skip


@pytest.mark.parametrize(
    "head, title", [c[:2] for c in SITE_FIRST_CASES], ids=[c[2] for c in SITE_FIRST_CASES]
)
def test_title_with_the_site_name_in_front(head: str, title: str) -> None:
    assert extract_page(page(head=head, body="<p>x</p>"), URL).fields.get("title") == title


# Inline markup inside a word adds no space (text nodes used to be joined with one).
INLINE_TITLE_CASES = [
    ('<h1 class="entry-title">Sozial<em>planung</em> in Erfurt</h1>', "Sozialplanung in Erfurt",
     "entry title with emphasis inside a word"),
    ("<main><h1>Kita<strong>-</strong>Sozialarbeit</h1></main>", "Kita-Sozialarbeit",
     "theme h1 with a styled hyphen"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body, title", [c[:2] for c in INLINE_TITLE_CASES], ids=[c[2] for c in INLINE_TITLE_CASES]
)
def test_title_markup_inside_a_word(body: str, title: str) -> None:
    assert extract_page(page(body=body), URL).fields.get("title") == title


# --------------------------------------------------------------------------------------
# Posting dates
# --------------------------------------------------------------------------------------

PUBLISHED = '<time class="entry-date published" datetime="2024-03-12T09:30:00+01:00">x</time>'

# (head, body, field, value, provenance), note.
DATE_CASES = [
    ("", f"<article>{PUBLISHED}</article>", "published", "2024-03-12T09:30:00+01:00",
     "html:time.published", "time.entry-date.published"),
    ('<meta property="article:published_time" content="2024-03-12T08:30:00+00:00">',
     f"<article>{PUBLISHED.replace('09:30', '23:59')}</article>", "published",
     "2024-03-12T09:30:00+01:00", "meta:article:published_time",
     "meta before the theme's <time>, UTC shown in Berlin time"),
    ('<meta property="article:published_time" content="2024-07-01T08:00:00+00:00">', "",
     "published", "2024-07-01T10:00:00+02:00", "meta:article:published_time",
     "summer time: +02:00"),
    ('<meta property="article:modified_time" content="2024-03-20T12:00:00Z">', "",
     "modified", "2024-03-20T13:00:00+01:00", "meta:article:modified_time",
     "modified from meta, Z suffix"),
    ("", '<article><time class="published" datetime="2024-03-12">12.3.</time></article>',
     "published", "2024-03-12T00:00:00+01:00", "html:time.published",
     "time.published without entry-date; a bare date is site-local midnight"),
    ("", '<div class="wp-block-post-date"><time datetime="2024-05-02T10:00:00+02:00">x</time>'
     '</div><div class="entry-content"><p>x</p></div>', "published",
     "2024-05-02T10:00:00+02:00", "html:wp-block-post-date", "block theme post date"),
    ("", '<article><span class="posted-on"><time datetime="2024-01-15T08:00:00+01:00">x'
     "</time></span></article>", "published", "2024-01-15T08:00:00+01:00", "html:time",
     "any time[datetime] inside <article>"),
    ("", '<main><time datetime="2024-02-01T12:00:00+01:00">x</time>'
     '<div class="entry-content"><p>Text</p></div></main>', "published",
     "2024-02-01T12:00:00+01:00", "html:time", "no article: a time before .entry-content"),
    ("", "<main><p>12.03.2024</p><h1>Titel</h1><p>Text</p></main>", "visible_date",
     "2024-03-12", "theme:date-line", "bare date line before the headline"),
    ("", "<main><div class=\"datum\">  1.2.2024 </div><h1>Titel</h1></main>", "visible_date",
     "2024-02-01", "theme:date-line", "single-digit day and month, padded"),
    ("", f"<article>{PUBLISHED}<p>05.02.2024</p></article>", "visible_date", "2024-02-05",
     "theme:date-line", "the date line is kept beside a machine date"),
]  # fmt: skip


@pytest.mark.parametrize(
    "head, body, field, value, source",
    [c[:5] for c in DATE_CASES],
    ids=[c[5] for c in DATE_CASES],
)
def test_dates(head: str, body: str, field: str, value: str, source: str) -> None:
    result = extract_page(page(head=head, body=body), URL)
    assert (result.fields.get(field), result.provenance.get(field)) == (value, source)


FILLER = "".join(f"<p>Absatz {n}</p>" for n in range(12))

# (body, field), note: the field must stay empty.
NO_DATE_CASES = [
    ("<main><h1>Titel</h1><p>Am 12.03.2024 fand der Fachtag statt.</p></main>", "visible_date",
     "a date inside a sentence is no date line"),
    (f"<main>{FILLER}<p>12.03.2024</p></main>", "visible_date",
     "a date line far down the page (after 12 texts) is not the posting date"),
    ("<main><p>2024-03-12</p></main>", "visible_date", "ISO text is not the theme's format"),
    ('<div class="entry-content"><p>Text</p></div><time datetime="2020-01-01">x</time>',
     "published", "a time after the content (a widget) is not the posting date"),
    ('<article><time class="entry-date published" datetime="kein Datum">x</time></article>',
     "published", "unparseable datetime attribute"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body, field", [c[:2] for c in NO_DATE_CASES], ids=[c[2] for c in NO_DATE_CASES]
)
def test_no_date(body: str, field: str) -> None:
    assert field not in extract_page(page(body=body), URL).fields


def test_impossible_date_line_is_no_date() -> None:
    result = extract_page(page(body="<main><p>31.02.2024</p><h1>Titel</h1></main>"), URL)
    assert "visible_date" not in result.fields


# --------------------------------------------------------------------------------------
# Post ids
# --------------------------------------------------------------------------------------

# (head, body class, body, wp_id, provenance), note.
POST_ID_CASES = [
    (f'<link rel="shortlink" href="{SITE}/?p=123">', "postid-456", '<article id="post-789">',
     123, "html:shortlink", "shortlink ?p=N before everything"),
    (f'<link rel="shortlink" href="{SITE}/?lang=de&p=124">', "", "", 124, "html:shortlink",
     "&p=N in the shortlink"),
    ("", "single single-post postid-456 x", '<article id="post-789">', 456, "html:body-class",
     "body class postid-N before the article id"),
    ("", "page page-id-17", "", 17, "html:body-class", "body class page-id-N"),
    ("", "single", '<article id="post-789" class="post">', 789, "html:article-id",
     "article#post-N"),
    ("", "single", '<article id="main-post"></article><article id="post-790">', 790,
     "html:article-id", "the first article whose id is post-N"),
    (f'<link rel="shortlink" href="{SITE}/kurz/">', "", '<article id="post-12">', 12,
     "html:article-id", "a shortlink without ?p= gives nothing"),
    ('<link rel="alternate" type="application/json" '
     f'href="{SITE}/wp-json/wp/v2/pages/31">', "", "", 31, "html:rest-alternate",
     "REST alternate link of a page"),
]  # fmt: skip


@pytest.mark.parametrize(
    "head, body_class, body, wp_id, source",
    [c[:5] for c in POST_ID_CASES],
    ids=[c[5] for c in POST_ID_CASES],
)
def test_post_id(head: str, body_class: str, body: str, wp_id: int, source: str) -> None:
    result = extract_page(page(head=head, body=body, body_class=body_class), URL)
    assert (result.fields.get("wp_id"), result.provenance.get("wp_id")) == (wp_id, source)


# (body class, body), note: no wp_id.
NO_POST_ID_CASES = [
    ("blog", '<article id="post-3"></article><article id="post-4"></article>',
     "posts page: the articles are listed posts"),
    ("archive category category-news", '<article id="post-3"></article>', "category archive"),
    ("search search-results", '<article id="post-3"></article>', "search results"),
    ("single", '<article id="post-abc"></article><div id="post-5"></div>',
     "not post-N on an article"),
    ("xpostid-5", "", "postid- must start a class name"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body_class, body", [c[:2] for c in NO_POST_ID_CASES], ids=[c[2] for c in NO_POST_ID_CASES]
)
def test_no_post_id(body_class: str, body: str) -> None:
    assert "wp_id" not in extract_page(page(body=body, body_class=body_class), URL).fields


# (body class, listing?), note.
LISTING_BODY_CASES = [
    ("home blog", True, "the posts page"),
    ("archive date", True, "a date archive"),
    ("archive tag tag-armut", True, "a tag archive"),
    ("archive author author-admin", True, "an author archive"),
    ("search search-results", True, "search results"),
    ("post-template-default single single-post postid-5", False, "a single post"),
    ("page-template-default page page-id-9", False, "a page"),
    ("home page-template-default page page-id-2", False, "a static front page"),
    ("category-news-single single", False, "class names only containing a listing word"),
    ("", False, "no body class"),
]


@pytest.mark.parametrize(
    "body_class, expected",
    [c[:2] for c in LISTING_BODY_CASES],
    ids=[c[2] for c in LISTING_BODY_CASES],
)
def test_is_listing_body(body_class: str, expected: bool) -> None:
    assert is_listing_body(body_class) is expected


# --------------------------------------------------------------------------------------
# Categories and canonical
# --------------------------------------------------------------------------------------

# (body, categories, provenance), note.
CATEGORY_CASES = [
    ('<a rel="category tag" href="/c/a/">Aktuelles</a><a rel="tag" href="/t/x/">Schlagwort</a>',
     ["Aktuelles"], "html:rel=category", "rel~=category, plain tags left out"),
    ('<a rel="category" href="/c/a/"> Presse\n mitteilung </a><a rel="category"> </a>',
     ["Presse mitteilung"], "html:rel=category", "whitespace collapsed, empty names dropped"),
    ('<div class="taxonomy-category"><a href="/c/x/">Projekte</a></div>', ["Projekte"],
     "html:taxonomy-category", "block theme post terms"),
    ('<article class="post category-news category-fach-tage tag-armut"></article>',
     ["news", "fach-tage"], "html:article-class", "slugs from the article's classes"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body, categories, source", [c[:3] for c in CATEGORY_CASES], ids=[c[3] for c in CATEGORY_CASES]
)
def test_categories(body: str, categories: list[str], source: str) -> None:
    result = extract_page(page(body=body), URL)
    assert (result.fields.get("categories"), result.provenance.get("categories")) == (
        categories,
        source,
    )


# (head, canonical, provenance), note.
CANONICAL_CASES = [
    ('<link rel="canonical" href="https://www.ikpe-erfurt.de/b/">', f"{SITE}/b/",
     "html:canonical", "absolute canonical"),
    ('<link rel="canonical" href="../andere/">', f"{SITE}/2024/03/andere/", "html:canonical",
     "relative canonical resolved against the response URL"),
    ('<link rel="canonical" href="/c/"><meta property="og:url" content="https://x.de/d/">',
     f"{SITE}/c/", "html:canonical", "link rel=canonical before og:url"),
    ('<meta property="og:url" content="https://www.ikpe-erfurt.de/d/">', f"{SITE}/d/",
     "meta:og:url", "og:url alone"),
    ("", URL, "response-url", "nothing: the response URL"),
]  # fmt: skip


@pytest.mark.parametrize(
    "head, canonical, source",
    [c[:3] for c in CANONICAL_CASES],
    ids=[c[3] for c in CANONICAL_CASES],
)
def test_canonical(head: str, canonical: str, source: str) -> None:
    result = extract_page(page(head=head, body="<p>x</p>"), URL)
    assert (result.fields["canonical"], result.provenance["canonical"]) == (canonical, source)


# --------------------------------------------------------------------------------------
# Messy input
# --------------------------------------------------------------------------------------

MESSY_CASES = [
    ("", "empty text"),
    ("<<<>>> kein html \x00 </", "garbage with a NUL byte"),
    ("<html><head><title></title></head><body></body></html>", "empty document"),
    ('<html><body class="postid-"><article id="post-"><time datetime=""></time>', "cut short"),
    ('<script type="application/ld+json">{"@graph": [1, "x", null, {"headline": null}]}'
     "</script>", "JSON-LD graph of junk"),
]  # fmt: skip


@pytest.mark.parametrize("text", [c[0] for c in MESSY_CASES], ids=[c[1] for c in MESSY_CASES])
def test_messy_input_gives_missing_fields_never_an_exception(text: str) -> None:
    result = extract_page(text, URL)
    assert isinstance(result, Extracted)
    assert result.fields["canonical"] == URL
    assert not {"title", "wp_id", "published", "body_html"} & set(result.fields)


def test_offer_keeps_the_first_real_value() -> None:
    result = Extracted()
    for value, source in ((None, "a"), ("", "b"), ([], "c"), ({}, "d"), ("x", "e"), ("y", "f")):
        result.offer("title", value, source)
    assert (result.fields, result.provenance) == ({"title": "x"}, {"title": "e"})


# --------------------------------------------------------------------------------------
# body_links and iso_date
# --------------------------------------------------------------------------------------

# (body HTML, links), note.
BODY_LINK_CASES = [
    ('<p><a href="/a/">Eins</a> und <a href="https://x.org/b">Zwei <b>fett</b></a></p>',
     [(f"{SITE}/a/", "Eins"), ("https://x.org/b", "Zwei fett")],
     "root-relative made absolute, text of nested markup"),
    ('<a href="programm.pdf">Programm</a>', [(f"{URL}programm.pdf", "Programm")],
     "path-relative resolved against the post's URL"),
    ('<a href="  /pdf/x.pdf ">PDF</a>', [(f"{SITE}/pdf/x.pdf", "PDF")], "href stripped"),
    ('<a href="/a/">erste</a><a href="/a/">zweite</a>', [(f"{SITE}/a/", "erste")],
     "repeats dropped, the first text kept"),
    ('<a name="anker">Anker</a><a href="#top">nach oben</a>',
     [(f"{SITE}/2024/03/fachtag-armut/#top", "nach oben")], "no href: skipped"),
    ('<a href="mailto:info@ikpe-erfurt.de">Mail</a>', [("mailto:info@ikpe-erfurt.de", "Mail")],
     "mailto kept as it is"),
    ("<p>Kein Link</p>", [], "no anchors"),
    ("", [], "empty body"),
]  # fmt: skip


@pytest.mark.parametrize(
    "body, links", [c[:2] for c in BODY_LINK_CASES], ids=[c[2] for c in BODY_LINK_CASES]
)
def test_body_links(body: str, links: list[tuple[str, str]]) -> None:
    assert body_links(body, URL) == links


# (value, ISO in Europe/Berlin), note.
ISO_DATE_CASES = [
    ("2024-03-12", "2024-03-12T00:00:00+01:00", "bare date: site-local midnight"),
    ("2024-03-12T10:00:00", "2024-03-12T10:00:00+01:00", "naive: site-local, winter"),
    ("2024-07-01T10:00:00", "2024-07-01T10:00:00+02:00", "naive: site-local, summer"),
    ("2024-03-12 10:00:00", "2024-03-12T10:00:00+01:00", "WordPress's space form"),
    ("2024-03-12T09:00:00Z", "2024-03-12T10:00:00+01:00", "UTC with Z"),
    ("2024-03-12T09:00:00+00:00", "2024-03-12T10:00:00+01:00", "UTC with offset"),
    ("2024-03-12T10:00:00+01:00", "2024-03-12T10:00:00+01:00", "already Berlin"),
    ("2024-03-30T23:30:00Z", "2024-03-31T00:30:00+01:00", "UTC evening: next day in Berlin"),
    ("2024-10-27T01:30:00Z", "2024-10-27T02:30:00+01:00", "after the autumn change"),
    ("Tue, 12 Mar 2024 09:00:00 GMT", "2024-03-12T10:00:00+01:00", "HTTP date"),
    ("Tue, 12 Mar 2024 09:00:00 +0000", "2024-03-12T10:00:00+01:00", "RFC 2822"),
    ("12.03.2024", None, "German prose date is not a machine date"),
    ("2024-02-30", None, "impossible day"),
    ("garbage", None, "not a date"),
    ("", None, "empty"),
    (None, None, "None"),
    (20240312, None, "not a string"),
]


@pytest.mark.parametrize(
    "value, expected", [c[:2] for c in ISO_DATE_CASES], ids=[c[2] for c in ISO_DATE_CASES]
)
def test_iso_date(value, expected: str | None) -> None:
    assert iso_date(value) == expected


# --------------------------------------------------------------------------------------
# REST entries
# --------------------------------------------------------------------------------------

REST_POST = {
    "id": 412,
    "date": "2024-03-12T09:30:00",
    "date_gmt": "2024-03-12T08:30:00",
    "modified": "2024-07-01T12:00:00",
    "modified_gmt": "2024-07-01T10:00:00",
    "slug": "fachtag-armut",
    "type": "post",
    "link": f"{SITE}/2024/03/fachtag-armut/",
    "title": {"rendered": "Fachtag &#8222;Armut&#8220; <em>und</em> Teil<strong>habe</strong>"},
    "content": {"rendered": "<p>Text des Beitrags.</p>", "protected": False},
    "excerpt": {"rendered": "<p>Kurz.</p>"},
    "categories": [3, 99],
}

# (entry changes, field, value), note.
REST_CASES = [
    ({}, "wp_id", 412, "integer id"),
    ({}, "canonical", f"{SITE}/2024/03/fachtag-armut/", "link is the canonical URL"),
    ({}, "slug", "fachtag-armut", "slug"),
    ({}, "is_page", False, "type post"),
    ({"type": "page"}, "is_page", True, "type page"),
    ({}, "title", "Fachtag „Armut“ und Teilhabe",
     "rendered title: entities decoded, tags dropped without splitting words"),
    ({"title": "Schlichter Titel"}, "title", "Schlichter Titel", "title as a plain string"),
    ({}, "published", "2024-03-12T09:30:00+01:00", "date_gmt is UTC"),
    ({}, "modified", "2024-07-01T12:00:00+02:00", "modified_gmt in summer"),
    ({"date_gmt": None}, "published", "2024-03-12T09:30:00+01:00",
     "no date_gmt: date is site-local"),
    ({"date_gmt": "2024-03-12T08:30:00Z"}, "published", "2024-03-12T09:30:00+01:00",
     "date_gmt already with Z"),
    ({}, "body_html", "<p>Text des Beitrags.</p>", "content.rendered"),
    ({}, "excerpt_html", "<p>Kurz.</p>", "excerpt.rendered"),
    ({}, "categories", ["News", "99"], "ids named, an unknown id kept as its number"),
]  # fmt: skip


@pytest.mark.parametrize(
    "changes, field, value", [c[:3] for c in REST_CASES], ids=[c[3] for c in REST_CASES]
)
def test_rest_entry(changes: dict, field: str, value) -> None:
    result = extract_rest_entry({**REST_POST, **changes}, {3: "News"})
    assert result.fields.get(field) == value
    assert result.provenance[field].startswith("rest:")


# (entry, fields that must be absent), note.
REST_ABSENT_CASES = [
    ({"id": "412"}, ("wp_id",), "a string id is no id"),
    ({"date": None, "date_gmt": None}, ("published",), "no date"),
    ({"date_gmt": "bogus", "date": "also bogus"}, ("published",), "unparseable dates"),
    ({"title": {"rendered": ""}, "content": None, "excerpt": {}},
     ("title", "body_html", "excerpt_html"), "empty rendered fields"),
    ({"categories": "3"}, ("categories",), "categories not a list"),
    ({"categories": []}, ("categories",), "no categories"),
]  # fmt: skip


@pytest.mark.parametrize(
    "entry, absent", [c[:2] for c in REST_ABSENT_CASES], ids=[c[2] for c in REST_ABSENT_CASES]
)
def test_rest_entry_missing_fields(entry: dict, absent: tuple[str, ...]) -> None:
    fields = extract_rest_entry(entry, {}).fields
    assert not set(absent) & set(fields)


def test_rest_entry_of_an_empty_dict() -> None:
    result = extract_rest_entry({}, {})
    assert result.fields == {"is_page": False}
    assert result.provenance == {"is_page": "rest:type"}


def test_rest_and_html_agree_on_one_post() -> None:
    """The same post read through REST and through its HTML gives the same fields."""
    html_text = page(
        head=(
            f'<link rel="shortlink" href="{SITE}/?p=412">'
            '<link rel="canonical" href="https://www.ikpe-erfurt.de/2024/03/fachtag-armut/">'
        ),
        body=(
            '<article id="post-412"><h1 class="entry-title">Fachtag „Armut“ und Teilhabe</h1>'
            '<time class="entry-date published" datetime="2024-03-12T09:30:00+01:00">x</time>'
            '<a rel="category tag" href="/c/news/">News</a>'
            '<div class="entry-content"><p>Text des Beitrags.</p></div></article>'
        ),
    )
    from_html = extract_page(html_text, URL).fields
    from_rest = extract_rest_entry({**REST_POST, "categories": [3]}, {3: "News"}).fields
    for field in ("wp_id", "canonical", "title", "published", "categories"):
        assert from_html[field] == from_rest[field], field


# --------------------------------------------------------------------------------------
# Hostile pages (issue 13): scripts in headlines, terminal escapes, deep nesting
# --------------------------------------------------------------------------------------

ESC = "\x1b"
# (head, body, title), note: whatever signal gives the title, no code and no invisible or
# control character reaches it.
HOSTILE_TITLE_CASES = [
    ("", '<h1 class="entry-title">A<script>alert(2)</script></h1>', "A",
     "a script inside the entry title (it used to come out as 'A alert(2)')"),
    ("", "<main><h1>A <style>h1{color:red}</style>B</h1></main>", "A B",
     "a style sheet inside the theme's h1"),
    ("", '<h1 class="entry-title">A<noscript>kein JS</noscript><template>x</template></h1>',
     "A", "noscript and template inside the headline"),
    ("", f'<h1 class="entry-title">{ESC}[31mRot{ESC}[0m und {ESC}]0;pwned\x07Titel</h1>',
     "Rot und Titel", "ANSI colour and window-title escapes, removed whole"),
    ("", '<h1 class="entry-title">Fach\u200btag \u202eArmut\u202c\u2066 2024\u2069</h1>',
     "Fachtag Armut 2024", "zero-width and bidi override/isolate characters"),
    ("", '<h1 class="entry-title">Tab\tund\x00NUL\x07BEL\r\nZeile</h1>', "Tab undNULBEL Zeile",
     "control characters out, line breaks and tabs a space"),
    ("", '<h1 class="entry-title">Größe „Zitat“ –&nbsp;Straße</h1>', "Größe „Zitat“ – Straße",
     "German letters, typographic quotes and dashes kept, a no-break space a space"),
    (f'<meta property="og:title" content="Og{ESC}[2J Titel\u200d">', "", "Og Titel",
     "og:title cleaned"),
    ('<script type="application/ld+json">{"@type":"Article","headline":"LD\\u0007 \\u202eTitel"}'
     "</script>", "", "LD Titel", "JSON-LD headline cleaned"),
    (f"<title>Im\x08 Titel{ESC}[0m | IKPE</title>", "", "Im Titel", "<title> cleaned"),
]  # fmt: skip


@pytest.mark.parametrize(
    "head, body, title",
    [c[:3] for c in HOSTILE_TITLE_CASES],
    ids=[c[3] for c in HOSTILE_TITLE_CASES],
)
def test_hostile_titles_are_clean_text(head: str, body: str, title: str) -> None:
    assert extract_page(page(head=head, body=body), URL).fields.get("title") == title


# (rendered REST title, title), note.
HOSTILE_REST_TITLE_CASES = [
    ("A<script>alert(2)</script>", "A", "a script in the rendered title"),
    (f"Rot{ESC}[31m \u202eTitel\u200b", "Rot Titel", "escapes and invisible characters"),
    ("Zeile<br>zwei", "Zeile zwei", "a line break is a space"),
]  # fmt: skip


@pytest.mark.parametrize(
    "rendered, title",
    [c[:2] for c in HOSTILE_REST_TITLE_CASES],
    ids=[c[2] for c in HOSTILE_REST_TITLE_CASES],
)
def test_hostile_rest_titles_are_clean_text(rendered: str, title: str) -> None:
    entry = {"id": 1, "title": {"rendered": rendered}}
    assert extract_rest_entry(entry, {}).fields.get("title") == title


def test_hostile_categories_and_link_texts_are_clean_text() -> None:
    body = (
        f'<a rel="category" href="/c/">News{ESC}[1m\u202e</a>'
        '<div class="entry-content"><a href="/x/">PDF<script>x()</script>\u200b'
        "</a></div>"
    )
    result = extract_page(page(body=body), URL)
    assert result.fields["categories"] == ["News"]
    assert body_links(result.fields["body_html"], URL) == [(f"{SITE}/x/", "PDF")]


def deep_page(depth: int) -> str:
    """A post whose content sits ``depth`` divs deep, with a paragraph after the nest."""
    return page(
        head="<title>Tief | IKPE</title>",
        body='<main><div class="entry-content">'
        + "<div>" * depth
        + "<p>Tiefer Text</p>"
        + "</div>" * depth
        + "<p>Text danach</p></div><p>Nach dem Inhalt</p></main>",
    )


@pytest.mark.parametrize("depth", [10, 254, 300, 2100, 5000])
def test_deep_nesting_keeps_the_text_and_what_follows(depth: int) -> None:
    result = extract_page(deep_page(depth), URL)
    body = html_to_text(result.fields["body_html"])
    assert body.split("\n\n") == ["Tiefer Text", "Text danach"]
    assert result.fields["title"] == "Tief"


def test_deep_rest_titles_and_link_texts_are_read_whole() -> None:
    """parsel parses 2,048 levels (huge_tree): more than Python's recursion limit."""
    deep = "<span>" * 1500 + "Tief" + "</span>" * 1500
    entry = {"id": 1, "title": {"rendered": f"Titel {deep} Ende"}}
    assert extract_rest_entry(entry, {}).fields["title"] == "Titel Tief Ende"
    assert body_links(f'<a href="/x/">Link {deep}</a>', URL) == [(f"{SITE}/x/", "Link Tief")]


SHELL_PAGES = [
    # (case, body of the page): the content never arrived, only the frame and headline
    ("a script shell", '<header><a href="/">Institut für kommunale Planung und Entwicklung '
     'e.V.</a><nav><a href="/">Startseite</a><a href="/news/">News-Archiv</a><a href="/t/">'
     'Termine</a></nav></header><div class="v2-shell"><div class="hdl">Fachtag Armut in '
     'Thüringer Kommunen freigeschaltet</div><div id="app-root">Bitte warten ...</div></div>'),
    ("an empty main", '<nav><a href="/">Startseite</a><a href="/kontakt/">Kontakt</a></nav>'
     "<main></main>"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "body"), SHELL_PAGES, ids=[c[0] for c in SHELL_PAGES])
def test_a_page_without_its_content_has_no_body(case: str, body: str) -> None:
    """trafilatura's text of such a page is the site's name, menu and headline: taking it
    as the body would hide the breakage from the nightly's field coverage monitor."""
    head = '<meta property="og:title" content="Fachtag Armut in Thüringer Kommunen freigeschaltet">'
    result = extract_page(page(head=head, body=body), URL)
    assert result.fields.get("title") == "Fachtag Armut in Thüringer Kommunen freigeschaltet"
    assert "body_html" not in result.fields, case


def test_a_short_real_post_keeps_the_library_text() -> None:
    body = ('<nav><a href="/">Startseite</a></nav><div class="x"><div>Die Anmeldung zum '
            "Fachtag ist ab sofort möglich.</div></div>")  # fmt: skip
    result = extract_page(page(body=body), URL)
    assert "Anmeldung zum Fachtag" in (result.fields.get("body_html") or "")
