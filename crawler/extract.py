"""Extract a post's raw fields from HTML or from a REST answer, remembering each field's source.

Each field has an ordered chain of signals, WordPress's standard ones first (JSON-LD,
``article:published_time``, ``time.entry-date[datetime]``, canonical, shortlink,
``.entry-content``) and the theme's visible text last (the posting-date line, the largest
block of paragraphs). Messy input gives missing fields, never an exception.

Short texts (titles, categories, link texts) are read the way the body is
(:func:`archive.htmltext.element_to_text`: no script or style text, no space added at
inline markup) and cleaned of control characters, terminal escapes and invisible or bidi
characters (:func:`archive.cleaning.normalise_inline`): they end up in terminals and pages.
A page nested deeper than libxml2 builds is parsed from a flattened copy, its text kept.

Where a field has no WordPress signal, the page is read from its visible headline
(:mod:`crawler.anchors`) and the kept libraries run beside those rules
(:mod:`crawler.candidates`: trafilatura, htmldate), each at most once and never on a
listing. The rules win where the theme corpus (``tests/themes``) shows the library wrong;
a library's answer is taken where the rules find nothing. ``provenance`` names the
winner, and ``<field>.<library>`` keys keep the library's verdict (``agrees``, ``differs``,
``none`` or its other value).

Over 400 lines on purpose: every field's chain of signals is offered here, in the order
that decides between them, so the precedence of all fields reads in one file; the rules
that find a field (``anchors``, ``candidates``, ``archive.htmltext``) live beside it.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from parsel import Selector

from archive.cleaning import normalise_inline
from archive.dates import parse_machine_date
from archive.htmltext import element_to_text, flatten_deep_nesting, reaches_max_nesting
from crawler.anchors import Anchored, date_near_headline, find_headline
from crawler.candidates import (
    Libraries,
    edit_days,
    library_date,
    text_as_html,
    without_edit_marks,
)

logger = logging.getLogger(__name__)

# The headline anchored on a page, computed on first use: a page with WordPress's title,
# date and content never needs it.
AnchorOf = Callable[[], Anchored]

SITE_TIMEZONE = ZoneInfo("Europe/Berlin")
SHORTLINK_ID = re.compile(r"[?&](?:p|page_id)=(\d+)")
BODY_POST_ID = re.compile(r"\b(?:postid|page-id)-(\d+)\b")
ARTICLE_POST_ID = re.compile(r"^post-(\d+)$")
REST_LINK_ID = re.compile(r"/wp/v2/(posts|pages)/(\d+)")
VISIBLE_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
VISIBLE_DATE_TEXTS = 12  # the posting-date line comes before the title and the body
TITLE_SUFFIX = re.compile(r"\s+[–—|-]\s+[^–—|]+$")
# Containers that never hold the post's own text: site chrome, banners and notes.
CHROME_SELECTORS = (
    "header",
    "footer",
    "nav",
    "aside",
    "script",
    "style",
    "noscript",
    "form",
    "#cookie-notice",
    ".cookie-consent",
)
BODY_SELECTORS = (
    (".entry-content", "html:.entry-content"),
    ("[itemprop=articleBody]", "html:itemprop=articleBody"),
    (".post-content", "theme:.post-content"),
)


@dataclass
class Extracted:
    """A page's raw fields and, for each, the signal that gave it."""

    fields: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    def offer(self, name: str, value, source: str) -> None:
        """Keep ``value`` for ``name`` unless an earlier (better) signal already gave one."""
        if value in (None, "", [], {}) or name in self.fields:
            return
        self.fields[name] = value
        self.provenance[name] = source


# Body classes WordPress gives a page that lists posts (the posts page, archives, search).
LISTING_BODY_CLASSES = frozenset({"blog", "archive", "category", "tag", "date", "author", "search"})


def is_listing_body(body_class: str) -> bool:
    """True when a page's ``<body class>`` says it lists posts rather than being one."""
    return not LISTING_BODY_CLASSES.isdisjoint(body_class.split())


def _clean_space(text: str | None) -> str:
    return " ".join((text or "").split())


def _inline_text(node: Selector) -> str:
    """An element's text on one line, as a reader sees it (see the module's docstring)."""
    return normalise_inline(element_to_text(node.root))


