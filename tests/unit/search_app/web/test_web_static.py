"""Every asset is served by the app (no CDN), and ``static/CHECKSUMS.sha256`` holds the
digest of every static file, so a vendored or edited file cannot change unnoticed.

After editing a static file: ``cd search_app/web/static && sha256sum $(ls | grep -v
CHECKSUMS | sort) > CHECKSUMS.sha256``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import search_app.web

WEB = Path(search_app.web.__file__).parent
STATIC = WEB / "static"
CHECKSUMS = STATIC / "CHECKSUMS.sha256"


def _listed() -> dict[str, str]:
    listed = {}
    for line in CHECKSUMS.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    return listed


def test_every_static_file_is_listed_with_its_digest() -> None:
    files = {
        str(path.relative_to(STATIC)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(STATIC.rglob("*"))
        if path.is_file() and path != CHECKSUMS
    }
    assert files, "no static files"
    assert _listed() == files


def test_every_listed_file_is_served(client) -> None:
    for name, digest in _listed().items():
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert hashlib.sha256(response.data).hexdigest() == digest


@pytest.mark.parametrize("url", ["/", "/r/wp-102", "/jahre", "/publikationen", "/r/wp-104/kopie"])
def test_pages_load_nothing_from_elsewhere(page, url: str) -> None:
    found = page(url)
    assets = found.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src")
    assert assets and all(a.startswith("/static/") or a.startswith("data:") for a in assets)
    assert found.xpath("//script[not(@src)]") == []  # no inline script
    assert found.xpath("//*[@style]") == [] and found.xpath("//style") == []  # no inline style
    assert found.xpath("//iframe[not(@sandbox)]") == []


def test_templates_name_no_cdn() -> None:
    for template in (WEB / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "//cdn" not in text and "googleapis" not in text and "unpkg" not in text
