"""The same posts rendered in the markup of common WordPress themes and of plain custom themes.

A corpus for extraction tests and the extraction benchmark: each rendering function takes a
:class:`Post` and returns the whole HTML page a visitor would get, frame included (menu,
sidebar of recent posts, footer with the address, share bar, cookie banner). The posts'
texts come from the seeds scraped from the real site (``../shared/seeds``).

The WordPress markup follows what each theme prints for a single post (class names, the
place of the date, the site name in ``<title>``); no REST, sitemap or feed is implied.
Custom themes carry no WordPress markup at all: a ``DD.MM.YYYY`` line above the headline,
``<title>`` with the site name before or after the post title.

Over 400 lines on purpose: one function a theme, each the whole markup of a page, so that
the extraction tests, the crawls over HTTP and the benchmark read one and the same corpus.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

SITE_NAME = "IKPE Erfurt"
BASE = "https://www.ikpe-erfurt.de"
GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
)  # fmt: skip
SHORT_MONTHS = (
    "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
)  # fmt: skip


@dataclass(frozen=True)
class Post:
    """A post as the site holds it, and what a right extraction gives."""

    wp_id: int
    slug: str
    title: str
    posted: date
    paragraphs: tuple[str, ...]
    key_sentence: str  # must be in the body
    expected_type: str
    categories: tuple[str, ...] = ("Aktuelles",)

    @property
    def url(self) -> str:
        return f"{BASE}/{self.slug}/"

    @property
    def german_date(self) -> str:
        return f"{self.posted.day}. {GERMAN_MONTHS[self.posted.month - 1]} {self.posted.year}"

    @property
    def short_date(self) -> str:
        """WordPress's ``M j, Y`` in German (Divi's default): ``Mär 13, 2024``."""
        return f"{SHORT_MONTHS[self.posted.month - 1]} {self.posted.day}, {self.posted.year}"

    @property
    def dotted_date(self) -> str:
        return self.posted.strftime("%d.%m.%Y")

    @property
    def iso_datetime(self) -> str:
        return f"{self.posted.isoformat()}T09:30:00+01:00"

    @property
    def modified_iso_datetime(self) -> str:
        """A later edit: what themes print as the "updated" date."""
        return f"{(self.posted + timedelta(days=9)).isoformat()}T16:05:00+01:00"


POSTS = (
    Post(
        wp_id=4711,
        slug="fachtagung-soziale-digitalisierung-jena",
        title="Fachtagung zur sozialen Digitalisierung in Jena",
        posted=date(2024, 3, 13),
        paragraphs=(
            "Jena/12.03.2024.",
            "Die soziale Digitalisierung und die damit verbundene gesellschaftliche "
            "Transformation war Thema einer zweitägigen Fachtagung in Jena. Vom 11. bis 12. "
            "März 2024 diskutierten Vertreter*innen aus Wirschaft, Wissenschaft, Kommunen und "
            "Instituten in der Aula der Ernst-Abbe-Hochschule zu dieser aktuellen "
            "Herausforderung.",
            "Die Digitalisierung hat auch für das IKPE eine wichtige Bedeutung. Deshalb nahmen "
            "die Prozessberaterin Josefine Elisabeth Strüning und Prozessberater Dr. Gernot "
            "Herzer aus dem Team des Projekts an der Veranstaltung teil.",
            "Fotos: @ikpe/Josefine E. Strüning",
        ),
        key_sentence="Vom 11. bis 12. März 2024 diskutierten Vertreter*innen aus Wirschaft",
        expected_type="news",
    ),
    Post(
        wp_id=3120,
        slug="planungsprozesse-im-krisenmodus",
        title="Planungsprozesse im Krisenmodus",
        posted=date(2020, 6, 30),
        # A short post of 2019-2020: no dateline, only the posting date and the title.
        paragraphs=(
            "Das IKPE beteiligte sich mit zwei Vorträgen zu „Planungsprozesse im Krisenmodus: "
            "Planung in Zeiten der Corona“ und „Werkstattgespräch digital“ am Arbeitskreis "
            "Sozialplanung in Erfurt am 29.06.2020.",
        ),
        key_sentence="Das IKPE beteiligte sich mit zwei Vorträgen",
        expected_type="news",
    ),
    Post(
        wp_id=4402,
        slug="kommunen-unterstuetzen-teilhabechancen",
        title="Kommunen unterstützen auf dem Weg zu mehr Teilhabechancen",
        posted=date(2023, 9, 14),
        paragraphs=(
            "Pressemitteilung, 13.09.2023",
            "Das IKPE nimmt die Arbeit an der Prozessbegleitung von Kommunen bei der "
            "Entwicklung und Umsetzung von lokalen und regionalen sozialen Strategien auf.",
            "Das Institut für kommunale Planung und Entwicklung (IKPE) freut sich mitteilen zu "
            "können, den Zuschlag für die Begleitung der Thüringer Gebietskörperschaften im "
            "Rahmen der Sozialstrategierichtlinie erhalten zu haben.",
        ),
        key_sentence="den Zuschlag für die Begleitung der Thüringer Gebietskörperschaften",
        expected_type="press_release",
    ),
)

# The frame: texts that must never reach a post's body.
MENU = ("Start", "Aktuelles", "Themen", "Projekte", "Publikationen", "Verein", "Kontakt")
FOOTER_ADDRESS = (
    "Institut für kommunale Planung und Entwicklung e.V. · Altonaer Straße 25 · 99085 Erfurt"
)
COOKIE_TEXT = "Wir verwenden Cookies, um unsere Website für Sie optimal zu gestalten."
SHARE_TEXT = "Beitrag teilen auf Facebook"
RECENT_POSTS = tuple(
    (f"/meldung-{n}/", title, teaser)
    for n, (title, teaser) in enumerate(
        [
            ("IKPE-Jahrestagung und Mitgliederversammlung 2022",
             "Erfurt/08.11.2022. Die Jahrestagung des Instituts fand in diesem Jahr im "
             "Augustinerkloster statt und stand ganz im Zeichen der Sozialplanung."),
            ("IKPE unterwegs beim Festival für innovative Planung in Apolda",
             "Apolda/14.09.2022. Beim Festival stellten Kommunen ihre Planungsprojekte vor und "
             "diskutierten mit Gästen aus ganz Thüringen über gute Beteiligung."),
            ("Sozialplanung im internationalen Kontext – 21. ESPAnet-Tagung in Warschau",
             "Erfurt, 15.09.2023. Die Ergebnisse der Untersuchung zu den Lerneffekten von "
             "Planungsfachkräften während und nach der Pandemie wurden vorgestellt."),
            ("Fachtag Teilhabe vor Ort – kommunale Wege zur Inklusion",
             "Erfurt, 13.11.2023. Barrierefreiheit schafft Teilhabe in allen Lebenssituationen, "
             "so das Fazit des gut besuchten Fachtags in Erfurt mit über hundert Gästen."),
            ("Sozialbefragung 2023 im Altenburger Land",
             "Altenburg/06.02.2024. Ausgewählte Ergebnisse der Sozialbefragung wurden im "
             "Sozialausschuss des Kreistages vorgestellt und ausführlich diskutiert."),
            ("Arbeitskreis Sozialplanung am TMASGFF",
             "Erfurt/08.03.2024. Im Arbeitskreis Sozialplanung stellte sich das Team des "
             "Projekts zur Prozessbegleitung von Kommunen ausführlich vor."),
            ("Wir suchen Verstärkung für unser Team",
             "Für das Projekt Prozessbegleitung suchen wir ab sofort eine wissenschaftliche "
             "Mitarbeiterin oder einen wissenschaftlichen Mitarbeiter in Vollzeit."),
            ("Newsletter 02|2023 erschienen",
             "Die neue Ausgabe unseres Newsletters ist erschienen und berichtet über die "
             "Projekte, Veranstaltungen und Publikationen des Instituts im Herbst."),
        ],
        start=1,
    )
)  # fmt: skip
NOISE = (FOOTER_ADDRESS, COOKIE_TEXT, SHARE_TEXT, RECENT_POSTS[0][1], RECENT_POSTS[0][2])


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _paragraphs(post: Post) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in post.paragraphs)


def _menu_items() -> str:
    return "".join(f'<li class="menu-item"><a href="/{m.lower()}/">{m}</a></li>' for m in MENU)


def _recent(item: str = "li", teasers: bool = False) -> str:
    entries = []
    for href, title, teaser in RECENT_POSTS:
        extra = f"<p>{_e(teaser)}</p>" if teasers else ""
        entries.append(f'<{item}><a href="{href}">{_e(title)}</a>{extra}</{item}>')
    return "".join(entries)


def _teaser_column() -> str:
    """Recent posts as one run of headings and teaser paragraphs: a block of text longer
    than a short post (the "largest block of paragraphs" took it for the body: issue 14)."""
    return "".join(
        f'<h4><a href="{href}">{_e(title)}</a></h4><p>{_e(teaser)}</p>'
        for href, title, teaser in RECENT_POSTS
    )


def _document(head: str, body_class: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="de-DE"><head><meta charset="UTF-8">{head}</head>'
        f'<body class="{body_class}">{body}</body></html>'
    )


def _wp_head(post: Post, title: str) -> str:
    """What WordPress core prints in every theme's head for a single post."""
    return (
        f"<title>{_e(title)}</title>"
        f'<link rel="canonical" href="{post.url}">'
        f'<link rel="shortlink" href="{BASE}/?p={post.wp_id}">'
    )