def iso_date(value: str | None) -> str | None:
    """A machine date as ISO 8601 in the site's time zone (naive values are site-local)."""
    parsed = parse_machine_date(value) if isinstance(value, str) and value else None
    return parsed.astimezone(SITE_TIMEZONE).isoformat() if parsed else None


def _json_ld_objects(page: Selector) -> list[dict]:
    objects: list[dict] = []
    for raw in page.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph")
    return objects


def _post_id(page: Selector, result: Extracted) -> None:
    shortlink = page.css('link[rel="shortlink"]::attr(href)').get()
    match = SHORTLINK_ID.search(shortlink or "")
    result.offer("wp_id", int(match.group(1)) if match else None, "html:shortlink")
    match = BODY_POST_ID.search(page.css("body::attr(class)").get() or "")
    result.offer("wp_id", int(match.group(1)) if match else None, "html:body-class")
    rest = page.css('link[rel="alternate"][type="application/json"]::attr(href)').get() or ""
    match = REST_LINK_ID.search(rest)
    result.offer("wp_id", int(match.group(2)) if match else None, "html:rest-alternate")
    if match:
        result.offer("is_page", match.group(1) == "pages", "html:rest-alternate")
    body_class = page.css("body::attr(class)").get() or ""
    # On a posts page or an archive, the articles are the listed posts, not this page.
    for article_id in [] if is_listing_body(body_class) else page.css("article::attr(id)").getall():
        match = ARTICLE_POST_ID.match(article_id)
        if match:
            result.offer("wp_id", int(match.group(1)), "html:article-id")
            break
    result.offer("is_page", True if "page-id-" in body_class else None, "html:body-class")


def _dates(page: Selector, ld: list[dict], result: Extracted) -> None:
    for obj in ld:
        result.offer("published", iso_date(obj.get("datePublished")), "json-ld:datePublished")
        result.offer("modified", iso_date(obj.get("dateModified")), "json-ld:dateModified")
    meta = 'meta[property="article:{}_time"]::attr(content)'
    result.offer(
        "published",
        iso_date(page.css(meta.format("published")).get()),
        "meta:article:published_time",
    )
    result.offer(
        "modified", iso_date(page.css(meta.format("modified")).get()), "meta:article:modified_time"
    )
    published = page.css(
        "time.entry-date.published::attr(datetime), time.published::attr(datetime)"
    )
    result.offer("published", iso_date(published.get()), "html:time.published")
    result.offer(
        "modified", iso_date(page.css("time.updated::attr(datetime)").get()), "html:time.updated"
    )
    result.offer(
        "published",
        iso_date(page.css(".wp-block-post-date time::attr(datetime)").get()),
        "html:wp-block-post-date",
    )
    result.offer("published", iso_date(page.css("article time::attr(datetime)").get()), "html:time")
    # No <article> (block themes): the first time[datetime] that comes before the content,
    # so neither a date in the text nor a "recent posts" widget after it.
    before_content = page.xpath(
        "//time[@datetime][following::*[contains(concat(' ', normalize-space(@class), ' '),"
        " ' entry-content ')]]/@datetime"
    )
    result.offer("published", iso_date(before_content.get()), "html:time")


def _visible_date(main: Selector, result: Extracted, anchor: AnchorOf) -> None:
    """The theme's posting-date line: a day date next to the headline, before the content
    (see :mod:`crawler.anchors`); else a bare DD.MM.YYYY among the page's first texts."""
    if "published" not in result.fields:  # WordPress's date needs no second opinion
        result.offer("visible_date", date_near_headline(anchor()), "theme:date-line")
        if "visible_date" in result.fields:
            return
    if _date_line_in(main, result):
        return
    # A theme without <main> puts its menus first: look again without the page's chrome.
    stripped = Selector(text=main.get())
    _strip_chrome(stripped)
    _date_line_in(stripped, result)


def _date_line_in(node: Selector, result: Extracted) -> bool:
    for text in node.xpath(".//text()[normalize-space()]").getall()[:VISIBLE_DATE_TEXTS]:
        match = VISIBLE_DATE.match(text)
        if match:
            day, month, year = match.groups()
            try:
                date(int(year), int(month), int(day))
            except ValueError:  # 31.02.2024 is no posting date
                continue
            result.offer(
                "visible_date",
                f"{int(year):04d}-{int(month):02d}-{int(day):02d}",
                "theme:date-line",
            )
            return True
    return False


