"""Fixtures of the browser tests: a real archive served by gunicorn, and Debian's chromium.

The data directory is built once per session the way staff build it: the replica is
crawled by two nightly runs (the second after the replica's content-change switch, so the
edited post has two versions), then hostile records are added to the same store and index
through the library (a record whose title and text carry script payloads, in two versions,
and a raw WARC capture whose body holds a script that would change the page). The app is
then started with ``ikpe-archive serve --port 0 --workers 1`` and every test drives
chromium (Debian's, launched by its path; never a downloaded browser) against it.

Every page of a test is guarded: a request to anything but 127.0.0.1 is aborted and
recorded, dialogs are recorded and dismissed, uncaught page errors and console errors are
recorded; the test fails at teardown if any of that happened (console errors raised by the
sandboxed raw capture itself are expected and set apart).

``CI=true``: nothing may be skipped, so a missing chromium or playwright fails loudly.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.config import DataDir
from archive.facade import Archive
from archive.store import ArchiveStore
from archive.validation import check
from tests.helpers import PROJECT_ROOT, Replica, nightly, write_capture

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT = 30
PAGE_TIMEOUT_MS = 10_000

# --- the hostile records -----------------------------------------------------------------

SITE = "https://www.ikpe-erfurt.de"
HOSTILE_ID = "wp-990001"
HOSTILE_WORD = "Schadcode"  # a word no record of the replica uses: the search finds only this
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SVG_PAYLOAD = '"><svg onload="window.__pwned=1">'  # added in the second version (the diff)
BREAKOUT = "</textarea></title>"  # the elements the title is written into, closed early
HOSTILE_TITLE = f"{HOSTILE_WORD} im Titel {SCRIPT_PAYLOAD} und {BREAKOUT}{IMG_PAYLOAD}"
HOSTILE_TEXT_1 = (
    f"Ein {HOSTILE_WORD}-Bericht {SCRIPT_PAYLOAD} über Armut.\n\n"
    f"Zweiter Absatz {IMG_PAYLOAD} mit & Ampersand."
)
HOSTILE_TEXT_2 = HOSTILE_TEXT_1 + f"\n\nNachtrag {SVG_PAYLOAD} zum {HOSTILE_WORD}."
CAPTURE_TITLE = "Archivierte Schadcode-Seite"
CAPTURE_SCRIPT = "<script>document.title='PWNED';parent.document.title='PWNED'</script>"
CAPTURE_BODY = (
    "<!doctype html><html><head><meta charset='utf-8'>"
    f"<title>{CAPTURE_TITLE}</title>"
    "<meta http-equiv='refresh' content='0;url=https://www.ikpe-erfurt.de/'>"
    "<link rel='stylesheet' href='https://www.ikpe-erfurt.de/style.css'>"
    "</head><body><h1>Archivierte Seite</h1><p>Umlaute: äöüß</p>"
    f"{CAPTURE_SCRIPT}{IMG_PAYLOAD}"
    "<img src='https://www.ikpe-erfurt.de/logo.png' alt='Logo'>"
    "<iframe src='https://www.ikpe-erfurt.de/'></iframe>"
    "<form action='https://www.ikpe-erfurt.de/'><button>Senden</button></form>"
    "</body></html>"
)


def _is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _unavailable(message: str) -> None:
    """Skip, except under CI, where a missing browser is a failure."""
    if _is_ci():
        pytest.fail(f"{message} (CI is set: browser tests may not be skipped)", pytrace=False)
    pytest.skip(message)


def _hostile_record(text: str, warc: dict) -> dict:
    """A schema-valid news record whose title and text carry script payloads."""
    url = f"{SITE}/schadcode-probe/"
    record = {
        "schema_version": 1,
        "id": HOSTILE_ID,
        "url": url,
        "type": "news",
        "type_rule": "news:test",
        "title": HOSTILE_TITLE,
        "text": text,
        "summary": text.split("\n")[0][:120],
        "date": "2024-01-10",
        "date_precision": "day",
        "date_source": "posting_date",
        "date_issues": [],
        "published": "2024-01-10",
        "people": [],
        "emails": [],
        "places": ["Gotha"],
        "organisations": [],
        "attachments": [],
        "credits": [f"Foto: {IMG_PAYLOAD}"],
        "categories": ["Aktuelles"],
        "source": {
            "via": "html",
            "url": url,
            "fetched_at": "2025-01-02T03:04:05Z",
            "http_status": 200,
            "sha256": "1" * 64,
            "warc": warc,
        },
        "provenance": {"date": "test"},
    }
    return check(record)


def _hostile_capture(data_dir: DataDir) -> dict:
    """A raw WARC capture whose body would change the page if its script ran."""
    return write_capture(data_dir, "hostile-1", f"{SITE}/schadcode-probe/", CAPTURE_BODY.encode())


def _add_hostile_records(root: Path) -> None:
    """The hostile record in two versions, saved to the store and indexed."""
    data_dir = DataDir(root)
    warc = _hostile_capture(data_dir)
    first = _hostile_record(HOSTILE_TEXT_1, warc)
    second = copy.deepcopy(first)
    second["text"] = HOSTILE_TEXT_2
    check(second)
    with ArchiveStore(data_dir.store_path) as store:
        for crawl_id, record in (("hostile-1", first), ("hostile-2", second)):
            store.begin_crawl(crawl_id, f"{SITE}/")
            store.save([record], crawl_id)
            store.finish_crawl(crawl_id, "finished", apply_removals=False)
    with Archive(data_dir) as archive:
        archive.update_index()


# --- the archive, crawled for real ----------------------------------------------------------


@dataclass(frozen=True)
class CrawledArchive:
    """The session's data directory and what the tests need to know of it."""

    root: Path
    changed_id: str  # the post the replica's content-change switch edits: two versions
    changed_title: str
    appended_text: str  # what the edit appended (the diff's insertion)


