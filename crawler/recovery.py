"""Items from the WARC captures alone: what the crawls made of them, with no store at hand.

A store that is lost, or damaged and moved aside, is rebuilt from here
(``ikpe-archive reextract --from-warc``). The WARC files are scanned
(``archive.captures.scan_captures``; the capture index is not needed) and the crawls
replayed oldest first: each answer runs through the spider's own callback, routed as the
spider routed it (REST listings, the publication tabs, POSTs to one URL told apart by
their form, the year-grouped citation list, single pages and newsletters), with what the
crawl knew by then (category names, the home page's tabs, sitemap dates). Each crawl gives
one item per record id, the first, as the crawl's duplicate filter kept it. An
attachment's facts come from the file the crawl kept, or from its own capture, and a file
missing from ``attachments/`` is written back from it. Which records the latest answers
no longer give (gone from the site) is left to ``present_keys``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

from scrapy.http import Response, TextResponse

from archive.captures import CaptureIndex, CaptureRef, read_capture, scan_captures
from crawler import discovery
from crawler.pipelines import attachment_facts, attachment_path
from crawler.replay import as_response
from crawler.spiders.ikpe import IkpeSpider, is_entry_url, is_newsletter
from crawler.urls import Site

logger = logging.getLogger(__name__)

# Answers that say nothing about a page (the crawl retried them): never "the latest".
RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5  # as the crawl's REDIRECT_MAX_TIMES
CITATION_LIST_PATH = "/category/referenzen/"  # where the spider reads citations without tabs


class _OfflineStats:
    """The counters the spider's callbacks touch, kept and never reported."""

    def __init__(self) -> None:
        self.values: dict = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value) -> None:
        self.values[key] = value

    def get_value(self, key: str, default=None):
        return self.values.get(key, default)


class _OfflineCrawler:
    """What the spider's callbacks reach of a crawler: its stats."""

    def __init__(self) -> None:
        self.stats = _OfflineStats()


@dataclass(frozen=True)
class Recovered:
    """One item of a crawl, with what identifies it across crawls: an item made again
    from the same capture in the same context (a 304 the next night) is the same."""

    item: dict
    identity: tuple


@dataclass
class CrawlItems:
    """What one crawl made: one item per record id, the first (the crawl's duplicate
    filter kept the first)."""

    crawl_id: str
    start_url: str
    items: list[Recovered] = field(default_factory=list)


def crawl_of(ref: CaptureRef) -> str:
    """The crawl that wrote a capture (its WARC files are ``<crawl_id>-NNNNN.warc.gz``)."""
    return ref.warc_file.rsplit("-", 1)[0]