def _site_name_affix(page: Selector, title_tag: str) -> re.Pattern[str] | None:
    """`` - <site name>`` as SEO plugins append it to titles, or ``<site name> | `` as
    some themes put it in front: the site name from ``og:site_name``, else from the end of
    ``<title>``."""
    name = normalise_inline(page.css('meta[property="og:site_name"]::attr(content)').get())
    from_meta = bool(name)
    if not name:
        match = TITLE_SUFFIX.search(title_tag)
        name = match.group(0).strip(" –—|-") if match else ""
    if not name:
        return None
    suffix = rf"\s+[–—|-]\s+{re.escape(name)}$"
    # Only a name the site declares is looked for in front: one read off the end of
    # <title> says nothing about the start.
    return re.compile(rf"^{re.escape(name)}\s+[–—|-]\s+|{suffix}" if from_meta else suffix)


# Title signals WordPress (or an SEO plugin) prints: a page with one needs no headline rule.
WORDPRESS_TITLE_SOURCES = frozenset({"json-ld:headline", "meta:og:title", "html:.entry-title"})
# Body and library text agree when the library's text holds the body's opening words.
AGREEMENT_CHARS = 60


def _title(
    page: Selector, ld: list[dict], main: Selector, result: Extracted, libraries: Libraries
) -> AnchorOf:
    """The title, and the headline anchored on the page (for the body and the date)."""
    title_tag = normalise_inline(page.css("title::text").get())
    affix = _site_name_affix(page, title_tag)

    def without_site_name(title: str | None) -> str | None:
        return affix.sub("", title, count=1) if title and affix is not None else title

    for obj in ld:
        headline = obj.get("headline")
        result.offer(
            "title",
            without_site_name(normalise_inline(html.unescape(headline)))
            if isinstance(headline, str)
            else None,
            "json-ld:headline",
        )
    result.offer(
        "title",
        without_site_name(
            normalise_inline(page.css('meta[property="og:title"]::attr(content)').get())
        ),
        "meta:og:title",
    )
    # The first entry title only: related posts further down have theirs too.
    entry_title = page.css("h1.entry-title, h1.wp-block-post-title, .entry-title")
    result.offer(
        "title",
        _inline_text(entry_title[0]) if entry_title else None,
        "html:.entry-title",
    )
    if result.provenance.get("title") in WORDPRESS_TITLE_SOURCES:
        known = result.fields["title"]
        return cache(lambda: find_headline(page, title_tag, known))
    # No WordPress title: the heading that <title> holds (a logo <h1> with the site name
    # is no headline: tests/themes, custom-site-first, where trafilatura takes the logo),
    # then the first <h1>, then <title> cut of its site name (trafilatura cuts it the same
    # way: tests/unit/crawler/test_extract.py), then the library's title.
    anchored = find_headline(page, title_tag)
    result.offer(
        "title",
        _inline_text(anchored.headline) if anchored.headline is not None else None,
        "theme:headline-in-title",
    )
    first_h1 = main.css("h1")
    result.offer(
        "title",
        _inline_text(first_h1[0]) if first_h1 else None,
        "theme:h1",
    )
    named = without_site_name(title_tag)
    result.offer(
        "title", named if named != title_tag else TITLE_SUFFIX.sub("", title_tag), "html:title"
    )
    if "title" not in result.fields:  # no heading, no <title>: what the library makes of it
        result.offer("title", libraries.title, "trafilatura:title")
    if anchored.headline is None and result.fields.get("title"):
        anchored = find_headline(page, title_tag, result.fields["title"])
    return lambda: anchored


def _strip_chrome(node: Selector) -> None:
    for selector in CHROME_SELECTORS:
        for element in node.css(selector):
            element.drop()


def _largest_text_block(main: Selector) -> Selector | None:
    """The element whose own paragraphs hold the most text (a readability-style fallback)."""
    best, best_score = None, 0
    for candidate in main.xpath(".//div | .//section | .//article | .//td"):
        paragraphs = candidate.xpath(
            "./p | ./ul | ./ol | ./h2 | ./h3 | ./h4 | ./blockquote | ./figure"
        )
        score = sum(len(_clean_space(" ".join(p.css("::text").getall()))) for p in paragraphs)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _without_chrome(nodes: list[Selector]) -> str:
    """The HTML of content blocks without the chrome inside them (notes, forms, banners)."""
    copy = Selector(text=f"<div>{''.join(node.get() for node in nodes)}</div>")
    _strip_chrome(copy)
    return "".join(copy.xpath("//body/div/node()").getall())


