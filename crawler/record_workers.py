"""Worker processes that turn items into records beside the crawl, fed in batches.

Two things keep the crawl's own process (its event loop) light:

- Items go to a worker in batches, not one by one: a REST page brings a hundred posts at
  once, and a task per item costs the event loop more in futures and pickling than the
  batch does.
- One worker starts with the first record to build (``crawler.pipelines.RecordPipeline``
  takes unchanged records from the store, so over an unchanged site none starts). A
  second starts only when records pile up (a backlog of more than :data:`GROW_BACKLOG`
  items), as they do when the REST API hands over thousands of posts in a few responses.
  A crawl of HTML pages keeps one worker busy at most, and there a second one would only
  take CPU from the event loop on two cores.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context

from crawler.normalise import normalise_many, warm_up

BATCH_SIZE = 50  # items per task: large enough to spread the cost of a task
GROW_BACKLOG = 150  # items waiting for the busiest worker before another one starts


class RecordWorkers:
    """Hands items to up to ``max_workers`` worker processes; ``normalise(item)`` is awaited
    for the item's outcome (see :func:`crawler.normalise.normalise_item`)."""

    def __init__(self, max_workers: int, files_store: str) -> None:
        if max_workers < 1:
            raise ValueError("RecordWorkers needs at least one worker")
        self.max_workers = max_workers
        self.files_store = files_store
        self.pools: list[ProcessPoolExecutor] = []
        self.backlog: list[int] = []  # items given to each pool and not yet back
        self.batch: list[tuple[dict, asyncio.Future]] = []
        self.flush_scheduled = False
        self._add_pool()

    def _add_pool(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        # The worker loads the normaliser now, not when the first batch is in.
        pool.submit(warm_up)
        self.pools.append(pool)
        self.backlog.append(0)
        return pool

    def normalise(self, item: dict) -> asyncio.Future:
        """The future outcome of ``item``; items given in the same turn of the event loop
        travel together."""
        loop = asyncio.get_running_loop()
        outcome = loop.create_future()
        self.batch.append((item, outcome))
        if len(self.batch) >= BATCH_SIZE:
            self.flush()
        elif not self.flush_scheduled:
            self.flush_scheduled = True
            loop.call_soon(self.flush)
        return outcome

    def _pick(self) -> int:
        index = min(range(len(self.pools)), key=self.backlog.__getitem__)
        if self.backlog[index] > GROW_BACKLOG and len(self.pools) < self.max_workers:
            self._add_pool()
            index = len(self.pools) - 1
        return index

    def flush(self) -> None:
        """Send the items gathered so far to the least busy worker."""
        self.flush_scheduled = False
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        index = self._pick()
        self.backlog[index] += len(batch)
        task = self.pools[index].submit(
            normalise_many, [item for item, _ in batch], self.files_store
        )
        loop = asyncio.get_running_loop()

        def done(task: Future) -> None:
            self.backlog[index] -= len(batch)
            error = task.exception()
            for position, (_item, outcome) in enumerate(batch):
                if outcome.done():
                    continue
                if error is not None:
                    outcome.set_exception(error)
                else:
                    outcome.set_result(task.result()[position])

        task.add_done_callback(lambda task: loop.call_soon_threadsafe(done, task))

    @property
    def started(self) -> int:
        """How many worker processes were started."""
        return len(self.pools)

    def close(self) -> None:
        """Wait for the workers to finish what they were given, and stop them."""
        for pool in self.pools:
            pool.shutdown(wait=True)
