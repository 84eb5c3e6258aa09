"""The index directory: its generations, the writer lock, and building, swapping and
updating them.

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

This is the writing side of :class:`archive.search.SearchIndex`; reading a generation is
``archive.search.views`` and ``archive.search.searching``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import json
import logging
import os
import re
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from whoosh import columns, fields, index

from archive.search.analysis import (
    Vocabulary,
    count_spellings,
    folded_counts,
    german_analyzer,
    name_analyzer,
    pair_analyzer,
    value_analyzer,
)
from archive.search.bulk import write_documents
from archive.search.documents import index_document, pairs_text, vocabulary_texts
from archive.search.manifest import manifest_problem, write_manifest
from archive.search.query import type_analyzer
from archive.search.results import IndexBusyError, IndexDamagedError, IndexOutdatedError

logger = logging.getLogger(__name__)

# Bump when the schema or analysis changes: an index of another version is refused
# (``IndexOutdatedError``) and ``archive.sync`` rebuilds it from the store. 2: feminine
# forms stemmed to their base, compounds with a free head after -s-/-es-, ``date_end`` a
# column (dates in queries).
FORMAT_VERSION = 2
CURRENT_FILE = "CURRENT"
LOCK_FILE = "writer.lock"
GENERATION_PREFIX = "gen-"
META_FILE = "meta.json"
SPOOL_FILE = "records.spool.jsonl"
WRITER_LOCK_TIMEOUT_SECONDS = 900.0
WRITER_LOCK_POLL_SECONDS = 0.2
WRITER_MEMORY_MB = 512  # per writer process; Whoosh spills sorted runs to disk beyond it
PARALLEL_BUILD_MIN_RECORDS = 1_000  # below this, starting a process costs more than it saves
MAX_BUILD_PROCESSES = 4
# What ``CURRENT`` may name: a generation directory beside it (never a path elsewhere).
GENERATION_NAME = re.compile(rf"{GENERATION_PREFIX}[0-9A-Za-z-]+")
DATE_SHIFT_STEP = 16  # two index terms per date; range filters expand over the lexicon


def _build_processes(record_count: int) -> int:
    """How many processes write a new generation's segments: one for small archives
    (``PARALLEL_BUILD_MIN_RECORDS``), else one per core up to ``MAX_BUILD_PROCESSES``."""
    if record_count < PARALLEL_BUILD_MIN_RECORDS:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_BUILD_PROCESSES))


def write_generation_meta(path: Path, records: int, vocabulary_words: int) -> None:
    """Finish a generation's directory: the manifest of its files, then ``meta.json``
    (whose presence says the generation is complete)."""
    write_manifest(path)
    meta = {
        "format_version": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "records": records,
        "vocabulary_words": vocabulary_words,
    }
    (path / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")


def build_schema(vocabulary: Vocabulary) -> fields.Schema:
    """The fields of the index (see ``archive.search.documents.index_document``).

    Only the short fields keep positions (for ``title:"..."`` phrases); phrases in the body
    are answered by the ``pairs`` field. Dates are indexed coarsely (``shift_step``) since
    they only serve filters; ``date_start`` and ``date_end`` are columns too, for the dates a
    query prefers (``archive.search.vectors``).
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
        date_end=fields.NUMERIC(int, sortable=True, shift_step=DATE_SHIFT_STEP),
        day=fields.COLUMN(columns.NumericColumn("i")),
    )


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


