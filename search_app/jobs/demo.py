"""The demo: serve the replica, crawl it into a data directory, index it, show a search.

The replica runs in a thread of this process; the crawl runs as a child process (Scrapy's
reactor runs once per process). Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import json
import logging
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


def run_demo(data_dir: DataDir, *, replica_port: int = 8765, keep_serving: bool = True) -> None:
    """Run the chain against the replica; then keep the replica up until interrupted."""
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
            click.echo("The replica stays up; press Ctrl-C to stop.")
            threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.shutdown()
        server.server_close()
