"""The OpenAPI 3.1 document of the JSON API, the feed and the exports, built from the code.

Each view says what it takes and answers with :func:`document` (the operation beside the
function it describes); the schemas and parameters they name live here, once. At run time
:func:`build_spec` walks the app's URL map: every documented view becomes a path, its URL
rule turned into an OpenAPI path template by :class:`FlaskPlugin` (apispec has no Flask
plugin of its own without the extra ``apispec-webframeworks`` package), so a route that
changes changes the document too. The record schema is the archive's own
(``schemas/record.schema.json``): OpenAPI 3.1 speaks JSON Schema 2020-12, the same dialect.

No YAML: the document is built from dicts, so the app needs no YAML parser.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from apispec import APISpec, BasePlugin
from flask import Flask

from archive.schema import record_schema
from search_app.web.openapi_components import (
    API_VERSION,
    ERROR_RESPONSES,
    EXTENSION_KEY,
    OPENAPI_VERSION,
    PARAMETERS,
    RESPONSES,
    SCHEMAS,
)

_RULE_ARGUMENT = re.compile(r"<(?:(?P<converter>[^:<>]+):)?(?P<name>[^<>]+)>")

# --------------------------------------------------------------------------------------
# Documenting views, building the document
# --------------------------------------------------------------------------------------


def document(
    *,
    summary: str,
    ok: dict,
    parameters: list[str | dict] | None = None,
    errors: tuple[str, ...] = ("400", "404", "503"),
    tags: tuple[str, ...] = ("api",),
    description: str | None = None,
) -> Callable:
    """Describe a GET view for the OpenAPI document: ``ok`` is its 200 answer, ``errors``
    the statuses of its problem answers, ``parameters`` names from :data:`PARAMETERS`
    or parameter objects."""
    operation = {
        "summary": summary,
        "tags": list(tags),
        "parameters": list(parameters or []),
        "responses": {"200": ok, **{status: ERROR_RESPONSES[status] for status in errors}},
    }
    if description:
        operation["description"] = description

    def attach(view: Callable) -> Callable:
        operation.setdefault("operationId", view.__name__)
        view.openapi_operations = {"get": operation}
        return view

    return attach


class FlaskPlugin(BasePlugin):
    """``spec.path(view=..., app=...)``: the path of a Flask view, its operations from
    :func:`document`."""

    def path_helper(self, path=None, operations=None, parameters=None, *, view=None,
                    app: Flask | None = None, **kwargs):  # fmt: skip
        """The view's URL rule as an OpenAPI path template; fills ``operations``."""
        rule = next(
            rule
            for rule in app.url_map.iter_rules()
            if app.view_functions.get(rule.endpoint) is view
        )
        operations.update(copy.deepcopy(view.openapi_operations))
        return _RULE_ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule.rule)


def _record_components() -> dict[str, dict]:
    """The record schema as components: ``Record`` and one ``Record.<def>`` per ``$defs``
    entry, local references pointed at them."""
    source = copy.deepcopy(record_schema())
    definitions = source.pop("$defs", {})
    for key in ("$schema", "$id"):  # an $id would move the base of every reference
        source.pop(key, None)

    def repoint(node):
        if isinstance(node, dict):
            return {
                key: (
                    "#/components/schemas/Record." + value.removeprefix("#/$defs/")
                    if key == "$ref" and isinstance(value, str)
                    else repoint(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [repoint(value) for value in node]
        return node

    components = {"Record": repoint(source)}
    for name, definition in definitions.items():
        components[f"Record.{name}"] = repoint(definition)
    return components


def build_spec(app: Flask) -> dict:
    """The OpenAPI document of every documented view of ``app``."""
    spec = APISpec(
        title="IKPE-Archiv API",
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[FlaskPlugin()],
        info={
            "description": "Search, read and cite the archive of the IKPE Erfurt's website. "
            "Errors are RFC 9457 problem details (application/problem+json)."
        },
        tags=[
            {"name": "api", "description": "JSON API"},
            {"name": "feeds", "description": "Atom feed and export downloads"},
        ],
    )
    for name, schema in {**_record_components(), **SCHEMAS}.items():
        spec.components.schema(name, schema)
    for name, parameter in PARAMETERS.items():
        parameter = dict(parameter)
        spec.components.parameter(name, parameter.pop("in"), parameter)
    for name, response in RESPONSES.items():
        spec.components.response(name, response)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        if hasattr(view, "openapi_operations"):
            spec.path(view=view, app=app)
    return spec.to_dict()


def cached_spec(app: Flask) -> dict:
    """The app's document, built once (the URL map does not change while it runs)."""
    if EXTENSION_KEY not in app.extensions:
        app.extensions[EXTENSION_KEY] = build_spec(app)
    return app.extensions[EXTENSION_KEY]
