"""Tables for crawler.urls: which hosts are one site, and the one spelling of each URL.

The module's rules: the site answers under ``www.`` and the bare host (the replica under
``127.0.0.1`` and ``localhost``), and every URL on it is rewritten onto the start URL's
scheme, host and port, without a fragment and without tracking parameters ("one spelling
per page"). URLs of other sites only lose their fragment.
"""

from __future__ import annotations

import pytest

from crawler.urls import Site, host_aliases, is_document, is_page_candidate

SITE = Site.from_url("https://www.ikpe-erfurt.de/")
LOCAL = Site.from_url("http://127.0.0.1:8123/")
W = "https://www.ikpe-erfurt.de"


def params(table: list) -> list:
    """Table rows as pytest params: the last value of a row is its id (its note);
    rows already wrapped in ``pytest.param`` (the known bugs) pass through."""
    return [pytest.param(*row[:-1], id=row[-1]) if type(row) is tuple else row for row in table]


def bug(reason: str, *values, note: str):
    """A row the code gets wrong today: expected to fail until the bug is fixed."""
    return pytest.param(
        *values, id=note, marks=pytest.mark.xfail(strict=True, reason=f"bug: {reason}")
    )


# --------------------------------------------------------------------------------------
# The site: from a start URL, its aliases
# --------------------------------------------------------------------------------------

# (start URL, scheme, host, port, base), note.
FROM_URL_CASES = [
    (f"{W}/", "https", "www.ikpe-erfurt.de", None, f"{W}/", "the live site"),
    ("https://WWW.IKPE-Erfurt.DE/Start/?x=1#top", "https", "www.ikpe-erfurt.de", None, f"{W}/",
     "host lower-cased; path, query and fragment of the start URL are not the site"),
    ("https://ikpe-erfurt.de", "https", "ikpe-erfurt.de", None, "https://ikpe-erfurt.de/",
     "the bare host stays the bare host; no path still gives a base with a slash"),
    ("http://127.0.0.1:8123/", "http", "127.0.0.1", 8123, "http://127.0.0.1:8123/",
     "the replica: scheme and port kept"),
    ("//www.ikpe-erfurt.de/", "https", "www.ikpe-erfurt.de", None, f"{W}/",
     "no scheme: https"),
]  # fmt: skip


@pytest.mark.parametrize("url, scheme, host, port, base", params(FROM_URL_CASES))
def test_from_url(url: str, scheme: str, host: str, port: int | None, base: str) -> None:
    site = Site.from_url(url)
    assert (site.scheme, site.host, site.port) == (scheme, host, port)
    assert site.base == base


# (host, aliases), note.
ALIAS_CASES = [
    ("www.ikpe-erfurt.de", {"www.ikpe-erfurt.de", "ikpe-erfurt.de"}, "www and bare"),
    ("ikpe-erfurt.de", {"www.ikpe-erfurt.de", "ikpe-erfurt.de"}, "bare and www"),
    ("WWW.IKPE-ERFURT.DE", {"www.ikpe-erfurt.de", "ikpe-erfurt.de"}, "case does not matter"),
    ("127.0.0.1", {"127.0.0.1", "localhost"}, "the replica's loopback names"),
    ("localhost", {"127.0.0.1", "localhost"}, "localhost stands for 127.0.0.1"),
    ("example.org", {"example.org", "www.example.org"}, "any other site: its www twin"),
]


@pytest.mark.parametrize("host, aliases", params(ALIAS_CASES))
def test_host_aliases(host: str, aliases: set[str]) -> None:
    assert host_aliases(host) == aliases


# (start URL, domains for the offsite filter), note.
DOMAIN_CASES = [
    (f"{W}/", ["ikpe-erfurt.de", "www.ikpe-erfurt.de"], "sorted, both spellings"),
    ("https://ikpe-erfurt.de/", ["ikpe-erfurt.de", "www.ikpe-erfurt.de"], "the same from bare"),
    ("http://localhost:8123/", ["127.0.0.1", "localhost"], "the replica"),
]


@pytest.mark.parametrize("url, domains", params(DOMAIN_CASES))
def test_domains(url: str, domains: list[str]) -> None:
    assert Site.from_url(url).domains == domains


