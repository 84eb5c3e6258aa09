"""The ``ikpe-archive`` command line: a thin shell over the library.

Each command parses its options, calls one library function and maps errors to exit
codes: 0 success, 1 the job failed, 2 usage error (click's own), 3 a monitor failed.
Heavy modules are imported inside the commands so that ``--help`` stays instant.

Over 400 lines on purpose: click's declarations of every command's options; each
command's body is a call into the facade or a job.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive import statkeys
from archive.config import DATA_DIR_ENV, DEFAULT_DATA_DIR, LIVE_SITE_URL, DataDir
from archive.export import FORMATS as EXPORT_FORMATS
from archive.schema import RECORD_TYPES
from search_app.cli_shell import (
    BadValue,
    WordsCommand,
    argument_text,
    json_text,
    library_errors,
    printable,
)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def is_local_url(url: str) -> bool:
    """True when ``url`` points at this machine (127.0.0.1 or localhost)."""
    return (urlsplit(url).hostname or "") in LOCAL_HOSTS


def check_start_url(url: str) -> str:
    """Validate a crawl start URL: http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"not an http(s) URL: {url!r}", param_hint="--start-url")
    return url


def _site_options(command):
    """``--start-url`` and ``--no-throttle``, shared by ``crawl`` and ``nightly``."""
    command = click.option(
        "--no-throttle", is_flag=True, help="Lift the throttle (only for 127.0.0.1/localhost)."
    )(command)
    return click.option(
        "--start-url",
        default=LIVE_SITE_URL,
        show_default=True,
        callback=lambda ctx, param, value: check_start_url(value),
        help="Where the site starts.",
    )(command)


def _limit_options(command):
    """The crawl's limits (``crawler.limits``) as options, shared by ``crawl`` and
    ``nightly``. Read as text and checked by ``apply_limits``, so a bad value is one
    line like a bad value in the environment or in ``crawl.toml``."""
    from crawler.limits import LIMITS

    command = click.option(
        "--path-limit", "path_limits", metavar="GLOB=N", multiple=True,
        help="At most N requests whose path (and query) matches GLOB, e.g. "
        "'/veranstaltungen/*=240'; repeatable (env IKPE_CRAWL_PATH_LIMITS).",
    )(command)  # fmt: skip
    for limit in reversed([limit for limit in LIMITS if limit.option]):
        command = click.option(
            limit.flag, limit.name, metavar="N", default=None,
            help=f"{limit.help} Default {limit.default}; env {limit.setting}.",
        )(command)  # fmt: skip
    return command


def apply_limits(data_dir: DataDir, options: dict, path_limits: tuple[str, ...]) -> None:
    """Check the crawl's limits, from ``crawl.toml``, the environment and the options
    (one line and exit 2 for a bad one), and hand them to the crawl as its environment,
    which ``crawler.run`` reads for each crawl."""
    import os

    from crawler.limits import LimitError, as_environment, resolve

    try:
        limits = resolve(data_dir.root, os.environ, options, path_limits)
    except LimitError as error:
        raise BadValue(str(error)) from error
    os.environ.update(as_environment(limits))


def check_throttle(start_url: str, no_throttle: bool) -> None:
    """Refuse to lift the throttle for any host but this machine."""
    if no_throttle and not is_local_url(start_url):
        raise click.UsageError("--no-throttle is refused for any host but 127.0.0.1/localhost.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    envvar=DATA_DIR_ENV,
    default=DEFAULT_DATA_DIR,
    show_default=True,
    type=click.Path(file_okay=False),
    help=f"Where the store, index, raw captures, HTTP cache and reports live (env {DATA_DIR_ENV}).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log more.")
