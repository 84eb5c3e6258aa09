"""The replica over real HTTP: every URL kind, the site's quirks, 304s and every switch."""

from __future__ import annotations

import http.client
import io
import re
import socket
import time
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from tests.helpers import Replica

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CONSENT_TEXT = "Sie haben den zur Verwendung von Youtube benötigten Cookies nicht zugestimmt."
REPLICA_NOTE = "Nachbildung (Replica) der Website des IKPE Erfurt für Tests"


def _posts(manifest: dict) -> list[dict]:
    return [e for e in manifest["entries"] if not e["is_page"]]


def _post_of_kind(manifest: dict, kind: str) -> dict:
    return next(e for e in _posts(manifest) if e["kind"] == kind)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# --- what is served -------------------------------------------------------------------


def test_manifest_covers_the_seeds(replica_server: Replica) -> None:
    manifest = replica_server.manifest()
    posts = _posts(manifest)
    kinds = {e["kind"] for e in manifest["entries"]}
    assert len(posts) >= 45
    assert {"news", "press_release", "event", "press_coverage", "job", "film", "subpost"} <= kinds
    assert "newsletter" in kinds
    assert len({e["id"] for e in manifest["entries"]}) == len(manifest["entries"])
    assert len(manifest["publications"]) >= 40
    assert {p["tab"] for p in manifest["publications"]} == {0, 1, 2, 3}
    assert any(not e["generated"] for e in posts) and any(e["generated"] for e in posts)
    titles = {e["title"] for e in posts}
    assert {"Zum Thema", "Unser Vorgehen"} <= titles  # generic sub-post titles repeat


def test_every_manifest_url_is_served_on_both_hosts(replica_server: Replica) -> None:
    for entry in replica_server.manifest()["entries"]:
        for host in ("127.0.0.1", "localhost"):
            result = replica_server.get(entry["url"].replace("127.0.0.1", host))
            assert result.status == 200, entry["url"]
            assert REPLICA_NOTE in result.text
            if entry["kind"] != "newsletter":
                assert f'<link rel="canonical" href="{entry["url"]}">' in result.text


def test_post_page_carries_wordpress_signals(replica_server: Replica) -> None:
    entry = _post_of_kind(replica_server.manifest(), "news")
    page = replica_server.get(entry["url"]).text
    assert f'<link rel="shortlink" href="{replica_server.url}?p={entry["id"]}">' in page
    assert f"postid-{entry['id']}" in page
    posted = entry["posted"][:19]
    assert f'<time class="entry-date published" datetime="{posted}">' in page
    assert f'<meta property="article:published_time" content="{entry["posted"]}">' in page
    assert '"datePublished"' in page and 'class="entry-content"' in page
    # The posting date stands on a line of its own before the title (the theme's quirk).
    date_line = f"{posted[8:10]}.{posted[5:7]}.{posted[:4]}"
    assert page.index(date_line) < page.index('class="entry-title"')


def test_post_page_links_mix_the_two_host_names(replica_server: Replica) -> None:
    home = replica_server.get("/").text
    assert f"http://localhost:{replica_server.port}/" in home
    assert f"http://127.0.0.1:{replica_server.port}/" in home


def test_shortlink_redirects_to_the_permalink(replica_server: Replica) -> None:
    entry = _post_of_kind(replica_server.manifest(), "news")
    result = replica_server.get(f"/?p={entry['id']}")
    assert result.status == 301 and result.headers["location"] == entry["url"]
    slashless = replica_server.get(_path(entry["url"]).rstrip("/"))
    assert slashless.status == 301 and slashless.headers["location"] == entry["url"]


