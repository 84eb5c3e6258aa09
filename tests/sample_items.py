"""Small items as the spider hands them over, for tests that need one without a crawl."""

from __future__ import annotations


def citation_item(raw: str, *, tab_name: str | None = "Publikationen", year: int = 2019) -> dict:
    """An item for one citation of the publication tabs, fetched from admin-ajax.php."""
    return {
        "kind": "publication",
        "url": "https://www.ikpe-erfurt.de/",
        "publication": {"raw": raw, "tab_name": tab_name, "year_heading": year, "links": []},
        "source": {
            "via": "ajax",
            "url": "https://www.ikpe-erfurt.de/wp-admin/admin-ajax.php",
            "fetched_at": "2024-01-01T00:00:00Z",
            "http_status": 200,
            "sha256": "0" * 64,
        },
    }
