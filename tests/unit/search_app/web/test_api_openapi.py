"""The OpenAPI document: it validates, it lists what the app serves, and the app does what
it says, checked by schemathesis (property-based, against the WSGI app in-process).

The property-based run is bounded (``MAX_EXAMPLES`` per operation, no deadline) so the
whole module takes seconds. Its checks are schemathesis' defaults (no 5xx, documented
status codes, content types, headers and bodies; invalid input refused with a 4xx) but
``positive_data_acceptance``: two rules cannot be written in OpenAPI and are answered with
a 400 although each value alone is valid, ``from`` after ``to`` and a day the month does
not have (``2023-02-30``); the table-driven tests of ``test_api.py`` check those.
"""

from __future__ import annotations

import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from search_app.web import openapi

MAX_EXAMPLES = 25


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def test_the_document_is_valid_openapi_3_1(api_schema, spec) -> None:
    assert spec["openapi"] == "3.1.0"
    api_schema.validate()  # against the OpenAPI 3.1 meta-schema; raises when invalid
    for name, schema in spec["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name


def test_every_api_route_is_documented_and_nothing_else(app, spec) -> None:
    served = {
        openapi._RULE_ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("api.", "feeds.")) and rule.endpoint != "api.openapi_document"
    }
    assert set(spec["paths"]) == served
    assert {"/api/search", "/api/records/{record_id}/versions/{number}", "/feed.atom",
            "/export.{fmt}"} <= served  # fmt: skip


def test_the_record_schema_is_the_archives_own(spec) -> None:
    from archive.schema import record_schema

    record = spec["components"]["schemas"]["Record"]
    assert set(record["properties"]) == set(record_schema()["properties"])
    assert record["properties"]["date"]["$ref"] == "#/components/schemas/Record.partial_date"
    assert "$id" not in record


def test_the_document_is_built_once_per_app(client) -> None:
    first = client.get("/api/openapi.json").get_data()
    assert client.get("/api/openapi.json").get_data() == first


# Every documented operation; a test below keeps this list equal to the document's.
OPERATIONS = [
    "/api/search",
    "/api/facets",
    "/api/stats",
    "/api/records/{record_id}",
    "/api/records/{record_id}/versions",
    "/api/records/{record_id}/versions/{number}",
    "/api/records/{record_id}/capture",
    "/feed.atom",
    "/export.{fmt}",
]
KNOWN_RECORDS = ["wp-101", "wp-104", "wp-106"]  # two versions, a capture, removed


def test_the_run_below_covers_every_operation(spec) -> None:
    assert sorted(OPERATIONS) == sorted(spec["paths"])


def _run(api_schema, path: str, mode: GenerationMode, **fixed) -> None:
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    run()


# Every operation with valid requests; with invalid ones too, except /api/stats, which
# takes no parameter and so has no invalid request to make.
GENERATED = [(path, GenerationMode.POSITIVE) for path in OPERATIONS] + [
    (path, GenerationMode.NEGATIVE) for path in OPERATIONS if path != "/api/stats"
]


@pytest.mark.parametrize(("path", "mode"), GENERATED)
def test_the_app_does_what_the_document_says(api_schema, path: str, mode) -> None:
    """Generated requests (valid ones, and invalid ones that must get a 4xx): never a 5xx,
    every answer as documented."""
    _run(api_schema, path, mode)


@pytest.mark.parametrize("record_id", KNOWN_RECORDS)
@pytest.mark.parametrize("path", [p for p in OPERATIONS if "{record_id}" in p])
def test_known_records_are_answered_as_documented(api_schema, path: str, record_id) -> None:
    """The same with records that exist, so the 200 answers are checked too."""
    _run(api_schema, path, GenerationMode.POSITIVE, path_parameters={"record_id": record_id})