def _single_class(post: Post, extra: str = "") -> str:
    return f"post-template-default single single-post postid-{post.wp_id} {extra}".strip()


def _category_links(post: Post) -> str:
    return ", ".join(
        f'<a href="/category/{c.lower()}/" rel="category tag">{_e(c)}</a>' for c in post.categories
    )


def _category_classes(post: Post) -> str:
    return " ".join(f"category-{c.lower()}" for c in post.categories)


def _cookie_banner() -> str:
    return f'<div id="cookie-notice" class="cn-bottom"><p>{COOKIE_TEXT}</p><a>OK</a></div>'


def twenty_twenty_one(post: Post) -> str:
    """Twenty Twenty-One (classic core theme): the date sits in the entry footer."""
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        _single_class(post, "wp-embed-responsive is-light-theme singular has-main-navigation"),
        f'<div id="page" class="site"><header id="masthead" class="site-header">'
        f'<div class="site-branding"><p class="site-title"><a href="/">{SITE_NAME}</a></p></div>'
        f'<nav id="site-navigation" class="primary-navigation"><ul class="menu-wrapper">'
        f'{_menu_items()}</ul></nav></header><div id="content" class="site-content">'
        f'<div id="primary" class="content-area"><main id="main" class="site-main">'
        f'<article id="post-{post.wp_id}" class="post-{post.wp_id} post type-post status-publish '
        f'format-standard hentry {_category_classes(post)} entry">'
        f'<header class="entry-header alignwide"><h1 class="entry-title">{_e(post.title)}</h1>'
        f'</header><div class="entry-content">{_paragraphs(post)}</div>'
        f'<footer class="entry-footer default-max-width"><div class="posted-by">'
        f'<span class="posted-on">Veröffentlicht am <time class="entry-date published updated" '
        f'datetime="{post.iso_datetime}">{post.german_date}</time></span></div>'
        f'<div class="post-taxonomies"><span class="cat-links">Kategorisiert als '
        f"{_category_links(post)}</span></div></footer></article>"
        f'<div class="sharedaddy"><h3>{SHARE_TEXT}</h3></div></main></div></div>'
        f'<aside class="widget-area"><section class="widget widget_recent_entries">'
        f"<h2>Neueste Beiträge</h2><ul>{_recent()}</ul></section></aside>"
        f'<footer id="colophon" class="site-footer"><p>{FOOTER_ADDRESS}</p></footer></div>'
        f"{_cookie_banner()}",
    )


