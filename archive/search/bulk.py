"""Building a generation's segments in bulk: every document analysed once, every posting
list written whole.

Whoosh's own writer (``SegmentWriter.add_document``) sends each posting of each document
through a sorting pool as a five-tuple, sorts them all, and writes them back one call at
a time, looking up the document's field length again for each; the analysers run token
by token through generator chains. Here a document's text fields are analysed with one
cached lookup per word
(``DocumentAnalyser``), the postings of a segment are gathered per term in arrays in
document order (nothing to sort but the terms), and each term's posting list is written
in whole blocks (``SegmentBuilder``). Everything else, the stored fields, the field
lengths, the columns, the segment's files and the table of contents, goes through
Whoosh's own per-document writer and codec, so the index is the one ``add_document``
would write: ``tests/unit/archive/test_search_bulk.py`` compares them posting by posting.
A rebuild of 10,000 synthetic records took 31-36 s of CPU with ``add_document`` and takes
11-13 s this way (``BENCHMARKS.md``, issue 16).

Large archives are split into contiguous runs of documents written by forked processes,
one segment each (as Whoosh's ``multisegment`` writer does); segments have their own
document numbers, so nothing is merged.

Only :func:`write_documents` is used outside; ``update`` keeps Whoosh's writer (a few
documents at a time, where its costs do not matter).

Over 400 lines on purpose: the analysis, the postings and the block writer stand in for
parts of Whoosh's writer and must match its format together; the test compares them as one.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import re
import traceback
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3PostingsWriter
from whoosh.compat import dumps
from whoosh.formats import Frequency, Positions
from whoosh.system import _INT_SIZE, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from archive.search.analysis import Vocabulary, fold, index_terms, query_term, words
from archive.search.documents import PART_BREAK
from archive.search.query import PAIRS_FIELD

# Fields analysed here rather than by their Whoosh analysers (the text fields; the ids and
# numbers keep theirs). The analysis must equal the schema's analysers
# (``archive.search.generations.build_schema``): the test compares the two indexes.
GERMAN_FIELDS = ("title", "place")  # ``german_analyzer``, with positions
NAME_FIELDS = ("person",)  # ``name_analyzer``, with positions
VALUE_FIELDS = ("category", "person_facet", "place_facet")  # ``value_analyzer``: lines
BODY_FIELD = "body"  # ``german_analyzer``, frequencies
# PAIRS_FIELD (``pair_analyzer``, frequencies) is the query side's: archive.search.query
POSITION_FIELDS = frozenset(GERMAN_FIELDS + NAME_FIELDS)
FREQUENCY_FIELDS = frozenset((*VALUE_FIELDS, BODY_FIELD, PAIRS_FIELD))
_LINE = re.compile(r"[^\n]+")


class DocumentAnalyser:
    """The terms of a document's text fields, each distinct word analysed once per build
    (the terms ``german_analyzer``, ``name_analyzer``, ``value_analyzer`` and
    ``pair_analyzer`` give)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._terms: dict[str, tuple[str, ...]] = {}
        self._pair_terms: dict[str, str] = {}
        self._names: dict[str, tuple[str, ...]] = {}

    def _german(self, word: str) -> tuple[str, ...]:
        terms = self._terms.get(word)
        if terms is None:
            terms = self._terms[word] = index_terms(word, self.vocabulary)
        return terms

    def _name(self, word: str) -> tuple[str, ...]:
        terms = self._names.get(word)
        if terms is None:
            terms = self._names[word] = (fold(word),)
        return terms

    def positions(self, fieldname: str, text: str) -> dict[str, list[int]]:
        """Each term's positions (a word's compound parts share its position)."""
        analyse = self._name if fieldname in NAME_FIELDS else self._german
        found: dict[str, list[int]] = {}
        for position, word in enumerate(words(text)):
            for term in analyse(word):
                where = found.get(term)
                if where is None:
                    found[term] = [position]
                else:
                    where.append(position)
        return found

    def body_counts(self, parts: list[list[str]]) -> dict[str, int]:
        """Term frequencies of the body's words (compound parts count as tokens, as the
        German filter yields them)."""
        counts: dict[str, int] = {}
        known = self._terms
        for part in parts:
            for word in part:
                terms = known.get(word) or self._german(word)
                for term in terms:
                    counts[term] = counts.get(term, 0) + 1
        return counts

    def pair_counts(self, parts: list[list[str]]) -> dict[str, int]:
        """Frequencies of the adjacent word pairs within each part (no pair spans two)."""
        counts: dict[str, int] = {}
        known = self._pair_terms
        for part in parts:
            previous = None
            for word in part:
                term = known.get(word)
                if term is None:
                    term = known[word] = query_term(word)
                if previous is not None:
                    pair = f"{previous} {term}"
                    counts[pair] = counts.get(pair, 0) + 1
                previous = term
        return counts

    @staticmethod
    def value_counts(text: str) -> dict[str, int]:
        """How often each line (a facet value) occurs."""
        counts: dict[str, int] = {}
        for value in _LINE.findall(text):
            counts[value] = counts.get(value, 0) + 1
        return counts


