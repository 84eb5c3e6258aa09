"""Requests for every route of the web app, drawn by hypothesis, and what every answer must be.

The routes come from the app's own ``url_map``, so a new route is fuzzed without a word
here: each path argument is drawn from its converter's pattern (``st.from_regex``), from
the ids the archive really holds and from hostile text (lone surrogates, controls, bidi
overrides, huge numbers, script payloads); query parameters and form fields are named
from the app's templates, the OpenAPI document and the search parameters, plus names
nobody asked for, and take odd dates, huge numbers and any Unicode. Forms of the
Pressespiegel are sent with the session's CSRF token and without.

:func:`problems` says what is wrong with an answer (empty when it is sound): no 5xx; an
error is problem+json under ``/api/`` and for the feeds, JSON for the Pressespiegel's
script, a German HTML page elsewhere; JSON and Atom parse strictly; text is valid UTF-8;
no HTML page holds a script or an event handler of its own making but the app's static
scripts (the raw capture, served sandboxed, excepted); a redirect stays on the site; a
form without the token is refused (400) and changes nothing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.etree
import lxml.html
from flask import Flask, request
from hypothesis import strategies as st
from werkzeug.routing import PathConverter, Rule

from tests.faults.fault_data import MARKUP_PAYLOADS, HostileArchive, ensure_review

CSRF_TOKEN = "fault-suite-token"
PROBLEM = "application/problem+json"
# Endpoints that serve captured pages as they were fetched: hostile on purpose, and
# sandboxed by their Content-Security-Policy instead of escaped.
RAW_ENDPOINTS = ("records.raw_copy", "records.raw_version_copy")
SEARCH_PARAMS = ("q", "type", "year", "place", "person", "category", "from", "to", "sort",
                 "page", "per_page", "id", "all", "a", "b", "item", "section", "position",
                 "csrf_token", "next", "at_hit", "review", "record_id")  # fmt: skip
EXTRA_METHODS = ("PUT", "DELETE", "PATCH")
_TEMPLATE_NAMES = re.compile(r'name="([a-z_]+)"')
_ARGUMENT = re.compile(r"<(?:[^>:]+:)?([A-Za-z_][A-Za-z0-9_]*)>")

ANY_CHAR = st.characters(exclude_categories=())  # surrogates and controls included
UNICODE = st.text(ANY_CHAR, max_size=40)
HUGE_NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([2**31, 2**63, 2**64, 10**20, -1, 0]),
).map(str)
ODD_DATES = st.one_of(
    st.sampled_from(["2023-02-30", "2023-13", "2023-00", "0000", "0999", "99999", "2023-1-1",
                     "-2023", "２０２３", "2024-02-29", "2023-02-29", "1970-01-01T00:00",
                     "2023/01/01", " 2023", "9999-12-31", "1000", "٢٠٢٣", "2023-12-32"]),
    st.from_regex(r"-?[0-9]{1,6}(-[0-9]{1,3}){0,2}", fullmatch=True),
)  # fmt: skip
PAYLOADS = st.sampled_from([
    "<script>alert(77)</script>", "\"'><img src=x onerror=alert(78)>", "javascript:alert(79)",
    "//evil.example/", "/\\evil.example", "https://evil.example/", "\ud800", "\udcff",
    "\u202eevil\u202c", "\x1b[31m", "\x00", "Armut", "Teil*", "news", "event", "-date",
    "relevance", "1", "x" * 5000, "ä" * 1100, "%", "%ff", "..", "../../etc/passwd",
])  # fmt: skip
VALUE = st.one_of(UNICODE, HUGE_NUMBERS, ODD_DATES, PAYLOADS)


def encoded(value: str, safe: str = "") -> str:
    """``value`` percent-encoded as UTF-8, a lone surrogate as the bytes it would be."""
    return quote(value.encode("utf-8", "surrogatepass"), safe=safe)


@dataclass
class FuzzTarget:
    """The app under fuzzing, the archive's real ids, and the names to draw from."""

    app: Flask
    archive: HostileArchive
    param_names: tuple[str, ...]
    last: dict = field(default_factory=dict)  # what the app said of the last request

    @property
    def known(self) -> dict[str, list[str]]:
        """Real values per path argument name: they lead past the 404s."""
        archive = self.archive
        return {
            "record_id": list(archive.record_ids),
            "name": [archive.review],
            "item_id": [str(n) for n in archive.item_ids],
            "section_id": [str(n) for n in archive.section_ids],
            "sha256": list(archive.attachment_sha256) or ["0" * 64],
            "number": ["1", "2", "3"],
            "fmt": ["csv", "jsonl", "bibtex", "ris", "csljson", "pdf", "docx", "md", "json"],
            "filename": ["app.css", "app.js", "pressreview.js", "CHECKSUMS.sha256"],
        }


