"""The bounds of one crawl: trap shapes, requests per URL pattern, link depth, a page budget.

``CrawlBounds.decide`` is asked before every request the spider makes and answers which
rule, if any, cuts it off. The trap rules (``crawler.traps``) recognise URLs that are
never content; the limits below bound what no shape gives away. A cut by a limit means
the crawl may not have seen everything: its absences are not trusted (no removals) and
its counts are not compared (``archive.monitors``). No Scrapy here: the middleware that
applies these decisions is ``crawler.middlewares.CrawlBoundsMiddleware``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from crawler.limits import matches
from crawler.traps import TrapRules

# The names of the limits, as they appear in the crawl's counters (``ikpe/cut/<rule>``).
PER_PATTERN = "per_pattern"
DEPTH = "depth"
BUDGET = "budget"
LIMIT_RULES = (PER_PATTERN, DEPTH, BUDGET)

DIGITS = re.compile(r"\d+")


def url_pattern(url: str) -> str:
    """The shape of a URL: its path with every run of digits as ``N``, and the names of its
    query parameters (values dropped). ``/category/news/page/7/`` and ``/page/8/`` share a
    pattern; so do ``?monat=2031-05`` and ``?monat=2031-06``."""
    parts = urlsplit(url)
    path = DIGITS.sub("N", parts.path or "/")
    names = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{path}?{'&'.join(names)}" if names else path


@dataclass(frozen=True)
class CrawlLimits:
    """The limits of one crawl (defaults in ``crawler.settings``)."""

    page_budget: int = 10_000
    max_per_pattern: int = 1_000
    max_depth: int = 12
    traps: TrapRules = field(default_factory=TrapRules)
    # (glob, n): at most n requests whose path matches the glob, all together; a cut by
    # one counts as a cut per pattern (``--path-limit``, see ``crawler.limits``).
    path_limits: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Hop:
    """Where a request stands: its link depth and its URL pattern."""

    depth: int
    pattern: str


@dataclass(frozen=True)
class Decision:
    """The verdict on one request: ``cut`` names the rule that refuses it (None: go)."""

    hop: Hop
    cut: str | None = None


@dataclass
class CrawlBounds:
    """What one crawl has spent of its limits, and the rule that refuses the next request.

    Depth counts the hops between pages of different patterns: following an archive's
    next page or a calendar's next month keeps the depth of the page it came from (those
    are bounded per pattern and by the trap rules), a link to another kind of page adds
    one. The start page is at depth 0.
    """

    limits: CrawlLimits
    admitted: int = 0
    per_pattern: Counter = field(default_factory=Counter)
    per_path: Counter = field(default_factory=Counter)
    budget_spent: bool = False

    def decide(self, url: str, parent: Hop | None) -> Decision:
        """Admit or refuse a request for ``url`` found on a page at ``parent`` (None for
        a start request); an admitted request counts against the limits."""
        pattern = url_pattern(url)
        depth = 0 if parent is None else parent.depth + (pattern != parent.pattern)
        hop = Hop(depth, pattern)
        trap = self.limits.traps.trap(url)
        if trap is not None:
            return Decision(hop, trap)
        if self.admitted >= self.limits.page_budget:
            self.budget_spent = True
            return Decision(hop, BUDGET)
        if depth > self.limits.max_depth:
            return Decision(hop, DEPTH)
        if self.per_pattern[pattern] >= self.limits.max_per_pattern:
            return Decision(hop, PER_PATTERN)
        globs = [(glob, n) for glob, n in self.limits.path_limits if matches(glob, url)]
        if any(self.per_path[glob] >= n for glob, n in globs):
            return Decision(hop, PER_PATTERN)
        self.admitted += 1
        self.per_pattern[pattern] += 1
        self.per_path.update(glob for glob, _ in globs)
        return Decision(hop)