def twenty_twenty_four(post: Post) -> str:
    """Twenty Twenty-Four (block theme): template parts, ``wp-block-post-*`` blocks."""
    terms = ", ".join(
        f'<a href="/category/{c.lower()}/" rel="tag">{_e(c)}</a>' for c in post.categories
    )
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        "wp-singular " + _single_class(post, "wp-embed-responsive"),
        f'<div class="wp-site-blocks"><header class="wp-block-template-part">'
        f'<p class="wp-block-site-title"><a href="/">{SITE_NAME}</a></p>'
        f'<nav class="wp-block-navigation"><ul>{_menu_items()}</ul></nav></header>'
        f'<main class="wp-block-group"><div class="wp-block-group">'
        f'<h1 class="wp-block-post-title">{_e(post.title)}</h1>'
        f'<div class="wp-block-post-date"><time datetime="{post.iso_datetime}">'
        f"{post.german_date}</time></div>"
        f'<div class="taxonomy-category wp-block-post-terms">{terms}</div></div>'
        f'<div class="entry-content wp-block-post-content">{_paragraphs(post)}</div>'
        f'<div class="wp-block-group"><h2>Weitere Beiträge</h2><ul class="wp-block-latest-posts">'
        f"{_recent()}</ul></div></main>"
        f'<footer class="wp-block-template-part"><p>{FOOTER_ADDRESS}</p></footer></div>'
        f"{_cookie_banner()}",
    )


def astra(post: Post) -> str:
    """Astra: schema.org microdata, the date as visible text (``span.published``)."""
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        _single_class(post, "ast-single-post ast-right-sidebar astra-4.6.4"),
        f'<div id="page" class="hfeed site"><header id="masthead" class="site-header '
        f'ast-primary-submenu-animation-fade" itemtype="https://schema.org/WPHeader">'
        f'<span class="site-title" itemprop="name"><a href="/">{SITE_NAME}</a></span>'
        f'<nav class="main-header-bar-navigation"><ul id="primary-menu" class="main-header-menu">'
        f'{_menu_items()}</ul></nav></header><div id="content" class="site-content">'
        f'<div class="ast-container"><div id="primary" class="content-area primary">'
        f'<main id="main" class="site-main"><article class="post-{post.wp_id} post type-post '
        f'status-publish {_category_classes(post)} ast-article-single" id="post-{post.wp_id}" '
        f'itemtype="https://schema.org/CreativeWork" itemscope="itemscope">'
        f'<div class="ast-post-format- single-layout-1"><header class="entry-header">'
        f'<h1 class="entry-title" itemprop="headline">{_e(post.title)}</h1>'
        f'<div class="entry-meta"><span class="cat-links">{_category_links(post)}</span> / '
        f'<span class="posted-on"><span class="published" itemprop="datePublished"> '
        f'{post.german_date}</span></span> / <span class="posted-by vcard author">Redaktion'
        f'</span></div></header><div class="entry-content clear" itemprop="text">'
        f"{_paragraphs(post)}</div></div></article>"
        f'<div class="ast-social-share"><span>{SHARE_TEXT}</span></div></main></div>'
        f'<div class="widget-area secondary" id="secondary"><div class="sidebar-main">'
        f'<aside id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">'
        f"Neueste Beiträge</h2><ul>{_recent()}</ul></aside></div></div></div></div>"
        f'<footer class="site-footer" id="colophon"><div class="ast-small-footer">'
        f"<p>{FOOTER_ADDRESS}</p></div></footer></div>{_cookie_banner()}",
    )