def _edited_post() -> tuple[str, str]:
    """The slug and appended paragraph of the replica's content-change edit."""
    changes = tomllib.loads((PROJECT_ROOT / "replica/content/changes.toml").read_text("utf-8"))
    appended = changes["edit"]["append_html"].removeprefix("<p>").removesuffix("</p>")
    return changes["edit"]["slug"], appended


@pytest.fixture(scope="session")
def crawled_archive(tmp_path_factory: pytest.TempPathFactory) -> CrawledArchive:
    """Two nightly runs over the replica (the second after its content change), plus the
    hostile records."""
    root = tmp_path_factory.mktemp("browser-data")
    replica = Replica()
    try:
        first = nightly(root, replica.url, "--no-throttle")
        assert first.returncode == 0, first.stderr[-3000:]
        replica.switch(changed=True)
        second = nightly(root, replica.url, "--no-throttle")
        assert second.returncode == 0, second.stderr[-3000:]
    finally:
        replica.stop()
    slug, appended = _edited_post()
    with ArchiveStore(DataDir(root).store_path) as store:
        edited = [row for row in store.iter_records() if f"/{slug}/" in row["record"]["url"]]
    assert len(edited) == 1 and edited[0]["version"] == 2, edited
    _add_hostile_records(root)
    record = edited[0]["record"]
    return CrawledArchive(root, record["id"], record["title"], appended)


# --- the app under gunicorn -------------------------------------------------------------------


