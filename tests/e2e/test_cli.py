"""The command line frame: every command, its help, exit codes and clear messages."""

from __future__ import annotations

import pytest

from tests.helpers import run_cli

COMMANDS = [
    "similar",
    "replica",
    "crawl",
    "index",
    "search",
    "export",
    "serve",
    "nightly",
    "demo",
    "stats",
    "reextract",
    "press-review",
    "press-reviews",
]


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"  {command} " in result.stdout, command


@pytest.mark.parametrize("command", [*COMMANDS, "replica serve"])
def test_each_command_has_help(command: str) -> None:
    result = run_cli(*command.split(), "--help")
    assert result.returncode == 0 and "Usage:" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["crawl", "--start-url", "ftp://example.org/"], "not an http(s) URL"),
        (["crawl", "--no-throttle", "--start-url", "https://www.ikpe-erfurt.de/"], "refused"),
        (["nightly", "--no-throttle", "--start-url", "https://www.ikpe-erfurt.de/"], "refused"),
        (["search"], "Missing argument"),
        (["export", "--format", "docx"], "Invalid value"),
        (["no-such-command"], "No such command"),
        (["replica", "serve", "--host", "0.0.0.0"], "127.0.0.1 or localhost only"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_replica_serve_reports_a_busy_port_in_one_line() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("replica", "serve", "--port", str(port))
    assert result.returncode == 1
    assert "cannot listen" in result.stderr and "Traceback" not in result.stderr


def test_replica_serve_prints_its_base_url_first(replica_server) -> None:
    assert replica_server.url.startswith("http://127.0.0.1:") and replica_server.url.endswith("/")