def _body(
    page: Selector, main: Selector, result: Extracted, anchor: AnchorOf, libraries: Libraries
) -> None:
    for selector, source in BODY_SELECTORS:
        node = page.css(selector)
        if node:
            result.offer("body_html", node[0].get(), source)
            return
    # No marked-up content: the content next to the headline (a sidebar of recent posts
    # is longer than a short post: tests/themes); without a headline, the block of
    # paragraphs that holds the most text in a copy of the main area without its chrome.
    anchored = anchor()
    if anchored.content:
        result.offer("body_html", _without_chrome(anchored.content), "theme:content-after-headline")
    else:
        stripped = Selector(text=main.get())
        _strip_chrome(stripped)
        block = _largest_text_block(stripped)
        if block is not None:
            result.offer("body_html", block.get(), "theme:largest-text-block")
    # The library's main text beside it: the body where the rules found none, else its
    # verdict kept next to the winner's source.
    if not libraries.enabled:
        return
    library_text = libraries.text
    if "body_html" not in result.fields:
        if library_text and _holds_own_text(page, library_text, result.fields.get("title")):
            result.offer("body_html", text_as_html(library_text), "trafilatura:text")
        elif library_text:
            result.provenance["body_html.trafilatura"] = "frame only"
        return
    opening = _clean_space(Selector(text=result.fields["body_html"]).xpath("string()").get())
    if not library_text:
        verdict = "none"
    elif opening[:AGREEMENT_CHARS] in _clean_space(library_text):
        verdict = "agrees"
    else:
        verdict = "differs"
    result.provenance["body_html.trafilatura"] = verdict


# Characters a library's main text must hold beyond the page's link texts and the title.
# A page whose content never arrived (a script shell saying "Bitte warten ...") leaves
# trafilatura the site's name, menu and headline: taking that as the body would hide the
# breakage from the nightly's field coverage monitor. A short real post has a sentence.
MIN_OWN_TEXT_CHARS = 30


def _holds_own_text(page: Selector, text: str, title: str | None) -> bool:
    """True if ``text`` holds more than the page's frame: lines that are neither link texts
    of the page nor its title, ``MIN_OWN_TEXT_CHARS`` characters of them at least."""
    frame = {_clean_space(t) for t in page.css("a ::text").getall()}
    frame.add(_clean_space(title))
    own = [line for line in map(_clean_space, text.split("\n")) if line and line not in frame]
    return sum(len(line) for line in own) >= MIN_OWN_TEXT_CHARS


def _categories(page: Selector, result: Extracted) -> None:
    names = [normalise_inline(t) for t in page.css('a[rel~="category"]::text').getall()]
    result.offer("categories", [n for n in names if n], "html:rel=category")
    terms = [normalise_inline(t) for t in page.css(".taxonomy-category a::text").getall()]
    result.offer("categories", [n for n in terms if n], "html:taxonomy-category")
    classes = " ".join(page.css("article::attr(class)").getall())
    slugs = re.findall(r"\bcategory-([\w-]+)", classes)
    result.offer("categories", slugs, "html:article-class")


def body_links(body_html: str, base_url: str) -> list[tuple[str, str]]:
    """The links of a body as (absolute URL, link text), in order, without repeats."""
    found: dict[str, str] = {}
    if not body_html or "<a" not in body_html:
        return []
    for link in Selector(text=body_html).css("a[href]"):
        url = urljoin(base_url, link.attrib["href"].strip())
        found.setdefault(url, _inline_text(link))
    return list(found.items())


def extract_page(text: str, url: str) -> Extracted:
    """Raw fields of a single post or page from its HTML."""
    result = Extracted()
    page = Selector(text=text or "<html></html>")
    if reaches_max_nesting(page.root):
        page = Selector(text=flatten_deep_nesting(text))
    ld = _json_ld_objects(page)
    canonical = page.css('link[rel="canonical"]::attr(href)').get()
    result.offer("canonical", urljoin(url, canonical) if canonical else None, "html:canonical")
    result.offer(
        "canonical", page.css('meta[property="og:url"]::attr(content)').get(), "meta:og:url"
    )
    result.offer("canonical", url, "response-url")
    _post_id(page, result)
    _dates(page, ld, result)
    mains = page.css("main") or page.css("body") or [page]
    main = mains[0]
    listing = is_listing_body(page.css("body::attr(class)").get() or "")
    libraries = Libraries(text or "", url, enabled=not listing)
    anchor = _title(page, ld, main, result, libraries)
    _visible_date(main, result, anchor)
    _categories(page, result)
    _body(page, main, result, anchor, libraries)
    _library_date(result, libraries, page)
    return result


