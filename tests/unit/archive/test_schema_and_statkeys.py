"""The record types (owned by the schema) and the crawl's counter names (archive.statkeys):
every list of types in the code agrees with the schema, every type can be exported, and
the stored counter names stay what earlier runs wrote."""

from __future__ import annotations

import json

import pytest

from archive import doctype, export, monitors, schema, statkeys
from archive.search import filters, query
from tests.helpers import PROJECT_ROOT

SCHEMA_FILE = PROJECT_ROOT / "schemas" / "record.schema.json"

# --------------------------------------------------------------------------------------
# Record types
# --------------------------------------------------------------------------------------


def test_record_types_are_the_schema_enum_in_order() -> None:
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert tuple(on_disk["properties"]["type"]["enum"]) == schema.RECORD_TYPES
    assert schema.record_schema() == on_disk  # the packaged schema is the file in the tree


def test_record_types_are_distinct_and_split_into_entries_and_citations() -> None:
    assert len(set(schema.RECORD_TYPES)) == len(schema.RECORD_TYPES)
    assert set(schema.CITATION_TYPES) <= set(schema.RECORD_TYPES)
    assert set(schema.ENTRY_TYPES).isdisjoint(schema.CITATION_TYPES)
    assert set(schema.ENTRY_TYPES) | set(schema.CITATION_TYPES) == set(schema.RECORD_TYPES)
    assert tuple(t for t in schema.RECORD_TYPES if t in schema.ENTRY_TYPES) == schema.ENTRY_TYPES


# (a list of types somewhere in the code, how it must relate to RECORD_TYPES), note.
TYPE_LIST_CASES = [
    (lambda: tuple(filters.RECORD_TYPES), "equal", "the search filter's own copy"),
    (lambda: tuple(doctype.TYPES), "equal", "the classifier's types"),
    (lambda: tuple(set(query.TYPE_ALIASES.values())), "subset", "German type names' targets"),
    (lambda: monitors.TEXT_TYPES, "subset", "types the monitors expect a text of"),
    (lambda: tuple(export.RECORD_KINDS), "subset", "export mappings name real types"),
]


@pytest.mark.parametrize(
    "types, relation", [c[:2] for c in TYPE_LIST_CASES], ids=[c[2] for c in TYPE_LIST_CASES]
)
def test_type_lists_agree_with_the_schema(types, relation: str) -> None:
    found = types()
    if relation == "equal":
        assert found == schema.RECORD_TYPES
    else:
        assert set(found) <= set(schema.RECORD_TYPES), set(found) - set(schema.RECORD_TYPES)


def test_monitors_expect_text_only_of_entries() -> None:
    assert set(monitors.TEXT_TYPES) <= set(schema.ENTRY_TYPES)


def test_every_record_type_has_an_export_mapping() -> None:
    # Posts, pages and press coverage have their row; publications are cited by the form
    # their citation was read as, else as an unread publication.
    unmapped = [
        t for t in schema.RECORD_TYPES if t not in export.RECORD_KINDS and t != "publication"
    ]
    assert unmapped == []


@pytest.mark.parametrize("record_type", schema.RECORD_TYPES)
def test_kind_of_each_record_type(record_type: str) -> None:
    expected = (
        export.UNREAD_PUBLICATION
        if record_type == "publication"
        else export.RECORD_KINDS[record_type]
    )
    assert export.kind_of(minimal_record(record_type)) == expected