def test_home_page_has_every_section_and_quirk(replica_server: Replica) -> None:
    page = replica_server.get("/").text
    for text in (
        "Neues aus dem Institut",
        "MEHR LESEN",
        CONSENT_TEXT,
        "Entscheidung widerrufen",
        "Publikationen und Ergebnisse",
        "Bitte warten ...",
        "IKPE in der Presse",
        "Termine / Aktuelle Veranstaltungen",
        "Mehr lesen",
        "Kontakt",
        "active category",
        "stefan.huber(at)ikpe-erfurt.de",
        "admin-ajax.php",
    ):
        assert text in page, text
    # Tab numbers 0 1 2 3 as bare text.
    assert re.search(r"<span>0</span>\s*<span>1</span>\s*<span>2</span>\s*<span>3</span>", page)
    # Staff cards repeated verbatim.
    assert page.count("theresa.hilse-carstensen(at)ikpe-erfurt.de") >= 5


def test_home_news_are_doubled_teaser_then_full_text(replica_server: Replica) -> None:
    page = replica_server.get("/").text
    items = re.findall(r'<article id="post-(\d+)"[^>]*news-item.*?</article>', page, re.S)
    assert len(items) >= 5
    for block in re.findall(r'<article id="post-\d+"[^>]*news-item.*?</article>', page, re.S):
        teaser = re.search(r'class="news-teaser[^"]*"><p>(.*?)</p>', block, re.S).group(1)
        first_words = " ".join(teaser.split()[:4])
        flattened = " ".join(re.sub(r"<[^>]+>", " ", block).split())
        assert flattened.count(first_words) >= 2, first_words  # teaser, then the full text
        assert block.count("MEHR LESEN") == 2


def test_slider_glues_the_button_onto_the_next_title(replica_server: Replica) -> None:
    page = replica_server.get("/").text
    slider = re.search(r'<section class="news-slider">.*?</section>', page, re.S).group(0)
    text = re.sub(r"<[^>]+>", "", slider)
    assert re.search(r"MEHR LESEN\S", text), "slides must follow each other without whitespace"


def test_news_archive_paginates_with_rel_next(replica_server: Replica) -> None:
    url = "/category/willkommen/news_archiv/"
    seen_pages = 0
    while url:
        page = replica_server.get(url).text
        seen_pages += 1
        match = re.search(r'<link rel="next" href="([^"]+)">', page)
        url = match.group(1) if match else None
        assert seen_pages < 100
    assert seen_pages >= 3
    last = replica_server.get(f"/category/willkommen/news_archiv/page/{seen_pages + 1}/")
    assert last.status == 404


def test_category_willkommen_mixes_news_and_jobs(replica_server: Replica) -> None:
    manifest = replica_server.manifest()
    job = _post_of_kind(manifest, "job")
    assert "willkommen" in job["categories"]
    found = False
    url = "/category/willkommen/"
    while url and not found:
        page = replica_server.get(url).text
        found = f'id="post-{job["id"]}"' in page
        match = re.search(r'<link rel="next" href="([^"]+)">', page)
        url = match.group(1) if match else None
    assert found


def test_aktuelles_archiv_lists_date_title_teaser(replica_server: Replica) -> None:
    page = replica_server.get("/aktuelles-archiv/").text
    assert '<h1 class="page-title">Archiv</h1>' in page
    assert re.search(r'<div class="archiv-datum">\d\d\.\d\d\.\d{4}</div>', page)
    assert "Mehr lesen" in page


def test_referenzen_lists_publications_by_year(replica_server: Replica) -> None:
    page = replica_server.get("/category/referenzen/").text
    years = [int(y) for y in re.findall(r'<h2 class="pub-year">(\d{4})</h2>', page)]
    assert len(years) >= 8 and years == sorted(years, reverse=True)
    assert page.count('<p class="citation">') >= 40


