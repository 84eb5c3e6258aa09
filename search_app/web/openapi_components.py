"""What the OpenAPI document is made of: schemas, parameters and responses, once.

The views name these when they describe themselves (``openapi.document``); the builder in
:mod:`search_app.web.openapi` puts them into the document. Kept apart from the builder
because they are data: long, and read more often than changed.
"""

from __future__ import annotations

from archive.schema import RECORD_TYPES
from search_app.web import params

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
EXTENSION_KEY = "ikpe_openapi"
PROBLEM_MEDIA_TYPE = "application/problem+json"
RECORD_ID_PATTERN = r"^(wp-[0-9]+|pub-[0-9a-f]{16}|url-[0-9a-f]{16})$"
EXPORT_MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv",
    "bibtex": "application/x-bibtex",
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csljson": "application/vnd.citationstyles.csl+json",
}

# --------------------------------------------------------------------------------------
# Schemas (JSON Schema 2020-12)
# --------------------------------------------------------------------------------------

LINK = {"type": "string", "format": "uri-reference"}
OPTIONAL_LINK = {"type": ["string", "null"], "format": "uri-reference"}
FACET_VALUES = {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}

SCHEMAS: dict[str, dict] = {
    "Problem": {
        "description": "An error, as RFC 9457 problem details.",
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "German, then English."},
            "invalid-params": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["name", "reason"],
                    "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
                },
            },
        },
    },
    "Hit": {
        "type": "object",
        "required": ["id", "url", "type", "date", "title", "score", "snippet", "links"],
        "properties": {
            "id": {"type": "string", "pattern": RECORD_ID_PATTERN},
            "url": {"type": "string", "description": "The record on the IKPE's site."},
            "type": {"enum": list(RECORD_TYPES)},
            "date": {"type": "string"},
            "title": {"type": "string"},
            "score": {"type": ["number", "null"], "description": "null when sorted by date"},
            "snippet": {
                "type": "string",
                "description": "HTML: the text escaped, the matched words in <mark>.",
            },
            "links": {
                "type": "object",
                "required": ["self", "html"],
                "properties": {"self": LINK, "html": LINK},
            },
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count"],
        "properties": {"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}},
    },
    "Facets": {
        "description": "Counts per value of each facet, over every match.",
        "type": "object",
        "properties": {facet: FACET_VALUES for facet in params.FACETS},
        "additionalProperties": FACET_VALUES,
    },
    "SearchResult": {
        "type": "object",
        "required": [
            "query",
            "total",
            "page",
            "per_page",
            "pages",
            "suggestion",
            "understood_dates",
            "hits",
            "facets",
            "links",
        ],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "suggestion": {"type": ["string", "null"], "description": "Did you mean ..."},
            "understood_dates": {
                "type": "array",
                "description": "Years and months the query named, taken as a preference "
                "(records dated then rank first); `date` can be given as `from` and `to`.",
                "items": {
                    "type": "object",
                    "required": ["text", "date"],
                    "properties": {"text": {"type": "string"}, "date": {"type": "string"}},
                },
            },
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {"$ref": "#/components/schemas/Facets"},
            "links": {
                "type": "object",
                "required": ["self", "first", "last", "next", "prev"],
                "properties": {
                    "self": LINK,
                    "first": LINK,
                    "last": LINK,
                    "next": OPTIONAL_LINK,
                    "prev": OPTIONAL_LINK,
                },
            },
        },
    },
    "FacetResult": {
        "type": "object",
        "required": ["query", "total", "facets"],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "facets": {"$ref": "#/components/schemas/Facets"},
        },
    },
    "RecordStatus": {
        "type": "object",
        "required": ["first_seen", "last_seen", "removed_at", "removed", "version"],
        "properties": {
            "first_seen": {"type": "string"},
            "last_seen": {"type": "string"},
            "removed_at": {"type": ["string", "null"]},
            "removed": {"type": "boolean", "description": "No longer on the site."},
            "version": {"type": "integer", "minimum": 1},
        },
    },
    "RecordLinks": {
        "type": "object",
        "required": ["self", "html", "versions", "capture"],
        "properties": {"self": LINK, "html": LINK, "versions": LINK, "capture": LINK},
    },
    "RecordAnswer": {
        "type": "object",
        "required": ["id", "record", "status", "links"],
        "properties": {
            "id": {"type": "string"},
            "record": {"$ref": "#/components/schemas/Record"},
            "status": {"$ref": "#/components/schemas/RecordStatus"},
            "links": {"$ref": "#/components/schemas/RecordLinks"},
        },
    },
    "VersionSummary": {
        "type": "object",
        "required": ["number", "changed_at", "crawl_id", "links"],
        "properties": {
            "number": {"type": "integer", "minimum": 1},
            "changed_at": {"type": "string"},
            "crawl_id": {"type": "string"},
            "links": {
                "type": "object",
                "required": ["self", "html"],
                "properties": {"self": LINK, "html": LINK},
            },
        },
    },
    "Versions": {
        "type": "object",
        "required": ["id", "versions"],
        "properties": {
            "id": {"type": "string"},
            "versions": {
                "description": "Oldest first.",
                "type": "array",
                "items": {"$ref": "#/components/schemas/VersionSummary"},
            },
        },
    },
    "Version": {
        "type": "object",
        "required": ["id", "number", "changed_at", "crawl_id", "record", "links"],
        "properties": {
            "id": {"type": "string"},
            "number": {"type": "integer", "minimum": 1},
            "changed_at": {"type": "string"},
            "crawl_id": {"type": "string"},
            "record": {"$ref": "#/components/schemas/Record"},
            "links": {
                "type": "object",
                "required": ["self", "html", "record"],
                "properties": {"self": LINK, "html": LINK, "record": LINK},
            },
        },
    },
    "Capture": {
        "description": "The raw response a record was built from, as archived (WARC).",
        "type": "object",
        "required": [
            "id",
            "url",
            "status",
            "content_type",
            "fetched_at",
            "length",
            "sha256",
            "links",
        ],
        "properties": {
            "id": {"type": "string"},
            "url": {"type": "string"},
            "status": {"type": "integer"},
            "content_type": {"type": "string"},
            "fetched_at": {"type": ["string", "null"]},
            "length": {"type": "integer", "minimum": 0},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "links": {
                "type": "object",
                "required": ["raw", "record"],
                "properties": {
                    "raw": {**LINK, "description": "The capture itself, sandboxed."},
                    "record": LINK,
                },
            },
        },
    },
    "Stats": {
        "type": "object",
        "required": ["records", "by_type", "by_year", "by_status", "versions"],
        "properties": {
            "records": {"type": "integer", "minimum": 0},
            "by_type": {"type": "object", "additionalProperties": {"type": "integer"}},
            "by_year": {"type": "object", "additionalProperties": {"type": "integer"}},
            "by_status": {
                "type": "object",
                "required": ["present", "removed"],
                "properties": {
                    "present": {"type": "integer", "minimum": 0},
                    "removed": {"type": "integer", "minimum": 0},
                },
            },
            "versions": {"type": "integer", "minimum": 0},
        },
    },
}

# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------


def _repeatable(items: dict, description: str) -> dict:
    return {
        "in": "query",
        "description": description + " Repeatable: several values are ORed.",
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": items, "maxItems": params.MAX_VALUES},
    }


# Text a filter value may hold: no control characters (they are refused with a 400).
_FILTER_TEXT = {
    "description": "Empty: not given.",
    "type": "string",
    "maxLength": params.MAX_VALUE_LENGTH,
    "pattern": r"^[^\x00-\x08\x0b-\x1f\x7f]*$",
}
_PARTIAL_DATE = {
    "description": "YYYY, YYYY-MM or YYYY-MM-DD, a date of the calendar; a partial date "
    "counts by its range. Empty: not given.",
    "type": "string",
    "pattern": r"^([1-9][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)?$",
}
PARAMETERS: dict[str, dict] = {
    "q": {
        "in": "query",
        "description": 'The query (words ANDed, OR, -exclusion, "phrases", prefix*, '
        "title:, person:, place:, type:, year:). Empty: every record.",
        "schema": {"type": "string", "maxLength": params.MAX_QUERY_LENGTH},
    },
    "type": _repeatable({"enum": list(RECORD_TYPES)}, "Record type."),
    "year": _repeatable(
        {"type": "integer", "minimum": params.YEAR_RANGE[0], "maximum": params.YEAR_RANGE[1]},
        "Year of the record's date.",
    ),
    "place": _repeatable(_FILTER_TEXT, "A place, as the place facet lists it."),
    "person": _repeatable(_FILTER_TEXT, "A person, as the person facet lists it."),
    "category": _repeatable(_FILTER_TEXT, "A WordPress category."),
    "from": {"in": "query", "description": "Earliest date.", "schema": _PARTIAL_DATE},
    "to": {
        "in": "query",
        "description": "Latest date (not before 'from', else a 400).",
        "schema": _PARTIAL_DATE,
    },
    "sort": {
        "in": "query",
        "description": "relevance (an empty query: newest first), date (oldest first), -date.",
        "schema": {"enum": list(params.SORTS), "default": "relevance"},
    },
    "page": {
        "in": "query",
        "description": "Page, from 1; a page beyond the last is a 404.",
        "schema": {"type": "integer", "minimum": 1, "maximum": params.MAX_PAGE, "default": 1},
    },
    "per_page": {
        "in": "query",
        "description": "Hits per page.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": params.MAX_PER_PAGE,
            "default": params.DEFAULT_PER_PAGE,
        },
    },
    "record_id": {
        "in": "path",
        "description": "A record's stable id.",
        "schema": {"type": "string", "pattern": RECORD_ID_PATTERN},
    },
    "number": {
        "in": "path",
        "description": "A version's number, from 1.",
        "schema": {"type": "integer", "minimum": 1},
    },
}
SEARCH_PARAMETERS = ["q", "type", "year", "place", "person", "category", "from", "to",
                     "sort", "page", "per_page"]  # fmt: skip

# --------------------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------------------

_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": "Problem"}}
RESPONSES: dict[str, dict] = {
    "BadRequest": {"description": "A parameter makes no sense.", "content": _PROBLEM_CONTENT},
    "NotFound": {"description": "No such record, version or page.", "content": _PROBLEM_CONTENT},
    "Unavailable": {
        "description": "Nothing harvested or indexed yet, or the archive cannot be read.",
        "content": _PROBLEM_CONTENT,
    },
}
ERROR_RESPONSES = {"400": "BadRequest", "404": "NotFound", "503": "Unavailable"}


def json_response(schema: str, description: str) -> dict:
    """A 200 answer with a JSON body of the named schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}
