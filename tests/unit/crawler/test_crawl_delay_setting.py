"""The pause between two requests to the site: one second unless IKPE_CRAWL_DELAY_MS says
otherwise (read when the settings module is loaded, once per crawl process)."""

from __future__ import annotations

import importlib

import pytest

import crawler.settings

# (IKPE_CRAWL_DELAY_MS, the pause in seconds), note.
DELAYS = [
    (None, 1.0, "the default: one second"),
    ("250", 0.25, "a quarter of a second (the tests' throttled crawls)"),
    ("5000", 5.0, "a site that asks for more"),
    ("-20", 0.0, "never negative"),
]


@pytest.mark.parametrize(("value", "seconds"), [row[:2] for row in DELAYS],
                         ids=[row[2] for row in DELAYS])  # fmt: skip
def test_the_crawl_delay(monkeypatch, value: str | None, seconds: float) -> None:
    if value is None:
        monkeypatch.delenv("IKPE_CRAWL_DELAY_MS", raising=False)
    else:
        monkeypatch.setenv("IKPE_CRAWL_DELAY_MS", value)
    try:
        settings = importlib.reload(crawler.settings)
        pauses = (settings.DOWNLOAD_DELAY, settings.AUTOTHROTTLE_START_DELAY)
        assert pauses == (seconds, seconds)
    finally:
        monkeypatch.undo()
        importlib.reload(crawler.settings)