def test_topic_page_is_assembled_from_subposts(replica_server: Replica) -> None:
    manifest = replica_server.manifest()
    subposts = [e for e in manifest["entries"] if e["kind"] == "subpost" and e["topic"]]
    assert subposts
    sub = subposts[0]
    topic = next(e for e in manifest["entries"] if e["slug"] == sub["topic"])
    topic_page = replica_server.get(topic["url"]).text
    assert f'id="sub-{sub["id"]}"' in topic_page
    assert sub["topic_title"] == topic["title"]
    sub_page = replica_server.get(sub["url"]).text
    assert topic["url"] in sub_page  # a sub-post names the topic it belongs to


def test_publication_tabs_come_from_the_ajax_endpoint(replica_server: Replica) -> None:
    publications = replica_server.manifest()["publications"]
    for tab in range(4):
        for method in ("GET", "POST"):
            body = f"action=ikpe_publications&tab={tab}".encode()
            result = (
                replica_server.request(
                    "/wp-admin/admin-ajax.php",
                    method="POST",
                    body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                if method == "POST"
                else replica_server.get(
                    f"/wp-admin/admin-ajax.php?action=ikpe_publications&tab={tab}"
                )
            )
            assert result.status == 200
            payload = result.json()
            assert payload["success"] is True
            html = payload["data"]["html"]
            expected = [p for p in publications if p["tab"] == tab]
            assert html.count('<p class="citation">') == len(expected) >= 8
    assert replica_server.get("/wp-admin/admin-ajax.php?action=nope").status == 400
    assert (
        replica_server.get("/wp-admin/admin-ajax.php?action=ikpe_publications&tab=9").status == 400
    )


def test_press_coverage_items_are_in_the_press_tab(replica_server: Replica) -> None:
    payload = replica_server.get("/wp-admin/admin-ajax.php?action=ikpe_publications&tab=3").json()
    assert payload["data"]["name"] == "IKPE in der Presse"
    assert "Parlamentsreport" in payload["data"]["html"]


def test_press_release_pdf_is_a_real_pdf(replica_server: Replica) -> None:
    manifest = replica_server.manifest()
    releases = [e for e in _posts(manifest) if e["type"] == "press_release" and e["attachments"]]
    assert releases
    for release in releases:
        attachment = release["attachments"][0]
        assert re.search(r"/wp-content/uploads/\d{4}/\d{2}/[^/]+\.pdf$", attachment["url"])
        page = replica_server.get(release["url"]).text
        assert _path(attachment["url"]) in page
        result = replica_server.get(attachment["url"])
        assert result.status == 200 and result.headers["content-type"] == "application/pdf"
        text = PdfReader(io.BytesIO(result.body)).pages[0].extract_text()
        assert len(text) > 100


def test_newsletter_view_page(replica_server: Replica) -> None:
    entries = replica_server.manifest()["entries"]
    newsletter = next(e for e in entries if e["kind"] == "newsletter")
    assert "mailpoet_router" in newsletter["url"]
    page = replica_server.get(newsletter["url"]).text
    assert "Newsletter" in page and "Inhalt der Ausgabe:" in page


def test_robots_txt_disallows_wp_admin_but_allows_ajax(replica_server: Replica) -> None:
    robots = replica_server.get("/robots.txt").text
    assert "Disallow: /wp-admin/" in robots
    assert "Allow: /wp-admin/admin-ajax.php" in robots
    assert f"Sitemap: {replica_server.url}wp-sitemap.xml" in robots


def test_sitemaps_list_every_post_and_page_with_lastmod(replica_server: Replica) -> None:
    manifest = replica_server.manifest()
    index = ET.fromstring(replica_server.get("/wp-sitemap.xml").body)
    locations = [e.text for e in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert any("posts-post" in loc for loc in locations)
    listed = set()
    for location in locations:
        urlset = ET.fromstring(replica_server.get(location).body)
        for url in urlset.findall("sm:url", SITEMAP_NS):
            listed.add(url.find("sm:loc", SITEMAP_NS).text)
            if "category" not in location:
                assert url.find("sm:lastmod", SITEMAP_NS) is not None
    expected = {e["url"] for e in manifest["entries"] if e["kind"] != "newsletter"}
    assert expected <= listed


def test_feeds_are_rss_with_content_and_categories(replica_server: Replica) -> None:
    for path in ("/feed/", "/category/willkommen/news_archiv/feed/"):
        result = replica_server.get(path)
        assert result.headers["content-type"].startswith("application/rss+xml")
        channel = ET.fromstring(result.body).find("channel")
        items = channel.findall("item")
        assert len(items) == 10
        first = items[0]
        parsedate_to_datetime(first.find("pubDate").text)
        assert first.find("{http://purl.org/rss/1.0/modules/content/}encoded").text
        assert first.findall("category")
    second = ET.fromstring(replica_server.get("/feed/?paged=2").body).find("channel")
    assert second.findall("item")


def test_rest_api_pages_through_posts_with_totals(replica_server: Replica) -> None:
    manifest = replica_server.manifest()
    first = replica_server.get("/wp-json/wp/v2/posts?per_page=20&page=1")
    total = int(first.headers["x-wp-total"])
    pages = int(first.headers["x-wp-totalpages"])
    assert total == len(_posts(manifest)) and pages == -(-total // 20)
    assert 'rel="next"' in first.headers["link"]
    ids = []
    for number in range(1, pages + 1):
        chunk = replica_server.get(f"/wp-json/wp/v2/posts?per_page=20&page={number}").json()
        ids += [p["id"] for p in chunk]
        for post in chunk:
            assert {
                "id",
                "date",
                "date_gmt",
                "modified",
                "slug",
                "link",
                "title",
                "content",
                "excerpt",
                "categories",
            } <= set(post)
    assert sorted(ids) == sorted(e["id"] for e in _posts(manifest))
    beyond = replica_server.get(f"/wp-json/wp/v2/posts?per_page=20&page={pages + 1}")
    assert beyond.status == 400 and beyond.json()["code"] == "rest_post_invalid_page_number"
    assert replica_server.get("/wp-json/wp/v2/posts?per_page=101").status == 400


def test_rest_api_pages_categories_and_modified_after(replica_server: Replica) -> None:
    manifest = replica_server.manifest()
    pages = replica_server.get("/wp-json/wp/v2/pages?per_page=100").json()
    assert {p["id"] for p in pages} == {
        e["id"] for e in manifest["entries"] if e["is_page"] and e["kind"] != "newsletter"
    }
    categories = replica_server.get("/wp-json/wp/v2/categories?per_page=100").json()
    assert {"willkommen", "news_archiv", "referenzen"} <= {c["slug"] for c in categories}
    newest = max(e["modified"] for e in _posts(manifest))
    none_newer = replica_server.get(f"/wp-json/wp/v2/posts?modified_after={quote(newest)}")
    assert none_newer.json() == [] and none_newer.headers["x-wp-total"] == "0"
    everything = replica_server.get("/wp-json/wp/v2/posts?modified_after=1990-01-01T00:00:00")
    assert int(everything.headers["x-wp-total"]) == len(_posts(manifest))


# --- conditional requests --------------------------------------------------------------


@pytest.mark.parametrize("path_kind", ["post", "home", "archive", "feed", "rest", "pdf"])
def test_conditional_requests_answer_304(replica_server: Replica, path_kind: str) -> None:
    manifest = replica_server.manifest()
    release = next(e for e in _posts(manifest) if e["attachments"])
    path = {
        "post": _path(_post_of_kind(manifest, "news")["url"]),
        "home": "/",
        "archive": "/category/willkommen/news_archiv/",
        "feed": "/feed/",
        "rest": "/wp-json/wp/v2/posts?per_page=5",
        "pdf": _path(release["attachments"][0]["url"]),
    }[path_kind]
    first = replica_server.get(path)
    assert first.status == 200 and first.headers["etag"] and first.headers["last-modified"]
    by_etag = replica_server.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert by_etag.status == 304 and by_etag.body == b""
    by_date = replica_server.get(
        path, headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    assert by_date.status == 304
    stale = replica_server.get(path, headers={"If-None-Match": '"something-else"'})
    assert stale.status == 200 and stale.body == first.body
    old = replica_server.get(path, headers={"If-Modified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"})
    assert old.status == 200


# --- switches --------------------------------------------------------------------------


def test_rest_switch_off_answers_404(replica: Replica) -> None:
    replica.switch(rest=False)
    result = replica.get("/wp-json/wp/v2/posts")
    assert result.status == 404 and result.json()["code"] == "rest_no_route"
    assert replica.get("/?rest_route=/wp/v2/posts").status == 404
    assert "api.w.org" not in replica.get("/").text
    replica.switch(rest=True)
    assert replica.get("/wp-json/wp/v2/posts").status == 200


def test_content_change_edits_adds_and_removes_a_post(replica: Replica) -> None:
    before = {e["id"]: e for e in replica.manifest()["entries"]}
    before_pages = {
        e["url"]: replica.get(e["url"]).body for e in before.values() if not e["is_page"]
    }
    replica.switch(changed=True)
    manifest = replica.manifest()
    after = {e["id"]: e for e in manifest["entries"]}
    added = set(after) - set(before)
    removed = set(before) - set(after)
    assert len(added) == 1 and len(removed) == 1
    assert [r["id"] for r in manifest["removed"]] == list(removed)
    edited = [i for i in set(before) & set(after) if before[i]["modified"] != after[i]["modified"]]
    assert len(edited) == 1
    (edited_id,) = edited
    assert replica.get(after[edited_id]["url"]).body != before_pages[after[edited_id]["url"]]
    (removed_id,) = removed
    assert replica.get(before[removed_id]["url"]).status == 404
    (added_id,) = added
    assert replica.get(after[added_id]["url"]).status == 200
    rest_ids = {p["id"] for p in replica.get("/wp-json/wp/v2/posts?per_page=100").json()}
    assert added_id in rest_ids and removed_id not in rest_ids
    sitemap = replica.get("/wp-sitemap-posts-post-1.xml").text
    assert before[removed_id]["url"] not in sitemap and after[added_id]["url"] in sitemap
    changed_since = replica.get(
        f"/wp-json/wp/v2/posts?modified_after={quote(max(e['modified'] for e in before.values()))}"
    ).json()
    assert {p["id"] for p in changed_since} == {edited_id, added_id}
    unchanged = next(
        i for i in set(before) & set(after) if i != edited_id and not after[i]["is_page"]
    )
    assert replica.get(after[unchanged]["url"]).body == before_pages[after[unchanged]["url"]]


def test_layout_broken_switch_removes_the_content(replica: Replica) -> None:
    entry = _post_of_kind(replica.manifest(), "news")
    replica.switch(layout="broken")
    page = replica.get(entry["url"]).text
    assert "entry-content" not in page and "Bitte warten ..." in page


def test_signals_none_drops_wordpress_markup_but_keeps_visible_text(replica: Replica) -> None:
    entry = _post_of_kind(replica.manifest(), "news")
    replica.switch(signals="none")
    page = replica.get(entry["url"]).text
    for signal in (
        "entry-date",
        "article:published_time",
        "application/ld+json",
        "shortlink",
        "entry-content",
    ):
        assert signal not in page
    posted = entry["posted"]
    assert f'<div class="datum">{posted[8:10]}.{posted[5:7]}.{posted[:4]}</div>' in page


def test_synthetic_switch_adds_generated_posts() -> None:
    server = Replica("--synthetic", "120")
    try:
        manifest = server.manifest()
        synthetic = [e for e in manifest["entries"] if e["source"] == "generated (synthetic)"]
        assert len(synthetic) == 120
        assert len({e["slug"] for e in synthetic}) == 120
        page = server.get(synthetic[0]["url"]).text
        assert "generiert" in page and "Thüringen" in page or "Kommunen" in page
        total = server.get("/wp-json/wp/v2/posts?per_page=1").headers["x-wp-total"]
        assert int(total) == len(_posts(manifest))
    finally:
        server.stop()


# --- faults ----------------------------------------------------------------------------


def _fault_path(replica: Replica, kind: str) -> str:
    faults = replica.manifest()["faults"]
    return next(path for path, fault in faults.items() if fault == kind)


def test_fault_5xx_with_retry_after_then_success(replica: Replica) -> None:
    replica.switch(faults=True)
    path = _fault_path(replica, "status")
    first = replica.get(path)
    assert first.status == 503 and first.headers["retry-after"] == "1"
    assert replica.get(path).status == 503
    assert replica.get(path).status == 200


def test_fault_connection_reset_then_success(replica: Replica) -> None:
    replica.switch(faults=True)
    path = _fault_path(replica, "reset")
    with pytest.raises((ConnectionError, socket.error, Exception)):
        replica.get(path)
    assert replica.get(path).status == 200


def test_fault_truncated_body_then_success(replica: Replica) -> None:
    replica.switch(faults=True)
    path = _fault_path(replica, "truncate")
    with pytest.raises((http.client.IncompleteRead, ConnectionError)):
        replica.get(path)
    assert replica.get(path).status == 200


def test_fault_slow_response(replica: Replica) -> None:
    replica.switch(faults=True)
    path = _fault_path(replica, "slow")
    started = time.monotonic()
    assert replica.get(path).status == 200
    assert time.monotonic() - started >= 1.4


def test_fault_latin1_page(replica: Replica) -> None:
    replica.switch(faults=True)
    path = _fault_path(replica, "latin1")
    result = replica.get(path)
    assert result.headers["content-type"] == "text/html; charset=ISO-8859-1"
    with pytest.raises(UnicodeDecodeError):
        result.body.decode("utf-8")
    assert "für" in result.body.decode("latin-1")


def test_fault_redirect_loop_and_broken_upload(replica: Replica) -> None:
    replica.switch(faults=True)
    assert "/weiterleitung/" in replica.get("/").text
    first = replica.get("/weiterleitung/")
    second = replica.get(first.headers["location"])
    assert first.status == 302 and second.status == 302
    assert second.headers["location"].endswith("/weiterleitung/")
    assert replica.get("/wp-content/uploads/2019/01/kaputt.pdf").status == 500
    replica.switch(faults=False)
    assert replica.get("/weiterleitung/").status == 404


def test_custom_fault_from_a_test(replica: Replica) -> None:
    replica.control("faults", {"path": "/feed/", "kind": "status", "times": 1, "status": 502})
    assert replica.get("/feed/").status == 502
    assert replica.get("/feed/").status == 200


def test_control_rejects_bad_input(replica: Replica) -> None:
    assert replica.request("/__replica__/switch", method="POST", body=b'{"nope": 1}').status == 400
    assert replica.request("/__replica__/switch", method="POST", body=b"not json").status == 400
    bad_layout = replica.request("/__replica__/switch", method="POST", body=b'{"layout": "x"}')
    assert bad_layout.status == 400
    assert (
        replica.request("/__replica__/faults", method="POST", body=b'{"path": "x"}').status == 400
    )


def test_request_log_records_requests_and_conditionals(replica: Replica) -> None:
    first = replica.get("/feed/", headers={"User-Agent": "test-agent"})
    replica.get("/feed/", headers={"If-None-Match": first.headers["etag"]})
    log = replica.requests_log()
    assert [(r["path"], r["status"], r["conditional"]) for r in log] == [
        ("/feed/", 200, False),
        ("/feed/", 304, True),
    ]
    assert log[0]["user_agent"] == "test-agent" and log[0]["bytes"] == len(first.body)
