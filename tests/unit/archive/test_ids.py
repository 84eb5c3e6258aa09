"""Tables for archive.ids: record ids are stable (the store, the journal and every link
to a record depend on them), so their exact values are pinned here; citations spelled
with other spacing, entities or case are one publication."""

from __future__ import annotations

import re

import pytest

from archive.ids import DIGEST_LENGTH, citation_digest, post_id, publication_id, url_id

RAW = "Huber, S. (2020): Armut in Thüringen. Erfurt: IKPE."


# (function, argument, id), note: the pinned values must never change.
PINNED_CASES = [
    (post_id, 412, "wp-412", "a post"),
    (post_id, 9, "wp-9", "a page: the same form"),
    (publication_id, RAW, "pub-9e622085acb8c54a", "a citation"),
    (url_id, "https://www.ikpe-erfurt.de/newsletter/2024-03/", "url-24ca90c0ac77656f",
     "a newsletter view"),
    (url_id, "", "url-e3b0c44298fc1c14", "the empty URL (the digest of nothing)"),
]  # fmt: skip


@pytest.mark.parametrize(
    "function, argument, expected",
    [c[:3] for c in PINNED_CASES],
    ids=[c[3] for c in PINNED_CASES],
)
def test_pinned_ids(function, argument, expected: str) -> None:
    assert function(argument) == expected


# (spelling), note: each is the same citation as RAW.
SAME_CITATION_CASES = [
    ("  Huber, S. (2020): Armut in Thüringen. Erfurt: IKPE.  ", "spaces around"),
    ("Huber,  S.\n(2020):\tArmut in Thüringen. Erfurt: IKPE.", "runs of spaces, newline, tab"),
    ("Huber,&nbsp;S. (2020): Armut in Th&uuml;ringen. Erfurt: IKPE.", "HTML entities"),
    ("Huber,\u00a0S. (2020): Armut in Thüringen. Erfurt: IKPE.", "a no-break space"),
    ("HUBER, S. (2020): ARMUT IN THÜRINGEN. ERFURT: IKPE.", "upper case"),
    ("huber, s. (2020): armut in thüringen. erfurt: ikpe.", "lower case"),
]


@pytest.mark.parametrize(
    "spelling", [c[0] for c in SAME_CITATION_CASES], ids=[c[1] for c in SAME_CITATION_CASES]
)
def test_one_citation_one_id(spelling: str) -> None:
    assert publication_id(spelling) == publication_id(RAW)
    assert citation_digest(spelling) == citation_digest(RAW)


# (one, other, the same publication), note.
OTHER_CITATION_CASES = [
    (RAW, RAW.replace("2020", "2021"), False, "another year"),
    (RAW, RAW.replace("Thüringen", "Thueringen"), False, "a transliterated umlaut is other text"),
    (RAW, RAW.replace("Huber, S.", "Huber,S."), False, "a space removed inside is other text"),
    (RAW, RAW[:-1], False, "without the final full stop"),
    ("Die Straße (2019)", "DIE STRASSE (2019)", True, "ß and SS fold together (casefold)"),
]


@pytest.mark.parametrize(
    "one, other, same",
    [c[:3] for c in OTHER_CITATION_CASES],
    ids=[c[3] for c in OTHER_CITATION_CASES],
)
def test_citations_told_apart(one: str, other: str, same: bool) -> None:
    assert (publication_id(one) == publication_id(other)) is same


# (url, other url), note: url ids take the URL as given (the caller normalises it).
URL_CASES = [
    ("https://www.ikpe-erfurt.de/a/", "https://ikpe-erfurt.de/a/", "the host spelling counts"),
    ("https://www.ikpe-erfurt.de/a/", "https://www.ikpe-erfurt.de/a", "the slash counts"),
    ("https://www.ikpe-erfurt.de/a/", "https://www.ikpe-erfurt.de/A/", "case counts"),
]


@pytest.mark.parametrize("url, other", [c[:2] for c in URL_CASES], ids=[c[2] for c in URL_CASES])
def test_url_ids_take_the_url_as_given(url: str, other: str) -> None:
    assert url_id(url) != url_id(other)


@pytest.mark.parametrize(
    "value",
    [RAW, "", "x" * 10_000, "ümlaut ß 😀"],
    ids=["citation", "empty", "long", "non-ASCII"],
)
def test_id_shapes(value: str) -> None:
    hex_part = rf"[0-9a-f]{{{DIGEST_LENGTH}}}"
    assert re.fullmatch(rf"pub-{hex_part}", publication_id(value))
    assert re.fullmatch(rf"url-{hex_part}", url_id(value))