# Types of CSL 1.0.2 and of the RIS specification, and the entry types of biblatex: an
# export mapping must name one of these or reference managers reject the entry.
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip
RIS_TYPES = {
    "ABST", "ADVS", "AGGR", "ANCIENT", "ART", "BILL", "BLOG", "BOOK", "CASE", "CHAP", "CHART",
    "CLSWK", "COMP", "CONF", "CPAPER", "CTLG", "DATA", "DBASE", "DICT", "EBOOK", "ECHAP",
    "EDBOOK", "EJOUR", "ELEC", "ENCYC", "EQUA", "FIGURE", "GEN", "GOVDOC", "GRANT", "HEAR",
    "ICOMM", "INPR", "JFULL", "JOUR", "LEGAL", "MANSCPT", "MAP", "MGZN", "MPCT", "MULTI",
    "MUSIC", "NEWS", "PAMP", "PAT", "PCOMM", "PRESS", "RPRT", "SER", "SLIDE", "SOUND", "STAND",
    "STAT", "THES", "UNBILL", "UNPB", "VIDEO",
}  # fmt: skip
BIBLATEX_TYPES = {
    "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection",
    "mvcollection", "incollection", "suppcollection", "dataset", "manual", "misc", "online",
    "patent", "periodical", "suppperiodical", "proceedings", "mvproceedings", "inproceedings",
    "reference", "mvreference", "inreference", "report", "set", "software", "thesis",
    "unpublished", "techreport",
}  # fmt: skip


def minimal_record(record_type: str) -> dict:
    return {
        "id": f"wp-{len(record_type)}",
        "type": record_type,
        "title": "Fachtag Armut",
        "url": "https://www.ikpe-erfurt.de/fachtag/",
        "date": "2024-03-12",
    }


@pytest.mark.parametrize("record_type", schema.RECORD_TYPES)
def test_every_record_type_exports_to_valid_citation_types(record_type: str) -> None:
    record = minimal_record(record_type)
    assert export.to_csl(record)["type"] in CSL_TYPES
    ris_type = export.to_ris(record).splitlines()[0].removeprefix("TY  - ")
    assert ris_type in RIS_TYPES
    bibtex_type = export.to_bibtex(record).split("{", 1)[0].removeprefix("@")
    assert bibtex_type in BIBLATEX_TYPES


@pytest.mark.parametrize("kind", sorted(export.REFERENCE_KINDS))
def test_every_reference_kind_exports_to_valid_citation_types(kind: str) -> None:
    cited = export.REFERENCE_KINDS[kind]
    assert cited.csl in CSL_TYPES
    assert cited.ris in RIS_TYPES
    assert cited.biblatex in BIBLATEX_TYPES


# --------------------------------------------------------------------------------------
# Counter names
# --------------------------------------------------------------------------------------

# (constant, the name stored in earlier runs' stats), note.
STORED_NAME_CASES = [
    (statkeys.DISCOVERY, "ikpe/discovery", "discovery layer"),
    (statkeys.GONE, "ikpe/gone", "404/410 posts"),
    (statkeys.RESUME_SKIPPED, "ikpe/resume/skipped", "resume"),
    (statkeys.ROBOTS_FORBIDDEN, "ikpe/robots_forbidden", "robots"),
    (statkeys.RETRY_AFTER_HONOURED, "ikpe/retry_after_honoured", "Retry-After"),
    (statkeys.RECORD_WORKERS, "ikpe/record_workers", "workers"),
    (statkeys.ERRORS, "ikpe/errors", "all errors (monitors)"),
    (statkeys.ERRORS_PREFIX, "ikpe/errors/", "errors by kind"),
    (statkeys.ERROR_ATTACHMENT, "ikpe/errors/attachment", "attachment errors"),
    (statkeys.ERROR_RECORD_BUILD, "ikpe/errors/record_build", "record build errors"),
    (statkeys.ERROR_WARC_WRITE, "ikpe/errors/warc_write", "WARC write errors"),
    (statkeys.NETWORK_RESPONSES, "ikpe/network/responses", "responses (monitors)"),
    (statkeys.NETWORK_BYTES, "ikpe/network/bytes", "bytes"),
    (statkeys.NETWORK_NOT_MODIFIED, "ikpe/network/not_modified", "304s"),
    (statkeys.ITEMS_PREFIX, "ikpe/items/", "items by kind"),
    (statkeys.ITEMS_DUPLICATES_DROPPED, "ikpe/items/duplicates_dropped", "duplicates"),
    (statkeys.RECORDS_PREFIX, "ikpe/records/", "records by type (monitors)"),
    (statkeys.RECORDS_INVALID, "ikpe/records/invalid", "invalid records (monitors)"),
    (statkeys.RECORDS_DEGRADED, "ikpe/records/degraded", "degraded records (monitors)"),
    (statkeys.RECORDS_EMPTY_TEXT, "ikpe/records/empty_text", "empty texts (monitors)"),
    (statkeys.STORE_REMOVED, "ikpe/store/removed", "removed"),
    (statkeys.STORE_KEPT_PREVIOUS, "ikpe/store/kept_previous", "kept previous"),
    (statkeys.error("redirect_loop"), "ikpe/errors/redirect_loop", "error(kind)"),
    (statkeys.items("publication"), "ikpe/items/publication", "items(kind)"),
    (statkeys.records("press_release"), "ikpe/records/press_release", "records(type)"),
    (statkeys.missing("event", "date"), "ikpe/missing/event/date", "missing(type, field)"),
    (statkeys.store("unchanged"), "ikpe/store/unchanged", "store(outcome)"),
]