def generatepress(post: Post) -> str:
    """GeneratePress: ``time.entry-date.published`` in the entry meta above the content."""
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        _single_class(post, "right-sidebar nav-float-right separate-containers"),
        f'<header class="site-header" id="masthead"><div class="inside-header">'
        f'<p class="main-title"><a href="/">{SITE_NAME}</a></p></div></header>'
        f'<nav class="main-navigation" id="site-navigation"><ul class="menu sf-menu">'
        f'{_menu_items()}</ul></nav><div class="site grid-container container" id="page">'
        f'<div class="site-content" id="content"><div class="content-area" id="primary">'
        f'<main class="site-main" id="main"><article id="post-{post.wp_id}" class="post-'
        f'{post.wp_id} post type-post status-publish {_category_classes(post)}">'
        f'<div class="inside-article"><header class="entry-header">'
        f'<h1 class="entry-title" itemprop="headline">{_e(post.title)}</h1>'
        f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" '
        f'datetime="{post.iso_datetime}" itemprop="datePublished">{post.german_date}</time>'
        f'</span></div></header><div class="entry-content" itemprop="text">{_paragraphs(post)}'
        f'</div><footer class="entry-meta"><span class="cat-links">{_category_links(post)}'
        f"</span></footer></div></article></main></div>"
        f'<div class="widget-area sidebar is-right-sidebar" id="right-sidebar">'
        f'<div class="inside-right-sidebar"><aside id="recent-posts-2" class="widget inner-'
        f'padding widget_recent_entries"><h2 class="widget-title">Neueste Beiträge</h2>'
        f"<ul>{_recent()}</ul></aside></div></div></div></div>"
        f'<div class="site-footer"><footer class="site-info"><div class="inside-site-info">'
        f"{FOOTER_ADDRESS}</div></footer></div>{_cookie_banner()}",
    )


def elementor(post: Post) -> str:
    """Elementor Pro's single-post template on the Hello theme: widgets, no ``.entry-content``,
    the date as visible text in the post-info widget, a posts widget and share buttons."""

    def widget(kind: str, inner: str) -> str:
        return (
            f'<div class="elementor-element elementor-widget elementor-widget-{kind}" '
            f'data-widget_type="{kind}.default"><div class="elementor-widget-container">'
            f"{inner}</div></div>"
        )

    recent = "".join(
        f'<article class="elementor-post elementor-grid-item"><div class="elementor-post__text">'
        f'<h3 class="elementor-post__title"><a href="{href}">{_e(title)}</a></h3>'
        f'<div class="elementor-post__excerpt"><p>{_e(teaser)}</p></div></div></article>'
        for href, title, teaser in RECENT_POSTS
    )
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        _single_class(
            post,
            "elementor-default elementor-template-full-width elementor-kit-5 elementor-page-88",
        ),
        '<div data-elementor-type="header" class="elementor elementor-12 elementor-location-'
        'header">'
        + widget("theme-site-logo", f'<a href="/">{SITE_NAME}</a>')
        + widget("nav-menu", f"<nav><ul>{_menu_items()}</ul></nav>")
        + "</div>"
        f'<div data-elementor-type="single-post" class="elementor elementor-88 elementor-'
        f'location-single post-{post.wp_id} post type-post {_category_classes(post)}">'
        f'<div class="elementor-container elementor-column-gap-default">'
        f'<div class="elementor-column elementor-col-66"><div class="elementor-widget-wrap">'
        + widget(
            "theme-post-title",
            f'<h1 class="elementor-heading-title elementor-size-default">{_e(post.title)}</h1>',
        )
        + widget(
            "post-info",
            '<ul class="elementor-inline-items elementor-icon-list-items"><li class="elementor-'
            'icon-list-item"><span class="elementor-icon-list-text elementor-post-info__item '
            f'elementor-post-info__item--type-date"><time>{post.german_date}</time></span></li>'
            '<li class="elementor-icon-list-item"><span class="elementor-post-info__item--type-'
            'comments">Keine Kommentare</span></li></ul>',
        )
        + widget("theme-post-content", _paragraphs(post))
        + widget(
            "share-buttons",
            f'<div class="elementor-share-btn"><span class="elementor-share-btn__text">'
            f"{SHARE_TEXT}</span></div>",
        )
        + '</div></div><div class="elementor-column elementor-col-33"><div class="elementor-'
        'widget-wrap">'
        + widget("heading", '<h2 class="elementor-heading-title">Neueste Beiträge</h2>')
        + widget("posts", f'<div class="elementor-posts-container">{recent}</div>')
        + "</div></div></div></div>"
        '<div data-elementor-type="footer" class="elementor elementor-40 elementor-location-'
        'footer">'
        + widget("text-editor", f"<p>{FOOTER_ADDRESS}</p>")
        + "</div>"
        + _cookie_banner(),
    )


