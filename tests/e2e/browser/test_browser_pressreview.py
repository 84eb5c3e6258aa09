"""The Pressespiegel in a browser, over the real crawl of the replica served by gunicorn:
a review is made, filled from the search results and from a record page, reordered
without JavaScript (the up and down buttons, in a context whose scripts are off) and with
it (drag and drop, within a section and into another), given an introduction, previewed,
and downloaded in each format; the files are read back with pypdf, python-docx and as
text. Hostile text typed into it runs nowhere; the pages fit a phone.

Each test makes a review of its own name: the data directory is the session's.
"""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

QUERY = "Sozialplanung"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Playwright's drag does not scroll while dragging (a person's drag makes the page scroll
# at its edge): the window of the drag-and-drop steps holds source and target at once.
TALL = {"width": 1280, "height": 2400}
INTRO = "Liebe Kolleginnen und Kollegen,\n\nhier die Berichte über die Sozialplanung."


def create_review(page, title: str) -> str:
    """Make a review with the list page's form; its name (unique to the test)."""
    name = f"browser-{uuid.uuid4().hex[:10]}"
    page.goto("/pressespiegel/")
    form = page.locator("form.pr-form")
    form.get_by_label("Titel").fill(title)
    form.get_by_label("Kurzname für die Adresse (optional)").fill(name)
    with page.expect_navigation():
        form.get_by_role("button", name="Anlegen").click()
    assert page.url.endswith(f"/pressespiegel/{name}")
    expect(page.locator(".flash")).to_contain_text(f"Pressespiegel „{title}“ angelegt.")
    return name


def search(page, query: str) -> None:
    page.goto("/")
    box = page.get_by_role("searchbox")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")


def section_titles(page) -> dict[str, list[str]]:
    """Each section's heading (without its count) and its items' shown titles, in order."""
    return page.locator("section.pr-section").evaluate_all(
        """sections => Object.fromEntries(sections.map(section => [
            section.querySelector('h3').firstChild.textContent.trim(),
            [...section.querySelectorAll('h4.pr-item-title')].map(h => h.textContent.trim()),
        ]))"""
    )


def items_of(page, section: str):
    """The item titles of the section headed ``section``."""
    heading = page.locator("h3", has_text=re.compile(f"^{re.escape(section)} \\("))
    return page.locator("section.pr-section", has=heading).locator("h4.pr-item-title")


def item_id(page, title: str) -> str:
    item = page.locator("li.pr-item", has=page.locator("h4.pr-item-title", has_text=title))
    return item.first.get_attribute("data-item-id")


def document_order(sections: dict[str, list[str]]) -> list[str]:
    return [title for titles in sections.values() for title in titles]


def download(page, link) -> tuple[str, bytes]:
    with page.expect_download() as info:
        link.click()
    file = info.value
    assert file.failure() is None, file.failure()
    return file.suggested_filename, Path(file.path()).read_bytes()


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_in_order(text: str, titles: list[str], start: int = 0) -> None:
    """The titles occur in ``text`` (from ``start``) in this order."""
    at = start
    for title in titles:
        found = text.find(flat(title), at)
        assert found >= 0, f"{title!r} not after position {at}"
        at = found + len(flat(title))


