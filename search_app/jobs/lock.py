"""The data directory's lock: one crawl or nightly run at a time.

The lock is an ``flock`` on ``<data-dir>/nightly.lock``, which the kernel releases when
its holder dies, so a lock left by a killed run is taken over; the file names the
holder, for the message a second run prints.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from archive.config import DataDir
from archive.store import now_utc

logger = logging.getLogger(__name__)

LOCK_NAME = "nightly.lock"


class NightlyLocked(RuntimeError):
    """Another nightly run holds the lock."""


@contextmanager
def nightly_lock(data_dir: DataDir) -> Iterator[dict]:
    """Hold the data directory's nightly lock; raise ``NightlyLocked`` if another run has it."""
    data_dir.root.mkdir(parents=True, exist_ok=True)
    path = data_dir.root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            raise NightlyLocked(
                f"another crawl or nightly run holds {path}: {holder or 'unknown'}"
            ) from None
        previous = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        if previous:
            logger.warning("taking over the lock left by a run that did not finish: %s", previous)
        info = {"pid": os.getpid(), "started_at": now_utc()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        try:
            yield {"took_over": previous or None, **info}
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)
