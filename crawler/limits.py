"""Where a crawl's limits come from: the defaults, ``<data-dir>/crawl.toml``, the
``IKPE_CRAWL_*`` environment variables and the command line's options, each over the one
before. Every value is checked here, once, with a message of one line that names where
the bad value came from; ``crawler.bounds`` applies the result. Pure: no Scrapy, so the
command line checks its options before a crawl starts.

``crawl.toml``::

    [limits]
    max_pages = 20000            # the page budget: requests per crawl
    max_depth = 12               # hops between kinds of page
    max_per_pattern = 1000       # requests per URL shape (digits aside)
    max_page_number = 1000       # /page/N/ and ?paged=N beyond this are traps
    first_year = 2000            # dates in URLs outside these years are traps
    years_ahead = 2

    [limits.path]                # at most N requests whose path matches the glob
    "/veranstaltungen/*" = 240
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlsplit

CONFIG_NAME = "crawl.toml"
PATH_LIMITS_SETTING = "IKPE_CRAWL_PATH_LIMITS"  # env: "GLOB=N GLOB=N", whitespace-separated


@dataclass(frozen=True)
class Limit:
    """One limit: its name (in ``crawl.toml`` and as an option, ``max_pages`` is
    ``--max-pages``), its environment variable and Scrapy setting, default and least value."""

    name: str
    setting: str
    default: int
    minimum: int
    help: str
    option: bool = True  # offered as a command-line option

    @property
    def flag(self) -> str:
        """The command-line option."""
        return "--" + self.name.replace("_", "-")


LIMITS = (
    Limit("max_pages", "IKPE_CRAWL_PAGE_BUDGET", 10_000, 1,
          "The page budget: requests per crawl (attachments count, robots.txt does not)."),
    Limit("max_depth", "IKPE_CRAWL_MAX_DEPTH", 12, 0,
          "Link depth: hops between different kinds of page from the start page."),
    Limit("max_per_pattern", "IKPE_CRAWL_MAX_PER_PATTERN", 1_000, 1,
          "Requests per URL shape (its path with digits as N, its query's names)."),
    Limit("max_page_number", "IKPE_CRAWL_MAX_PAGE_NUMBER", 1_000, 1,
          "Page numbers (/page/N/, ?paged=N) beyond this are traps.", option=False),
    Limit("first_year", "IKPE_CRAWL_FIRST_YEAR", 2000, 1,
          "Dates in URLs before this year are traps.", option=False),
    Limit("years_ahead", "IKPE_CRAWL_YEARS_AHEAD", 2, 0,
          "Dates in URLs more than this many years ahead are traps.", option=False),
)  # fmt: skip
BY_NAME = {limit.name: limit for limit in LIMITS}


class LimitError(ValueError):
    """A bad limit; the message (one line) names where it came from."""


@dataclass(frozen=True)
class CrawlLimitValues:
    """The limits of one crawl: a value per ``Limit`` name, and the path limits."""

    values: Mapping[str, int]
    path_limits: tuple[tuple[str, int], ...] = ()

    def settings(self) -> dict[str, object]:
        """As Scrapy settings (what ``crawler.middlewares.crawl_limits`` reads)."""
        found: dict[str, object] = {BY_NAME[n].setting: v for n, v in self.values.items()}
        found[PATH_LIMITS_SETTING] = [list(pair) for pair in self.path_limits]
        return found


def whole_number(text: object, limit: Limit, where: str) -> int:
    """``text`` as an integer of at least the limit's least value, or a ``LimitError``."""
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise LimitError(f"{where}: {text!r} is not a whole number")
    value = text.strip() if isinstance(text, str) else text
    if isinstance(value, str) and not (value.isascii() and value.lstrip("-").isdigit()):
        raise LimitError(f"{where}: {text!r} is not a whole number")
    number = int(value)
    if number < limit.minimum:
        raise LimitError(f"{where}: {number} is less than {limit.minimum}")
    return number


def path_limit(text: str, where: str) -> tuple[str, int]:
    """``GLOB=N`` as ``(glob, n)``: the glob a path starts with ``/``; N at least 1."""
    glob, equals, count = str(text).rpartition("=")
    if not equals or not glob.startswith("/"):
        raise LimitError(f"{where}: {text!r} is not GLOB=N with a glob like /veranstaltungen/*")
    return glob, whole_number(count, Limit("path", "", 0, 1, ""), f"{where}: {text!r}")


def matches(glob: str, url: str) -> bool:
    """True when ``url``'s path (with its query, if any) matches ``glob`` (``*`` is any
    text, ``/`` included)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return fnmatchcase(target, glob)


def from_file(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """The limits and path limits of a ``crawl.toml`` (none if it does not exist)."""
    if not path.exists():
        return {}, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LimitError(f"{path}: cannot be read as TOML ({error})") from error
    unknown = sorted(set(data) - {"limits"})
    table = data.get("limits", {})
    if unknown or not isinstance(table, dict):
        raise LimitError(f"{path}: only a [limits] table is known, not {unknown or 'limits'}")
    values, paths = {}, {}
    for key, value in table.items():
        if key == "path" and isinstance(value, dict):
            for glob, count in value.items():
                paths.update([path_limit(f"{glob}={count}", f"{path}: [limits.path] {glob!r}")])
        elif key in BY_NAME:
            values[key] = whole_number(value, BY_NAME[key], f"{path}: limits.{key}")
        else:
            raise LimitError(f"{path}: unknown limit {key!r} (known: {', '.join(BY_NAME)}, path)")
    return values, paths


def from_environment(environ: Mapping[str, str]) -> tuple[dict[str, int], dict[str, int]]:
    """The limits the ``IKPE_CRAWL_*`` variables set (an empty one sets nothing)."""
    values = {
        limit.name: whole_number(environ[limit.setting], limit, limit.setting)
        for limit in LIMITS
        if environ.get(limit.setting, "").strip()
    }
    paths = dict(
        path_limit(item, PATH_LIMITS_SETTING)
        for item in environ.get(PATH_LIMITS_SETTING, "").split()
    )
    return values, paths


def from_options(
    options: Mapping[str, object], path_limits: Iterable[str] = ()
) -> tuple[dict[str, int], dict[str, int]]:
    """The limits given as command-line options (None: not given)."""
    values = {
        name: whole_number(value, BY_NAME[name], BY_NAME[name].flag)
        for name, value in options.items()
        if value is not None
    }
    paths = dict(path_limit(item, "--path-limit") for item in path_limits)
    return values, paths


def resolve(
    data_dir: Path | None,
    environ: Mapping[str, str],
    options: Mapping[str, object] | None = None,
    path_limits: Iterable[str] = (),
) -> CrawlLimitValues:
    """The limits of a crawl into ``data_dir``: defaults, then its ``crawl.toml``, then
    the environment, then the options; a path limit given twice takes the later N."""
    values = {limit.name: limit.default for limit in LIMITS}
    paths: dict[str, int] = {}
    layers = [from_file(data_dir / CONFIG_NAME)] if data_dir is not None else []
    layers += [from_environment(environ), from_options(options or {}, path_limits)]
    for layer_values, layer_paths in layers:
        values.update(layer_values)
        paths.update(layer_paths)
    return CrawlLimitValues(values, tuple(paths.items()))


def as_environment(limits: CrawlLimitValues) -> dict[str, str]:
    """The limits spelled as their environment variables."""
    found = {BY_NAME[name].setting: str(value) for name, value in limits.values.items()}
    found[PATH_LIMITS_SETTING] = " ".join(f"{glob}={count}" for glob, count in limits.path_limits)
    return found