def _parts(text: str) -> list[list[str]]:
    """The words of each ``PART_BREAK``-separated part of a text."""
    return [words(part) for part in text.split(PART_BREAK)]


# A block's pickle shorter than this is written uncompressed: zlib's set-up costs more
# than it saves there (Whoosh meant to skip compression under 20 bytes, but overwrites its
# own choice). The block says it is uncompressed; Whoosh's reader reads either.
MIN_COMPRESSED_BYTES = 128


class _PostingsWriter(W3PostingsWriter):
    """Whoosh's postings writer, writing small blocks without compressing them (most
    terms of an archive are in a few documents: their one block is a few dozen bytes)."""

    @classmethod
    def like(cls, other: W3PostingsWriter) -> _PostingsWriter:
        """A writer with ``other``'s file and settings."""
        writer = cls(
            other._postfile,
            other._blocklimit,
            byteids=other._byteids,
            compression=other._compression,
            inlinelimit=other._inlinelimit,
        )
        # Where the file is, counted here: Whoosh asks the file twice a term (a system call).
        writer._offset = other._postfile.tell()
        return writer

    def start_postings(self, format_, terminfo) -> None:
        # W3PostingsWriter.start_postings, with the offset counted instead of asked for.
        if self._terminfo:
            raise RuntimeError("start_postings called inside a term")
        self._format = format_
        self._blockcount = 0
        self._new_block()
        self._terminfo = terminfo
        self._startoffset = self._offset

    def finish_postings(self):
        # W3PostingsWriter.finish_postings, with the offset counted instead of asked for.
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            terminfo.set_inline(self._ids, self._weights, self._values)
        else:
            if self._ids:
                self._write_block(last=True)
            terminfo.set_extent(self._startoffset, self._offset - self._startoffset)
        self._terminfo = None
        return terminfo

    def _write_block(self, last: bool = False) -> None:
        # W3PostingsWriter._write_block, with the compression decided by size.
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
            self._offset += len(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        compression = self._compression if len(databytes) >= MIN_COMPRESSED_BYTES else 0
        if compression:
            databytes = zlib.compress(databytes, compression)
        ids = self._ids
        infobytes = dumps(
            (
                len(ids),
                ids[-1],
                self._maxweight,
                compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        length = len(infobytes) + len(databytes)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._offset += _INT_SIZE + length
        self._blockcount += 1
        self._new_block()


class SegmentBuilder:
    """Adds documents to one ``SegmentWriter`` (its per-document side) and keeps their
    postings, to write them term by term when the segment is finished."""

    def __init__(self, writer: SegmentWriter, analyser: DocumentAnalyser) -> None:
        self.writer = writer
        self.schema = writer.schema
        self.analyser = analyser
        # field name -> term -> [document numbers, weights, values (None: frequencies)]
        self._postings: dict[str, dict[str, list]] = {}
        # field name -> each document's length in it, as the length column keeps it
        self._lengths: dict[str, array] = {}
        self._frequency_values = [pack_uint(n) for n in range(64)]
        for name, kind in [(n, Frequency) for n in FREQUENCY_FIELDS] + [
            (n, Positions) for n in POSITION_FIELDS
        ]:
            field = self.schema[name]
            if type(field.format) is not kind or field.vector or field.format.field_boost != 1:
                raise TypeError(f"the {name!r} field is not indexed as this module expects")

    def add(self, document: dict) -> None:
        """Add one index document (``archive.search.documents.index_document``) and its
        word pairs, as ``add_document(**document, pairs=pairs_text(document))`` would."""
        writer = self.writer
        docnum = writer.docnum
        analyser = self.analyser
        body_parts = _parts(document[BODY_FIELD]) if document.get(BODY_FIELD) else []
        title = document.get("title") or ""
        # The pairs field is neither stored nor a column: its terms come from the parts
        # above (``documents.pairs_text`` is title, break, body), so no copy of the body.
        values = {**document, PAIRS_FIELD: ""}
        writer._check_fields(self.schema, list(values))
        perdoc = writer.perdocwriter
        perdoc.start_doc(docnum)
        for fieldname in sorted(values):
            value = values[fieldname]
            if value is None:
                continue
            field = self.schema[fieldname]
            length = 0
            if field.indexed:
                if fieldname == BODY_FIELD:
                    length = self._add_counts(fieldname, docnum, analyser.body_counts(body_parts))
                elif fieldname == PAIRS_FIELD:
                    counts = analyser.pair_counts(_parts(title) + body_parts)
                    length = self._add_counts(fieldname, docnum, counts)
                elif fieldname in VALUE_FIELDS:
                    self._add_counts(fieldname, docnum, analyser.value_counts(value))
                elif fieldname in POSITION_FIELDS:
                    found = analyser.positions(fieldname, value)
                    length = self._add_positions(fieldname, docnum, found, field.format)
                else:
                    length = self._add_items(fieldname, docnum, field.index(value), field.scorable)
                if field.scorable:
                    self._length_column(fieldname, docnum)[docnum] = byte_to_length(
                        length_to_byte(length)
                    )
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(fieldname, column, field.to_column_value(value))
        perdoc.finish_doc()
        writer._added = True
        writer.docnum += 1

    def _length_column(self, fieldname: str, docnum: int) -> array:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            lengths = self._lengths[fieldname] = array("I")
        if len(lengths) <= docnum:
            lengths.extend([0] * (docnum + 1 - len(lengths)))
        return lengths

    def _add_counts(self, fieldname: str, docnum: int, counts: dict[str, int]) -> int:
        """Postings of a ``Frequency`` field (the value is the frequency, written later);
        the number of tokens."""
        postings = self._postings.setdefault(fieldname, {})
        for term, freq in counts.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = [array("I"), array("f"), None]
            entry[0].append(docnum)
            entry[1].append(freq)
        return sum(counts.values())

    def _add_positions(
        self, fieldname: str, docnum: int, found: dict[str, list[int]], format_: Positions
    ) -> int:
        """Postings of a ``Positions`` field; the number of tokens."""
        postings = self._postings.setdefault(fieldname, {})
        encode = format_.encode
        length = 0
        for term, where in found.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = [array("I"), array("f"), []]
            entry[0].append(docnum)
            entry[1].append(len(where))
            entry[2].append(encode(where))
            length += len(where)
        return length

    def _add_items(self, fieldname: str, docnum: int, items: Iterable, scorable: bool) -> int:
        postings = self._postings.setdefault(fieldname, {})
        length = 0
        for btext, freq, weight, vbytes in items:
            entry = postings.get(btext)
            if entry is None:
                entry = postings[btext] = [array("I"), array("f"), []]
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(vbytes)
            if scorable:
                length += freq
        return length

    def write_postings(self) -> None:
        """Write every term's postings to the segment (fields and terms in order)."""
        fieldwriter = self.writer.fieldwriter
        frequency = self._frequency_values
        for fieldname in sorted(self._postings):
            field = self.schema[fieldname]
            lengths = self._lengths.get(fieldname) if field.scorable else None
            fieldwriter.start_field(fieldname, field)
            fieldwriter._postwriter = _PostingsWriter.like(fieldwriter._postwriter)
            terms = self._postings[fieldname]
            # UTF-8 keeps the order of code points: str terms sort as their bytes do.
            for term in sorted(terms):
                docnums, weights, values = terms[term]
                if values is None:  # a Frequency field: the value is the frequency
                    values = [frequency[int(w)] if w < 64 else pack_uint(int(w)) for w in weights]
                fieldwriter.start_term(term.encode("utf-8") if isinstance(term, str) else term)
                self._write_blocks(fieldwriter._postwriter, docnums, weights, values, lengths)
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        self._postings.clear()

    @staticmethod
    def _write_blocks(postwriter, docnums: array, weights: array, values: list, lengths) -> None:
        """Fill the postings writer's block buffer a block at a time (what ``add_posting``
        does a posting at a time); its ``finish_postings`` writes the last block."""
        limit = postwriter._blocklimit
        count = len(docnums)
        for start in range(0, count, limit):
            if start:
                postwriter._write_block()
            stop = min(start + limit, count)
            block_weights = weights[start:stop]
            postwriter._ids = docnums[start:stop]
            postwriter._weights = block_weights
            postwriter._values = [value for value in values[start:stop] if value]
            postwriter._maxweight = max(0, max(block_weights))
            block_lengths = [lengths[d] for d in postwriter._ids if lengths[d]] if lengths else []
            postwriter._minlength = min(block_lengths) if block_lengths else None
            postwriter._maxlength = max(block_lengths) if block_lengths else 0


def _write_segment(
    ix, documents: Iterable[dict], vocabulary: Vocabulary, *, lock: bool
) -> SegmentWriter:
    """A writer whose segment holds ``documents`` and their postings, ready to be
    finalised (``lock=False``: a child's, whose parent holds the index's lock)."""
    writer = SegmentWriter(ix, _lk=lock)
    builder = SegmentBuilder(writer, DocumentAnalyser(vocabulary))
    try:
        for document in documents:
            builder.add(document)
        builder.write_postings()
    except BaseException:
        if lock:  # a child leaves the files to its parent: cancelling would remove the
            writer.cancel()  # temporary directory all the generation's writers share
        raise
    return writer


def _spooled(spool: Path, keep: Callable[[int], bool]) -> Iterator[dict]:
    """The documents of the spool file whose line numbers ``keep`` accepts."""
    with spool.open(encoding="utf-8") as lines:
        for line_number, line in enumerate(lines):
            if keep(line_number):
                yield json.loads(line)


def _child(ix, spool: Path, lines: list[int], vocabulary: Vocabulary, connection) -> None:
    """A forked process's part: write the segment of ``lines`` and send it back."""
    try:
        wanted = set(lines)
        writer = _write_segment(ix, _spooled(spool, wanted.__contains__), vocabulary, lock=False)
        connection.send_bytes(pickle.dumps(("ok", writer._finalize_segment())))
    except BaseException:
        connection.send_bytes(pickle.dumps(("error", traceback.format_exc())))
    finally:
        connection.close()
        os._exit(0)  # no atexit handlers or inherited buffers of the parent


def write_documents(
    ix, spool: Path, lines: list[int], vocabulary: Vocabulary, processes: int = 1
) -> None:
    """Index the documents on ``lines`` (ascending line numbers) of the ``spool`` file into
    the new, empty index ``ix`` and commit: with ``processes`` > 1, one segment per
    process, the first written here."""
    runs = _contiguous(lines, processes)
    context = multiprocessing.get_context("fork")
    children = []
    for run in runs[1:]:
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(ix, spool, run, vocabulary, sending))
        process.start()
        sending.close()
        children.append((process, receiving))
    writer = None
    try:
        wanted = set(runs[0])
        writer = _write_segment(ix, _spooled(spool, wanted.__contains__), vocabulary, lock=True)
        segments = []
        for process, receiving in children:
            try:
                status, payload = pickle.loads(receiving.recv_bytes())
            except EOFError:  # killed (out of memory, a signal) before it could answer
                status, payload = "error", f"the process ended with {process.exitcode}"
            process.join()
            if status != "ok":
                raise RuntimeError(f"a segment writer failed:\n{payload}")
            segments.append(payload)
    except BaseException:
        for process, _ in children:
            process.kill()
            process.join()
        if writer is not None:
            writer.cancel()
        raise
    if writer._added:
        segments.insert(0, writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def _contiguous(lines: list[int], parts: int) -> list[list[int]]:
    """``lines`` cut into ``parts`` contiguous runs of near-equal length (none empty)."""
    parts = max(1, min(parts, len(lines)))
    size, extra = divmod(len(lines), parts)
    runs, start = [], 0
    for index in range(parts):
        stop = start + size + (1 if index < extra else 0)
        runs.append(lines[start:stop])
        start = stop
    return runs