def divi(post: Post) -> str:
    """Divi: ``p.post-meta`` with a visible date, ``#sidebar`` of ``et_pb_widget`` blocks."""
    return _document(
        _wp_head(post, f"{post.title} | {SITE_NAME}"),
        _single_class(post, "et_pb_button_helper_class et_right_sidebar et_divi_theme"),
        f'<div id="page-container"><header id="main-header"><div class="container clearfix '
        f'et_menu_container"><div class="logo_container"><a href="/">{SITE_NAME}</a></div>'
        f'<div id="et-top-navigation"><nav id="top-menu-nav"><ul id="top-menu" class="nav">'
        f'{_menu_items()}</ul></nav></div></div></header><div id="et-main-area">'
        f'<div id="main-content"><div class="container"><div id="content-area" class="clearfix">'
        f'<div id="left-area"><article id="post-{post.wp_id}" class="et_pb_post post-'
        f'{post.wp_id} post type-post status-publish {_category_classes(post)}">'
        f'<div class="et_post_meta_wrapper"><h1 class="entry-title">{_e(post.title)}</h1>'
        f'<p class="post-meta"> von <span class="author vcard">Redaktion</span> | '
        f'<span class="published">{post.german_date}</span> | {_category_links(post)}</p></div>'
        f'<div class="entry-content">{_paragraphs(post)}</div></article></div>'
        f'<div id="sidebar"><div id="recent-posts-2" class="et_pb_widget widget_recent_entries">'
        f'<h4 class="widgettitle">Neueste Beiträge</h4><ul>{_recent()}</ul></div></div>'
        f'</div></div></div><footer id="main-footer"><div id="footer-bottom"><div class="'
        f'container clearfix"><p id="footer-info">{FOOTER_ADDRESS}</p></div></div></footer>'
        f"</div></div>{_cookie_banner()}",
    )


def divi_default_date(post: Post) -> str:
    """Divi as installed: the date in WordPress's ``M j, Y`` (``Mär 13, 2024``), not the
    German long form a site may set."""
    return divi(post).replace(
        f'<span class="published">{post.german_date}</span>',
        f'<span class="published">{post.short_date}</span>',
    )


def twenty_twenty(post: Post) -> str:
    """Twenty Twenty (classic core theme): the date as the text of a link, no ``datetime``."""
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        _single_class(post, "singular enable-search-modal has-post-thumbnail"),
        f'<header id="site-header" class="header-footer-group"><div class="header-titles">'
        f'<div class="site-title faux-heading"><a href="/">{SITE_NAME}</a></div></div>'
        f'<nav class="primary-menu-wrapper"><ul class="primary-menu reset-list-style">'
        f'{_menu_items()}</ul></nav></header><main id="site-content">'
        f'<article class="post-{post.wp_id} post type-post status-publish '
        f'{_category_classes(post)}" id="post-{post.wp_id}"><header class="entry-header">'
        f'<div class="entry-categories"><div class="entry-categories-inner">'
        f"{_category_links(post)}</div></div>"
        f'<h1 class="entry-title">{_e(post.title)}</h1><div class="post-meta-wrapper '
        f'post-meta-single post-meta-single-top"><ul class="post-meta"><li class="post-author '
        f'meta-wrapper"><span class="meta-text">Von <a href="/author/r/">Redaktion</a></span>'
        f'</li><li class="post-date meta-wrapper"><span class="meta-text"><a href="{post.url}">'
        f"{post.german_date}</a></span></li></ul></div></header>"
        f'<div class="post-inner thin"><div class="entry-content">{_paragraphs(post)}</div>'
        f"</div></article></main>"
        f'<div class="footer-nav-widgets-wrapper"><aside class="footer-widgets-outer-wrapper">'
        f'<div class="widget widget_recent_entries"><h2 class="widget-title">Neueste Beiträge'
        f"</h2><ul>{_recent()}</ul></div></aside></div>"
        f'<footer id="site-footer" class="header-footer-group"><p>{FOOTER_ADDRESS}</p></footer>'
        f"{_cookie_banner()}",
    )