def test_a_review_is_composed_reordered_and_downloaded(pages) -> None:
    page = pages.open(viewport=DESKTOP)
    title = "Pressespiegel Sozialplanung (Browser)"
    name = create_review(page, title)

    # Three news from the results of a search, narrowed to news by its facet.
    search(page, QUERY)
    page.locator("details.facet", has=page.locator("summary", has_text="Typ")).locator(
        "a.facet-value", has=page.locator(".facet-label", has_text="Meldung")
    ).click()
    page.wait_for_url(re.compile(r"type=news"))
    assert page.get_by_label("Zum Pressespiegel").input_value() == name  # the review just made
    news = []
    for index in range(3):
        hit = page.locator("li.hit").nth(index)
        news.append(hit.locator("h3.hit-title a").inner_text())
        record = hit.get_attribute("id").removeprefix("hit-")
        with page.expect_navigation():
            hit.get_by_role("button", name=re.compile(r"^zum Pressespiegel")).click()
        assert page.url.endswith(f"#hit-{record}") and "type=news" in page.url
        expect(page.locator(".flash")).to_contain_text(f"„{news[-1]}“ steht jetzt im Pressespiegel")

    # One more from a record page: the first hit of the search that is no news.
    search(page, QUERY)
    other = page.locator("li.hit", has_not=page.locator(".badge", has_text="Meldung")).first
    other_title = other.locator("h3.hit-title a").inner_text()
    other.locator("h3.hit-title a").click()
    page.wait_for_url(re.compile(r"/r/[a-z]+-[0-9a-f]+$"))
    adding = page.locator("section.pr-add")
    assert adding.get_by_label("Pressespiegel").input_value() == name
    with page.expect_navigation():
        adding.get_by_role("button", name="Hinzufügen").click()
    expect(page.locator(".flash")).to_contain_text(f"„{other_title}“ steht jetzt im Pressespiegel")
    # Once more: the duplicate is refused with a note, nothing breaks.
    with page.expect_navigation():
        page.locator("section.pr-add").get_by_role("button", name="Hinzufügen").click()
    expect(page.locator(".flash")).to_contain_text("steht schon im Pressespiegel")

    page.goto(f"/pressespiegel/{name}")
    sections = section_titles(page)
    assert sections["Eigene Meldungen"] == news
    other_section = next(s for s, titles in sections.items() if titles == [other_title])
    first, second, third = news

    # Without JavaScript: the up and down buttons (forms), in a context with scripts off.
    plain = pages.open(viewport=DESKTOP, java_script_enabled=False)
    plain.goto(f"/pressespiegel/{name}")
    assert plain.locator(".pr-handle").count() == 0  # the script adds the handles
    item = plain.locator(f"#eintrag-{item_id(plain, first)}")
    with plain.expect_navigation():
        item.get_by_role("button", name=re.compile(r"^Runter")).click()
    assert plain.url.endswith(f"#eintrag-{item_id(plain, first)}")
    assert section_titles(plain)["Eigene Meldungen"] == [second, first, third]
    with plain.expect_navigation():
        plain.locator(f"#eintrag-{item_id(plain, third)}").get_by_role(
            "button", name=re.compile(r"^Hoch")
        ).click()
    assert section_titles(plain)["Eigene Meldungen"] == [second, third, first]

    # With JavaScript: drag the last item above the first, then one into the other section.
    page.set_viewport_size(TALL)
    page.reload()
    handle = page.locator(f"#eintrag-{item_id(page, first)} .pr-handle")
    expect(handle).to_be_visible()
    handle.drag_to(page.locator(f"#eintrag-{item_id(page, second)}"),
                   target_position={"x": 60, "y": 6})  # fmt: skip
    expect(page.locator("#pr-status")).to_have_text("Reihenfolge gespeichert.")
    expect(items_of(page, "Eigene Meldungen")).to_have_text([first, second, third])
    page.locator(f"#eintrag-{item_id(page, second)} .pr-handle").drag_to(
        page.locator(f"#eintrag-{item_id(page, other_title)}"), target_position={"x": 60, "y": 6}
    )
    expect(items_of(page, other_section)).to_have_text([second, other_title])
    expect(page.locator("#pr-status")).to_have_text("Reihenfolge gespeichert.")
    page.reload()  # what the server saved
    sections = section_titles(page)
    assert sections["Eigene Meldungen"] == [first, third]
    assert sections[other_section] == [second, other_title]

    # An introduction.
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Einleitung").fill(INTRO)
    with page.expect_navigation():
        page.get_by_role("button", name="Angaben speichern").click()
    expect(page.locator(".flash")).to_contain_text("Angaben gespeichert.")
    assert page.get_by_label("Einleitung").input_value() == INTRO

    # The preview shows the document as it will be exported.
    order = document_order(section_titles(page))
    with page.expect_navigation():
        page.get_by_role("link", name="Vorschau").click()
    frame = page.frame_locator("iframe.pr-preview-frame")
    expect(frame.locator("h1.cover-title")).to_have_text(title)
    expect(frame.locator("h2.item-title")).to_have_text(order)
    expect(frame.locator("section.intro")).to_contain_text("hier die Berichte")
    box = page.locator("iframe.pr-preview-frame").bounding_box()
    assert box and box["height"] > 900  # as tall as its document: one scroll bar

    # Each format, downloaded and read back.
    links = page.locator("ul.pr-doc-links")
    file_name, data = download(page, links.get_by_role("link", name="PDF herunterladen"))
    assert file_name == f"{name}.pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 4  # cover, contents, introduction, sections
    texts = [flat(p.extract_text()) for p in reader.pages]
    assert title in texts[0]
    assert_in_order(texts[1], order)  # the table of contents
    body = " ".join(texts[2:])
    assert "hier die Berichte über die Sozialplanung" in body
    assert_in_order(body, order)
    assert all(f"von {len(reader.pages)}" in text for text in texts)

    file_name, data = download(page, links.get_by_role("link", name="Word (DOCX) herunterladen"))
    assert file_name == f"{name}.docx"
    word = Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in word.paragraphs
                if p.style.name in ("Heading 1", "Heading 2")]  # fmt: skip
    assert [text for style, text in headings if style == "Heading 2"] == order
    assert [text for style, text in headings if style == "Heading 1"] == [
        "Einleitung",
        "Eigene Meldungen",
        other_section,
    ]
    assert "hier die Berichte über die Sozialplanung." in [p.text for p in word.paragraphs]

    file_name, data = download(page, links.get_by_role("link", name="Markdown herunterladen"))
    assert file_name == f"{name}.md"
    markdown = data.decode("utf-8")
    assert markdown.splitlines()[0] == f"# {title}"
    assert "hier die Berichte über die Sozialplanung." in markdown
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == ["## Inhalt", "## Einleitung", "## Eigene Meldungen", f"## {other_section}"]
    assert_in_order(flat(markdown[markdown.index("## Einleitung") :]), order)


