"""The demo: serve the replica, crawl it, index it, serve the app.

Each step runs what exists of the chain; the replica runs in a thread of this process
and stops with it.
"""

from __future__ import annotations

import logging
import threading

import click

from archive.config import DataDir

logger = logging.getLogger(__name__)


def start_replica(port: int):
    """Start the replica in a daemon thread; return (server, state)."""
    from crawler.replica.server import make_server

    server, state = make_server("127.0.0.1", port)
    threading.Thread(target=server.serve_forever, name="replica", daemon=True).start()
    return server, state


def run_demo(data_dir: DataDir, *, replica_port: int = 8765) -> None:
    """Run the demo until interrupted."""
    try:
        server, state = start_replica(replica_port)
    except OSError as error:
        raise click.ClickException(
            f"cannot start the replica on port {replica_port}: {error.strerror} (try --port 0)"
        ) from error
    click.echo(f"Replica of the IKPE site: {state.links.www}")
    click.echo(f"Data directory: {data_dir.root}")
    click.echo("Press Ctrl-C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.shutdown()
        server.server_close()
