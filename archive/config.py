"""Where the archive keeps its files: one data directory holds everything."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "IKPE_ARCHIVE_DATA"
DEFAULT_DATA_DIR = "./data"
LIVE_SITE_URL = "https://www.ikpe-erfurt.de/"


@dataclass(frozen=True)
class DataDir:
    """The layout of a data directory: store, index, raw captures, HTTP cache, reports."""

    root: Path

    @classmethod
    def from_env(cls, value: str | os.PathLike | None = None) -> DataDir:
        """The data directory given, else ``$IKPE_ARCHIVE_DATA``, else ``./data``."""
        chosen = value or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
        return cls(Path(chosen).expanduser().resolve())

    @property
    def store_path(self) -> Path:
        """The SQLite archive store."""
        return self.root / "archive.sqlite3"

    @property
    def index_dir(self) -> Path:
        """The search index."""
        return self.root / "index"

    @property
    def warc_dir(self) -> Path:
        """Raw captures of every fetched response (WARC files)."""
        return self.root / "warc"

    @property
    def http_cache_dir(self) -> Path:
        """Scrapy's HTTP cache, for conditional re-fetches."""
        return self.root / "httpcache"

    @property
    def crawl_state_dir(self) -> Path:
        """Scrapy's job directory, so a killed crawl can resume."""
        return self.root / "crawl-state"

    @property
    def items_dir(self) -> Path:
        """Harvested items as JSON Lines, one file per crawl."""
        return self.root / "items"

    @property
    def attachments_dir(self) -> Path:
        """Downloaded attachments (press-release PDFs), by content hash."""
        return self.root / "attachments"

    @property
    def reports_dir(self) -> Path:
        """One JSON report per nightly run."""
        return self.root / "reports"

    def ensure(self) -> DataDir:
        """Create the directory tree if it is missing; return self."""
        for path in (
            self.root,
            self.warc_dir,
            self.http_cache_dir,
            self.items_dir,
            self.attachments_dir,
            self.reports_dir,
        ):
            path.mkdir(parents=True, exist_ok=True)
        return self
