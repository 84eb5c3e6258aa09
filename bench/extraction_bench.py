"""Extraction benchmark: the spider's fields beside trafilatura's and htmldate's, per rendering.

    .venv/bin/python bench/extraction_bench.py [--repeat 20]

The corpus is ``tests/themes/corpus.py``: the same posts rendered in eleven WordPress
themes and builders and two plain custom themes, each page with its frame (menu, recent
posts, share bar, footer address, cookie banner). For each rendering and field the figure is
the share of posts right:

- title: the post's title; "title, name swapped": the same with the site name moved to the
  other side of the title in ``<title>``; posting date: its day; body: the key sentence
  present; noise: none of the frame's texts in the body; type: the record's type (the
  spider only: the libraries give none).
- records that should not exist: publication records the spider makes of the rendering's
  reference page (``corpus.reference_page``: citations under year lines, a project teaser,
  post titles, the theme's frame) that are no citation, and in brackets how many the same
  page gives when every entry under a year line is kept (the spider before issue 14). The
  libraries make no records ("–").
- the spider: ``crawler.extract.extract_page`` and ``archive.records.build_record`` (its
  library layer included); trafilatura: ``bare_extraction`` with metadata (its defaults,
  not the spider's ``fast`` mode); htmldate: ``find_date`` with its defaults
  (``extensive_search``, ``original_date``).

Then the cost: the median milliseconds per page of ``extract_page`` per rendering, and of the
libraries as the layer calls them (trafilatura ``fast``, htmldate markup-only) on the pages
where the layer runs them. Last, the list pages (``tests/unit/crawler/test_citation_listings``):
entries read off the replica's ``/category/referenzen/`` and a custom list page, and how many
of them are no citation. One process, one run; nothing leaves 127.0.0.1 (nothing is fetched).
"""

from __future__ import annotations

import argparse
import logging
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

MAX_REPEAT = 200
FIELDS = ("title", "swapped", "date", "body", "noise", "type", "junk")


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _share(hits: list[bool]) -> str:
    return f"{sum(hits)}/{len(hits)}"


def _spider_record(page: str, url: str) -> tuple[dict, dict]:
    from scrapy.http import HtmlResponse, Request

    from archive.records import build_record
    from crawler.extract import extract_page
    from crawler.items import entry_item
    from crawler.urls import Site

    extracted = extract_page(page, url)
    response = HtmlResponse(url, body=page.encode("utf-8"), encoding="utf-8", request=Request(url))
    record = build_record(entry_item(extracted, response, Site.from_url(url), via="html"))
    return record, extracted.provenance


def _text_checks(text: str, post, noise: tuple[str, ...]) -> tuple[bool, bool]:
    flat = " ".join((text or "").split())
    return post.key_sentence in flat, not any(n in flat for n in noise)


def quality_rows() -> list[tuple[str, dict[str, dict[str, str]]]]:
    """Per rendering: {contender: {field: "right/total"}}."""
    import trafilatura
    from htmldate import find_date

    from tests.themes.corpus import NOISE, POSTS, RENDERINGS, site_name_swapped

    rows = []
    for rendering in RENDERINGS:
        hits: dict[str, dict[str, list[bool]]] = {
            name: {f: [] for f in FIELDS if f != "junk"}
            for name in ("spider", "trafilatura", "htmldate")
        }
        for post in POSTS:
            page = rendering.render(post)
            record, _provenance = _spider_record(page, post.url)
            body, clean = _text_checks(record["text"], post, NOISE)
            spider = hits["spider"]
            spider["title"].append(record["title"] == post.title)
            swapped = site_name_swapped(page)
            spider["swapped"].append(_spider_record(swapped, post.url)[0]["title"] == post.title)
            spider["date"].append(record["published"] == post.posted.isoformat())
            spider["body"].append(body)
            spider["noise"].append(clean)
            spider["type"].append(record["type"] == post.expected_type)
            document = trafilatura.bare_extraction(page, url=post.url, with_metadata=True)
            library = hits["trafilatura"]
            library["title"].append(document is not None and document.title == post.title)
            other = trafilatura.bare_extraction(swapped, url=post.url, with_metadata=True)
            library["swapped"].append(other is not None and other.title == post.title)
            library["date"].append(
                document is not None and document.date == post.posted.isoformat()
            )
            body, clean = _text_checks(document.text if document else "", post, NOISE)
            library["body"].append(body)
            library["noise"].append(clean and body)
            found = find_date(page, url=post.url, original_date=True)
            hits["htmldate"]["date"].append(found == post.posted.isoformat())
        shares = {
            name: {f: _share(v) if v else "–" for f, v in fields.items()}
            for name, fields in hits.items()
        }
        junk, unfiltered = _records_that_should_not_exist(rendering)
        shares["spider"]["junk"] = f"{junk} ({unfiltered})"
        shares["trafilatura"]["junk"] = shares["htmldate"]["junk"] = "–"
        rows.append((rendering.name, shares))
    return rows