def oceanwp(post: Post) -> str:
    """OceanWP: ``h1.single-post-title``, ``ul.meta`` with a screen-reader label before the
    visible date, ``aside#right-sidebar``."""
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        _single_class(
            post,
            "oceanwp-theme dropdown-mobile default-breakpoint has-sidebar content-right-sidebar",
        ),
        f'<div id="outer-wrap" class="site clr"><div id="wrap" class="clr"><header id="site-'
        f'header" class="minimal-header clr"><div id="site-logo"><a href="/" class="site-logo-'
        f'text">{SITE_NAME}</a></div><div id="site-navigation-wrap" class="clr"><nav id="site-'
        f'navigation" class="navigation main-navigation clr"><ul id="menu-main" class="main-'
        f'menu dropdown-menu sf-menu">{_menu_items()}</ul></nav></div></header>'
        f'<main id="main" class="site-main clr"><div id="content-wrap" class="container clr">'
        f'<div id="primary" class="content-area clr"><div id="content" class="site-content '
        f'clr"><article class="single-post-article clr"><header class="entry-header clr">'
        f'<h2 class="single-post-title entry-title" itemprop="headline">{_e(post.title)}</h2>'
        f'</header><ul class="meta ospm-default clr"><li class="meta-author" itemprop="name">'
        f'<span class="screen-reader-text">Beitrags-Autor:</span>Redaktion</li>'
        f'<li class="meta-date" itemprop="datePublished"><span class="screen-reader-text">'
        f"Beitrag veröffentlicht:</span>{post.german_date}</li>"
        f'<li class="meta-cat"><span class="screen-reader-text">Beitrags-Kategorie:</span>'
        f'{_category_links(post)}</li></ul><div class="entry-content clr" itemprop="text">'
        f'{_paragraphs(post)}</div><div class="entry-share clr"><h3 class="theme-heading '
        f'social-share-title"><span class="text">{SHARE_TEXT}</span></h3></div></article>'
        f'</div></div><aside id="right-sidebar" class="sidebar-container widget-area sidebar-'
        f'primary"><div id="right-sidebar-inner" class="clr"><div id="recent-posts-2" class='
        f'"sidebar-box widget_recent_entries clr"><h4 class="widget-title">Neueste Beiträge</h4>'
        f"<ul>{_recent()}</ul></div></div></aside></div></main>"
        f'<footer id="footer" class="site-footer"><div id="footer-bottom" class="clr">'
        f'<div id="copyright" class="clr">{FOOTER_ADDRESS}</div></div></footer></div></div>'
        f"{_cookie_banner()}",
    )


def avada(post: Post) -> str:
    """Avada: ``div.post-content`` (no ``.entry-content``), a machine date only in a hidden
    ``span.updated`` (the last edit), the visible date in ``.fusion-meta-info`` after the
    content."""
    return _document(
        _wp_head(post, f"{post.title} | {SITE_NAME}"),
        _single_class(
            post,
            "fusion-image-hovers fusion-pagination-sizing fusion-button_type-"
            "flat avada-html-layout-wide has-sidebar",
        ),
        f'<div id="wrapper" class="fusion-wrapper"><header class="fusion-header-wrapper">'
        f'<div class="fusion-logo"><a class="fusion-logo-link" href="/">{SITE_NAME}</a></div>'
        f'<nav class="fusion-main-menu"><ul id="menu-main-menu" class="fusion-menu">'
        f'{_menu_items()}</ul></nav></header><main id="main" class="clearfix">'
        f'<div class="fusion-row"><section id="content" style="float: left;">'
        f'<article id="post-{post.wp_id}" class="post post-{post.wp_id} type-post status-'
        f'publish {_category_classes(post)}"><h1 class="entry-title fusion-post-title">'
        f'{_e(post.title)}</h1><div class="post-content">{_paragraphs(post)}</div>'
        f'<span class="updated rich-snippet-hidden">{post.modified_iso_datetime}</span>'
        f'<div class="fusion-meta-info"><div class="fusion-meta-info-wrapper">Von '
        f'<span class="vcard"><span class="fn">Redaktion</span></span><span class="fusion-inline-'
        f'sep">|</span><span>{post.german_date}</span><span class="fusion-inline-sep">|</span>'
        f"{_category_links(post)}</div></div>"
        f'<div class="fusion-sharing-box fusion-theme-sharing-box"><h4>{SHARE_TEXT}</h4></div>'
        f'</article></section><aside id="sidebar" class="sidebar fusion-widget-area fusion-'
        f'content-widget-area fusion-sidebar-right"><section id="recent-posts-2" class="widget '
        f'widget_recent_entries"><div class="heading"><h4 class="widget-title">Neueste Beiträge'
        f"</h4></div><ul>{_recent()}</ul></section></aside></div></main>"
        f'<div class="fusion-footer"><footer id="footer" class="fusion-footer-copyright-area">'
        f'<div class="fusion-copyright-notice">{FOOTER_ADDRESS}</div></footer></div></div>'
        f"{_cookie_banner()}",
    )