def make_target(app: Flask, archive: HostileArchive) -> FuzzTarget:
    """Instrument ``app`` (an after-request hook notes the endpoint and what an error's
    type must be) and collect the parameter names of its forms and API."""
    target = FuzzTarget(app, archive, ())

    @app.after_request
    def _note(response):
        target.last.clear()
        target.last.update(
            endpoint=request.endpoint or "",
            blueprint=request.blueprint or "",
            error_type=_expected_error_type(),
        )
        return response

    target.param_names = _param_names(app)  # after the hook: it asks the app
    return target


def _expected_error_type() -> str:
    if request.path == "/api" or request.path.startswith("/api/") or request.blueprint == "feeds":
        return PROBLEM
    if request.blueprint == "pressreview":
        best = request.accept_mimetypes.best_match(["text/html", "application/json"])
        if best == "application/json":
            return "application/json"
    return "text/html"


def _param_names(app: Flask) -> tuple[str, ...]:
    names = set(SEARCH_PARAMS)
    for template in Path(app.root_path, "templates").glob("*.html"):
        names.update(_TEMPLATE_NAMES.findall(template.read_text()))
    client = app.test_client()
    spec = client.get("/api/openapi.json").get_json() or {}
    for operation in (spec.get("paths") or {}).values():
        for method in operation.values():
            for parameter in method.get("parameters", []) if isinstance(method, dict) else []:
                if parameter.get("in") == "query":
                    names.add(parameter["name"])
    return tuple(sorted(names - {"robots", "viewport"}))