@click.pass_context
def cli(ctx: click.Context, data_dir: str, verbose: bool) -> None:
    """Harvest, archive and search the website of the IKPE Erfurt."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not verbose:  # WeasyPrint logs each layout step of a PDF at INFO
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    ctx.obj = DataDir.from_env(data_dir)


@cli.group()
def replica() -> None:
    """The replica of the IKPE site that tests and the demo crawl."""


@replica.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--synthetic", default=0, type=click.IntRange(0, 1_000_000), help="Add N generated posts."
)
@click.option("--no-rest", is_flag=True, help="Switch the REST API off (404).")
@click.option(
    "--changed",
    is_flag=True,
    help="Serve the content change: one post edited, one added, one removed.",
)
@click.option(
    "--faults",
    is_flag=True,
    help="Inject faults (5xx, slow, reset, truncated, latin-1, redirect loop).",
)
@click.option(
    "--layout", type=click.Choice(["normal", "broken"]), default="normal", show_default=True
)
@click.option(
    "--signals",
    type=click.Choice(["full", "none"]),
    default="full",
    show_default=True,
    help="'none' drops WordPress's markup signals (datetime, JSON-LD, shortlink, entry-content).",
)
def replica_serve(
    host: str,
    port: int,
    synthetic: int,
    no_rest: bool,
    changed: bool,
    faults: bool,
    layout: str,
    signals: str,
) -> None:
    """Serve the replica until stopped; print its base URL on the first line."""
    if host not in LOCAL_HOSTS:
        raise click.BadParameter(
            "the replica serves on 127.0.0.1 or localhost only", param_hint="--host"
        )
    from replica.server import make_server
    from replica.site import Switches

    switches = Switches(
        rest=not no_rest, changed=changed, faults=faults, layout=layout, signals=signals
    )
    try:
        server, state = make_server(host, port, synthetic=synthetic, switches=switches)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from error
    click.echo(state.links.www, nl=True)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@_site_options
@_limit_options
@click.pass_obj
def crawl(
    data_dir: DataDir, start_url: str, no_throttle: bool, path_limits: tuple[str, ...], **limits
) -> None:
    """Harvest the site into the data directory.

    Limits (each over the one before): defaults, DATA_DIR/crawl.toml, the environment
    (IKPE_CRAWL_*), these options.
    """
    check_throttle(start_url, no_throttle)
    apply_limits(data_dir, limits, path_limits)
    from search_app.jobs.crawl import run_locked_crawl
    from search_app.jobs.lock import NightlyLocked
    from search_app.jobs.reports import crawl_summary

    try:
        result = run_locked_crawl(data_dir, start_url, no_throttle=no_throttle)
    except NightlyLocked as error:
        raise click.ClickException(str(error)) from error
    click.echo(crawl_summary(result))
    if not result.ok:
        unreachable = result.stats.get(statkeys.SITE_UNREACHABLE)
        if unreachable:  # the summary's line, as the reason: nothing else happened
            raise click.ClickException(f"the site does not answer: {unreachable}")
        raise click.ClickException(f"the crawl stopped early: {result.finish_reason}")


@cli.command()
@click.option(
    "--rebuild", is_flag=True, help="Build a fresh index beside the live one and swap it in."
)
@click.pass_obj
def index(data_dir: DataDir, rebuild: bool) -> None:
    """Bring the search index up to date with the store (or rebuild it beside the live one)."""
    with library_errors(), open_archive(data_dir) as archive:
        result = archive.update_index(rebuild=rebuild)
    if result.get("repaired"):
        click.echo(f"note: {result['repaired']}; rebuilt from the store", err=True)
    click.echo(f"index {result['mode']}: {result['indexed']} records indexed, "
               f"{result['removed']} removed, {result['count']} in the index")  # fmt: skip


PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def check_partial_date(ctx, param, value: str | None) -> str | None:
    """Validate ``--from``/``--to``: YYYY, YYYY-MM or YYYY-MM-DD."""
    if value is None:
        return None
    if not PARTIAL_DATE.match(value):
        raise click.BadParameter(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    from datetime import date

    year, month, day = ([*map(int, value.split("-")), 1, 1])[:3]
    try:
        date(year, month, day)  # 2023-02-30 has the shape but is no day
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date ({error})") from None
    return value


def _filter_options(command):
    for option in reversed(
        [
            click.option(
                "--type",
                "record_type",
                type=click.Choice(RECORD_TYPES),
                help="Only this record type.",
            ),
            click.option(
                "--from",
                "date_from",
                metavar="DATE",
                callback=check_partial_date,
                help="Records dated on or after (YYYY[-MM[-DD]]).",
            ),
            click.option(
                "--to",
                "date_to",
                metavar="DATE",
                callback=check_partial_date,
                help="Records dated on or before (YYYY[-MM[-DD]]).",
            ),
        ]
    ):
        command = option(command)
    return command


@cli.command(cls=WordsCommand)
@click.argument("words", nargs=-1, required=True, metavar="QUERY...")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_filter_options
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date", "-date"]),
    default="relevance",
    show_default=True,
)
@click.pass_obj
def search(
    data_dir: DataDir, words: tuple[str, ...], as_json: bool, record_type, date_from, date_to,
    limit, sort,
) -> None:  # fmt: skip
    """Search the archive (words, "phrases", OR, -word, prefix*, title:/person:/place:/type:).

    The words may be given unquoted; a word starting with '-' excludes it (search -Armut
    Teilhabe). Longer queries are cut to 500 characters and 32 words.
    """
    from archive.facade import Archive
    from archive.search.query import MAX_QUERY_CHARS, MAX_QUERY_WORDS, is_bounded

    query = " ".join(argument_text(word) for word in words)
    if not is_bounded(query):
        click.echo(f"note: the query was cut to fit {MAX_QUERY_CHARS} characters and "
                   f"{MAX_QUERY_WORDS} words", err=True)  # fmt: skip
    with library_errors(), Archive(data_dir) as archive:
        result = archive.search(
            query, record_type=record_type, date_from=date_from, date_to=date_to,
            sort=sort, limit=limit, facets=False,
        )  # fmt: skip
    if as_json:
        payload = result.to_dict()
        payload.pop("facets", None)
        click.echo(json_text(payload))
        return
    hint = f" (did you mean {result.suggestion!r}?)" if result.suggestion else ""
    click.echo(f"{result.total} hits for {result.query!r}{hint}")
    for hit in result.hits:
        echo_hit(hit)


def echo_hit(hit) -> None:
    """One hit in two terminal lines, its text made printable (titles are web content)."""
    click.echo(f"{printable(hit.date):<10}  {printable(hit.type):<14} "
               f"{printable(hit.title)[:70]}\n            {printable(hit.url)}")  # fmt: skip


@cli.command()
@click.argument("record_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100))
@click.pass_obj
def similar(data_dir: DataDir, record_id: str, as_json: bool, limit: int) -> None:
    """Records similar to RECORD_ID (an id such as wp-2198 or pub-...)."""
    from archive.facade import Archive

    with library_errors(), Archive(data_dir) as archive:
        if not archive.has_index():
            raise click.ClickException(
                f"no search index in {data_dir.root} yet: run 'ikpe-archive index' "
                "(or nightly) first"
            )
        hits = archive.similar(argument_text(record_id), limit=limit)
    if as_json:
        click.echo(json_text([hit.to_dict() for hit in hits]))
        return
    if not hits:
        click.echo(f"nothing similar to {printable(record_id)} (or no such record)")
    for hit in hits:
        echo_hit(hit)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default stdout).",
)
@_filter_options
@click.pass_obj
def export(data_dir: DataDir, fmt: str, output, record_type, date_from, date_to) -> None:
    """Export records (JSON Lines, CSV, BibTeX, RIS, CSL-JSON), sorted by date then id."""
    if output and not Path(output).resolve().parent.is_dir():
        raise click.ClickException(
            f"cannot write {output}: the folder {Path(output).resolve().parent} does not exist"
        )
    with library_errors(data_dir.store_path), open_archive(data_dir) as archive:
        records = archive.records(record_type=record_type, date_from=date_from, date_to=date_to)
        if output:
            count = write_atomically(Path(output), lambda out: archive.export(records, fmt, out))
            click.echo(f"{count} records written to {output}", err=True)
        else:
            archive.export(records, fmt, sys.stdout)


def write_atomically(path: Path, write) -> int:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it into place:
    an export that fails (a damaged store) leaves no half file and keeps an older one."""
    import os
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from error
    try:
        with open(handle, "w", encoding="utf-8", newline="") as out:
            count = write(out)
        os.replace(temporary, path)
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return count