class _SiteContext:
    """One site's spider and what its callbacks need from other captures, as the crawl
    being replayed learnt it: category names, the home page's publication tabs, the
    sitemaps' lastmod dates. Each crawl starts without them, as a new spider does."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.spider = IkpeSpider(start_url=site.base)
        self.spider.crawler = _OfflineCrawler()
        self.tabs: discovery.AjaxTabs | None = None
        self.lastmod: dict[str, str] = {}

    def reset(self) -> None:
        """Forget what the last crawl learnt."""
        self.spider.category_names.clear()
        self.tabs = None
        self.lastmod.clear()

    @property
    def version(self) -> tuple:
        """What an item made in this context depends on besides its capture: the same
        names and tabs learnt again the next night give the same version."""
        return (tuple(sorted(self.spider.category_names.items())), self.tabs)


class WarcRecovery:
    """Replay the crawls from the WARC files of a data directory, oldest first.

    Every answer (a response, or a 304 revisit standing for the body it points at) goes
    through the spider's callback in the order the crawl received it, so each crawl's
    items come out as that crawl made them. Items are made once per capture and context:
    a night of 304s costs no parsing.
    """

    def __init__(self, warc_dir: Path, attachments_dir: Path) -> None:
        self.warc_dir = Path(warc_dir)
        self.attachments_dir = Path(attachments_dir)
        with CaptureIndex(self.warc_dir) as index:
            self.fetched_at = index.fetched_at_by_location()
        self.refs = [r for r in scan_captures(self.warc_dir) if r.status not in RETRIED_STATUSES]
        self.sites: dict[Site, _SiteContext] = {}
        self.bodies: dict[tuple, CaptureRef] = {}  # request -> its latest response
        self.made: dict[tuple, list[Recovered]] = {}  # items by capture and context
        self.made_for: dict[tuple, set[tuple]] = {}  # request -> identities in ``made``
        self.latest_keys: dict[tuple, list[str]] = {}  # request -> keys its last answer made
        self.attachments: dict[str, dict] = {}  # url -> facts, or the crawl's error
        self.latest_bodies: dict[tuple, CaptureRef] | None = None
        self.unreadable: list[str] = []
        self.files_restored = 0

    @property
    def captures(self) -> int:
        """How many answers the WARC files hold (revisits included)."""
        return len(self.refs)

    def present_keys(self) -> set[str]:
        """The record ids the latest answer to some request still gives (after
        :meth:`crawls`): the rest were seen once and are gone from the site since."""
        return {key for keys in self.latest_keys.values() for key in keys}

    def crawls(self) -> Iterator[CrawlItems]:
        """Each crawl's items, crawl by crawl, oldest first."""
        current: CrawlItems | None = None
        seen: set[str] = set()
        for ref in self.refs:
            crawl_id = crawl_of(ref)
            if current is None or current.crawl_id != crawl_id:
                if current is not None:
                    yield current
                current, seen = CrawlItems(crawl_id, Site.from_url(ref.url).base), set()
                for context in self.sites.values():
                    context.reset()
            made = self._answer(ref)
            for recovered in made:
                if recovered.item["key"] not in seen:
                    seen.add(recovered.item["key"])
                    current.items.append(recovered)
        if current is not None:
            yield current

    # --- the captures ----------------------------------------------------------------

    def _answer(self, ref: CaptureRef) -> list[Recovered]:
        """The items one answer gives, learning the context it sets on the way."""
        key = ref.request_key
        if ref.record_type == "response":
            self.bodies[key] = ref
            for superseded in self.made_for.pop(key, ()):  # no later answer points at it
                self.made.pop(superseded, None)
        body = self.bodies.get(key)
        if body is None:  # a revisit of a capture this directory does not hold
            return []
        context = self._context(body.url)
        self._learn(body, context)
        route = self._route(body, context)
        if route is None:
            self.latest_keys[key] = []
            return []
        callback, meta = route
        identity = (body.warc_file, body.offset, callback, tuple(sorted(meta.items())),
                    context.version)  # fmt: skip
        if identity not in self.made:
            self.made_for.setdefault(key, set()).add(identity)
            response = self._response(body, meta)
            items = [] if response is None else self._items(context, callback, response, body)
            for item in items:
                self._fill_attachments(item)
            self.made[identity] = [Recovered(item, (*identity, item["key"])) for item in items]
        made = self.made[identity]
        self.latest_keys[key] = [recovered.item["key"] for recovered in made]
        return made

    def _items(
        self, context: _SiteContext, callback: str, response: Response, ref: CaptureRef
    ) -> list[dict]:
        """The items the spider's ``callback`` makes of ``response``; none when it fails
        (as Scrapy goes on after a failing callback, so does the rebuild: the capture is
        reported among the unreadable)."""
        try:
            # The requests a callback yields (links to follow) are dropped: nothing is fetched.
            return [o for o in getattr(context.spider, callback)(response) if isinstance(o, dict)]
        except Exception:
            logger.warning("could not replay %s@%s", ref.warc_file, ref.offset, exc_info=True)
            self.unreadable.append(f"{ref.warc_file}@{ref.offset}")
            return []

    def _response(self, ref: CaptureRef, meta: dict | None = None) -> Response | None:
        capture = read_capture(self.warc_dir, ref.warc_file, ref.offset)
        if capture is None:
            self.unreadable.append(f"{ref.warc_file}@{ref.offset}")
            return None
        response = as_response(capture)
        fetched_at = self.fetched_at.get((ref.warc_file, ref.offset)) or ref.fetched_at
        response.meta.update(meta or {})
        response.meta["capture"] = {"warc_file": ref.warc_file, "offset": ref.offset,
                                    "sha256": capture.sha256, "fetched_at": fetched_at}  # fmt: skip
        return response

    def _context(self, url: str) -> _SiteContext:
        site = Site.from_url(url)
        if site not in self.sites:
            self.sites[site] = _SiteContext(site)
        return self.sites[site]

    def _learn(self, ref: CaptureRef, context: _SiteContext) -> None:
        """Category names, publication tabs and sitemap dates, as the crawl learnt them
        before the answers that use them."""
        if ref.method != "GET" or not 200 <= ref.status < 300:
            return
        if "/wp/v2/categories" in ref.url:
            response = self._response(ref)
            listing = discovery.parse_rest_list(response.body) if response is not None else None
            for category in listing or []:
                if isinstance(category.get("id"), int):
                    context.spider.category_names[category["id"]] = str(category.get("name", ""))
        elif ref.url == context.site.base:
            response = self._response(ref)
            if isinstance(response, TextResponse):
                context.tabs = discovery.find_ajax_tabs(response.text, response.url)
        elif urlsplit(ref.url).path.endswith(".xml"):
            response = self._response(ref)
            _children, pages = discovery.parse_sitemap(response.body) if response else ([], [])
            for entry in pages:
                if entry.lastmod:
                    context.lastmod[context.site.normalise(entry.url)] = entry.lastmod

    def _route(self, ref: CaptureRef, context: _SiteContext) -> tuple[str, dict] | None:
        """Which callback of the spider parsed this answer, with the meta it had."""
        site, tabs = context.site, context.tabs
        if ref.method == "POST":
            form = parse_qs(ref.request_body.decode("utf-8", "replace"))
            key = (form.get("tab") or [""])[0]
            if tabs is None or ref.url != site.normalise(tabs.url) or key not in tabs.tabs:
                return None
            position = tabs.tabs.index(key)
            name = tabs.names[position] if position < len(tabs.names) else None
            return "parse_tab", {"tab": position, "tab_name": name}
        if ref.method != "GET":
            return None
        path_and_query = ref.url.split("://", 1)[-1]
        for kind in ("posts", "pages"):
            if f"/wp/v2/{kind}?" in path_and_query or path_and_query.endswith(f"/wp/v2/{kind}"):
                page = parse_qs(urlsplit(ref.url).query).get("page", ["1"])[0]
                number = int(page) if page.isdigit() else 1
                return "parse_rest_entries", {"rest_kind": kind, "rest_page": number}
        if ref.url == site.url(CITATION_LIST_PATH) and (tabs is None or not tabs.tabs):
            return "parse_citation_page", {}
        if is_entry_url(site, ref.url):
            kind = "newsletter" if is_newsletter(ref.url) else None
            return "parse_entry", {"entry_kind": kind,
                                   "sitemap_lastmod": context.lastmod.get(ref.url)}  # fmt: skip
        return None

    # --- attachments -----------------------------------------------------------------

    def _fill_attachments(self, item: dict) -> None:
        """Each attachment's facts as the crawl noted them: from the file the crawl kept
        in ``attachments/`` (downloaded once, kept), or, when that is lost, from its
        latest capture (redirects followed), the file written back; with neither, the
        crawl's "download failed"."""
        for attachment in item.get("attachments", []):
            url = attachment["url"]
            if url not in self.attachments:
                self.attachments[url] = self._attachment(url)
            attachment.update(self.attachments[url])
        item.pop("attachment_urls", None)

    def _attachment(self, url: str) -> dict:
        path = self.attachments_dir / attachment_path(url)
        if path.is_file():
            return attachment_facts(url, path.read_bytes())
        data = self._download(url)
        if data is None:
            return {"error": "download failed"}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files_restored += 1
        return attachment_facts(url, data)

    def _download(self, url: str) -> bytes | None:
        """The body of the latest capture of ``url``, following redirects."""
        if self.latest_bodies is None:
            self.latest_bodies = {
                r.request_key: r for r in self.refs if r.record_type == "response"
            }
        for _hop in range(MAX_REDIRECTS + 1):
            ref = self.latest_bodies.get(("GET", url, b""))
            capture = read_capture(self.warc_dir, ref.warc_file, ref.offset) if ref else None
            if capture is None:
                return None
            location = next((v for k, v in capture.headers if k.lower() == "location"), None)
            if capture.status in REDIRECTS and location:
                url = urljoin(url, location)
                continue
            return capture.body if 200 <= capture.status < 300 else None
        return None