HOSTILE_TEXT = '<script>window.__pwned=1</script> {{ 7*7 }} <img src=x onerror="window.__pwned=1">'


def test_hostile_text_typed_into_a_review_runs_nowhere(pages, hostile) -> None:
    page = pages.open(viewport=DESKTOP)
    name = create_review(page, f"Prüfung {HOSTILE_TEXT}")
    page.goto(f"/r/{hostile['id']}")
    with page.expect_navigation():
        page.locator("section.pr-add").get_by_role("button", name="Hinzufügen").click()
    page.goto(f"/pressespiegel/{name}")
    item = page.locator("li.pr-item").first
    item.locator("summary", has_text="Bearbeiten").click()
    item.get_by_label("Anzeigetitel").fill(f"Titel {HOSTILE_TEXT}")
    item.get_by_label("Anmerkung").fill(f"Anmerkung {HOSTILE_TEXT}")
    with page.expect_navigation():
        item.get_by_role("button", name="Speichern").click()
    page.get_by_label("Einleitung").fill(f"Einleitung {HOSTILE_TEXT}")
    with page.expect_navigation():
        page.get_by_role("button", name="Angaben speichern").click()

    for url in (f"/pressespiegel/{name}", f"/pressespiegel/{name}/vorschau", "/pressespiegel/"):
        page.goto(url)
        page.wait_for_timeout(150)  # an onerror fires once the image failed: let it
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("[onerror], [onload], img[src='x']").count() == 0, url
    frame = page.frame_locator("iframe.pr-preview-frame")
    page.goto(f"/pressespiegel/{name}/vorschau")
    expect(frame.locator("h2.item-title")).to_have_text(f"Titel {HOSTILE_TEXT}")
    expect(frame.locator(".comment")).to_contain_text(HOSTILE_TEXT)
    assert frame.locator("img").count() == 0
    page.goto(f"/pressespiegel/{name}")
    expect(page.locator("h1")).to_have_text(f"Prüfung {HOSTILE_TEXT}")
    expect(page.locator("h4.pr-item-title")).to_have_text(f"Titel {HOSTILE_TEXT}")
    assert page.get_by_label("Einleitung").input_value() == f"Einleitung {HOSTILE_TEXT}"


def test_the_review_and_its_preview_fit_a_phone(pages) -> None:
    page = pages.open(viewport=PHONE, is_mobile=True, has_touch=True)
    name = create_review(page, "Pressespiegel auf dem Telefon mit einem recht langen Titel")
    search(page, QUERY)
    with page.expect_navigation():
        page.locator("li.hit").first.get_by_role(
            "button", name=re.compile(r"^zum Pressespiegel")
        ).click()
    for url in (f"/pressespiegel/{name}", f"/pressespiegel/{name}/vorschau", "/pressespiegel/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    page.goto(f"/pressespiegel/{name}")
    item = page.locator("li.pr-item").first
    for label in ("Hoch", "Runter", "Verschieben", "Entfernen"):
        button = item.get_by_role("button", name=re.compile(f"^{label}"))
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
    assert not item.locator(".pr-handle").is_visible()  # no dragging on a touch screen


def test_up_and_down_work_from_the_keyboard_and_keep_the_focus(pages) -> None:
    page = pages.open(viewport=DESKTOP)
    name = create_review(page, "Pressespiegel mit der Tastatur")
    page.goto(f"/suche?q={QUERY}&type=news")
    titles = page.locator("li.hit h3.hit-title a").all_inner_texts()[:3]
    for index in range(3):
        with page.expect_navigation():
            page.locator("li.hit").nth(index).get_by_role(
                "button", name=re.compile(r"^zum Pressespiegel")
            ).click()
    page.goto(f"/pressespiegel/{name}")
    assert items_of(page, "Eigene Meldungen").all_inner_texts() == titles
    down = page.locator(f"#eintrag-{item_id(page, titles[0])} button.pr-down")
    down.focus()
    for expected in ([titles[1], titles[0], titles[2]], [titles[1], titles[2], titles[0]]):
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(items_of(page, "Eigene Meldungen")).to_have_text(expected)
        # The focus is back on the button pressed: Enter moves the item on.
        focused = page.evaluate(
            "[document.activeElement.className, document.activeElement.closest('li').id]"
        )
        item = f"eintrag-{item_id(page, titles[0])}"
        assert focused[1] == item
        assert focused[0] == ("pr-down" if expected[2] != titles[0] else "pr-up")