def enfold(post: Post) -> str:
    """Enfold: ``h1.post-title.entry-title`` with a link inside, ``time.date-container`` with
    ``datetime`` after the content, ``aside.sidebar_right``."""
    return _document(
        _wp_head(post, f"{post.title} – {SITE_NAME}"),
        _single_class(
            post,
            "rtl_columns av-curtain-numeric helvetica-neue-websave avia-responsive-images-support",
        ),
        f'<div id="wrap_all"><header id="header" class="all_colors header_color light_bg_color">'
        f'<div class="logo"><a href="/">{SITE_NAME}</a></div><nav class="main_menu" data-'
        f'selectname="Wähle eine Seite"><ul id="avia-menu" class="menu av-main-nav">'
        f'{_menu_items()}</ul></nav></header><div id="main" class="all_colors">'
        f'<div class="container_wrap container_wrap_first main_color sidebar_right">'
        f'<div class="container template-blog template-single-blog"><main class="content '
        f'units av-content-small alpha" role="main" itemprop="mainContentOfPage">'
        f'<article class="post-entry post-entry-type-standard post-entry-{post.wp_id} '
        f"post-loop-1 post-parity-odd post-entry-last single-big {_category_classes(post)} "
        f'post-{post.wp_id} post type-post status-publish" itemscope="itemscope" itemtype='
        f'"https://schema.org/BlogPosting"><div class="blog-meta"></div>'
        f'<div class="entry-content-wrapper clearfix standard-content"><header class="entry-'
        f'content-header"><h1 class="post-title entry-title" itemprop="headline"><a href="'
        f'{post.url}" rel="bookmark" title="Permanenter Link zu: {_e(post.title)}">'
        f'{_e(post.title)}</a></h1><span class="post-meta-infos"><time class="date-container '
        f'minor-meta updated" datetime="{post.iso_datetime}" itemprop="datePublished">'
        f'{post.german_date}</time><span class="text-sep">/</span><span class="blog-'
        f'categories minor-meta">in {_category_links(post)}</span></span></header>'
        f'<div class="entry-content" itemprop="text">{_paragraphs(post)}</div>'
        f'<footer class="entry-footer"><div class="av-social-sharing-box"><div class="av-share-'
        f'box"><h5 class="av-share-link-description">{SHARE_TEXT}</h5></div></div></footer>'
        f"</div></article></main>"
        f'<aside class="sidebar sidebar_right smartphones_sidebar_active alpha units" role='
        f'"complementary"><div class="inner_sidebar extralight-border"><section id="recent-'
        f'posts-2" class="widget clearfix widget_recent_entries"><h3 class="widgettitle">Neueste '
        f"Beiträge</h3><ul>{_recent()}</ul></section></div></aside></div></div></div>"
        f'<footer class="container_wrap socket_color" id="socket"><div class="container">'
        f'<span class="copyright">{FOOTER_ADDRESS}</span></div></footer></div>'
        f"{_cookie_banner()}",
    )


def custom_site_first(post: Post) -> str:
    """A plain custom theme: ``<title>Site – Post</title>``, the site name as the page's first
    ``<h1>``, the date on its own line above the headline, a long column of recent posts'
    teasers (a run of paragraphs longer than the short post)."""
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{SITE_NAME} – {_e(post.title)}</title></head><body>"
        f'<div class="kopf"><h1 class="logo">{SITE_NAME}</h1><div class="menue">'
        + " ".join(f'<a href="/{m.lower()}/">{m}</a>' for m in MENU)
        + '</div></div><div class="seite"><div class="spalte-links">'
        f'<div class="datum">{post.dotted_date}</div><h2 class="ueberschrift">{_e(post.title)}</h2>'
        f'<div class="beitrag">{_paragraphs(post)}</div></div>'
        f'<div class="spalte-rechts"><h3>Neueste Beiträge</h3>{_teaser_column()}'
        f'</div></div><div class="fuss"><p>{FOOTER_ADDRESS}</p></div>'
        f'<div class="hinweis"><p>{COOKIE_TEXT}</p></div></body></html>'
    )


def custom_site_last(post: Post) -> str:
    """A plain custom theme: ``<title>Post | Site</title>``, the sidebar first in the source,
    paragraphs loose after the headline, a share bar between body and footer."""
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
        f"<title>{_e(post.title)} | {SITE_NAME}</title></head><body>"
        f'<div id="top"><a class="marke" href="/">{SITE_NAME}</a><ul class="navigation">'
        + "".join(f'<li><a href="/{m.lower()}/">{m}</a></li>' for m in MENU)
        + f'</ul></div><div id="rahmen"><div id="seitenleiste"><h3>Aktuelles</h3>'
        f'{_recent("div", teasers=True)}</div><div id="inhalt">'
        f"<p><b>{post.dotted_date}</b></p><h1>{_e(post.title)}</h1>{_paragraphs(post)}"
        f'<div class="teilen">{SHARE_TEXT}</div></div></div>'
        f'<div id="unten">{FOOTER_ADDRESS}</div>'
        f'<div id="cookie-box">{COOKIE_TEXT}</div></body></html>'
    )


@dataclass(frozen=True)
class Rendering:
    """A theme's way of printing a post, and whether it is WordPress markup."""

    name: str
    render: Callable[[Post], str]
    wordpress: bool = True
    notes: tuple[str, ...] = field(default=())