def open_archive(data_dir: DataDir):
    """The archive facade of a data directory; a clear error if nothing was harvested yet."""
    from archive.facade import Archive

    archive = Archive(data_dir)
    if not archive.has_store():
        raise click.ClickException(
            f"no archive in {data_dir.root} yet: run 'ikpe-archive crawl' (or nightly) first"
        )
    return archive


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def stats(data_dir: DataDir, as_json: bool) -> None:
    """Counts of records by type, year and status."""
    with library_errors(), open_archive(data_dir) as archive:
        counts = archive.stats()
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    click.echo("by type:   " + ", ".join(f"{k} {v}" for k, v in sorted(counts["by_type"].items())))
    click.echo("by year:   " + ", ".join(f"{k} {v}" for k, v in counts["by_year"].items()))
    click.echo("by status: " + ", ".join(f"{k} {v}" for k, v in counts["by_status"].items()))
    click.echo(f"versions:  {counts['versions']}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--from-warc",
    is_flag=True,
    help="Build a new store from the WARC captures alone, when there is none (lost, or "
    "damaged and moved aside); a store in place is never overwritten.",
)
@click.pass_obj
def reextract(data_dir: DataDir, as_json: bool, from_warc: bool) -> None:
    """Rebuild every record from the stored raw captures, with no network."""
    if from_warc:
        rebuild_store(data_dir, as_json)
        return
    from search_app.jobs.reextract import reextract as run_reextract
    from search_app.jobs.reextract import report_json

    with library_errors(data_dir.store_path):
        with open_archive(data_dir) as archive:
            archive.stats()  # a store that cannot be read fails here, before any work
        report = run_reextract(data_dir)
    if as_json:
        click.echo(report_json(report))
        return
    click.echo(f"checked {report.checked}, changed {len(report.changed)}, "
               f"unchanged {report.unchanged}, skipped {len(report.skipped)}")  # fmt: skip
    for entry in report.changed:
        click.echo(f"  changed: {printable(entry['title'])[:70]}  <{printable(entry['url'])}>")
    for entry in report.skipped[:20]:
        click.echo(f"  skipped: {printable(entry['id'])}: {printable(entry['reason'])}")


