"""Publication lists in every rendering's frame: only citations become entries (issue 14).

A reference page read as a whole page (the spider's year-grouped fallback) and a tab's AJAX
fragment that carries more than its list: project teasers (``Laufzeit: ...
Ansprechpartner: ...``), post titles, an address. Entries are kept only when they parse as
citations at :data:`archive.citations.CITATION_MIN_CONFIDENCE`.
"""

from __future__ import annotations

import pytest

from crawler.discovery import parse_citation_list, split_citations
from tests.themes.corpus import (
    BASE,
    CITATIONS,
    FOOTER_ADDRESS,
    LIST_JUNK,
    RECENT_POSTS,
    RENDERINGS,
    Rendering,
    reference_page,
    tab_fragment,
)


@pytest.mark.parametrize("rendering", RENDERINGS, ids=[r.name for r in RENDERINGS])
def test_a_reference_page_gives_its_citations_and_nothing_of_its_frame(
    rendering: Rendering,
) -> None:
    page = reference_page(rendering)
    # The page does hold the frame and the junk: the test would see them come through.
    assert all(junk in page for junk in (*LIST_JUNK, FOOTER_ADDRESS, RECENT_POSTS[0][1]))
    found = parse_citation_list(page, f"{BASE}/category/referenzen/")
    # What parse_citation_page keeps: the entries under a year heading.
    assert [(c.text, c.year_heading) for c in found if c.year_heading is not None] == [
        (CITATIONS[0], 2017),
        (CITATIONS[1], 2015),
        (CITATIONS[2], 2014),
    ]


# (entry of the tab fragment, kept, note)
TAB_ENTRY_CASES = [
    (CITATIONS[0], True, "chapter in an edited book"),
    (CITATIONS[1], True, "edited book"),
    (CITATIONS[2], True, "journal issue, editors"),
    (LIST_JUNK[0], False, "project teaser: Laufzeit, Ansprechpartner"),
    (LIST_JUNK[1], False, "a post title with a year"),
    (LIST_JUNK[2], False, "a teaser's dateline and headline"),
    (FOOTER_ADDRESS, False, "the footer address"),
]


def test_the_tab_fragment_holds_every_entry_of_the_table() -> None:
    entries = [c.text for c in parse_citation_list(tab_fragment(), BASE)]
    assert sorted(entries) == sorted(row[0] for row in TAB_ENTRY_CASES)


@pytest.mark.parametrize(
    ("entry", "kept"), [c[:2] for c in TAB_ENTRY_CASES], ids=[c[2] for c in TAB_ENTRY_CASES]
)
def test_a_tab_keeps_only_citations(entry: str, kept: bool) -> None:
    citations = parse_citation_list(tab_fragment(), BASE)
    citation_texts, dropped_texts = (
        [c.text for c in part] for part in split_citations(citations, "Publikationen")
    )
    assert (entry in citation_texts) is kept
    assert (entry in dropped_texts) is not kept
