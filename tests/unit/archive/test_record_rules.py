"""Records built from single items: the rules that need no crawl."""

from __future__ import annotations

import pytest

from archive.records import build_record, summary_of
from archive.validation import InvalidRecord, check
from tests.helpers import citation_item


def test_unparsable_citation_keeps_raw_and_is_never_dropped() -> None:
    item = citation_item("??? ohne Jahr und Form ???", tab_name=None)
    record = check(build_record(item))
    assert record["reference"]["raw"] == "??? ohne Jahr und Form ???"
    assert record["date"] == "2019" and record["date_source"] == "year_heading"


def test_invalid_record_names_url_and_path() -> None:
    with pytest.raises(InvalidRecord) as error:
        check({"id": "nope", "url": "https://www.ikpe-erfurt.de/x/"})
    assert error.value.url == "https://www.ikpe-erfurt.de/x/"
    assert any(p.path == "/id" for p in error.value.problems)


@pytest.mark.parametrize(
    "text, excerpt, expected",
    [
        ("Erster Satz. Zweiter Satz.", None, "Erster Satz. Zweiter Satz."),
        ("Egal.", "<p>Der Teaser der Seite [&hellip;]</p>", "Der Teaser der Seite"),
        ("", None, ""),
    ],
)
def test_summary(text: str, excerpt: str | None, expected: str) -> None:
    assert summary_of(text, excerpt) == expected