def routes(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) the app serves (HEAD and OPTIONS are Werkzeug's)."""
    return [
        (rule, method)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


def path_strategy(rule: Rule, target: FuzzTarget) -> st.SearchStrategy[str]:
    """A path for ``rule``: each argument real, of its converter's shape, or hostile."""
    parts = {}
    for name, converter in rule._converters.items():
        options = [st.sampled_from(target.known[name])] if name in target.known else []
        regex = getattr(converter, "regex", None)
        if regex and regex != "[^/]+" and not isinstance(converter, PathConverter):
            options.append(st.from_regex(regex, fullmatch=True))
        options += [UNICODE, HUGE_NUMBERS, PAYLOADS]
        safe = "/" if isinstance(converter, PathConverter) else ""
        parts[name] = st.one_of(*options).map(lambda value, safe=safe: encoded(value, safe))
    if not parts:
        return st.just(rule.rule)
    return st.fixed_dictionaries(parts).map(
        lambda values: _ARGUMENT.sub(lambda m: values[m[1]] or "-", rule.rule)
    )


def pairs_strategy(target: FuzzTarget, max_size: int = 6) -> st.SearchStrategy[str]:
    """A query string or form body: known and unknown names, hostile values."""
    name = st.one_of(st.sampled_from(target.param_names), UNICODE)
    pair = st.tuples(name, VALUE).map(lambda p: f"{encoded(p[0])}={encoded(p[1])}")
    return st.lists(pair, max_size=max_size).map("&".join)


@dataclass(frozen=True)
class FuzzRequest:
    """One request: method, path, query, form body, headers, and whether it holds the
    session's CSRF token."""

    method: str
    path: str
    query: str
    body: str
    accept: str
    cross_site: bool
    with_token: bool

    @property
    def url(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


def request_strategy(rule: Rule, method: str, target: FuzzTarget) -> st.SearchStrategy:
    """Requests for ``rule`` with ``method`` (now and then a method it does not allow)."""
    return st.builds(
        FuzzRequest,
        method=st.one_of(st.just(method), st.just(method), st.sampled_from(EXTRA_METHODS)),
        path=path_strategy(rule, target),
        query=pairs_strategy(target),
        body=pairs_strategy(target) if method == "POST" else st.just(""),
        accept=st.sampled_from(["text/html", "application/json", "*/*", "", PROBLEM,
                                "text/html;q=0.1, application/json", "\x00garbage"]),
        cross_site=st.sampled_from([False, False, False, True]),
        with_token=st.booleans(),
    )  # fmt: skip


def send(target: FuzzTarget, fuzz: FuzzRequest):
    """Send ``fuzz`` with a fresh client (its session holding the CSRF token when asked)."""
    client = target.app.test_client()
    if fuzz.with_token:
        with client.session_transaction() as session:
            session["csrf_token"] = CSRF_TOKEN
    body = fuzz.body
    if fuzz.with_token and fuzz.method == "POST":
        body = f"csrf_token={CSRF_TOKEN}" + (f"&{body}" if body else "")
    headers = {"Accept": fuzz.accept} if fuzz.accept else {}
    if fuzz.cross_site:
        headers["Sec-Fetch-Site"] = "cross-site"
    target.last.clear()
    return client.open(
        fuzz.url,
        method=fuzz.method,
        data=body.encode("ascii") if fuzz.method != "GET" else None,
        content_type="application/x-www-form-urlencoded" if fuzz.method != "GET" else None,
        headers=headers,
    )


def reviews_fingerprint(root: Path) -> list:
    """Everything the Pressespiegel's tables hold (a refused form must change none of it)."""
    with sqlite3.connect(root / "archive.sqlite3") as db:
        return [
            db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608 - fixed names
            for table in ("press_reviews", "press_review_sections", "press_review_items")
        ]


def check(target: FuzzTarget, fuzz: FuzzRequest) -> tuple[object, list[str]]:
    """Send ``fuzz``; the response and what is wrong with it (:func:`problems`), and with a
    refused form, whether it changed the Pressespiegel."""
    refused_form = fuzz.method == "POST" and (not fuzz.with_token or fuzz.cross_site)
    if fuzz.method == "POST":
        ensure_review(target.archive.root)
    before = reviews_fingerprint(target.archive.root) if refused_form else None
    response = send(target, fuzz)
    found = problems(target, fuzz, response)
    changed = refused_form and reviews_fingerprint(target.archive.root) != before
    if changed and target.last.get("blueprint") == "pressreview":
        found.append("a refused form changed the Pressespiegel")
    return response, found


def problems(target: FuzzTarget, fuzz: FuzzRequest, response) -> list[str]:
    """What is wrong with ``response`` to ``fuzz``; empty when it is sound."""
    found: list[str] = []
    status, mimetype = response.status_code, response.mimetype
    last = dict(target.last)
    endpoint = last.get("endpoint", "")
    if status >= 500:
        found.append(f"status {status}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        found.append("no nosniff header")
    if status >= 400 and last and mimetype != last["error_type"]:
        found.append(f"error {status} as {mimetype}, not {last['error_type']}")
    if (
        fuzz.method == "POST"
        and last.get("blueprint") == "pressreview"
        and (not fuzz.with_token or fuzz.cross_site)
        and status != 400
    ):
        found.append(f"a form without the session's token answered {status}, not 400")
    if 300 <= status < 400:
        location = urlsplit(response.headers.get("Location", ""))
        if location.netloc not in ("", "localhost") or location.path.startswith("//"):
            found.append(f"redirect off the site: {response.headers.get('Location')}")
    body = response.get_data()
    textual = mimetype.startswith("text/") or mimetype.endswith(("json", "xml"))
    if endpoint in RAW_ENDPOINTS and status == 200:  # bytes as captured, in their charset
        policy = response.headers.get("Content-Security-Policy", "")
        return found if "sandbox" in policy else [*found, "raw capture without a sandbox"]
    if textual:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            return [*found, f"body not UTF-8: {error}"]
        found += _content_problems(mimetype, text, response)
    return found


def _content_problems(mimetype: str, text: str, response) -> list[str]:
    if mimetype.endswith("ndjson"):  # JSON Lines: each line a document
        try:
            [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as error:
            return [f"a JSON line does not parse: {error}"]
        return []
    if mimetype.endswith("json"):
        try:
            payload = json.loads(text)
        except ValueError as error:
            return [f"JSON does not parse: {error}"]
        if mimetype == PROBLEM and payload.get("status") != response.status_code:
            return ["problem+json without its status"]
        return []
    if mimetype.endswith("xml"):
        try:
            lxml.etree.fromstring(text.encode("utf-8"))
        except lxml.etree.XMLSyntaxError as error:
            return [f"XML does not parse: {error}"]
        return []
    if mimetype != "text/html":
        return []
    return markup_problems(text)


def markup_problems(text: str) -> list[str]:
    """Scripts and event handlers an HTML page should not have (only the app's static
    scripts, loaded by ``src``)."""
    found = [f"payload unescaped: {p}" for p in MARKUP_PAYLOADS if p in text]
    if not text.strip():
        return found
    tree = lxml.html.fromstring(text)
    for script in tree.iter("script"):
        if not (script.get("src") or "").startswith("/static/") or (script.text or "").strip():
            found.append(f"a script of the page's making: {lxml.html.tostring(script)[:120]}")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        if handlers:
            found.append(f"event handler {handlers} on <{element.tag}>")
    return found
