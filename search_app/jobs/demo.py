"""The demo: serve the replica, crawl it into a data directory, index it, show a search,
then serve the web app on the result.

The replica runs in a thread of this process (and stays up, so the records' source links
work); the crawl runs as a child process (Scrapy's reactor runs once per process), and so
does the web app (``ikpe-archive serve``: gunicorn forks its workers, which a process with
a server thread should not do). Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading

import click

from archive.config import DataDir

logger = logging.getLogger(__name__)
DEMO_QUERIES = ("Präventionsketten", "Struening", "Armut", "person:Huber type:press_release")


def start_replica(port: int):
    """Start the replica in a daemon thread; return (server, state)."""
    from replica.server import make_server

    server, state = make_server("127.0.0.1", port)
    threading.Thread(target=server.serve_forever, name="replica", daemon=True).start()
    return server, state


def _cli(data_dir: DataDir, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search_app.cli", "--data-dir", str(data_dir.root), *args],
        capture_output=capture, text=True, check=False,
    )  # fmt: skip


def start_app(data_dir: DataDir, port: int) -> tuple[subprocess.Popen, str]:
    """Start ``ikpe-archive serve`` on ``port`` (a free port if that one is taken); return
    the process and the app's URL."""
    from search_app.web.server import bind

    try:
        bind("127.0.0.1", port).sock.close()  # taken? then let the server pick a free port
    except OSError:
        click.echo(f"   port {port} is taken; the app takes a free one")
        port = 0
    process = subprocess.Popen(
        [sys.executable, "-m", "search_app.cli", "--data-dir", str(data_dir.root),
         "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = (process.stdout.readline() or "").strip()
    if not url.startswith("http://"):
        process.wait(timeout=10)
        raise click.ClickException("the web app did not start (see the log above)")
    return process, url


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def stop_app(process: subprocess.Popen) -> None:
    """Stop the web app (gunicorn stops its workers on SIGTERM)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_demo(
    data_dir: DataDir,
    *,
    replica_port: int = 8765,
    app_port: int = 8000,
    keep_serving: bool = True,
) -> None:
    """Run the chain against the replica, then serve the web app on the result until
    interrupted (the replica stays up beside it)."""
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (a service manager, a test) stops the demo like Ctrl-C: the web app and
        # the replica are stopped on the way out rather than left behind.
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        server, state = start_replica(replica_port)
    except OSError as error:
        raise click.ClickException(
            f"cannot start the replica on port {replica_port}: {error.strerror} (try --port 0)"
        ) from error
    try:
        click.echo(f"1. Replica of the IKPE site: {state.links.www}")
        click.echo(f"2. Nightly run (crawl, store, index, report) into {data_dir.root} ...")
        result = _cli(data_dir, "nightly", "--start-url", state.links.www, "--no-throttle")
        if result.returncode not in (0, 3):
            raise click.ClickException("the demo's nightly run failed (see the log above)")
        click.echo("3. Searches:")
        for query in DEMO_QUERIES:
            found = _cli(data_dir, "search", query, "--json", "--limit", "3", capture=True)
            if found.returncode != 0:
                click.echo(f"   {query!r}: search failed: {found.stderr.strip()[-200:]}")
                continue
            answer = json.loads(found.stdout)
            click.echo(f"   {query!r}: {answer['total']} hits")
            for hit in answer["hits"]:
                click.echo(f"     {hit['date']}  {hit['type']:<14} {hit['title'][:60]}")
        click.echo(
            f"Try: ikpe-archive --data-dir {data_dir.root} search 'Sozialplanung' "
            "or ... export --format bibtex"
        )
        if keep_serving:
            app, url = start_app(data_dir, app_port)
            try:
                click.echo(f"4. The web app: {url}")
                click.echo(f"   a search: {url}suche?q=Pr%C3%A4ventionsketten")
                click.echo("The app and the replica stay up; press Ctrl-C to stop.")
                sys.stdout.flush()
                app.wait()
            finally:
                stop_app(app)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.shutdown()
        server.server_close()
