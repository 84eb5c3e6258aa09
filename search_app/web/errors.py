"""One error format per audience: RFC 9457 problem+json under ``/api/``, a German HTML
page everywhere else. Never a traceback, never a 500 for a user's mistake."""

from __future__ import annotations

import json

from flask import Response

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, **extra) -> Response:
    """An RFC 9457 problem response (``type`` is ``about:blank``: the status says it)."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE
    )