def _in_body_text(iso_day: str, body_html: str) -> bool:
    """True when the body's text writes ``iso_day`` (ISO or German ``DD.MM.YYYY``)."""
    year, month, day = iso_day.split("-")
    text = Selector(text=body_html or "<p></p>").xpath("string()").get() or ""
    written = (iso_day, f"{day}.{month}.{year}", f"{int(day)}.{int(month)}.{year}")
    return any(form in text for form in written)


def _library_date(result: Extracted, libraries: Libraries, page: Selector) -> None:
    """htmldate beside the theme's date line, on a post without a WordPress date.

    The date line wins where both exist: on Avada htmldate takes the last edit's hidden
    ``span.updated`` for the posting date, and with its free-text search it takes the
    body's dateline (tests/themes). A date the body writes is never taken from it; a page
    WordPress marks as a page has no posting date to look for. htmldate's answer that is
    the day of the page's last edit (``updated``, ``dateModified``) is no posting date:
    htmldate is asked again on the page without the edit's marks, and its answer taken
    only if it is another day (``htmldate:without-edit-dates``); else there is none.
    """
    if "published" in result.fields or result.fields.get("is_page") or not libraries.enabled:
        return
    found = libraries.date
    source = "htmldate"
    edits = edit_days(page) if found else set()
    if found in edits:
        result.provenance["visible_date.htmldate-refused"] = f"edit date {found}"
        again = library_date(without_edit_marks(page), libraries.url)
        found, source = (again, "htmldate:without-edit-dates") if again not in edits else (None, "")
    # Where the rules found no body, the page's main text as the library reads it counts
    # (a body refused as frame only still shows which dates the page writes). Where they
    # found one, trafilatura is not run for this alone: some 15 ms a page (BENCHMARKS.md).
    body = result.fields.get("body_html") or ""
    library_text = libraries.text if not body or libraries.text_known else None
    text = body + text_as_html(library_text or "")
    if found and _in_body_text(found, text):
        found = None  # a date the text holds is its dateline or an event, not the posting
    if "visible_date" in result.fields:
        agrees = found == result.fields["visible_date"]
        result.provenance["visible_date.htmldate"] = (
            found if found and not agrees else ("agrees" if found else "none")
        )
        return
    result.offer("visible_date", found, source)


def extract_rest_entry(entry: dict, category_names: dict[int, str]) -> Extracted:
    """Raw fields of a post or page from the REST API (``/wp-json/wp/v2/posts``)."""
    result = Extracted()

    def rendered(name: str) -> str:
        value = entry.get(name)
        return value.get("rendered", "") if isinstance(value, dict) else str(value or "")

    result.offer("canonical", entry.get("link"), "rest:link")
    result.offer("wp_id", entry.get("id") if isinstance(entry.get("id"), int) else None, "rest:id")
    result.offer("is_page", entry.get("type") == "page", "rest:type")
    result.offer("slug", entry.get("slug"), "rest:slug")
    title = Selector(text=f"<div>{rendered('title')}</div>").css("body")
    result.offer("title", _inline_text(title[0]) if title else None, "rest:title.rendered")
    result.offer("published", iso_date(_with_gmt(entry, "date")), "rest:date")
    result.offer("modified", iso_date(_with_gmt(entry, "modified")), "rest:modified")
    result.offer("body_html", rendered("content"), "rest:content.rendered")
    result.offer("excerpt_html", rendered("excerpt"), "rest:excerpt.rendered")
    ids = entry.get("categories") if isinstance(entry.get("categories"), list) else []
    result.offer("categories", [category_names.get(i, str(i)) for i in ids], "rest:categories")
    return result


def _with_gmt(entry: dict, name: str) -> str | None:
    """A REST date with its offset: ``date_gmt`` is UTC, ``date`` is site-local."""
    gmt = entry.get(f"{name}_gmt")
    if isinstance(gmt, str) and gmt:
        return gmt if gmt.endswith(("Z", "+00:00")) else gmt + "+00:00"
    value = entry.get(name)
    return value if isinstance(value, str) else None
