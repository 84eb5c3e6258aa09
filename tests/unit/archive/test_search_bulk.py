"""The bulk segment writer (``archive.search.bulk``) writes the index Whoosh's own writer
would: the same terms, postings, term statistics, field lengths, stored fields and
columns, for the same documents, in one process and split over several."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index

from archive.search import SearchIndex
from archive.search import bulk as bulk_module
from archive.search.analysis import Vocabulary, count_words
from archive.search.bulk import DocumentAnalyser, write_documents
from archive.search.documents import PART_BREAK, index_document, pairs_text, vocabulary_texts
from archive.search.generations import build_schema
from tests.helpers import small_record

WORDS = str.split(
    "Sozialplanung Planung Armut Armutsprävention Prävention Präventionsketten Kette "
    "Sozialplanerinnen Sozialplaner Referentin Gesundheitswesen Bildungseinrichtungen "
    "Landesregierung Jugendhilfeplanung Jugend Hilfe Straße Strasse Strüning Struening "
    "Quelle neue Bauer Thüringer Thüringen Erfurt Jena Gotha kommunale Kommune Familien "
    "Familienbefragung Befragung und der die das im zur Sozialplaner_innen SozialplanerInnen "
    "Hilse-Carstensen Gender*Sternchen 2016 2020 März Ärztinnen Öffentlichkeit Übergang"
)
PLACES = ["Erfurt", "Jena", "Landkreis Altenburger Land", "Gotha"]
PEOPLE = ["Anna Schmidt", "Jörg Strüning", "Dr. Petra Hilse-Carstensen"]


def _text(rng: random.Random, words: int) -> str:
    sentences = []
    for _ in range(max(1, words // 8)):
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(8)) + ".")
    return " ".join(sentences)


def varied_records(count: int, seed: int = 5) -> list[dict]:
    """Records with compounds, feminine forms, umlaut spellings, several values per facet,
    part breaks inside texts, attachments, references, and terms in more documents than a
    posting block holds (128)."""
    rng = random.Random(seed)
    records = []
    for number in range(count):
        text = _text(rng, rng.randint(5, 120))
        extra: dict = {
            "places": rng.sample(PLACES, rng.randint(0, 3)),
            "people": rng.sample(PEOPLE, rng.randint(0, 2)),
            "categories": rng.sample(["news_archiv", "projekte", "Sozialplanung"], 2),
            "organisations": ["IKPE"] if number % 3 else [],
            "date": rng.choice(["2016", "2020-03", f"2023-{1 + number % 12:02d}-15"]),
            "summary": _text(rng, 10),
        }
        if number % 7 == 0:  # a frequency beyond one byte's worth of cached values
            text += " Sozialplanung" * 70
        if number % 11 == 0:
            text += f" Ende{PART_BREAK}Anfang eines Teils"
        if number % 13 == 0:
            attachment = {"url": "https://x/a.pdf", "title": "A", "text": _text(rng, 30)}
            extra["attachments"] = [attachment]
        if number % 17 == 0:
            extra["reference"] = {"raw": "Strüning, J. (2020): Armut.", "title": "Armut"}
        title = _text(rng, 6)[:60]
        records.append(small_record(f"wp-{number}", title, text, **extra))
    records.append(small_record("wp-empty", "Leer", "", summary=""))
    return records


def snapshot(ix) -> dict:
    """Everything a search reads from an index, by document number."""
    out: dict = {"terms": {}, "lengths": {}, "totals": {}, "columns": {}}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher = reader.postings(fieldname, text)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            out["terms"][fieldname, text] = (
                info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                info.max_weight(), info.min_id(), info.max_id(), postings,
            )  # fmt: skip
        documents = range(reader.doc_count_all())
        for name in ix.schema.names():
            field = ix.schema[name]
            if field.scorable:
                out["lengths"][name] = [reader.doc_field_length(d, name) for d in documents]
                out["totals"][name] = reader.field_length(name)
            if field.column_type:
                out["columns"][name] = list(reader.column_reader(name))
        out["stored"] = [reader.stored_fields(d) for d in documents]
    return out


def _documents_and_vocabulary(records: list[dict]) -> tuple[list[dict], Vocabulary]:
    documents = [index_document(r) for r in records]
    counts: Counter[str] = Counter()
    for document in documents:
        count_words(vocabulary_texts(document), counts)
    return documents, Vocabulary.from_counts(counts)


@pytest.mark.parametrize(
    ("records", "processes"),
    [
        (varied_records(300), 1),
        (varied_records(300), 2),
        (varied_records(5, seed=9), 3),  # fewer documents than some runs: no empty segment
        (varied_records(0), 2),  # only the empty record
    ],
    ids=["one-process", "two-processes", "three-processes-few-documents", "one-document"],
)
def test_bulk_segments_equal_whoosh_writer(tmp_path: Path, records, processes) -> None:
    documents, vocabulary = _documents_and_vocabulary(records)
    spool = tmp_path / "spool.jsonl"
    spool.write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8"
    )
    (tmp_path / "bulk").mkdir()
    bulk = index.create_in(str(tmp_path / "bulk"), build_schema(vocabulary))
    write_documents(bulk, spool, list(range(len(documents))), vocabulary, processes)
    (tmp_path / "whoosh").mkdir()
    reference = index.create_in(str(tmp_path / "whoosh"), build_schema(vocabulary))
    writer = reference.writer()
    for document in documents:
        writer.add_document(**document, pairs=pairs_text(document))
    writer.commit()

    built, expected = snapshot(index.open_dir(str(tmp_path / "bulk"))), snapshot(reference)
    assert len(index.open_dir(str(tmp_path / "bulk"))._segments()) == min(processes, len(documents))
    assert built["terms"].keys() == expected["terms"].keys()
    for key, value in expected["terms"].items():
        assert built["terms"][key] == value, key
    for part in ("lengths", "totals", "columns", "stored"):
        assert built[part] == expected[part], part


def test_only_the_last_line_of_an_id_is_indexed(tmp_path: Path) -> None:
    first = small_record("wp-1", "Erste Fassung", "Armutsprävention in Erfurt")
    second = small_record("wp-1", "Zweite Fassung", "Sozialplanung in Jena")
    with SearchIndex(tmp_path) as search_index:
        assert search_index.rebuild([first, second]) == 1
        assert [h.title for h in search_index.search("Sozialplanung").hits] == ["Zweite Fassung"]
        assert search_index.search("Armutsprävention").total == 0


def test_a_failing_segment_writer_leaves_the_live_generation(tmp_path: Path, monkeypatch) -> None:
    with SearchIndex(tmp_path) as search_index:
        search_index.rebuild([small_record("wp-1", "Bestand", "Armut in Erfurt")])
        live = (tmp_path / "CURRENT").read_text()
        monkeypatch.setattr("archive.search.generations.PARALLEL_BUILD_MIN_RECORDS", 2)
        add = bulk_module.SegmentBuilder.add

        def add_or_fail(self, document):
            if document["id"] == "wp-39":  # in the second process's run
                raise ValueError("broken document")
            add(self, document)

        monkeypatch.setattr(bulk_module.SegmentBuilder, "add", add_or_fail)
        records = [small_record(f"wp-{n}", f"Neu {n}", "Sozialplanung") for n in range(40)]
        with pytest.raises(RuntimeError, match="broken document"):
            search_index.rebuild(records)
        assert (tmp_path / "CURRENT").read_text() == live
        assert len(list(tmp_path.glob("gen-*"))) == 1
        assert [h.id for h in search_index.search("Armut").hits] == ["wp-1"]


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("kommunale Planung", {"kommunal planung": 1}),
        (f"Armut{PART_BREAK}Planung", {}),
        ("Planung Planung Planung", {"planung planung": 2}),
        ("", {}),
    ],
)
def test_word_pairs_stop_at_part_breaks(text: str, pairs: dict) -> None:
    analyser = DocumentAnalyser(Vocabulary())
    parts = [part.split() for part in text.split(PART_BREAK)]
    assert analyser.pair_counts(parts) == pairs
