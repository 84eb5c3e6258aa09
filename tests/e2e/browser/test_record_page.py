"""A record in a browser: opened from the results, its versions and their diff, and the
archived copy in its sandboxed frame, over the real crawl of the replica."""

from __future__ import annotations

import re


def open_first_hit(page, query: str) -> str:
    """Search, click the first hit; return the title the result list showed."""
    page.goto("/")
    page.get_by_role("searchbox").fill(query)
    with page.expect_navigation():
        page.get_by_role("searchbox").press("Enter")
    link = page.locator("li.hit h3.hit-title a").first
    title = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/r/[a-z]+-[0-9a-f]+$"))
    return title


def test_a_record_opened_from_the_results_shows_its_text_and_how_to_cite_it(page) -> None:
    title = open_first_hit(page, "Wohnungslosigkeit")

    heading = page.get_by_role("heading", level=1)
    assert heading.is_visible() and heading.inner_text() == title
    assert title in page.title()
    date = page.locator(".record-head time")
    assert date.is_visible()
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", date.inner_text()), date.inner_text()
    text = page.locator(".record-text p")
    assert text.first.is_visible()
    assert len(" ".join(text.all_inner_texts())) > 200
    assert "Wohnungslos" in page.locator(".record-text").inner_text()

    cite = page.locator("section.cite")
    assert cite.get_by_role("heading", name="Zitieren").is_visible()
    for label, start in (("BibTeX", "@"), ("RIS", "TY  - "), ("CSL-JSON", "[")):
        box = cite.get_by_label(label, exact=True)
        assert box.is_visible(), label
        assert box.input_value().lstrip().startswith(start), label
        assert cite.get_by_role("link", name=f"{label} herunterladen").is_visible()
    assert title.split()[0] in cite.get_by_label("RIS", exact=True).input_value()

    meta = page.locator("meta[name='citation_title']")
    assert meta.count() == 1 and meta.get_attribute("content") == title
    date_meta = page.locator("meta[name='citation_publication_date']").get_attribute("content")
    assert re.fullmatch(r"\d{4}(/\d{2}(/\d{2})?)?", date_meta or ""), date_meta
    record_id = page.url.rsplit("/", 1)[-1]
    public_url = page.locator("meta[name='citation_public_url']").get_attribute("content")
    assert public_url and public_url.endswith(f"/r/{record_id}")


def test_the_two_versions_of_an_edited_post_are_compared_word_by_word(
    page, crawled_archive
) -> None:
    title = open_first_hit(page, f'"{crawled_archive.changed_title}"')
    assert title == crawled_archive.changed_title
    assert page.url.endswith(f"/r/{crawled_archive.changed_id}")
    timeline = page.locator("section.versions ol.timeline li")
    assert timeline.count() == 2
    assert [t.split("\n")[0] for t in timeline.all_inner_texts()][0].startswith("Version 2")
    appended = crawled_archive.appended_text
    assert appended[:40] in page.locator(".record-text").inner_text()

    page.locator("section.versions").get_by_role("link", name="Änderungen").click()
    page.wait_for_url(re.compile(r"/diff\?a=1&b=2$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Änderungen:")
    inserted = " ".join(page.locator(".diff-text ins").all_inner_texts())
    assert page.locator(".diff-text ins").first.is_visible()
    assert "Nachtrag:" in inserted and "Augustinerkloster" in inserted
    summary = page.locator(".diff-summary").inner_text()
    assert "Version 1" in summary and "Version 2" in summary and "hinzugefügt" in summary

    # The other way round, with the form: what version 2 added, version 1 lacks.
    form = page.locator("form.compare")
    form.get_by_label("Von", exact=True).select_option("2")
    form.get_by_label("zu", exact=True).select_option("1")
    with page.expect_navigation():
        form.get_by_role("button", name="Vergleichen").click()
    assert page.url.endswith("/diff?a=2&b=1")
    deleted = page.locator(".diff-text del")
    assert deleted.first.is_visible()
    assert "Augustinerkloster" in " ".join(deleted.all_inner_texts())

    page.locator(".diff-summary").get_by_role("link", name="Version 1").click()
    page.wait_for_url(re.compile(r"/v/1$"))
    assert "Version 1" in page.locator(".notice").inner_text()
    assert "Augustinerkloster zu Erfurt" not in page.locator(".record-text").inner_text()


def test_the_archived_copy_is_shown_in_a_sandbox_where_its_script_does_not_run(
    page, hostile, guard
) -> None:
    page.goto(f"/r/{hostile['id']}")
    record_title = page.title()
    page.get_by_role("link", name="Die Seite so ansehen, wie sie abgerufen wurde").click()
    page.wait_for_url(re.compile(r"/kopie$"))
    page_title = page.title()
    assert page_title.startswith("Archivierte Kopie") and page_title != record_title

    frame_element = page.locator("iframe.capture-frame")
    frame_element.scroll_into_view_if_needed()
    assert frame_element.is_visible()
    assert frame_element.get_attribute("sandbox") == ""  # no allow-scripts, no allow-anything
    assert frame_element.get_attribute("referrerpolicy") == "no-referrer"
    capture = page.frame_locator("iframe.capture-frame")
    capture.get_by_role("heading", name="Archivierte Seite").wait_for()  # the frame loads lazily
    assert "Umlaute: äöüß" in capture.locator("body").inner_text()
    frame = frame_element.element_handle().content_frame()
    assert frame is not None and frame.url.endswith(f"/r/{hostile['id']}/kopie/roh")

    page.wait_for_timeout(300)  # give a script (or the meta refresh) the time to act
    assert page.title() == page_title  # the capture did not reach its parent
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert frame.evaluate("document.title") == hostile["capture_title"]
    assert frame.evaluate("typeof window.__pwned") == "undefined"
    assert frame.url.endswith("/kopie/roh")  # the meta refresh did not take it elsewhere
    assert any("sandboxed" in line for line in guard.capture_console), guard.capture_console

    # Opened on its own, the raw capture's own policy (CSP sandbox) holds too.
    raw_url = frame.url
    page.get_by_role("link", name="Rohkopie allein öffnen").click()
    page.wait_for_url(raw_url)
    page.wait_for_timeout(300)
    assert page.title() == hostile["capture_title"]
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_the_archived_copy_of_a_crawled_post_opens(page, crawled_archive) -> None:
    page.goto(f"/r/{crawled_archive.changed_id}")
    timeline = page.locator("section.versions ol.timeline li")
    timeline.filter(has_text="Version 1").get_by_role("link", name="Rohkopie").click()
    page.wait_for_url(re.compile(r"/v/1/kopie$"))
    assert "(Version 1)" in page.get_by_role("heading", level=1).inner_text()
    facts = page.locator("dl.facts").inner_text()
    assert "200" in facts and "127.0.0.1" in facts
    frame = page.locator("iframe.capture-frame")
    frame.scroll_into_view_if_needed()
    assert frame.get_attribute("sandbox") == ""
    page.frame_locator("iframe.capture-frame").locator("body").wait_for()  # loads lazily
    capture = frame.element_handle().content_frame()
    assert capture.url.endswith("/v/1/kopie/roh")
    assert "zweite-runde-thueringer-strategie" in capture.locator("body").inner_text()