def _records_that_should_not_exist(rendering) -> tuple[int, int]:
    """Publication records of the rendering's reference page that are no citation: as the
    spider reads it, and keeping every entry under a year line (no frame skipped, no filter)."""
    import re

    from crawler.discovery import parse_citation_list
    from tests.themes.corpus import BASE, CITATIONS, reference_page

    page = reference_page(rendering)
    url = f"{BASE}/category/referenzen/"
    kept = [c for c in parse_citation_list(page, url) if c.year_heading is not None]
    # Without its <head> the page reads as a fragment: no frame skipped, no entry dropped.
    bare = parse_citation_list(re.sub(r"<head>.*?</head>", "", page, flags=re.S), url)
    unfiltered = [c for c in bare if c.year_heading is not None]
    return (
        sum(c.text not in CITATIONS for c in kept),
        sum(c.text not in CITATIONS for c in unfiltered),
    )


def cost_rows(repeat: int) -> list[tuple[str, str, float, float, float]]:
    """Per rendering: which libraries the layer ran, extract_page ms, and the libraries' ms."""
    from crawler.candidates import library_date, library_title_and_text
    from crawler.extract import extract_page
    from tests.themes.corpus import POSTS, RENDERINGS

    rows = []
    for rendering in RENDERINGS:
        post = POSTS[1]  # the short post: the one a sidebar outweighs
        page = rendering.render(post)
        provenance = extract_page(page, post.url).provenance
        ran = []
        if any(
            k.endswith(".trafilatura") or v.startswith("trafilatura") for k, v in provenance.items()
        ):
            ran.append("trafilatura")
        if any(".htmldate" in k or v.startswith("htmldate") for k, v in provenance.items()):
            ran.append("htmldate")
        extract_ms = _median_ms(lambda page=page, url=post.url: extract_page(page, url), repeat)
        text_ms = _median_ms(
            lambda page=page, url=post.url: library_title_and_text(page, url), repeat
        )
        date_ms = _median_ms(lambda page=page, url=post.url: library_date(page, url), repeat)
        rows.append((rendering.name, "+".join(ran) or "none", extract_ms, text_ms, date_ms))
    return rows


def listing_rows() -> list[tuple[str, int, int, int]]:
    """Per list page: entries read, entries that are no citation (should not exist), and
    entries a reading of the page as a bare list (frame and teasers included) would make."""
    import re

    from archive.citations import CITATION_MIN_CONFIDENCE, citation_confidence, parse_citation
    from crawler.discovery import parse_citation_list
    from tests.unit.crawler.test_citation_listings import (
        BASE,
        CUSTOM_LIST_PAGE,
        _replica_list_page,
    )

    rows = []
    for name, page in (("replica /category/referenzen/", _replica_list_page()),
                       ("custom list page", CUSTOM_LIST_PAGE)):  # fmt: skip
        entries = parse_citation_list(page, BASE)
        junk = [
            e
            for e in entries
            if citation_confidence(parse_citation(e.text)) < CITATION_MIN_CONFIDENCE
        ]
        # Without its <head> the page reads as a fragment: every paragraph is an entry.
        bare = parse_citation_list(re.sub(r"<head>.*?</head>", "", page, flags=re.S), BASE)
        naive_junk = len([e for e in bare if e.year_heading is not None]) - len(entries)
        rows.append((name, len(entries), len(junk), naive_junk))
    # A tab's AJAX fragment that carries a teaser, post titles and an address (parse_tab
    # keeps what split_citations keeps).
    from crawler.discovery import split_citations
    from tests.themes.corpus import CITATIONS, tab_fragment

    every = parse_citation_list(tab_fragment(), BASE)
    kept, _dropped = split_citations(every, "Publikationen")
    rows.append(
        (
            "AJAX tab fragment with its surroundings",
            len(kept),
            sum(c.text not in CITATIONS for c in kept),
            sum(c.text not in CITATIONS for c in every),
        )
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per page")
    args = parser.parse_args(argv)
    repeat = max(1, min(args.repeat, MAX_REPEAT))
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)  # trafilatura logs each page it finds too short

    print(
        f"Python {platform.python_version()}, trafilatura {metadata.version('trafilatura')}, "
        f"htmldate {metadata.version('htmldate')}, {repeat} timed runs per page\n"
    )
    print(
        "| rendering | contender | title | title, name swapped | posting date | body key sentence "
        "| noise absent | type | records that should not exist (unfiltered) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, contenders in quality_rows():
        for contender, fields in contenders.items():
            cells = " | ".join(fields[f] for f in FIELDS)
            print(f"| {name} | {contender} | {cells} |")
    print("\n| rendering | libraries the layer ran | extract_page ms | trafilatura (fast) ms "
          "| htmldate (markup) ms |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: |")
    for name, ran, extract_ms, text_ms, date_ms in cost_rows(repeat):
        print(f"| {name} | {ran} | {extract_ms:.1f} | {text_ms:.1f} | {date_ms:.1f} |")
    print(
        "\n| list page | entries read | of them no citation | frame entries read as a bare list |"
    )
    print("| --- | ---: | ---: | ---: |")
    for name, entries, junk, naive in listing_rows():
        print(f"| {name} | {entries} | {junk} | {naive} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