def _first_line(path: Path, process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text("utf-8") if path.exists() else ""
        if "\n" in text:
            return text.split("\n", 1)[0].strip()
        if process.poll() is not None:
            break
        time.sleep(0.05)
    return ""


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError as error:  # not listening yet, or 503
            last = error
        time.sleep(0.1)
    raise RuntimeError(f"the app did not become healthy at {url}: {last}")


@pytest.fixture(scope="session")
def app_url(
    crawled_archive: CrawledArchive, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The app, as staff run it: ``ikpe-archive serve`` (gunicorn), on a free port."""
    logs = tmp_path_factory.mktemp("browser-app")
    out_path, err_path = logs / "stdout", logs / "stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "search_app.cli", "--data-dir", str(crawled_archive.root),
             "serve", "--port", "0", "--workers", "1"],
            stdout=out, stderr=err, cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
    try:
        url = _first_line(out_path, process, STARTUP_TIMEOUT)
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(
                f"serve printed {url!r}: {err_path.read_text('utf-8', 'replace')[-3000:]}"
            )
        _wait_healthy(url, STARTUP_TIMEOUT)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's chromium, launched by its path, once per session."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


def _is_local(url: str) -> bool:
    scheme = urlsplit(url).scheme
    return scheme in ("data", "blob", "about") or urlsplit(url).hostname == "127.0.0.1"


@dataclass
class Guard:
    """What a page did that it must not: requests off 127.0.0.1, dialogs, script errors."""

    local_requests: int = 0  # proof that the guard sees the traffic
    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)  # from the app's own pages
    capture_console: list[str] = field(default_factory=list)  # from the sandboxed capture

    def problems(self) -> list[str]:
        """Everything that went wrong, one line each."""
        return (
            [f"external request attempted: {url}" for url in self.external_requests]
            + [f"dialog opened: {message}" for message in self.dialogs]
            + [f"uncaught page error: {message}" for message in self.page_errors]
            + [f"console error: {message}" for message in self.console_errors]
        )


# The raw capture's own policy (``sandbox; default-src 'none'; img-src data:; ...``): a
# console message that names it, or the sandbox, comes from the capture, not from the app's
# pages, whose policy is ``default-src 'self'``. Such messages are expected (blocked).
CAPTURE_POLICY_MARKERS = ("sandboxed", "\"default-src 'none'\"", '"img-src data:"')


def _from_capture(text: str) -> bool:
    return any(marker in text for marker in CAPTURE_POLICY_MARKERS)


def _guard_page(page, guard: Guard) -> None:
    def route(route) -> None:
        url = route.request.url
        if _is_local(url):
            guard.local_requests += 1
            route.continue_()
        else:
            guard.external_requests.append(url)
            route.abort("blockedbyclient")

    def dialog(dialog) -> None:
        guard.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def console(message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        line = f"{message.text} (at {where or page.url})"
        if "/kopie/roh" in (where or page.url) or _from_capture(message.text):
            guard.capture_console.append(line)
        else:
            guard.console_errors.append(line)

    page.route("**/*", route)
    page.on("dialog", dialog)
    page.on("pageerror", lambda error: guard.page_errors.append(str(error)))
    page.on("console", console)
    page.set_default_timeout(PAGE_TIMEOUT_MS)


@dataclass
class GuardedPages:
    """Opens guarded pages (one browser context each) and checks them at the end."""

    browser: object
    base_url: str
    guard: Guard = field(default_factory=Guard)
    contexts: list = field(default_factory=list)

    def open(self, **context_options):
        context = self.browser.new_context(
            base_url=self.base_url, accept_downloads=True, locale="de-DE", **context_options
        )
        self.contexts.append(context)
        page = context.new_page()
        _guard_page(page, self.guard)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser, app_url: str) -> Iterator[GuardedPages]:
    """A factory of guarded pages (``pages.open(viewport=...)``); the test fails if any of
    them requested anything off 127.0.0.1, opened a dialog or raised a script error."""
    opened = GuardedPages(browser, app_url)
    yield opened
    opened.close()
    problems = opened.guard.problems()
    assert not problems, "\n".join(problems)
    assert opened.guard.local_requests > 0, "the request guard saw no request at all"


@pytest.fixture
def page(pages: GuardedPages):
    """One guarded page on a desktop-sized window."""
    return pages.open(viewport={"width": 1280, "height": 900})


@pytest.fixture
def guard(pages: GuardedPages) -> Guard:
    """What the test's pages did (requests, dialogs, errors)."""
    return pages.guard


@pytest.fixture(scope="session")
def hostile() -> dict:
    """The hostile record's id, search word, title, payloads and capture title."""
    return {
        "id": HOSTILE_ID,
        "word": HOSTILE_WORD,
        "title": HOSTILE_TITLE,
        "texts": (HOSTILE_TEXT_1, HOSTILE_TEXT_2),
        "payloads": (SCRIPT_PAYLOAD, IMG_PAYLOAD, SVG_PAYLOAD),
        "capture_title": CAPTURE_TITLE,
    }


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots go: /tmp, never the repository."""
    return Path("/tmp")


@pytest.fixture
def read_download() -> Callable:
    """Click a link that downloads a file; return (suggested file name, text)."""

    def read(page, locator) -> tuple[str, str]:
        with page.expect_download() as info:
            locator.click()
        download = info.value
        assert download.failure() is None, download.failure()
        return download.suggested_filename, Path(download.path()).read_text("utf-8")

    return read
