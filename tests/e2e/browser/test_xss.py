"""Hostile content through store → index → app → browser: nothing runs.

The session's data holds a record whose title, text and credits carry ``<script>`` and
``<img onerror>`` payloads (in two versions; the second adds an ``<svg onload>``), and a raw
capture whose script would rename the page and its parent. A user searches for it, opens
it, its versions, their diff and its archived copy; on every page no payload has run
(``window.__pwned`` stays undefined, the titles stay), no dialog opened, no element carries
an event handler attribute, and the only script is the app's own. The page guard fails the
test on a console error of the app's pages too: a CSP report there would mean markup
reached the page unescaped (or an asset of the app broke the policy).
"""

from __future__ import annotations

import re

SAFE_DOM = """() => ({
    pwned: typeof window.__pwned,
    scripts: [...document.scripts].map(s => s.src ? new URL(s.src).pathname : 'inline'),
    handlers: document.querySelectorAll('[onerror],[onload],[onclick]').length,
    xImages: document.querySelectorAll('img[src="x"]').length,
    svgs: document.querySelectorAll('svg[onload]').length,
    frames: [...document.querySelectorAll('iframe')].map(f => f.getAttribute('sandbox')),
})"""


def assert_nothing_ran(page, title: str | None = None) -> None:
    """No payload ran on this page, and it holds no live markup of one."""
    page.wait_for_timeout(100)  # an onerror fires once the image failed: let it
    dom = page.evaluate(SAFE_DOM)
    assert dom["pwned"] == "undefined", page.url
    assert dom["scripts"] == ["/static/app.js"], (page.url, dom["scripts"])
    assert dom["handlers"] == dom["xImages"] == dom["svgs"] == 0, (page.url, dom)
    assert all(sandbox == "" for sandbox in dom["frames"]), (page.url, dom["frames"])
    assert "PWNED" not in page.title()
    if title is not None:
        assert page.title() == title


def submit_query(page, query: str) -> None:
    box = page.get_by_role("searchbox")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")


def test_a_hostile_query_is_shown_as_text(page, hostile) -> None:
    page.goto("/")
    for query in (hostile["payloads"][0], f"{hostile['word']} {hostile['payloads'][1]}"):
        submit_query(page, query)
        assert_nothing_ran(page)
        assert page.get_by_role("searchbox").input_value() == query
        assert query in page.locator("main").inner_text() or query in page.title()


def test_the_hostile_record_its_versions_diff_and_copy_run_nothing(page, hostile) -> None:
    script, img, svg = hostile["payloads"]
    page.goto("/")
    submit_query(page, hostile["word"])
    assert_nothing_ran(page)
    hit = page.locator("li.hit", has=page.locator(f"a[href='/r/{hostile['id']}']"))
    assert hit.count() == 1
    assert hit.locator("h3").inner_text() == hostile["title"]  # shown as text, not markup
    snippet = hit.locator(".snippet")
    assert snippet.locator("mark").count() >= 1
    assert script in snippet.inner_text() or img in snippet.inner_text(), snippet.inner_text()

    hit.locator("h3 a").click()
    page.wait_for_url(re.compile(rf"/r/{hostile['id']}$"))
    record_title = page.title()
    assert_nothing_ran(page, record_title)
    assert hostile["title"] in record_title
    assert page.get_by_role("heading", level=1).inner_text() == hostile["title"]
    text = page.locator(".record-text").inner_text()
    assert script in text and img in text and svg in text
    assert img in page.locator("section.credits").inner_text()
    meta = page.locator("meta[name='citation_title']").get_attribute("content")
    assert meta == hostile["title"]
    for label in ("BibTeX", "RIS", "CSL-JSON"):
        citation = page.locator("section.cite").get_by_label(label, exact=True).input_value()
        assert "<script>" in citation and "</textarea>" in citation, label  # kept as text

    timeline = page.locator("section.versions ol.timeline li")
    assert timeline.count() == 2
    timeline.filter(has_text="Version 1").get_by_role("link", name="Version 1").click()
    page.wait_for_url(re.compile(r"/v/1$"))
    assert_nothing_ran(page)
    assert page.get_by_role("heading", level=1).inner_text() == hostile["title"]
    assert svg not in page.locator(".record-text").inner_text()  # version 1 had none

    page.locator(".notice").get_by_role("link", name="Version 2").click()
    page.wait_for_url(re.compile(rf"/r/{hostile['id']}$"))
    page.locator("section.versions").get_by_role("link", name="Änderungen").click()
    page.wait_for_url(re.compile(r"/diff\?a=1&b=2$"))
    assert_nothing_ran(page)
    inserted = " ".join(page.locator(".diff-text ins").all_inner_texts())
    assert "svg" in inserted and "window.__pwned" in inserted, inserted
    assert script in page.locator(".diff-text").last.inner_text()

    page.get_by_role("link", name="‹ Zum Eintrag").click()
    page.wait_for_url(re.compile(rf"/r/{hostile['id']}$"))
    page.get_by_role("link", name="Die Seite so ansehen, wie sie abgerufen wurde").click()
    page.wait_for_url(re.compile(r"/kopie$"))
    copy_title = page.title()
    frame_element = page.locator("iframe.capture-frame")
    frame_element.scroll_into_view_if_needed()
    page.frame_locator("iframe.capture-frame").locator("h1").wait_for()  # loads lazily
    frame = frame_element.element_handle().content_frame()
    page.wait_for_timeout(200)
    assert_nothing_ran(page, copy_title)
    assert frame.evaluate("document.title") == hostile["capture_title"]
    assert frame.evaluate("typeof window.__pwned") == "undefined"
    assert frame.locator("h1").inner_text() == "Archivierte Seite"
