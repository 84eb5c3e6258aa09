"""Every route of the web app fuzzed (hypothesis) over the hostile archive: no 5xx, errors
in the right format, strict JSON and XML, valid UTF-8, nothing unescaped, redirects that
stay on the site, forms refused without the session's token and left unchanged.

The routes are read from the app's ``url_map`` when the tests are collected, so a new
route is fuzzed without a word here; ``tests/faults/fault_fuzz.py`` says how requests are
drawn and what every answer must be.
"""

from __future__ import annotations

import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search_app.web.app import create_app
from tests.faults.fault_fuzz import (
    FuzzRequest,
    FuzzTarget,
    pairs_strategy,
    request_strategy,
    routes,
)
from tests.faults.fault_fuzz import check as fuzz_check

pytestmark = pytest.mark.e2e  # the hostile archive is crawled by the CLI

EXAMPLES_PER_ROUTE = 12
SEARCH_EXAMPLES = 60
FUZZ_SETTINGS = dict(
    deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=True
)


def _served_routes() -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as empty:
        app = create_app({"TESTING": True, "DATA_DIR": empty})
        try:
            return [(rule.rule, rule.endpoint, method) for rule, method in routes(app)]
        finally:
            app.extensions["ikpe_archive"].close()


ROUTES = _served_routes()


def check(target: FuzzTarget, fuzz: FuzzRequest) -> None:
    """Fail on anything wrong with the answer to ``fuzz``."""
    response, found = fuzz_check(target, fuzz)
    assert not found, (fuzz, response.status_code, found, response.get_data()[:500])


def test_the_fuzzed_routes_are_the_apps(fuzz_target: FuzzTarget) -> None:
    served = [(r.rule, r.endpoint, m) for r, m in routes(fuzz_target.app)]
    assert served == ROUTES
    assert {"api.search", "search.index", "pressreview.create", "records.raw_copy"} <= {
        endpoint for _, endpoint, _ in ROUTES
    }


@pytest.mark.parametrize("rule_text, endpoint, method", ROUTES,
                         ids=[f"{m} {r}" for r, _, m in ROUTES])  # fmt: skip
def test_a_route_answers_fuzzed_requests_soundly(
    fuzz_target: FuzzTarget, rule_text: str, endpoint: str, method: str
) -> None:
    (rule,) = [r for r in fuzz_target.app.url_map.iter_rules()
               if r.rule == rule_text and r.endpoint == endpoint]  # fmt: skip

    @settings(max_examples=EXAMPLES_PER_ROUTE, **FUZZ_SETTINGS)
    @given(fuzz=request_strategy(rule, method, fuzz_target))
    def run(fuzz: FuzzRequest) -> None:
        check(fuzz_target, fuzz)

    run()


# The search: the page, the API, the feed and an export take the same parameters.
SEARCH_PATHS = ["/suche", "/api/search", "/api/facets", "/feed.atom", "/export.csv"]


@pytest.mark.parametrize("path", SEARCH_PATHS)
def test_fuzzed_searches_are_answered_soundly(fuzz_target: FuzzTarget, path: str) -> None:
    @settings(max_examples=SEARCH_EXAMPLES, **FUZZ_SETTINGS)
    @given(query=pairs_strategy(fuzz_target, max_size=10), accept=st.sampled_from(["*/*", ""]))
    def run(query: str, accept: str) -> None:
        check(fuzz_target, FuzzRequest("GET", path, query, "", accept, False, False))

    run()
