"""Full-text search over the archive's records (Whoosh behind a small API).

Only this package imports Whoosh. Use :class:`SearchIndex`::

    index = SearchIndex(data_dir.index_dir)
    index.rebuild(records)                 # or index.update(changed, removed_ids)
    result = index.search("Armut", record_type="press_release", sort="-date")
    print(json.dumps(result.to_dict()))
"""

from archive.search.index import (
    Hit,
    IndexBusyError,
    IndexDamagedError,
    IndexMissingError,
    SearchIndex,
    SearchIndexError,
    SearchResult,
)
from archive.search.query import QueryError

__all__ = [
    "Hit",
    "IndexBusyError",
    "IndexDamagedError",
    "IndexMissingError",
    "QueryError",
    "SearchIndex",
    "SearchIndexError",
    "SearchResult",
]
