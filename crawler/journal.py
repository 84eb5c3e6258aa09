"""The journal of a crawl: harvested items as JSON Lines, kept so a killed crawl can resume.

``crawl-state/current.json`` names the crawl in progress. A crawl started while it
exists (for the same site) resumes it: items already in its journal are not harvested
again, but the links they led to are followed from the journal, so the resumed crawl's
discovery is as complete as a fresh one's, and the counters they added (``counters``,
written with each item) are carried into its stats. A crawl that finishes writes
``items/<crawl_id>.done.json`` and clears the marker.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from archive.config import DataDir

# The finish reason of a crawl whose start page never answered.
SITE_UNREACHABLE = "site_unreachable"


@dataclass
class CrawlJournal:
    """One crawl's item journal and its resume state."""

    data_dir: DataDir
    crawl_id: str
    start_url: str
    resumed: bool = False
    done_keys: set[str] = field(default_factory=set)
    done_urls: set[str] = field(default_factory=set)
    # The body links of each journaled page (by fetched URL): what the page led to.
    done_links: dict[str, list[str]] = field(default_factory=dict)
    # The counters each journaled item added to its crawl's stats (None: not journaled).
    done_counters: list[list[str] | None] = field(default_factory=list)

    @property
    def marker(self) -> Path:
        """The file that says a crawl is in progress."""
        return self.data_dir.crawl_state_dir / "current.json"

    @property
    def items_path(self) -> Path:
        """The JSON Lines journal of this crawl's items."""
        return self.data_dir.items_dir / f"{self.crawl_id}.jsonl"

    @classmethod
    def open(cls, data_dir: DataDir, start_url: str) -> CrawlJournal:
        """Resume the unfinished crawl of ``start_url``, or start a new one."""
        data_dir.ensure()
        data_dir.crawl_state_dir.mkdir(parents=True, exist_ok=True)
        marker = data_dir.crawl_state_dir / "current.json"
        if marker.exists():
            try:
                state = json.loads(marker.read_text(encoding="utf-8"))
            except ValueError:
                state = {}
            if state.get("start_url") == start_url and state.get("crawl_id"):
                journal = cls(data_dir, state["crawl_id"], start_url, resumed=True)
                journal._load_done()
                return journal
        crawl_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}"
        journal = cls(data_dir, crawl_id, start_url)
        marker.write_text(json.dumps({"crawl_id": crawl_id, "start_url": start_url}), "utf-8")
        return journal

    def _load_done(self) -> None:
        if not self.items_path.exists():
            return
        with self.items_path.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue  # the last line of a killed crawl may be cut short
                if not isinstance(item, dict):
                    continue
                self.done_keys.add(item.get("key", ""))
                self.done_urls.add(item.get("fetched_url", ""))
                if item.get("links"):
                    self.done_links[item.get("fetched_url", "")] = list(item["links"])
                counters = item.get("counters")
                self.done_counters.append(list(counters) if isinstance(counters, list) else None)

    def append(self, items: list[dict]) -> None:
        """Add items to the journal, on disk before this returns."""
        with self.items_path.open("a", encoding="utf-8") as out:
            if out.tell() and not self._ends_with_newline():
                # A killed run can leave half a line; the next item must not be glued to it
                # (reading skips the broken line, and would skip the item with it).
                out.write("\n")
            for item in items:
                out.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())

    def _ends_with_newline(self) -> bool:
        with self.items_path.open("rb") as existing:
            existing.seek(-1, os.SEEK_END)
            return existing.read(1) == b"\n"

    def finish(self, reason: str, stats: dict) -> None:
        """Close the crawl: a finished one clears the resume marker."""
        summary = {
            "crawl_id": self.crawl_id,
            "start_url": self.start_url,
            "reason": reason,
            "resumed": self.resumed,
            "stats": stats,
        }
        suffix = "done" if reason == "finished" else "stopped"
        path = self.data_dir.items_dir / f"{self.crawl_id}.{suffix}.json"
        path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), "utf-8")
        # A crawl that never reached the site has nothing to resume: the next run starts
        # afresh instead of calling itself resumed.
        nothing_to_resume = reason == SITE_UNREACHABLE and not self.items_path.exists()
        if (reason == "finished" or nothing_to_resume) and self.marker.exists():
            self.marker.unlink()


def read_items(path: Path) -> list[dict]:
    """The items of a journal file (a cut-off last line is skipped)."""
    items = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                items.append(json.loads(line))
            except ValueError:
                continue
    return items
