"""The WordPress REST API subset a harvester uses: ``/wp-json/wp/v2/{posts,pages,categories}``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from replica.content import Entry
from replica.render import local_to_aware, teaser
from replica.site import Links, SiteView

DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
UTC = UTC


@dataclass
class RestResult:
    """A REST answer: status, JSON-ready payload and extra headers."""

    status: int
    payload: object
    headers: dict

    def body(self) -> bytes:
        """The JSON body as WordPress sends it."""
        return json.dumps(self.payload, ensure_ascii=False).encode("utf-8")


def _error(status: int, code: str, message: str) -> RestResult:
    return RestResult(status, {"code": code, "message": message, "data": {"status": status}}, {})


def _gmt(value: datetime) -> str:
    return local_to_aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def entry_json(view: SiteView, links: Links, entry: Entry) -> dict:
    """The REST representation of a post or page (the fields core returns by default)."""
    data = {
        "id": entry.id,
        "date": entry.posted.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_gmt": _gmt(entry.posted),
        "guid": {"rendered": links.www_url(f"/?p={entry.id}")},
        "modified": entry.modified.strftime("%Y-%m-%dT%H:%M:%S"),
        "modified_gmt": _gmt(entry.modified),
        "slug": entry.slug,
        "status": "publish",
        "type": "page" if entry.is_page else "post",
        "link": links.canonical(entry),
        "title": {"rendered": entry.title},
        "content": {"rendered": links.absolutise(entry.body, entry.id), "protected": False},
        "excerpt": {"rendered": f"<p>{teaser(entry)} [&hellip;]</p>\n", "protected": False},
        "author": 1,
        "featured_media": 0,
    }
    if entry.is_page:
        parent = view.by_slug.get(entry.parent or "")
        data.update(parent=parent.id if parent else 0, menu_order=0, template="")
    else:
        data.update(
            categories=[view.categories[c].id for c in entry.categories if c in view.categories],
            tags=[],
            format="standard",
            sticky=False,
        )
    return data


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(ZoneInfo("Europe/Berlin")).replace(tzinfo=None)
    return parsed


def _int_param(params: dict[str, str], name: str, default: int) -> int | None:
    try:
        return int(params.get(name, default))
    except ValueError:
        return None


def _collection(
    view: SiteView, links: Links, entries: list[Entry], params: dict[str, str], route: str
) -> RestResult:
    per_page = _int_param(params, "per_page", DEFAULT_PER_PAGE)
    page = _int_param(params, "page", 1)
    if per_page is None or not 1 <= per_page <= MAX_PER_PAGE:
        return _error(400, "rest_invalid_param", "Ungültiger Parameter: per_page")
    if page is None or page < 1:
        return _error(400, "rest_invalid_param", "Ungültiger Parameter: page")
    for name, attribute, newer in (
        ("modified_after", "modified", True),
        ("modified_before", "modified", False),
        ("after", "posted", True),
        ("before", "posted", False),
    ):
        if name in params:
            limit = _parse_time(params[name])
            if limit is None:
                return _error(400, "rest_invalid_param", f"Ungültiger Parameter: {name}")
            entries = [e for e in entries if (getattr(e, attribute) > limit) == newer]
    if "include" in params:
        wanted_ids = {int(i) for i in params["include"].split(",") if i.strip().isdigit()}
        entries = [e for e in entries if e.id in wanted_ids]
    orderby = params.get("orderby", "date")
    if orderby not in ("date", "id", "modified", "slug", "title", "include"):
        return _error(400, "rest_invalid_param", "Ungültiger Parameter: orderby")
    if orderby != "date" or params.get("order", "desc") != "desc":
        sort_key = {
            "date": lambda e: (e.posted, e.id),
            "id": lambda e: e.id,
            "include": lambda e: e.id,
            "modified": lambda e: (e.modified, e.id),
            "slug": lambda e: e.slug,
            "title": lambda e: e.title,
        }[orderby]
        entries = sorted(entries, key=sort_key, reverse=params.get("order", "desc") == "desc")
    if "slug" in params:
        entries = [e for e in entries if e.slug in params["slug"].split(",")]
    if "categories" in params:
        wanted = {int(c) for c in params["categories"].split(",") if c.strip().isdigit()}
        entries = [
            e
            for e in entries
            if wanted & {view.categories[c].id for c in e.categories if c in view.categories}
        ]
    total = len(entries)
    total_pages = -(-total // per_page)
    if page > max(total_pages, 1):
        return _error(
            400,
            "rest_post_invalid_page_number",
            "Die angeforderte Seitennummer ist größer als die Anzahl der verfügbaren Seiten.",
        )
    chunk = entries[(page - 1) * per_page : page * per_page]
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(total_pages)}
    if page < total_pages:
        query = "".join(f"{k}={v}&" for k, v in params.items() if k != "page")
        headers["Link"] = (
            f'<{links.www_url("/wp-json" + route)}?{query}page={page + 1}>; rel="next"'
        )

    items = [entry_json(view, links, e) for e in chunk]
    if params.get("_fields"):
        fields = {f.strip() for f in params["_fields"].split(",")}
        items = [{k: v for k, v in item.items() if k in fields} for item in items]
    return RestResult(200, items, headers)


def handle_rest(view: SiteView, links: Links, route: str, params: dict[str, str]) -> RestResult:
    """Answer a request under ``/wp-json``; ``route`` is the path after it."""
    if not view.switches.rest:
        return _error(
            404, "rest_no_route", "Es wurde keine Route gefunden, die mit der URL übereinstimmt."
        )
    route = "/" + route.strip("/")
    if route == "/":
        return RestResult(
            200,
            {
                "name": "Institut für kommunale Planung und Entwicklung",
                "url": links.www_url("/").rstrip("/"),
                "namespaces": ["wp/v2"],
                "routes": {r: {} for r in ("/wp/v2/posts", "/wp/v2/pages", "/wp/v2/categories")},
            },
            {},
        )
    parts = route.strip("/").split("/")
    if parts[:2] != ["wp", "v2"] or len(parts) not in (3, 4):
        return _error(
            404, "rest_no_route", "Es wurde keine Route gefunden, die mit der URL übereinstimmt."
        )
    kind = parts[2]
    if kind == "categories":
        categories = [
            {
                "id": c.id,
                "count": len(view.posts_in_category(c.slug)),
                "name": c.name,
                "slug": c.slug,
                "parent": view.categories[c.parent].id if c.parent else 0,
                "link": links.www_url(f"/category/{view.category_path(c)}/"),
                "taxonomy": "category",
            }
            for c in view.content.categories
        ]
        per_page = _int_param(params, "per_page", DEFAULT_PER_PAGE) or DEFAULT_PER_PAGE
        page = _int_param(params, "page", 1) or 1
        total_pages = max(1, -(-len(categories) // per_page))
        return RestResult(
            200,
            categories[(page - 1) * per_page : page * per_page],
            {"X-WP-Total": str(len(categories)), "X-WP-TotalPages": str(total_pages)},
        )
    if kind not in ("posts", "pages"):
        return _error(
            404, "rest_no_route", "Es wurde keine Route gefunden, die mit der URL übereinstimmt."
        )
    entries = list(view.posts) if kind == "posts" else list(view.pages)
    if len(parts) == 4:
        wanted = next((e for e in entries if str(e.id) == parts[3]), None)
        if wanted is None:
            return _error(404, "rest_post_invalid_id", "Ungültige Beitrags-ID.")
        return RestResult(200, entry_json(view, links, wanted), {})
    return _collection(view, links, entries, params, route)