# (site, URL, owned), note.
OWNS_CASES = [
    (SITE, f"{W}/2024/03/fachtag/", True, "the site's own host"),
    (SITE, "https://ikpe-erfurt.de/2024/03/fachtag/", True, "the bare host is the same site"),
    (SITE, "http://www.ikpe-erfurt.de/", True, "another scheme is still the site"),
    (SITE, "https://WWW.IKPE-ERFURT.DE/", True, "host case does not matter"),
    (SITE, "https://blog.ikpe-erfurt.de/", False, "a sub-domain is another site"),
    (SITE, "https://ikpe-erfurt.de.example.org/", False, "a look-alike host"),
    (SITE, "https://www.ikpe-erfurt.de:8080/", False, "another port is another site"),
    (SITE, "/relative/", False, "a relative URL has no host"),
    (SITE, "mailto:info@ikpe-erfurt.de", False, "not a web URL"),
    (LOCAL, "http://localhost:8123/x/", True, "the replica under its other name"),
    (LOCAL, "http://127.0.0.1:8124/x/", False, "the replica's host, another port"),
    (LOCAL, "http://127.0.0.1/x/", False, "the replica's host without its port"),
]  # fmt: skip


@pytest.mark.parametrize("site, url, owned", params(OWNS_CASES))
def test_owns(site: Site, url: str, owned: bool) -> None:
    assert site.owns(url) is owned


# --------------------------------------------------------------------------------------
# One spelling per page
# --------------------------------------------------------------------------------------

# (site, URL, normalised), note.
NORMALISE_CASES = [
    (SITE, "https://ikpe-erfurt.de/2024/03/fachtag/", f"{W}/2024/03/fachtag/",
     "bare host rewritten onto www"),
    (SITE, "http://www.ikpe-erfurt.de/team/", f"{W}/team/", "the site's scheme"),
    (SITE, "https://WWW.IKPE-ERFURT.DE/Team/", f"{W}/Team/",
     "host lower-cased, the path's case kept"),
    (SITE, f"{W}/fachtag/#kommentare", f"{W}/fachtag/", "fragment dropped"),
    (SITE, f"{W}/fachtag/#", f"{W}/fachtag/", "empty fragment dropped"),
    (SITE, f"{W}/fachtag/?utm_source=newsletter&utm_medium=mail", f"{W}/fachtag/",
     "only tracking parameters: no query left, no '?'"),
    (SITE, f"{W}/?p=412&utm_campaign=herbst", f"{W}/?p=412", "tracking dropped, p kept"),
    (SITE, f"{W}/?fbclid=IwAR0x&s=armut", f"{W}/?s=armut", "fbclid is tracking"),
    (SITE, f"{W}/?utm_content=a&page_id=9&utm_source=b", f"{W}/?page_id=9",
     "tracking around a real parameter"),
    (SITE, f"{W}/?s=&utm_source=x", f"{W}/?s=", "a blank value is kept"),
    (SITE, f"{W}/?b=2&a=1", f"{W}/?b=2&a=1", "no tracking: the query is left as it is"),
    (SITE, f"{W}/?s=armut%20kinder", f"{W}/?s=armut%20kinder",
     "no tracking: its encoding is left as it is"),
    (SITE, W, f"{W}/", "no path: the root"),
    (SITE, f"{W}/fachtag", f"{W}/fachtag", "no trailing slash added"),
    (SITE, f"{W}/fachtag/", f"{W}/fachtag/", "a trailing slash kept"),
    (SITE, "https://ikpe-erfurt.de/wp-content/uploads/2024/03/programm.pdf",
     f"{W}/wp-content/uploads/2024/03/programm.pdf", "documents are rewritten too"),
    (SITE, "https://example.org/a?utm_source=x#top", "https://example.org/a?utm_source=x",
     "another site: only the fragment goes"),
    (SITE, "https://www.ikpe-erfurt.de:8080/a#b", "https://www.ikpe-erfurt.de:8080/a",
     "the site's host on another port is another site"),
    (LOCAL, "http://localhost:8123/2024/03/fachtag/#x", "http://127.0.0.1:8123/2024/03/fachtag/",
     "the replica: localhost rewritten onto 127.0.0.1, port kept"),
    (LOCAL, "http://localhost:8123", "http://127.0.0.1:8123/", "the replica's root"),
]  # fmt: skip


@pytest.mark.parametrize("site, url, expected", params(NORMALISE_CASES))
def test_normalise(site: Site, url: str, expected: str) -> None:
    assert site.normalise(url) == expected


@pytest.mark.parametrize("site, url, expected", params(NORMALISE_CASES))
def test_normalise_is_idempotent(site: Site, url: str, expected: str) -> None:
    once = site.normalise(url)
    assert site.normalise(once) == once