@pytest.mark.parametrize(
    "name, stored", [c[:2] for c in STORED_NAME_CASES], ids=[c[2] for c in STORED_NAME_CASES]
)
def test_stored_counter_names_do_not_change(name: str, stored: str) -> None:
    assert name == stored


def _constants() -> dict[str, str]:
    return {
        attribute: value
        for attribute, value in vars(statkeys).items()
        if attribute.isupper() and isinstance(value, str) and attribute != "PREFIX"
    }


def test_every_counter_is_under_the_prefix_and_named_once() -> None:
    constants = _constants()
    assert all(value.startswith(statkeys.PREFIX) for value in constants.values()), constants
    assert len(set(constants.values())) == len(constants), constants


def test_no_record_type_collides_with_a_records_counter() -> None:
    # records(t) shares its prefix with the invalid/degraded/empty_text counters.
    counters = set(_constants().values())
    assert not {statkeys.records(t) for t in schema.RECORD_TYPES} & counters


def test_kind_counters_are_under_their_prefixes() -> None:
    assert statkeys.ERRORS_PREFIX == statkeys.ERRORS + "/"
    for error in (
        statkeys.ERROR_ATTACHMENT,
        statkeys.ERROR_RECORD_BUILD,
        statkeys.ERROR_WARC_WRITE,
    ):
        assert error == statkeys.error(error.removeprefix(statkeys.ERRORS_PREFIX))
    assert statkeys.ITEMS_DUPLICATES_DROPPED.startswith(statkeys.ITEMS_PREFIX)


STATS = {
    statkeys.ERRORS: 5,
    statkeys.error("attachment"): 2,
    statkeys.error("redirect_loop"): 3,
    statkeys.items("post"): 10,
    statkeys.ITEMS_DUPLICATES_DROPPED: 1,
    statkeys.records("news"): 7,
    statkeys.RECORDS_INVALID: 1,
    statkeys.missing("news", "date"): 2,
    "finish_reason": "finished",
    "downloader/response_count": 40,
}

# (prefix, counters), note.
BY_SUFFIX_CASES = [
    (statkeys.ERRORS_PREFIX, {"attachment": 2, "redirect_loop": 3},
     "errors by kind, without the total"),
    (statkeys.ITEMS_PREFIX, {"post": 10, "duplicates_dropped": 1},
     "items, with the duplicates counter"),
    (statkeys.RECORDS_PREFIX, {"news": 7, "invalid": 1}, "records and the invalid counter"),
    ("ikpe/missing/", {"news/date": 2}, "the rest of the name may hold a slash"),
    ("ikpe/store/", {}, "nothing under the prefix"),
    ("downloader/", {"response_count": 40}, "Scrapy's own counters"),
]  # fmt: skip


@pytest.mark.parametrize(
    "prefix, expected", [c[:2] for c in BY_SUFFIX_CASES], ids=[c[2] for c in BY_SUFFIX_CASES]
)
def test_by_suffix(prefix: str, expected: dict[str, int]) -> None:
    assert statkeys.by_suffix(STATS, prefix) == expected


def test_by_suffix_of_empty_stats() -> None:
    assert statkeys.by_suffix({}, statkeys.ERRORS_PREFIX) == {}
