"""The search index: a Whoosh index under the data directory, in generations.

Layout of the index directory::

    CURRENT                   the name of the live generation, replaced atomically
    writer.lock               held (flock) by the one process that writes
    gen-<UTC time>-<random>/  a complete Whoosh index and its meta.json

- ``rebuild`` builds a new generation beside the live one from the records alone (a first
  pass counts the compound vocabulary, a second indexes), writes ``meta.json``, then
  renames a new ``CURRENT`` into place. Searches see the old generation or the new one,
  never a half-built one. The generation before the live one is kept, so a reader that
  read ``CURRENT`` just before the swap can still open it; older ones are removed.
- ``update`` changes the live generation in place through Whoosh's own commits (a reader
  sees the state before or after a commit). New words of updated records join the
  compound vocabulary at the next ``rebuild``.
- Readers never take a lock; writers (``rebuild``, ``update``) take ``writer.lock`` so two
  nightly jobs cannot interleave.
- ``search`` scores every match once, which gives the exact total and the facets in the
  same pass; the ranking is BM25F times a recency factor (``archive.search.ranking``);
  snippets are made for the requested page only. One searcher per generation is kept
  open and refreshed when a writer commits.

Nothing outside ``archive.search`` imports Whoosh, so the engine can be swapped behind
:class:`SearchIndex`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import heapq
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import chain, islice
from pathlib import Path

from whoosh import columns, fields, index
from whoosh import query as whoosh_query
from whoosh.collectors import ScoredCollector
from whoosh.index import EmptyIndexError

from archive.search.analysis import (
    SpellingIndex,
    Vocabulary,
    count_words,
    edit_distance,
    fold,
    german_analyzer,
    highlight_spans,
    name_analyzer,
    pair_analyzer,
    query_term,
    value_analyzer,
    vocabulary_of,
    words,
)
from archive.search.documents import index_document, pairs_text, vocabulary_texts
from archive.search.query import (
    OPERATOR_WORDS,
    PAIRS_FIELD,
    SORTS,
    Filters,
    QueryError,
    build_fallback_parser,
    build_parser,
    parse_query,
    positive_terms,
    type_analyzer,
)
from archive.search.ranking import RecencyBM25F
from archive.search.snippets import make_snippet

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1  # bump when the schema or analysis changes: old indexes need a rebuild
CURRENT_FILE = "CURRENT"
LOCK_FILE = "writer.lock"
GENERATION_PREFIX = "gen-"
META_FILE = "meta.json"
SPOOL_FILE = "records.spool.jsonl"
WRITER_LOCK_TIMEOUT_SECONDS = 900.0
WRITER_LOCK_POLL_SECONDS = 0.2
WRITER_MEMORY_MB = 512  # per writer process; Whoosh spills sorted runs to disk beyond it
PARALLEL_BUILD_MIN_RECORDS = 5_000  # below this, starting processes costs more than it saves
MAX_BUILD_PROCESSES = 4
MAX_LIMIT = 1000
SUGGEST_BELOW_HITS = 3  # "did you mean" is computed for queries with fewer hits
SUGGEST_MAX_DISTANCE = 2
SUGGEST_MIN_CHARS = 4
SUGGEST_SAMPLE_DOCS = 3  # records read to learn how a suggested word is written
FACET_LIMIT = 20  # values per facet
SIMILAR_KEY_TERMS = 12
FILTER_CACHE_SIZE = 64
OPEN_RETRIES = 3
# Facet name -> index field.
FACET_FIELDS = {
    "type": "type",
    "year": "year",
    "place": "place_facet",
    "person": "person_facet",
    "category": "category",
}
# Stored fields a snippet may come from, in order of preference.
SNIPPET_FIELDS = ("text", "summary", "attachment")
# Fields analysed with the German analyzer (their query terms are stems).
GERMAN_FIELDS = frozenset({"title", "body", "place"})
DATE_SHIFT_STEP = 16  # two index terms per date; range filters expand over the lexicon


class SearchIndexError(RuntimeError):
    """The index cannot do what was asked (missing, busy, or from an older version)."""


class IndexMissingError(SearchIndexError):
    """There is no index yet: run ``ikpe-archive index``."""


class IndexBusyError(SearchIndexError):
    """Another process has been writing the index for too long."""


@dataclass(frozen=True)
class Hit:
    """One search hit. ``snippet`` is HTML (escaped text and ``<mark>``); ``score`` is None
    when results are sorted by date."""

    id: str
    url: str
    type: str
    date: str
    title: str
    score: float | None
    snippet: str

    def to_dict(self) -> dict:
        """The hit as JSON-ready data."""
        return {
            "id": self.id,
            "url": self.url,
            "type": self.type,
            "date": self.date,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class SearchResult:
    """One page of results, the total, a "did you mean" and the facets of all matches."""

    query: str
    total: int
    suggestion: str | None
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    page: int = 1
    limit: int = 10

    def to_dict(self) -> dict:
        """``{"query", "total", "suggestion", "hits": [...], "facets": {...}}``."""
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": {name: [[v, c] for v, c in values] for name, values in self.facets.items()},
        }


def build_schema(vocabulary: Vocabulary) -> fields.Schema:
    """The fields of the index (see ``archive.search.documents.index_document``).

    Only the short fields keep positions (for ``title:"..."`` phrases); phrases in the body
    are answered by the ``pairs`` field. Dates are indexed coarsely (``shift_step``) since
    they only serve filters.
    """
    german = german_analyzer(vocabulary)
    return fields.Schema(
        id=fields.ID(unique=True, stored=True),
        url=fields.STORED(),
        type=fields.ID(stored=True, analyzer=type_analyzer()),
        date=fields.STORED(),
        display_title=fields.STORED(),
        summary=fields.STORED(),
        text=fields.STORED(),
        attachment=fields.STORED(),
        title=fields.TEXT(analyzer=german, multitoken_query="phrase"),
        body=fields.TEXT(analyzer=german, phrase=False, multitoken_query="phrase"),
        pairs=fields.TEXT(analyzer=pair_analyzer(), phrase=False),
        person=fields.TEXT(analyzer=name_analyzer(), multitoken_query="phrase"),
        place=fields.TEXT(analyzer=german, multitoken_query="phrase"),
        person_facet=fields.KEYWORD(analyzer=value_analyzer()),
        place_facet=fields.KEYWORD(analyzer=value_analyzer()),
        category=fields.KEYWORD(analyzer=value_analyzer()),
        year=fields.NUMERIC(int, sortable=True, shift_step=DATE_SHIFT_STEP),
        date_start=fields.NUMERIC(int, sortable=True, shift_step=DATE_SHIFT_STEP),
        date_end=fields.NUMERIC(int, shift_step=DATE_SHIFT_STEP),
        day=fields.COLUMN(columns.NumericColumn("i")),
    )


class _TopAndAll(ScoredCollector):
    """Scores every match once: keeps the best ``limit`` and the numbers of all matches
    (for the exact total and the facets), skipping documents the filters exclude."""

    def __init__(self, limit: int, allowed: set[int] | None) -> None:
        super().__init__()
        self.limit = limit
        self.allowed = allowed
        self.matched: list[int] = []

    def collect(self, sub_docnum: int) -> float:
        docnum = self.offset + sub_docnum
        if self.allowed is not None and docnum not in self.allowed:
            return 0
        self.matched.append(docnum)
        score = self.matcher.score()
        items = self.items
        if len(items) < self.limit:
            heapq.heappush(items, (score, -docnum))
        elif score > items[0][0]:
            heapq.heapreplace(items, (score, -docnum))
        return 0 - score

    def top(self) -> list[tuple[int, float]]:
        """(document number, score), best first (ties: lower document number first)."""
        return [(-negated, score) for score, negated in sorted(self.items, reverse=True)]

    def results(self):  # pragma: no cover - Whoosh's protocol; we read top() and matched
        return self._results(sorted(self.items, reverse=True))


class _View:
    """One open searcher of one generation, with what is derived from it."""

    def __init__(self, generation: str, ix, searcher) -> None:
        self.generation = generation
        self.ix = ix
        self.searcher = searcher
        self.schema = searcher.schema
        self.parser = build_parser(self.schema)
        self.fallback_parser = build_fallback_parser(self.schema)
        self.vocabulary = vocabulary_of(self.schema["body"].analyzer)
        self._filters: OrderedDict[Filters, set[int] | None] = OrderedDict()
        self._facet_values: dict[str, list[tuple[str, ...]]] | None = None
        self._spelling: SpellingIndex | None = None

    def spelling(self) -> SpellingIndex:
        """The did-you-mean lookup over the vocabulary (built on first use)."""
        if self._spelling is None:
            self._spelling = SpellingIndex(self.vocabulary.words)
        return self._spelling

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.searcher.close()

    def filter_docs(self, filters: Filters) -> set[int] | None:
        """The documents the filters allow (None: all), cached per filter combination."""
        if filters in self._filters:
            self._filters.move_to_end(filters)
            return self._filters[filters]
        filter_query = filters.to_query()
        docs = None if filter_query is None else set(self.searcher.docs_for_query(filter_query))
        self._filters[filters] = docs
        if len(self._filters) > FILTER_CACHE_SIZE:
            self._filters.popitem(last=False)
        return docs

    def facet_values(self) -> dict[str, list[tuple[str, ...]]]:
        """For each facet, the values of every document (by document number)."""
        if self._facet_values is None:
            reader = self.searcher.reader()
            size = reader.doc_count_all()
            values: dict[str, list[tuple[str, ...]]] = {facet: [] for facet in FACET_FIELDS}
            for facet, fieldname in FACET_FIELDS.items():
                if size == 0:  # an empty index has no columns
                    break
                if facet == "year":
                    column = reader.column_reader("year")
                    values[facet] = [(str(column[d]),) for d in range(size)]
                    continue
                per_doc: list[tuple[str, ...]] = [()] * size
                for value in reader.field_terms(fieldname):
                    for docnum in reader.postings(fieldname, value).all_ids():
                        per_doc[docnum] = (*per_doc[docnum], value)
                values[facet] = per_doc
            self._facet_values = values
        return self._facet_values


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a build holds millions of postings, which
    the collector would scan again and again (about 15% of the build time at 30k records);
    a build makes no reference cycles worth collecting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class SearchIndex:
    """The archive's search index in ``directory`` (normally ``DataDir.index_dir``).

    Safe to share between threads (searches are serialised); other processes may read
    while one writes. ``today`` fixes the date recency is counted from (tests).
    """

    def __init__(self, directory: Path | str, *, today: date | None = None) -> None:
        self.directory = Path(directory)
        self.today = today
        self._lock = threading.RLock()
        self._view_: _View | None = None

    # ----------------------------------------------------------------------------------
    # State
    # ----------------------------------------------------------------------------------

    def exists(self) -> bool:
        """True if a complete index is live."""
        generation = self._current_generation()
        return generation is not None and (self.directory / generation / META_FILE).exists()

    def count(self) -> int:
        """The number of records in the live index."""
        with self._lock:
            return self._view().searcher.doc_count()

    def close(self) -> None:
        """Close the open searcher (a later search reopens it)."""
        with self._lock:
            if self._view_ is not None:
                self._view_.close()
                self._view_ = None

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _current_generation(self) -> str | None:
        try:
            name = (self.directory / CURRENT_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def _view(self) -> _View:
        """The searcher of the live generation, reopened when it changed."""
        for attempt in range(OPEN_RETRIES):
            generation = self._current_generation()
            if generation is None:
                raise IndexMissingError(f"no search index in {self.directory}")
            view = self._view_
            try:
                if view is not None and view.generation == generation:
                    if not view.searcher.up_to_date():
                        self._view_ = _View(generation, view.ix, self._refreshed(view))
                    return self._view_
                ix = index.open_dir(str(self.directory / generation))
                self._check_format(generation)
                searcher = ix.searcher(weighting=RecencyBM25F(today=self.today))
            except (FileNotFoundError, EmptyIndexError, OSError) as error:
                # A writer may have swapped and cleaned up between our read and our open.
                logger.info("reopening the index after %s (attempt %d)", error, attempt + 1)
                time.sleep(0.05 * (attempt + 1))
                continue
            if view is not None:
                view.close()
            self._view_ = _View(generation, ix, searcher)
            return self._view_
        raise SearchIndexError(f"could not open the search index in {self.directory}")

    @staticmethod
    def _refreshed(view: _View):
        """A searcher of the generation's latest commit.

        Not ``Searcher.refresh()``: it re-uses the readers of segments that only gained
        deletions since, and so still finds the deleted records (and it cannot refresh an
        empty index).
        """
        view.close()
        return view.ix.searcher(weighting=view.searcher.weighting)

    def _check_format(self, generation: str) -> None:
        meta = json.loads((self.directory / generation / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise SearchIndexError(
                f"the search index in {self.directory} is from another version of the "
                "archive: run `ikpe-archive index --rebuild`"
            )

    # ----------------------------------------------------------------------------------
    # Writing
    # ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writer_lock(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / LOCK_FILE, "a+b") as handle:
            deadline = time.monotonic() + WRITER_LOCK_TIMEOUT_SECONDS
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() > deadline:
                        raise IndexBusyError(
                            f"another process is writing the index in {self.directory}"
                        ) from None
                    time.sleep(WRITER_LOCK_POLL_SECONDS)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def rebuild(self, records: Iterable[dict]) -> int:
        """Build a fresh index from ``records`` beside the live one and swap it in.

        Returns the number of records indexed. The records are read once; they are spooled
        to a file in the new generation between the vocabulary pass and the indexing pass.
        """
        with self._writer_lock():
            self._remove_unfinished_generations()
            previous = self._current_generation()
            generation, count = self._build_generation(records)
            self._switch_to(generation)
            self._remove_generations(keep={generation, previous})
        logger.info("search index rebuilt: %d records in %s", count, generation)
        return count

    def update(self, changed: Iterable[dict], removed_ids: Iterable[str]) -> None:
        """Index the records that changed (added or edited) and drop the removed ones."""
        with self._writer_lock():
            generation = self._current_generation()
            if generation is None or not (self.directory / generation / META_FILE).exists():
                logger.info("no search index yet: building one from the changed records")
                generation, _ = self._build_generation(changed)
                self._switch_to(generation)
                return
            self._check_format(generation)
            ix = index.open_dir(str(self.directory / generation))
            writer = ix.writer(limitmb=WRITER_MEMORY_MB)
            touched = 0
            try:
                for record in changed:
                    document = index_document(record)
                    writer.update_document(**document, pairs=pairs_text(document))
                    touched += 1
                for record_id in removed_ids:
                    writer.delete_by_term("id", record_id)
                    touched += 1
            except BaseException:
                writer.cancel()
                raise
            if touched:
                writer.commit()
            else:
                writer.cancel()
            ix.close()
        logger.info("search index updated: %d changes", touched)

    def _build_generation(self, records: Iterable[dict]) -> tuple[str, int]:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        generation = f"{GENERATION_PREFIX}{stamp}-{secrets.token_hex(3)}"
        path = self.directory / generation
        path.mkdir(parents=True)
        try:
            spool = path / SPOOL_FILE
            counts: Counter[str] = Counter()
            last_line: dict[str, int] = {}
            with spool.open("w", encoding="utf-8") as out:
                for line_number, record in enumerate(records):
                    document = index_document(record)
                    count_words(vocabulary_texts(document), counts)
                    last_line[document["id"]] = line_number
                    out.write(json.dumps(document, ensure_ascii=False))
                    out.write("\n")
            vocabulary = Vocabulary.from_counts(counts)
            ix = index.create_in(str(path), build_schema(vocabulary))
            writer = self._build_writer(ix, len(last_line))
            with _collector_paused():
                try:
                    with spool.open(encoding="utf-8") as lines:
                        for line_number, line in enumerate(lines):
                            document = json.loads(line)
                            if last_line[document["id"]] == line_number:  # the last one wins
                                writer.add_document(**document, pairs=pairs_text(document))
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
            ix.close()
            spool.unlink()
            meta = {
                "format_version": FORMAT_VERSION,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "records": len(last_line),
                "vocabulary_words": len(vocabulary),
            }
            (path / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        return generation, len(last_line)

    @staticmethod
    def _build_writer(ix, record_count: int):
        """One writer for small archives; for large ones, one process per core (up to
        ``MAX_BUILD_PROCESSES``), each writing a segment of its own (merging them would
        cost as much as the parallel indexing saves)."""
        processes = min(os.cpu_count() or 1, MAX_BUILD_PROCESSES)
        if record_count < PARALLEL_BUILD_MIN_RECORDS or processes < 2:
            return ix.writer(limitmb=WRITER_MEMORY_MB)
        return ix.writer(procs=processes, multisegment=True, limitmb=WRITER_MEMORY_MB)

    def _switch_to(self, generation: str) -> None:
        """Point ``CURRENT`` at ``generation`` in one atomic rename."""
        temporary = self.directory / f"{CURRENT_FILE}.{secrets.token_hex(4)}.tmp"
        with temporary.open("w", encoding="utf-8") as out:
            out.write(generation + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.directory / CURRENT_FILE)
        with contextlib.suppress(OSError):
            directory_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(directory_fd)
            finally:
                os.close(directory_fd)

    def _generations(self) -> list[Path]:
        return sorted(p for p in self.directory.glob(f"{GENERATION_PREFIX}*") if p.is_dir())

    def _remove_unfinished_generations(self) -> None:
        """Remove what a crashed rebuild left (generations without ``meta.json``)."""
        current = self._current_generation()
        for path in self._generations():
            if path.name != current and not (path / META_FILE).exists():
                shutil.rmtree(path, ignore_errors=True)

    def _remove_generations(self, keep: set[str | None]) -> None:
        for path in self._generations():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    # ----------------------------------------------------------------------------------
    # Searching
    # ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        record_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        year: int | str | None = None,
        place: str | None = None,
        person: str | None = None,
        category: str | None = None,
        sort: str = "relevance",
        limit: int = 10,
        page: int = 1,
        facets: bool = True,
    ) -> SearchResult:
        """Search the archive.

        ``query`` uses the query language of ``archive.search.query`` and never raises;
        the filters, ``sort`` (``relevance``, ``date`` = oldest first, ``-date`` = newest
        first), ``limit`` and ``page`` (from 1) raise :class:`QueryError` when invalid. An
        empty query lists every record (newest first unless a date sort is asked for).
        ``facets=False`` skips counting facets (the command line needs none).
        """
        filters = Filters(record_type, date_from, date_to, year, place, person, category)
        filters.validate()
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
        if not 1 <= int(limit) <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if int(page) < 1:
            raise QueryError("page must be 1 or more")
        with self._lock:
            view = self._view()
            return self._search(view, query, filters, sort, int(limit), int(page), facets)

    def _search(
        self,
        view: _View,
        query_text: str,
        filters: Filters,
        sort: str,
        limit: int,
        page: int,
        want_facets: bool,
    ) -> SearchResult:
        parsed = parse_query(query_text, view.parser, view.fallback_parser)
        if isinstance(parsed, whoosh_query.Every) and sort == "relevance":
            sort = "-date"
        allowed = view.filter_docs(filters)
        wanted = page * limit
        ranked: list[tuple[int, float | None]]
        if parsed is whoosh_query.NullQuery or (allowed is not None and not allowed):
            matched: list[int] = []
            ranked = []
        elif sort == "relevance":
            collector = _TopAndAll(wanted, allowed)
            view.searcher.search_with_collector(parsed, collector)
            matched = collector.matched
            ranked = [(docnum, round(score, 4)) for docnum, score in collector.top()]
        else:
            matched = self._matched(view, parsed, allowed)
            ranked = self._by_date(view, matched, wanted, newest_first=sort == "-date")
        page_docs = ranked[(page - 1) * limit : wanted]
        terms = positive_terms(parsed, view.searcher.reader()) if page_docs else set()
        hits = [self._hit(view, docnum, score, terms) for docnum, score in page_docs]
        suggestion = None
        if len(matched) < SUGGEST_BELOW_HITS:
            suggestion = self._suggest(view, query_text, len(matched), allowed)
        return SearchResult(
            query=query_text,
            total=len(matched),
            suggestion=suggestion,
            hits=hits,
            facets=self._facets(view, matched) if want_facets else {},
            page=page,
            limit=limit,
        )

    @staticmethod
    def _matched(view: _View, parsed: whoosh_query.Query, allowed: set[int] | None) -> list[int]:
        """Every match, unscored (for date sorts and did-you-mean counts)."""
        if parsed is whoosh_query.NullQuery:
            return []
        docs = view.searcher.docs_for_query(parsed)
        return list(docs) if allowed is None else [d for d in docs if d in allowed]

    @staticmethod
    def _by_date(
        view: _View, matched: list[int], wanted: int, *, newest_first: bool
    ) -> list[tuple[int, float | None]]:
        if not matched:
            return []
        column = view.searcher.reader().column_reader("date_start")
        if newest_first:
            docs = heapq.nlargest(wanted, matched, key=lambda d: (column[d], -d))
        else:
            docs = heapq.nsmallest(wanted, matched, key=lambda d: (column[d], d))
        return [(docnum, None) for docnum in docs]

    def _hit(
        self, view: _View, docnum: int, score: float | None, terms: set[tuple[str, str]]
    ) -> Hit:
        stored = view.searcher.stored_fields(docnum)
        return Hit(
            id=stored["id"],
            url=stored["url"],
            type=stored["type"],
            date=stored["date"],
            title=stored["display_title"],
            score=score,
            snippet=self._snippet(view, stored, terms),
        )

    @staticmethod
    def _snippet(view: _View, stored: dict, terms: set[tuple[str, str]]) -> str:
        german_terms = {text for fieldname, text in terms if fieldname in GERMAN_FIELDS}
        german_terms.update(
            word for fieldname, text in terms if fieldname == PAIRS_FIELD for word in text.split()
        )
        name_terms = {text for fieldname, text in terms if fieldname == "person"}
        if german_terms or name_terms:
            for fieldname in SNIPPET_FIELDS:
                value = stored.get(fieldname) or ""
                spans = highlight_spans(value, view.vocabulary, german_terms, name_terms)
                if spans:
                    return make_snippet(value, spans)
        return make_snippet(stored.get("summary") or stored.get("text") or "", [])

    @staticmethod
    def _facets(view: _View, matched: list[int]) -> dict[str, list[tuple[str, int]]]:
        facets: dict[str, list[tuple[str, int]]] = {}
        for facet, per_doc in view.facet_values().items():
            counts = Counter(chain.from_iterable(map(per_doc.__getitem__, matched)))
            if facet == "year":
                ordered = sorted(counts.items(), key=lambda item: item[0], reverse=True)
            else:
                ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            facets[facet] = ordered[:FACET_LIMIT]
        return facets

    def _suggest(
        self, view: _View, query_text: str, total: int, allowed: set[int] | None
    ) -> str | None:
        """A corrected query with more hits, or None.

        Only words the index does not know are corrected: to the nearest (then most
        frequent) term of the body within ``SUGGEST_MAX_DISTANCE`` edits, written as the
        archive writes it.
        """
        reader = view.searcher.reader()
        pieces: list[str] = []
        position = 0
        for match in re.finditer(r"\w+", query_text):
            word = match.group(0)
            following = query_text[match.end() : match.end() + 1]
            if (
                word in OPERATOR_WORDS
                or following in (":", "*", "?")
                or len(word) < SUGGEST_MIN_CHARS
                or not word.isalpha()
            ):
                continue
            term = query_term(word)
            if reader.doc_frequency("body", term) or reader.doc_frequency("title", term):
                continue
            replacement = self._correction(view, word, term)
            if replacement is None:
                continue
            pieces.append(query_text[position : match.start()] + replacement)
            position = match.end()
        if not pieces:
            return None
        suggestion = "".join(pieces) + query_text[position:]
        parsed = parse_query(suggestion, view.parser, view.fallback_parser)
        if len(self._matched(view, parsed, allowed)) > total:
            return suggestion
        return None

    @staticmethod
    def _correction(view: _View, word: str, term: str) -> str | None:
        """How the archive writes the known word nearest to ``word``, or None.

        Candidates are the words of the compound vocabulary (every word the archive had
        when the index was built) within ``SUGGEST_MAX_DISTANCE`` edits, closest and then
        most frequent first; their spelling is read from a record that has them.
        """
        reader = view.searcher.reader()
        folded = fold(word)
        best: tuple[int, int, str] | None = None
        for distance, candidate in view.spelling().nearest(folded, SUGGEST_MAX_DISTANCE):
            frequency = reader.doc_frequency("body", query_term(candidate))
            if frequency and (best is None or (distance, -frequency) < best[:2]):
                best = (distance, -frequency, candidate)
        if best is None:
            return None
        candidate = best[2]
        spellings: set[str] = set()
        postings = reader.postings("body", query_term(candidate))
        for docnum in islice(postings.all_ids(), SUGGEST_SAMPLE_DOCS):
            stored = view.searcher.stored_fields(docnum)
            for fieldname in SNIPPET_FIELDS:
                spellings.update(
                    w for w in words(stored.get(fieldname) or "") if fold(w) == candidate
                )
        if not spellings:
            return None
        typed = word.lower()
        spelled = min(spellings, key=lambda w: (edit_distance(typed, w.lower()), w))
        return spelled[0].upper() + spelled[1:] if word[0].isupper() else spelled.lower()

    def similar(self, record_id: str, limit: int = 5) -> list[Hit]:
        """Records most like ``record_id`` (by its key terms), best first; [] if unknown."""
        with self._lock:
            view = self._view()
            searcher = view.searcher
            docnum = searcher.document_number(id=record_id)
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            text = "\n".join(
                stored.get(name) or "" for name in ("display_title", "summary", "text")
            )
            results = searcher.more_like(
                docnum, "body", text=text, top=limit, numterms=SIMILAR_KEY_TERMS
            )
            return [self._hit(view, hit.docnum, round(hit.score, 4), set()) for hit in results]