RENDERINGS = (
    Rendering("twentytwentyone", twenty_twenty_one),
    Rendering("twentytwentyfour", twenty_twenty_four),
    Rendering("astra", astra),
    Rendering("generatepress", generatepress),
    Rendering("elementor", elementor),
    Rendering("divi", divi),
    Rendering("divi-default-date", divi_default_date, notes=("date as 'Mär 13, 2024'",)),
    Rendering("twentytwenty", twenty_twenty),
    Rendering("oceanwp", oceanwp),
    Rendering("avada", avada),
    Rendering("enfold", enfold),
    Rendering("custom-site-first", custom_site_first, wordpress=False),
    Rendering("custom-site-last", custom_site_last, wordpress=False),
)


def categories_seen(rendering: Rendering, post: Post) -> tuple[str, ...]:
    """The categories a reader of the rendering can see (custom themes show none)."""
    return post.categories if rendering.wordpress else ()


TITLE_TAG = re.compile(r"<title>(.*?)</title>", re.S)
SITE_NAME_SEPARATOR = re.compile(r"\s+([–|])\s+")


def site_name_swapped(page: str) -> str:
    """The page with the site name on the other side of the title in ``<title>``
    (``Post – Site`` becomes ``Site – Post`` and back), the separator kept."""
    match = TITLE_TAG.search(page)
    if match is None:
        return page
    title = match.group(1)
    site = html.escape(SITE_NAME, quote=False)
    separator = SITE_NAME_SEPARATOR.search(title)
    sep = separator.group(1) if separator else "–"
    if title.startswith(f"{site} {sep} "):
        swapped = f"{title[len(site) + len(sep) + 2 :]} {sep} {site}"
    elif title.endswith(f" {sep} {site}"):
        swapped = f"{site} {sep} {title[: -len(site) - len(sep) - 2]}"
    else:
        return page
    return page[: match.start(1)] + swapped + page[match.end(1) :]


# A publication list ("Referenzen") as a page of the site: year lines, citations, and what
# such a page holds beside them (a project's teaser, a post title with a year in it). With
# the theme's frame around it (menu, recent posts, footer address), only CITATIONS may
# become publication records (issue 14).
CITATIONS = (
    "Huber, S. (2017): Sozialplanung im Wandel. In: Fischer, J./Lutz, R. (Hrsg.): Jugend im "
    "Blick. Weinheim: Juventa, S. 12-34.",
    "Fischer, Jörg/Lutz, Ronald (Hrsg.) (2015): Jugend im Blick. Gesellschaftliche "
    "Konstruktionen und pädagogische Zugänge. Weinheim: Juventa. (326 Seiten)",
    "Böwer, Michael/Fischer, Jörg (Hrsg.) (2014): Frühe Hilfen. Heft 7-8/2014 der Zeitschrift "
    "„Sozialmagazin“, 39. Jg., Weinheim: Juventa. (98 Seiten)",
)
LIST_JUNK = (
    "Prozessbegleitung von Kommunen bei der Entwicklung lokaler Sozialstrategien "
    "Laufzeit: 2016-2020 Ansprechpartner: Christian Kraft, M.Sc.; Dr. Stefan Huber",
    "IKPE-Jahrestagung und Mitgliederversammlung 2022",
    "Erfurt, 27.05.2022: Die Antragsformulare sind online",
)
REFERENCES = Post(
    wp_id=61,
    slug="referenzen",
    title="Referenzen",
    posted=date(2016, 1, 12),
    paragraphs=("2017", CITATIONS[0], "2015", CITATIONS[1], LIST_JUNK[0], "2014", CITATIONS[2],
                LIST_JUNK[1], LIST_JUNK[2]),
    key_sentence=CITATIONS[0][:40],
    expected_type="page",
    categories=("Referenzen",),
)  # fmt: skip


def reference_page(rendering: Rendering) -> str:
    """The publication list in the rendering's frame."""
    return rendering.render(REFERENCES)


def tab_fragment() -> str:
    """What a publication tab's AJAX answer holds when the list plugin prints the list's
    surroundings too: the citations under year headings, a project teaser and post titles."""
    rows = [
        '<h4 class="pub-year">2017</h4>',
        f'<p class="citation">{_e(CITATIONS[0])}</p>',
        '<h4 class="pub-year">2015</h4>',
        f'<p class="citation">{_e(CITATIONS[1])}</p>',
        f'<div class="projekt"><p>{_e(LIST_JUNK[0])}</p></div>',
        '<h4 class="pub-year">2014</h4>',
        f'<p class="citation">{_e(CITATIONS[2])}</p>',
        f"<ul><li>{_e(LIST_JUNK[1])}</li><li>{_e(LIST_JUNK[2])}</li></ul>",
        f"<p>{_e(FOOTER_ADDRESS)}</p>",
    ]
    return f'<div class="publication-list" data-tab="0">{"".join(rows)}</div>'