def rebuild_store(data_dir: DataDir, as_json: bool) -> None:
    """``reextract --from-warc``: a new store from the WARC captures."""
    from search_app.jobs.lock import NightlyLocked
    from search_app.jobs.reextract import StoreExistsError, rebuild_from_warc, report_json

    try:
        report = rebuild_from_warc(data_dir)
    except (StoreExistsError, NightlyLocked) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(report_json(report))
    else:
        types = ", ".join(f"{k} {v}" for k, v in sorted(report.by_type.items())) or "none"
        click.echo(f"rebuilt {report.records} records ({types}; {report.removed} removed since) "
                   f"from {report.captures} captures of {report.crawls} crawls into "
                   f"{data_dir.store_path}; {report.files_restored} attachment files "
                   "restored")  # fmt: skip
        if report.removals_withheld:
            click.echo("note: most records are gone from the latest captures: none is "
                       "marked removed (the store's guard)", err=True)  # fmt: skip
        for entry in report.skipped[:20]:
            click.echo(f"  skipped: {printable(entry['id'])}: {printable(entry['reason'])}")
    if report.unreadable:
        click.echo(f"note: {len(report.unreadable)} captures could not be read "
                   f"(e.g. {report.unreadable[0]})", err=True)  # fmt: skip
    if not report.records:
        raise click.ClickException(f"no record found in the WARC captures in {data_dir.warc_dir}")
    click.echo("note: run 'ikpe-archive index --rebuild' to search the rebuilt store", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1, 64),
    help="gunicorn worker processes: one per core suits the searches, which are CPU work.",
)  # fmt: skip
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 64),
    help="Threads per worker (gunicorn's gthread workers, safe for browsers and slow "
    "clients); 1 runs sync workers, faster under load behind a buffering proxy (nginx).",
)  # fmt: skip
@click.pass_obj
def serve(data_dir: DataDir, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the search web app under gunicorn; print its URL on the first line."""
    from search_app.web.server import bind
    from search_app.web.server import serve as run_server

    try:
        listener = bind(host, port)
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {error.strerror or error} "
            "(is another server running there? try another --port, or --port 0)"
        ) from error
    click.echo(listener.url)
    sys.stdout.flush()
    if not data_dir.store_path.exists():
        click.echo(
            f"note: no archive in {data_dir.root} yet; the app answers 503 until a crawl ran",
            err=True,
        )
    run_server(str(data_dir.root), listener, workers=workers, threads=threads)


@cli.command()
@_site_options
@_limit_options
@click.pass_obj
def nightly(
    data_dir: DataDir, start_url: str, no_throttle: bool, path_limits: tuple[str, ...], **limits
) -> None:
    """Crawl, store, update the index and write a report, under a lock (the crawl's
    limits as for ``crawl``)."""
    check_throttle(start_url, no_throttle)
    apply_limits(data_dir, limits, path_limits)
    from search_app.jobs.lock import NightlyLocked
    from search_app.jobs.nightly import run_nightly
    from search_app.jobs.reports import nightly_summary

    try:
        result = run_nightly(data_dir.ensure(), start_url, no_throttle=no_throttle)
    except NightlyLocked as error:
        raise click.ClickException(str(error)) from error
    click.echo(nightly_summary(result))
    failed = [m for m in result.report["monitors"] if not m["ok"]]
    if failed:
        for monitor in failed:
            click.echo(f"monitor failed: {monitor['name']}: {monitor['detail']}", err=True)
        sys.exit(result.exit_code)


@cli.command()
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Replica port."
)
@click.option(
    "--app-port", default=8000, show_default=True, type=click.IntRange(0, 65535),
    help="Port of the web app (a free one if it is taken).",
)  # fmt: skip
@click.pass_obj
def demo(data_dir: DataDir, port: int, app_port: int) -> None:
    """Serve the replica, crawl it, index it, then serve the web app on the result."""
    from search_app.jobs.demo import run_demo

    run_demo(data_dir.ensure(), replica_port=port, app_port=app_port)


# archive.pressreview.FORMATS, spelt out so that --help does not load the press review
PRESS_REVIEW_FORMATS = ("pdf", "docx", "md")
MONTH = re.compile(r"^(\d{4}-(0[1-9]|1[0-2])|previous)$")
# Options that select records; a saved composition has its own selection.
SELECTION_OPTIONS = (
    ("date_from", "--from"), ("date_to", "--to"), ("month", "--month"), ("query", "--query"),
    ("types", "--type"), ("title", "--title"), ("intro", "--intro"),
    ("full_text", "--full-text"), ("save_as", "--save-as"),
)  # fmt: skip


def check_archive_url(ctx, param, value: str | None) -> str | None:
    """Validate ``--archive-url``: an http(s) address."""
    if value and (urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).hostname):
        raise click.BadParameter(f"not an http(s) URL: {value!r}")
    return value or None


def check_month(ctx, param, value: str | None) -> str | None:
    """Validate ``--month``: YYYY-MM or ``previous``."""
    if value is not None and not MONTH.match(value):
        raise click.BadParameter(f"{value!r} is not YYYY-MM or 'previous'")
    return value


@cli.command("press-review")
@click.option(
    "--from",
    "date_from",
    metavar="DATE",
    callback=check_partial_date,
    help="Records dated on or after (YYYY[-MM[-DD]]).",
)
@click.option(
    "--to",
    "date_to",
    metavar="DATE",
    callback=check_partial_date,
    help="Records dated on or before (YYYY[-MM[-DD]]).",
)
@click.option(
    "--month",
    metavar="YYYY-MM|previous",
    callback=check_month,
    help="One whole month instead of --from/--to ('previous': the month before today).",
)
@click.option("--query", default="", help="Only records matching this search.")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(RECORD_TYPES),
    help="Only these record types (repeatable; default news, press releases, "
    "press coverage, events).",
)
@click.option("--title", help="Title on the cover (default: 'Pressespiegel <period>').")
@click.option(
    "--intro",
    type=click.Path(exists=True, dir_okay=False),
    help="A UTF-8 text file with the introduction (paragraphs at blank lines).",
)
@click.option(
    "--full-text",
    is_flag=True,
    help="Include the full text of the institute's own news and press releases.",
)
@click.option("--saved", metavar="NAME", help="Render this saved composition instead.")
@click.option(
    "--save-as",
    metavar="NAME",
    help="Also save the review as a composition (to edit in the web app).",
)
@click.option(
    "--archive-url",
    envvar="IKPE_ARCHIVE_URL",
    metavar="URL",
    callback=check_archive_url,
    help="Public address of the web app, for links to each item's archived version "
    "and copy (env IKPE_ARCHIVE_URL).",
)
@click.option("--format", "fmt", type=click.Choice(PRESS_REVIEW_FORMATS), required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write; '{from}' and '{to}' are replaced by the period's ends.",
)
@click.pass_obj
def press_review(data_dir: DataDir, **options) -> None:
    """Compile a press review (Pressespiegel) as PDF, DOCX or Markdown.

    Without --saved: the records of a period (--from/--to or --month), grouped by section
    (own news and press releases, press coverage, events) and sorted by date.
    """
    from archive.pressreview import PressReviewError
    from archive.search import IndexMissingError, QueryError
    from search_app.jobs.press_review import PressReviewRequest, compile_press_review, month_period

    if options["saved"]:
        given = [flag for key, flag in SELECTION_OPTIONS if options[key]]
        if given:
            raise click.UsageError(
                f"--saved renders the composition as it was saved; {', '.join(given)} "
                "cannot be combined with it."
            )
    else:
        if options["month"]:
            if options["date_from"] or options["date_to"]:
                raise click.UsageError("give either --month or --from/--to, not both.")
            options["date_from"], options["date_to"] = month_period(options["month"])
        if not (options["date_from"] and options["date_to"]):
            raise click.UsageError("give the period: --from DATE --to DATE, or --month YYYY-MM.")
        if options["date_from"][: len(options["date_to"])] > options["date_to"]:
            raise click.UsageError("--from lies after --to.")
    intro = ""
    if options["intro"]:
        try:
            intro = Path(options["intro"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise click.BadParameter(f"cannot read it as UTF-8 text: {error}",
                                     param_hint="--intro") from error  # fmt: skip
    request = PressReviewRequest(
        fmt=options["fmt"], output=options["output"], saved=options["saved"],
        date_from=options["date_from"], date_to=options["date_to"], query=options["query"],
        types=tuple(options["types"]), title=options["title"], intro=intro,
        full_text=options["full_text"], archive_url=options["archive_url"],
        save_as=options["save_as"],
    )  # fmt: skip
    try:
        with library_errors(data_dir.store_path):
            open_archive(data_dir).close()
            result = compile_press_review(data_dir, request)
    except QueryError as error:
        raise click.UsageError(str(error)) from error
    except (PressReviewError, IndexMissingError) as error:
        raise click.ClickException(str(error)) from error
    except OSError as error:
        raise click.ClickException(f"cannot write {options['output']}: {error}") from error
    sections = len(result.review.sections)
    click.echo(f"press review written to {result.path}: {result.item_count} items "
               f"in {sections} sections")  # fmt: skip
    if result.saved_as:
        click.echo(f"saved as composition {result.saved_as!r}")
    for item in result.outdated:
        click.echo(
            f"note: {item.record_id} ({item.shown_title[:60]}) is taken from version "
            f"{item.version}; the archive holds version {item.latest_version}",
            err=True,
        )


@cli.command("press-reviews")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def press_reviews(data_dir: DataDir, as_json: bool) -> None:
    """List the saved press reviews (compositions), most recently changed first."""
    from dataclasses import asdict

    with library_errors(data_dir.store_path), open_archive(data_dir) as archive:
        summaries = archive.press_reviews().list()
    if as_json:
        click.echo(json.dumps([asdict(s) for s in summaries], ensure_ascii=False, indent=2))
        return
    if not summaries:
        click.echo("no saved press reviews yet")
    for summary in summaries:
        period = f"{summary.date_from or '…'} – {summary.date_to or '…'}"
        click.echo(f"{summary.name:<32} {summary.item_count:>4} items  {period:<25} "
                   f"{summary.title[:60]}")  # fmt: skip


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ikpe-archive")


if __name__ == "__main__":
    main()
