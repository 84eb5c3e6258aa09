"""A least-recently-used cache bounded by a count of entries and, optionally, by their
total size (the search keeps postings, analysed texts and stored records per generation,
and one long attachment must not hold the memory of thousands of short posts)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRU(Generic[V]):
    """At most ``max_items`` entries and, with ``weigh``, at most ``max_weight`` in all;
    the least recently used go first. Not thread-safe (the search index serialises)."""

    def __init__(
        self,
        max_items: int,
        *,
        max_weight: int | None = None,
        weigh: Callable[[V], int] | None = None,
    ) -> None:
        self.max_items = max_items
        self.max_weight = max_weight
        self.weigh = weigh
        self.weight = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable, default=None):
        """The value for ``key`` (now the most recently used), or ``default``."""
        entry = self._entries.get(key)
        if entry is None:
            return default
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: Hashable, value: V) -> V:
        """Keep ``value`` under ``key`` (unless the cache holds nothing); returns it."""
        if self.max_items <= 0:
            return value
        weight = self.weigh(value) if self.weigh is not None else 0
        old = self._entries.pop(key, None)
        if old is not None:
            self.weight -= old[1]
        self._entries[key] = (value, weight)
        self.weight += weight
        while self._entries and (
            len(self._entries) > self.max_items
            or (self.max_weight is not None and self.weight > self.max_weight)
        ):
            _, (_, dropped) = self._entries.popitem(last=False)
            self.weight -= dropped
        return value

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()
        self.weight = 0