class Generations:
    """The generations in ``directory`` (normally ``DataDir.index_dir``): which one is
    live, and the writers that build, swap in and update them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def current_generation(self) -> str | None:
        """The name of the live generation (None: no index yet); :class:`IndexDamagedError`
        when ``CURRENT`` holds anything but a generation's name, or cannot be read."""
        try:
            raw = (self.directory / CURRENT_FILE).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:  # the index directory is a file, or unreadable
            raise IndexDamagedError(self.damaged(f"{CURRENT_FILE}: {error.strerror}")) from None
        name = raw.decode("utf-8", "replace").strip()
        if not name:
            return None
        if not GENERATION_NAME.fullmatch(name):
            raise IndexDamagedError(self.damaged(f"{CURRENT_FILE} names no generation"))
        return name

    def damaged(self, detail: str) -> str:
        """The one line a user reads about a damaged index, and what to do."""
        return (
            f"the search index in {self.directory} is damaged ({detail}): run "
            "'ikpe-archive index' to build it again from the store"
        )

    def check_files(self, generation: str) -> None:
        """:class:`IndexDamagedError` when a file of ``generation`` is not as its last
        writer left it (``archive.search.manifest``)."""
        problem = manifest_problem(self.directory / generation)
        if problem:
            raise IndexDamagedError(self.damaged(problem))

    def check_format(self, generation: str) -> None:
        """Refuse a generation written by another version of the archive, or whose
        ``meta.json`` is damaged."""
        try:
            meta = json.loads((self.directory / generation / META_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise  # a writer may have just removed it: the reader tries CURRENT again
        except (OSError, ValueError) as error:  # ValueError: bad JSON or bad UTF-8
            raise IndexDamagedError(self.damaged(f"{META_FILE}: {error}")) from None
        if not isinstance(meta, dict):
            raise IndexDamagedError(self.damaged(f"{META_FILE} holds no object"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise IndexOutdatedError(
                f"the search index in {self.directory} was built by another version of the "
                "archive: run 'ikpe-archive index' to build it again from the store"
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

    def rebuild(
        self,
        records: Iterable[dict],
    ) -> int:
        """Build a fresh index from ``records`` beside the live one and swap it in.

        Returns the number of records indexed. The records are read once; they are spooled
        to a file in the new generation between the vocabulary pass and the indexing pass.
        """
        with self._writer_lock():
            previous = self._current_if_sound()
            self._remove_unfinished_generations(previous)
            generation, count = self._build_generation(records)
            self._switch_to(generation)
            self._remove_generations(keep={generation, previous})
        logger.info("search index rebuilt: %d records in %s", count, generation)
        return count

    def update(
        self,
        changed: Iterable[dict],
        removed_ids: Iterable[str],
    ) -> None:
        """Index the records that changed (added or edited) and drop the removed ones."""
        with self._writer_lock():
            generation = self.current_generation()
            if generation is None or not (self.directory / generation / META_FILE).exists():
                logger.info("no search index yet: building one from the changed records")
                generation, _ = self._build_generation(changed)
                self._switch_to(generation)
                return
            self.check_format(generation)
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
                write_manifest(self.directory / generation)
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
            spellings: Counter[str] = Counter()
            last_line: dict[str, int] = {}
            with spool.open("w", encoding="utf-8") as out:
                for line_number, record in enumerate(records):
                    document = index_document(record)
                    count_spellings(vocabulary_texts(document), spellings)
                    last_line[document["id"]] = line_number
                    out.write(json.dumps(document, ensure_ascii=False))
                    out.write("\n")
            vocabulary = Vocabulary.from_counts(folded_counts(spellings))
            ix = index.create_in(str(path), build_schema(vocabulary))
            lines = sorted(last_line.values())  # the last line of an id wins
            with _collector_paused():
                write_documents(ix, spool, lines, vocabulary, _build_processes(len(lines)))
            ix.close()
            spool.unlink()
            write_generation_meta(path, len(last_line), len(vocabulary))
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        return generation, len(last_line)

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

    def _current_if_sound(self) -> str | None:
        """The live generation, or None when ``CURRENT`` is damaged (a rebuild replaces it)."""
        try:
            return self.current_generation()
        except IndexDamagedError:
            return None

    def _remove_unfinished_generations(self, current: str | None) -> None:
        """Remove what a crashed rebuild left (generations without ``meta.json``)."""
        for path in self._generations():
            if path.name != current and not (path / META_FILE).exists():
                shutil.rmtree(path, ignore_errors=True)

    def _remove_generations(self, keep: set[str | None]) -> None:
        for path in self._generations():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)