# (URL, the same page spelled otherwise), note: each pair must normalise to one spelling.
SAME_PAGE_CASES = [
    (f"{W}/fachtag/", "https://ikpe-erfurt.de/fachtag/#programm", "host and fragment"),
    (f"{W}/?p=412", "http://ikpe-erfurt.de/?p=412&utm_source=feed", "host, scheme, tracking"),
    (f"{W}/?s=armut+kinder", f"{W}/?s=armut+kinder&utm_medium=mail",
     "a '+' space survives the removal of tracking"),
    (f"{W}/?s=%C3%A4rger", f"{W}/?s=%C3%A4rger&fbclid=x", "percent-encoded UTF-8 survives"),
    bug("dropping a tracking parameter re-encodes the rest of the query (%20 becomes +)",
        f"{W}/?s=armut%20kinder", f"{W}/?s=armut%20kinder&utm_source=newsletter",
        note="a %20 space: two spellings of one search page"),
    bug("dropping a tracking parameter re-encodes the rest of the query (a bare key gains '=')",
        f"{W}/2024/03/fachtag/?print", f"{W}/2024/03/fachtag/?print&utm_source=newsletter",
        note="a bare query key: two spellings of one page"),
    bug("utm_term, one of the five standard UTM parameters, is not in TRACKING_PARAMS",
        f"{W}/fachtag/", f"{W}/fachtag/?utm_term=armut",
        note="utm_term is a tracking parameter"),
    bug("an explicit default port is not the site (owns compares ports literally)",
        f"{W}/fachtag/", "https://www.ikpe-erfurt.de:443/fachtag/",
        note="https on :443 is the same page"),
]  # fmt: skip


@pytest.mark.parametrize("url, other", params(SAME_PAGE_CASES))
def test_one_spelling_per_page(url: str, other: str) -> None:
    assert SITE.normalise(other) == SITE.normalise(url)


# (path, URL), note.
SITE_URL_CASES = [
    ("/wp-json/", f"{W}/wp-json/", "root-relative"),
    ("wp-json/", f"{W}/wp-json/", "without the leading slash"),
    ("//wp-json/", f"{W}/wp-json/", "extra slashes do not make a host"),
    ("", f"{W}/", "empty: the root"),
]


@pytest.mark.parametrize("path, expected", params(SITE_URL_CASES))
def test_site_url(path: str, expected: str) -> None:
    assert SITE.url(path) == expected


def test_site_url_keeps_the_replica_port() -> None:
    assert LOCAL.url("/feed/") == "http://127.0.0.1:8123/feed/"


# --------------------------------------------------------------------------------------
# Documents and page candidates
# --------------------------------------------------------------------------------------

# (URL, is a document, may be a page), note.
LINK_KIND_CASES = [
    (f"{W}/wp-content/uploads/2024/03/programm.pdf", True, False, "a PDF"),
    (f"{W}/wp-content/uploads/PM.PDF", True, False, "extension case does not matter"),
    (f"{W}/a/bericht.docx", True, False, "Word"),
    (f"{W}/a/bericht.doc", True, False, "old Word"),
    (f"{W}/a/tabelle.xlsx", True, False, "Excel"),
    (f"{W}/a/folien.pptx", True, False, "PowerPoint"),
    (f"{W}/a/text.odt", True, False, "OpenDocument text"),
    (f"{W}/a/programm.pdf?download=1", True, False, "the query is not the path"),
    (f"{W}/a/programm.pdf#page=2", True, False, "nor is the fragment"),
    (f"{W}/pdf/", False, True, "'pdf' as a path segment is a page"),
    (f"{W}/programm-pdf/", False, True, "'pdf' in a slug is a page"),
    (f"{W}/a/programm.pdf/", False, True, "a WordPress attachment page ends in a slash"),
    (f"{W}/?file=programm.pdf", False, True, "a document named in the query is not one"),
    (f"{W}/2024/03/fachtag/", False, True, "a post"),
    (f"{W}/seite.html", False, True, "an .html page"),
    (f"{W}/feed/", False, True, "a feed may be followed"),
    (f"{W}/bild.jpg", False, False, "an image"),
    (f"{W}/bild.JPEG", False, False, "an image, upper case"),
    (f"{W}/logo.svg", False, False, "an SVG"),
    (f"{W}/style.css?ver=6.4", False, False, "a stylesheet with a version query"),
    (f"{W}/app.js", False, False, "a script"),
    (f"{W}/paket.zip", False, False, "an archive"),
    (f"{W}/schrift.woff2", False, False, "a web font"),
]  # fmt: skip


@pytest.mark.parametrize("url, document, page", params(LINK_KIND_CASES))
def test_link_kinds(url: str, document: bool, page: bool) -> None:
    assert (is_document(url), is_page_candidate(url)) == (document, page)
