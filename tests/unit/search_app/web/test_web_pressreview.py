"""The Pressespiegel in the web app (``search_app.web.pressreview``): saved reviews made,
filled from the search and record pages, edited, reordered without JavaScript and by the
script's JSON requests, previewed and downloaded; every change behind a CSRF token; every
bad request a German 4xx page; hostile text escaped everywhere.

Through Flask's test client over real data: the session's archive of ``conftest.py``
(shared by many tests, so each review here has a name of its own) and, where a test needs
records of its own (two at one address, a version added after an item was taken) or a
restart, a fresh data directory built the same way.
"""

from __future__ import annotations

import io
import os
import stat
import uuid
import zipfile
from pathlib import Path

import lxml.html
import pytest

from archive.config import DataDir
from archive.pressreview.rules import MAX_COMMENT, MAX_INTRO, MAX_SECTION_TITLE, MAX_SUMMARY
from archive.store import ArchiveStore
from archive.sync import sync_index
from archive.validation import check
from search_app.web import pressreview_picker, secret_key
from search_app.web.app import create_app
from search_app.web.pressreview_forms import local_path
from tests.unit.search_app.web.conftest import SITE, make_record

TOKEN_XPATH = "//input[@name='csrf_token']/@value"
HOSTILE = (
    "Armut <script>alert('x')</script> {{ 7*7 }} {% raw %} <img src=x onerror=alert(3)> & \"Zitat\""
)
HOSTILE_MARKERS = ("<script>alert('x')", "<img src=x onerror")  # must never come out as markup
TEMPLATE_TEXT = "{{ 7*7 }} {% raw %}"  # must come out as typed, never evaluated


# --- helpers -----------------------------------------------------------------------------


def unique(prefix: str = "t") -> str:
    """A review name no other test uses (the archive is shared)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def tree(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.data or b"<html></html>")


def token_of(client) -> str:
    """Open the Pressespiegel (which gives the session its token) and read the token."""
    response = client.get("/pressespiegel/")
    assert response.status_code == 200
    return tree(response).xpath(TOKEN_XPATH)[0]


def post(client, url: str, data: dict | None = None, **options):
    """POST a form of the Pressespiegel with the session's token."""
    fields = {"csrf_token": token_of(client), **(data or {})}
    return client.post(url, data=fields, **options)


def create(client, title: str = "Pressespiegel Test", **fields) -> str:
    name = fields.pop("name", unique())
    response = post(client, "/pressespiegel/", {"title": title, "name": name, **fields})
    assert response.status_code == 303, response.text
    assert response.headers["Location"].endswith(f"/pressespiegel/{name}")
    return name


def add(client, name: str, record_id: str, **fields):
    return post(client, "/pressespiegel/hinzufuegen",
                {"review": name, "record_id": record_id, **fields})  # fmt: skip


def review_page(client, name: str):
    response = client.get(f"/pressespiegel/{name}")
    assert response.status_code == 200, response.text
    return tree(response)


def item_titles(page) -> list[list[str]]:
    """The shown titles of each section's items, section by section."""
    return [
        [" ".join(t.split()) for t in section.xpath(".//h4[@class='pr-item-title']/text()")]
        for section in page.xpath("//section[@class='pr-section']")
    ]


def item_ids(page) -> list[int]:
    return [int(value) for value in page.xpath("//li[@class='pr-item']/@data-item-id")]


def section_ids(page) -> list[int]:
    return [int(value) for value in page.xpath("//section[@class='pr-section']/@data-section-id")]


def notes(page) -> list[str]:
    return [" ".join(li.text_content().split()) for li in page.xpath("//div[@class='flash']//li")]


def save_records(data_dir: DataDir, crawl_id: str, records: list[dict]) -> None:
    with ArchiveStore(data_dir.store_path) as store:
        store.begin_crawl(crawl_id, f"{SITE}/")
        store.save([check(record) for record in records], crawl_id)
        store.finish_crawl(crawl_id, "finished", apply_removals=False)
        sync_index(data_dir, store)


@pytest.fixture
def fresh(tmp_path: Path):
    """A data directory of its own: two news at one address, a press release, and a
    function that makes an app over it (as often as a test wants: a restart)."""
    data_dir = DataDir(tmp_path / "data").ensure()
    save_records(data_dir, "crawl-1", [
        make_record("wp-1", "news", "Erste Meldung", "2026-03-02"),
        make_record("wp-2", "news", "Zweite Meldung unter derselben Adresse", "2026-03-03",
                    url=f"{SITE}/wp-1/"),
        make_record("wp-3", "press_release", "Eine Pressemitteilung", "2026-03-04"),
    ])  # fmt: skip
    apps = []

    def make_app():
        app = create_app({"TESTING": True, "DATA_DIR": str(data_dir.root)})
        apps.append(app)
        return app

    yield data_dir, make_app
    for app in apps:
        app.extensions["ikpe_archive"].close()


# --- making and listing reviews ------------------------------------------------------------


def test_a_new_review_is_listed_and_has_the_starting_sections(client) -> None:
    name = create(
        client,
        "Pressespiegel März 2026",
        date_from="2026-03",
        date_to="2026-03",
        intro="Liebe Kolleginnen,\n\nhier der Monat.",
    )
    page = review_page(client, name)
    assert page.xpath("string(//h1)") == "Pressespiegel März 2026"
    headings = [
        " ".join(h.text_content().split()) for h in page.xpath("//section[@class='pr-section']//h3")
    ]
    assert headings == ["Eigene Meldungen (0)", "Presse über das IKPE (0)", "Termine (0)"]
    assert (
        page.xpath("string(//textarea[@name='intro'])") == "Liebe Kolleginnen,\n\nhier der Monat."
    )
    assert "März 2026" in page.xpath("string(//p[@class='pr-meta'])")
    listing = tree(client.get("/pressespiegel/"))
    assert f"/pressespiegel/{name}" in listing.xpath("//ul[@class='pr-list']//a/@href")


def test_every_field_of_the_pages_has_a_label(client) -> None:
    name = create(client)
    add(client, name, "wp-102")
    for url in ("/pressespiegel/", f"/pressespiegel/{name}", "/r/wp-101", "/suche?q=Sozialplanung"):
        page = tree(client.get(url))
        fields = page.xpath("//input[not(@type='hidden')] | //select | //textarea")
        assert fields, url
        for field in fields:
            field_id = field.get("id")
            assert field_id and page.xpath(f"//label[@for='{field_id}']"), (url, field_id)


# --- CSRF ------------------------------------------------------------------------------------

# (what the request carries, note): every one is refused with the German 400 page.
REFUSED_REQUESTS = [
    ({}, "no token at all"),
    ({"csrf_token": ""}, "an empty token"),
    ({"csrf_token": "falsch"}, "a wrong token"),
    ({"other_session": True}, "the token of another browser's session"),
    ({"own": True, "Sec-Fetch-Site": "cross-site"}, "the right token, sent by another site"),
    ({"own": True, "Sec-Fetch-Site": "same-site"}, "the right token, from a sibling site"),
]
PROTECTED_POSTS = [
    "/pressespiegel/",
    "/pressespiegel/hinzufuegen",
    "/pressespiegel/{name}/angaben",
    "/pressespiegel/{name}/rubriken",
    "/pressespiegel/{name}/loeschen",
    "/pressespiegel/{name}/reihenfolge",
]


@pytest.mark.parametrize("url", PROTECTED_POSTS)
@pytest.mark.parametrize(("sent", "note"), REFUSED_REQUESTS, ids=[n for _, n in REFUSED_REQUESTS])
def test_a_change_without_the_sessions_token_is_refused(app, client, url, sent, note) -> None:
    name = create(client)
    data = {"title": "Geändert", "review": name, "record_id": "wp-101", "confirm": "1"}
    headers = {}
    if sent.get("own"):
        data["csrf_token"] = token_of(client)
    elif sent.get("other_session"):
        data["csrf_token"] = token_of(app.test_client())
    elif "csrf_token" in sent:
        data["csrf_token"] = sent["csrf_token"]
    if "Sec-Fetch-Site" in sent:
        headers["Sec-Fetch-Site"] = sent["Sec-Fetch-Site"]
    response = client.post(url.format(name=name), data=data, headers=headers)
    assert response.status_code == 400, note
    assert "text/html" in response.content_type
    assert "Das Formular kam nicht von dieser Seite" in response.text
    assert "Fehler 400" in response.text
    assert review_page(client, name).xpath("string(//h1)") == "Pressespiegel Test"  # unchanged


def test_a_change_needs_neither_origin_nor_referer(client) -> None:
    name = create(client)
    response = post(client, f"/pressespiegel/{name}/angaben", {"title": "Ohne Herkunft"})
    assert response.status_code == 303
    assert "Origin" not in response.request.headers and "Referer" not in response.request.headers
    same_origin = post(client, f"/pressespiegel/{name}/angaben", {"title": "Mit Herkunft"},
                       headers={"Sec-Fetch-Site": "same-origin"})  # fmt: skip
    assert same_origin.status_code == 303
    assert review_page(client, name).xpath("string(//h1)") == "Mit Herkunft"


def test_the_script_may_send_the_token_as_a_header(client) -> None:
    name = create(client)
    response = client.post(f"/pressespiegel/{name}/angaben", data={"title": "Per Kopfzeile"},
                           headers={"X-CSRF-Token": token_of(client),
                                    "Accept": "application/json"})  # fmt: skip
    assert response.status_code == 200 and response.json == {"ok": True}


def test_the_session_cookie_is_samesite_and_not_for_scripts(app) -> None:
    client = app.test_client()
    response = client.get("/pressespiegel/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    over_https = app.test_client().get("/pressespiegel/", base_url="https://localhost")
    assert "Secure" in over_https.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "url",
    [
        "/pressespiegel/{name}/angaben",
        "/pressespiegel/{name}/reihenfolge",
        "/pressespiegel/{name}/eintraege/1/hoch",
    ],
)
def test_a_change_by_get_is_not_allowed(client, url) -> None:
    name = create(client)
    response = client.get(url.format(name=name))
    assert response.status_code == 405 and "Methode nicht erlaubt" in response.text


# --- the session key -------------------------------------------------------------------------


def test_the_session_key_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "data" / secret_key.SECRET_KEY_FILE
    first = secret_key.load_or_create(path)
    assert len(first) >= secret_key.MIN_KEY_CHARS
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_key.load_or_create(path) == first
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_a_key_file_without_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / secret_key.SECRET_KEY_FILE
    path.write_text("kurz\n")
    with pytest.raises(secret_key.SecretKeyError):
        secret_key.load_or_create(path)


def test_a_configured_key_is_used_and_no_file_is_made(fresh) -> None:
    data_dir, _ = fresh
    app = create_app({"TESTING": True, "DATA_DIR": str(data_dir.root), "SECRET_KEY": "x" * 40})
    client = app.test_client()
    assert client.get("/pressespiegel/").status_code == 200
    assert not (data_dir.root / secret_key.SECRET_KEY_FILE).exists()
    app.extensions["ikpe_archive"].close()


def test_pages_without_a_session_make_no_key_file(fresh) -> None:
    data_dir, make_app = fresh
    client = make_app().test_client()
    for url in ("/", "/suche?q=Meldung", "/r/wp-1", "/healthz"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
    assert not (data_dir.root / secret_key.SECRET_KEY_FILE).exists()


def test_a_review_and_the_session_survive_a_restart_of_the_app(fresh) -> None:
    data_dir, make_app = fresh
    first = make_app().test_client()
    name = create(first, "Vor dem Neustart")
    assert add(first, name, "wp-3").status_code == 303
    cookie = first.get_cookie("session")
    key_file = data_dir.root / secret_key.SECRET_KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600

    restarted = make_app().test_client()  # another process: same data directory
    restarted.set_cookie("session", cookie.value)
    page = review_page(restarted, name)
    assert page.xpath("string(//h1)") == "Vor dem Neustart"
    assert item_titles(page)[0] == ["Eine Pressemitteilung"]
    # The form opened before the restart still works: the key came from the data directory.
    token = page.xpath(TOKEN_XPATH)[0]
    response = restarted.post(f"/pressespiegel/{name}/angaben",
                              data={"csrf_token": token, "title": "Nach dem Neustart"})  # fmt: skip
    assert response.status_code == 303
    assert review_page(restarted, name).xpath("string(//h1)") == "Nach dem Neustart"


# --- "zum Pressespiegel" on the search and record pages --------------------------------------


def test_public_pages_show_no_review_and_no_form(app, client) -> None:
    create(client, "Geheimer Vorstandsspiegel")  # in the team's browser
    public = app.test_client()
    for url in ("/suche?q=Sozialplanung", "/r/wp-102"):
        response = public.get(url)
        assert response.status_code == 200
        assert "Geheimer Vorstandsspiegel" not in response.text, url
        page = tree(response)
        assert not page.xpath("//form[@method='post']"), url
        assert not page.xpath("//button[@form='zum-pressespiegel']"), url
        assert "Set-Cookie" not in response.headers, url


def test_the_search_page_of_the_team_adds_one_hit_and_comes_back_to_it(client) -> None:
    name = create(client, "Aus der Suche")
    page = tree(client.get("/suche?q=Sozialplanung&type=press_release"))
    form = page.xpath("//form[@id='zum-pressespiegel']")[0]
    assert form.get("action") == "/pressespiegel/hinzufuegen"
    assert name in form.xpath(".//select[@name='review']/option/@value")
    assert form.xpath(".//input[@name='q']/@value") == ["Sozialplanung"]
    assert form.xpath(".//input[@name='type']/@value") == ["press_release"]
    buttons = page.xpath("//li[@class='hit']//button[@form='zum-pressespiegel']")
    assert [b.get("value") for b in buttons] == ["wp-102"]
    next_url = form.xpath(".//input[@name='next']/@value")[0]

    response = post(client, "/pressespiegel/hinzufuegen", {
        "review": name, "record_id": "wp-102", "next": next_url, "at_hit": "1",
        "q": "Sozialplanung", "type": "press_release",
    })  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == f"{next_url}#hit-wp-102"
    back = tree(client.get(response.headers["Location"]))
    assert notes(back) == ["„Sozialplanung in Jena“ steht jetzt im Pressespiegel „Aus der Suche“."]
    assert back.xpath("//li[@id='hit-wp-102']")
    # The review chosen last is chosen again.
    assert back.xpath("//select[@id='pr-ziel']/option[@selected]/@value") == [name]
    assert item_titles(review_page(client, name)) == [["Sozialplanung in Jena"], [], []]


def test_the_record_page_of_the_team_adds_its_record(client) -> None:
    name = create(client, "Von der Eintragsseite")
    page = tree(client.get("/r/wp-103"))
    form = page.xpath("//section[@class='pr-add']//form")[0]
    assert form.xpath(".//input[@name='record_id']/@value") == ["wp-103"]
    assert form.xpath(".//input[@name='next']/@value") == ["/r/wp-103"]
    response = add(client, name, "wp-103", next="/r/wp-103")
    assert response.status_code == 303 and response.headers["Location"] == "/r/wp-103"
    assert notes(tree(client.get("/r/wp-103"))) == [
        "„Fachtag Sozialplanung“ steht jetzt im Pressespiegel „Von der Eintragsseite“."
    ]
    page = review_page(client, name)
    assert item_titles(page) == [[], [], ["Fachtag Sozialplanung"]]  # in "Termine"
    item = page.xpath("//li[@class='pr-item']")[0]
    assert item.xpath(".//a[text()='Version 1']/@href") == ["/r/wp-103/v/1"]
    assert "/r/wp-103" in item.xpath(".//a/@href")


def test_without_a_saved_review_the_pages_link_to_making_one(fresh) -> None:
    _, make_app = fresh
    client = make_app().test_client()
    token_of(client)
    for url in ("/suche?q=Meldung", "/r/wp-1"):
        page = tree(client.get(url))
        assert page.xpath("//a[text()='Pressespiegel anlegen']/@href") == ["/pressespiegel/#neu"]
        assert not page.xpath("//button[@form='zum-pressespiegel']")


# (first record, second record, the note that refuses the second)
DUPLICATES = [
    ("wp-1", "wp-1", "„Erste Meldung“ steht schon im Pressespiegel."),
    (
        "wp-1",
        "wp-2",
        "„Zweite Meldung unter derselben Adresse“ hat dieselbe Adresse wie "
        "„Erste Meldung“, das schon im Pressespiegel steht.",
    ),
]


@pytest.mark.parametrize(("first", "second", "note"), DUPLICATES)
def test_a_duplicate_is_refused_with_a_note(fresh, first, second, note) -> None:
    _, make_app = fresh
    client = make_app().test_client()
    name = create(client)
    assert add(client, name, first).status_code == 303
    response = add(client, name, second)
    assert response.status_code == 303
    page = tree(client.get(response.headers["Location"]))
    assert notes(page) == [note]
    assert item_titles(page)[0] == ["Erste Meldung"]


def test_all_hits_of_a_search_are_added_with_its_filters(client) -> None:
    name = create(client)
    add(client, name, "wp-200")  # already there: refused, the rest added
    response = post(client, "/pressespiegel/hinzufuegen", {
        "review": name, "all": "1", "q": "Sozialplanung", "type": "news", "place": "Weimar",
        "sort": "date", "next": "/suche?q=Sozialplanung",
    })  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pressespiegel/{name}"
    page = review_page(client, name)
    titles = item_titles(page)[0]
    assert titles[0] == "Meldung 1 zur Sozialplanung" and len(titles) == 12
    assert notes(page) == [
        "11 Einträge zum Pressespiegel „Pressespiegel Test“ hinzugefügt.",
        "„Meldung 1 zur Sozialplanung“ steht schon im Pressespiegel.",
    ]


def test_more_hits_than_the_limit_are_refused_and_said_so(client, monkeypatch) -> None:
    monkeypatch.setattr(pressreview_picker, "MAX_ITEMS", 5)  # the library's 500, made small
    name = create(client)
    response = post(
        client,
        "/pressespiegel/hinzufuegen",
        {"review": name, "all": "1", "q": "Sozialplanung", "next": "/suche?q=x"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/suche?q=x"
    page = tree(client.get("/suche?q=Sozialplanung"))
    assert notes(page)[0].startswith("Die Suche hat ")
    assert "höchstens 5 übernehmen" in notes(page)[0]
    assert not page.xpath("//button[@name='all']")  # the page says so instead of offering it
    assert "Mehr als 5 Treffer" in page.xpath("string(//form[@id='zum-pressespiegel'])")
    assert item_titles(review_page(client, name)) == [[], [], []]


def test_refusals_of_a_whole_search_are_counted_not_all_quoted(client) -> None:
    name = create(client)
    search = {"review": name, "all": "1", "q": "Sozialplanung", "type": "news"}
    post(client, "/pressespiegel/hinzufuegen", search)
    review_page(client, name)  # the notes of the first time are read
    post(client, "/pressespiegel/hinzufuegen", search)
    shown = notes(review_page(client, name))
    assert len(shown) == 4 and shown[-1].endswith("weitere Einträge nicht hinzugefügt.")


# The address to return to: only a path on this site.
RETURN_PATHS = [
    ("/suche?q=Armut&type=news", "/suche?q=Armut&type=news"),
    ("/r/wp-101", "/r/wp-101"),
    ("//evil.example/", "/fallback"),
    ("https://evil.example/", "/fallback"),
    ("/\\evil.example", "/fallback"),
    ("javascript:alert(1)", "/fallback"),
    ("/suche\r\nSet-Cookie: x=1", "/fallback"),
    ("", "/fallback"),
    (None, "/fallback"),
    ("/" + "a" * 5000, "/fallback"),
]


@pytest.mark.parametrize(("value", "expected"), RETURN_PATHS)
def test_the_page_to_return_to_is_a_path_of_this_site(value, expected) -> None:
    assert local_path(value, "/fallback") == expected


def test_a_foreign_return_address_goes_to_the_review_instead(client) -> None:
    name = create(client)
    response = add(client, name, "wp-101", next="https://evil.example/")
    assert response.headers["Location"] == f"/pressespiegel/{name}"


# --- editing -----------------------------------------------------------------------------------


def filled(client, *record_ids: str, title: str = "Pressespiegel Test") -> tuple[str, dict]:
    """A new review holding ``record_ids`` (in that order); its name and the item id of
    each record."""
    name = create(client, title)
    for record_id in record_ids:
        assert add(client, name, record_id).status_code == 303
    page = review_page(client, name)
    ids = {}
    for item in page.xpath("//li[@class='pr-item']"):
        record = item.xpath(".//a[text()='Im Archiv']/@href")[0].rsplit("/", 1)[-1]
        ids[record] = int(item.get("data-item-id"))
    return name, ids


def test_title_period_and_introduction_are_saved(client) -> None:
    name = create(client)
    response = post(client, f"/pressespiegel/{name}/angaben", {
        "title": "Vorstand April", "date_from": "2026-04-01", "date_to": "2026-04-30",
        "intro": "Erster Absatz.\n\nZweiter Absatz.",
    })  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pressespiegel/{name}#angaben"
    page = review_page(client, name)
    assert page.xpath("string(//h1)") == "Vorstand April"
    assert page.xpath("//input[@name='date_from']/@value") == ["2026-04-01"]
    assert page.xpath("string(//textarea[@name='intro'])") == "Erster Absatz.\n\nZweiter Absatz."
    assert notes(page) == ["Angaben gespeichert."]


def test_an_item_gets_a_display_title_summary_and_comment(client) -> None:
    name, ids = filled(client, "wp-102")
    item = ids["wp-102"]
    page = review_page(client, name)
    assert page.xpath(f"string(//li[@id='eintrag-{item}']//textarea[@name='summary'])") == (
        "Sozialplanung in Jena. Ein Text über Sozialplanung in Thüringen."
    )  # prefilled from the record's summary
    response = post(client, f"/pressespiegel/{name}/eintraege/{item}", {
        "display_title": "Jena plant sozial", "summary": "Kurz gesagt.", "comment": "Wichtig!",
    })  # fmt: skip
    assert response.headers["Location"] == f"/pressespiegel/{name}#eintrag-{item}"
    entry = review_page(client, name).xpath(f"//li[@id='eintrag-{item}']")[0]
    assert entry.xpath("string(.//h4)") == "Jena plant sozial"
    assert entry.xpath("string(.//p[@class='subtitle'])") == "Originaltitel: Sozialplanung in Jena"
    assert entry.xpath("string(.//p[@class='pr-summary'])") == "Kurz gesagt."
    assert "Wichtig!" in entry.xpath("string(.//p[@class='pr-comment'])")
    post(client, f"/pressespiegel/{name}/eintraege/{item}", {"display_title": ""})
    entry = review_page(client, name).xpath(f"//li[@id='eintrag-{item}']")[0]
    assert entry.xpath("string(.//h4)") == "Sozialplanung in Jena"
    assert not entry.xpath(".//p[@class='subtitle']")
    assert entry.xpath("string(.//p[@class='pr-summary'])") == "Kurz gesagt."  # kept


# (record, whether its item offers the full text)
FULL_TEXT_OFFERED = [
    ("wp-101", True),  # news
    ("wp-102", True),  # press release
    ("wp-103", False),  # event
    ("pub-fedcba9876543210", False),  # press coverage: never copied
    ("pub-0123456789abcdef", False),  # publication
]


@pytest.mark.parametrize(("record_id", "offered"), FULL_TEXT_OFFERED)
def test_the_full_text_checkbox_is_offered_only_where_allowed(client, record_id, offered) -> None:
    name, ids = filled(client, record_id)
    entry = review_page(client, name).xpath(f"//li[@id='eintrag-{ids[record_id]}']")[0]
    assert bool(entry.xpath(".//input[@name='full_text']")) is offered
    if offered:
        post(
            client,
            f"/pressespiegel/{name}/eintraege/{ids[record_id]}",
            {"full_text": "1", "full_text_shown": "1"},
        )
        entry = review_page(client, name).xpath(f"//li[@id='eintrag-{ids[record_id]}']")[0]
        assert entry.xpath(".//input[@name='full_text']/@checked")
        assert entry.xpath("string(.//p[contains(@class, 'pr-flag')])") == "Mit Volltext"
        post(client, f"/pressespiegel/{name}/eintraege/{ids[record_id]}", {"full_text_shown": "1"})
        entry = review_page(client, name).xpath(f"//li[@id='eintrag-{ids[record_id]}']")[0]
        assert not entry.xpath(".//input[@name='full_text']/@checked")


def test_the_full_text_of_press_coverage_is_refused_with_a_note(client) -> None:
    name, ids = filled(client, "pub-fedcba9876543210")
    item = ids["pub-fedcba9876543210"]
    response = post(
        client,
        f"/pressespiegel/{name}/eintraege/{item}",
        {"comment": "Guter Artikel", "full_text": "1", "full_text_shown": "1"},
    )
    assert response.status_code == 303
    page = review_page(client, name)
    assert notes(page) == [
        "Den Volltext gibt es nur für eigene Meldungen und Pressemitteilungen, nicht für: "
        "Pressebericht."
    ]
    entry = page.xpath(f"//li[@id='eintrag-{item}']")[0]
    assert "Guter Artikel" in entry.xpath("string(.//p[@class='pr-comment'])")  # not lost
    assert not entry.xpath(".//p[contains(@class, 'pr-flag')]")
    assert "Thüringer Allgemeine" in entry.xpath("string(.//p[@class='pr-facts'])")  # outlet


# --- ordering ----------------------------------------------------------------------------------


def test_up_and_down_work_without_javascript(client) -> None:
    name, ids = filled(client, "wp-101", "wp-102", "wp-200")
    first, second, third = ids["wp-101"], ids["wp-102"], ids["wp-200"]
    page = review_page(client, name)
    entry = page.xpath(f"//li[@id='eintrag-{first}']")[0]
    assert entry.xpath(".//button[contains(@class,'pr-up')]/@disabled")  # the first one
    assert not entry.xpath(".//button[contains(@class,'pr-down')]/@disabled")

    response = post(client, f"/pressespiegel/{name}/eintraege/{third}/hoch")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pressespiegel/{name}#eintrag-{third}"
    assert item_ids(review_page(client, name)) == [first, third, second]
    post(client, f"/pressespiegel/{name}/eintraege/{first}/runter")
    assert item_ids(review_page(client, name)) == [third, first, second]
    post(client, f"/pressespiegel/{name}/eintraege/{third}/hoch")  # already first: stays
    assert item_ids(review_page(client, name)) == [third, first, second]
    positions = review_page(client, name).xpath("//span[@class='pr-pos']/text()")
    assert positions == ["1", "2", "3"]


def test_an_item_moves_to_another_section_with_the_select(client) -> None:
    name, ids = filled(client, "wp-101", "wp-102")
    page = review_page(client, name)
    events = section_ids(page)[2]
    entry = page.xpath(f"//li[@id='eintrag-{ids['wp-102']}']")[0]
    assert entry.xpath(".//select[@name='section']/option[@selected]/@value") == [
        str(section_ids(page)[0])
    ]
    response = post(
        client,
        f"/pressespiegel/{name}/eintraege/{ids['wp-102']}/verschieben",
        {"section": str(events)},
    )
    assert response.headers["Location"].endswith(f"#eintrag-{ids['wp-102']}")
    assert item_titles(review_page(client, name)) == [
        ["Präventionsketten in Thüringen"],
        [],
        ["Sozialplanung in Jena"],
    ]


def test_the_script_reorders_and_moves_with_json(client) -> None:
    name, ids = filled(client, "wp-101", "wp-102", "wp-200")
    own, press, _ = section_ids(review_page(client, name))
    json = {"Accept": "application/json"}
    order = [ids["wp-200"], ids["wp-101"], ids["wp-102"]]
    response = post(
        client,
        f"/pressespiegel/{name}/reihenfolge",
        {"section": str(own), "item": [str(i) for i in order]},
        headers=json,
    )
    assert response.status_code == 200 and response.json == {"ok": True}
    assert item_ids(review_page(client, name)) == order

    response = post(
        client,
        f"/pressespiegel/{name}/eintraege/{ids['wp-101']}/verschieben",
        {"section": str(press), "position": "0"},
        headers=json,
    )
    assert response.json == {"ok": True}
    assert item_titles(review_page(client, name))[:2] == [
        ["Meldung 1 zur Sozialplanung", "Sozialplanung in Jena"],
        ["Präventionsketten in Thüringen"],
    ]
    # An order that leaves an item out is refused, in JSON, with the library's sentence.
    response = post(
        client,
        f"/pressespiegel/{name}/reihenfolge",
        {"section": str(own), "item": [str(ids["wp-102"])]},
        headers=json,
    )
    assert response.status_code == 400
    assert response.json["ok"] is False and "genau einmal" in response.json["message"]


def test_an_item_is_removed(client) -> None:
    name, ids = filled(client, "wp-101", "wp-102")
    response = post(client, f"/pressespiegel/{name}/eintraege/{ids['wp-101']}/entfernen")
    assert response.status_code == 303
    page = review_page(client, name)
    assert item_titles(page)[0] == ["Sozialplanung in Jena"]
    assert notes(page) == ["„Präventionsketten in Thüringen“ entfernt."]


def test_sections_are_added_renamed_and_removed_when_empty(client) -> None:
    name, ids = filled(client, "wp-101")
    post(client, f"/pressespiegel/{name}/rubriken", {"title": "Veranstaltungsberichte"})
    page = review_page(client, name)
    own, _, _, added = section_ids(page)
    post(client, f"/pressespiegel/{name}/rubriken/{added}", {"title": "Berichte"})
    headings = review_page(client, name).xpath("//section[@class='pr-section']//h3/text()")
    assert [h.strip() for h in headings][-1] == "Berichte"
    # A section with items stays, and says why.
    response = post(client, f"/pressespiegel/{name}/rubriken/{own}/entfernen")
    assert response.headers["Location"] == f"/pressespiegel/{name}#rubrik-{own}"
    page = review_page(client, name)
    assert notes(page) == ["Die Rubrik enthält noch Einträge: erst verschieben oder entfernen."]
    assert own in section_ids(page)
    post(client, f"/pressespiegel/{name}/rubriken/{added}/entfernen")
    assert added not in section_ids(review_page(client, name))


def test_a_review_is_deleted_only_when_confirmed(client) -> None:
    name = create(client, "Zum Löschen")
    response = post(client, f"/pressespiegel/{name}/loeschen")
    assert response.headers["Location"] == f"/pressespiegel/{name}#loeschen"
    assert notes(review_page(client, name)) == [
        "Zum Löschen bitte das Kästchen „Ja, diesen Pressespiegel löschen“ ankreuzen."
    ]
    response = post(client, f"/pressespiegel/{name}/loeschen", {"confirm": "1"})
    assert response.headers["Location"] == "/pressespiegel/"
    assert notes(tree(client.get("/pressespiegel/"))) == ["Pressespiegel „Zum Löschen“ gelöscht."]
    assert client.get(f"/pressespiegel/{name}").status_code == 404


def test_a_newer_version_is_noted_and_can_be_taken(fresh) -> None:
    data_dir, make_app = fresh
    client = make_app().test_client()
    name, ids = filled(client, "wp-3")
    item = ids["wp-3"]
    entry = review_page(client, name).xpath(f"//li[@id='eintrag-{item}']")[0]
    assert not entry.xpath(".//form[@class='pr-newer']")
    # The nightly saves a changed version of the record.
    save_records(
        data_dir,
        "crawl-2",
        [make_record("wp-3", "press_release", "Eine Pressemitteilung, berichtigt", "2026-03-04")],
    )
    page = review_page(client, name)
    entry = page.xpath(f"//li[@id='eintrag-{item}']")[0]
    assert "neuere Version vorhanden" in entry.xpath("string(.//form[@class='pr-newer'])")
    assert entry.xpath("string(.//h4)") == "Eine Pressemitteilung"  # the version taken
    assert entry.xpath(".//a[text()='Version 1']/@href") == ["/r/wp-3/v/1"]
    assert entry.xpath(".//a[text()='Änderungen ansehen']/@href") == ["/r/wp-3/diff?a=1&b=2"]
    assert "1 Eintrag hat" in page.xpath("string(//p[@class='notice'])")

    response = post(client, f"/pressespiegel/{name}/eintraege/{item}/neue-version")
    assert response.headers["Location"].endswith(f"#eintrag-{item}")
    entry = review_page(client, name).xpath(f"//li[@id='eintrag-{item}']")[0]
    assert entry.xpath("string(.//h4)") == "Eine Pressemitteilung, berichtigt"
    assert entry.xpath(".//a[text()='Version 2']/@href") == ["/r/wp-3/v/2"]
    assert not entry.xpath(".//form[@class='pr-newer']")


# --- bad requests: a German 4xx page, never a 500 ----------------------------------------------

# (method, URL, form fields, status, words of the German message); {name} is a review
# holding wp-101 as item {item} in section {section}.
BAD_REQUESTS = [
    ("GET", "/pressespiegel/gibt-es-nicht", {}, 404, "gibt es nicht"),
    ("GET", "/pressespiegel/Gross_Und_Falsch", {}, 404, "Nicht gefunden"),
    ("GET", "/pressespiegel/gibt-es-nicht/vorschau", {}, 404, "gibt es nicht"),
    ("GET", "/pressespiegel/gibt-es-nicht.pdf", {}, 404, "gibt es nicht"),
    ("GET", "/pressespiegel/{name}.exe", {}, 404, "Nicht gefunden"),
    ("POST", "/pressespiegel/gibt-es-nicht/angaben", {"title": "x"}, 404, "gibt es nicht"),
    (
        "POST",
        "/pressespiegel/hinzufuegen",
        {"review": "gibt-es-nicht", "record_id": "wp-101"},
        404,
        "gibt es nicht",
    ),
    (
        "POST",
        "/pressespiegel/hinzufuegen",
        {"review": "", "record_id": "wp-101"},
        400,
        "Pressespiegel auswählen",
    ),
    (
        "POST",
        "/pressespiegel/hinzufuegen",
        {"review": "{name}", "record_id": "<script>"},
        400,
        "keine Kennung",
    ),
    ("POST", "/pressespiegel/hinzufuegen", {"review": "{name}"}, 400, "keine Kennung"),
    (
        "POST",
        "/pressespiegel/hinzufuegen",
        {"review": "{name}", "record_id": "wp-999999"},
        404,
        "gibt es im Archiv nicht",
    ),
    (
        "POST",
        "/pressespiegel/hinzufuegen",
        {"review": "{name}", "all": "1", "from": "2026-13"},
        400,
        "kein Datum",
    ),
    (
        "POST",
        "/pressespiegel/hinzufuegen",
        {"review": "{name}", "all": "1", "type": "nix"},
        400,
        "Unbekannter Typ",
    ),
    (
        "POST",
        "/pressespiegel/{name}/eintraege/999999999",
        {"comment": "x"},
        404,
        "keinen Eintrag 999999999",
    ),
    ("POST", "/pressespiegel/{name}/eintraege/999999999/hoch", {}, 404, "keinen Eintrag"),
    ("POST", "/pressespiegel/{name}/eintraege/999999999/entfernen", {}, 404, "keinen Eintrag"),
    ("POST", "/pressespiegel/{name}/eintraege/999999999/neue-version", {}, 404, "keinen Eintrag"),
    (
        "POST",
        "/pressespiegel/{name}/eintraege/{item}/verschieben",
        {"section": "abc"},
        400,
        "keine gültige Nummer",
    ),
    (
        "POST",
        "/pressespiegel/{name}/eintraege/{item}/verschieben",
        {"section": "999999999"},
        404,
        "keine Rubrik 999999999",
    ),
    (
        "POST",
        "/pressespiegel/{name}/eintraege/{item}/verschieben",
        {"section": "{section}", "position": "-1"},
        400,
        "keine gültige Nummer",
    ),
    (
        "POST",
        "/pressespiegel/{name}/reihenfolge",
        {"section": "{section}", "item": "x"},
        400,
        "keine gültige Nummer",
    ),
    ("POST", "/pressespiegel/{name}/rubriken/999999999", {"title": "x"}, 404, "keine Rubrik"),
    ("POST", "/pressespiegel/{name}/rubriken", {"title": "  "}, 400, "bitte einen Text"),
    ("POST", "/pressespiegel/{name}/angaben", {"title": ""}, 400, "bitte einen Text"),
    (
        "POST",
        "/pressespiegel/{name}/angaben",
        {"title": "x", "date_from": "März"},
        400,
        "kein Datum",
    ),
    (
        "POST",
        "/pressespiegel/{name}/angaben",
        {"title": "x", "date_from": "2026-05", "date_to": "2026-04"},
        400,
        "nach seinem Ende",
    ),
    ("POST", "/pressespiegel/", {"title": "x", "name": "Mit Leerzeichen"}, 400, "Kurzname"),
    ("POST", "/pressespiegel/", {"title": "x", "name": "{name}"}, 400, "gibt es schon"),
    # Too long: the press review's limits, one character over.
    ("POST", "/pressespiegel/", {"title": "x" * 301}, 400, "höchstens 300 Zeichen"),
    (
        "POST",
        "/pressespiegel/{name}/angaben",
        {"title": "x", "intro": "x" * (MAX_INTRO + 1)},
        400,
        f"höchstens {MAX_INTRO} Zeichen",
    ),
    (
        "POST",
        "/pressespiegel/{name}/rubriken",
        {"title": "x" * (MAX_SECTION_TITLE + 1)},
        400,
        f"höchstens {MAX_SECTION_TITLE} Zeichen",
    ),
    (
        "POST",
        "/pressespiegel/{name}/eintraege/{item}",
        {"display_title": "x" * 301},
        400,
        "höchstens 300 Zeichen",
    ),
    (
        "POST",
        "/pressespiegel/{name}/eintraege/{item}",
        {"summary": "x" * (MAX_SUMMARY + 1)},
        400,
        f"höchstens {MAX_SUMMARY} Zeichen",
    ),
    (
        "POST",
        "/pressespiegel/{name}/eintraege/{item}",
        {"comment": "x" * (MAX_COMMENT + 1)},
        400,
        f"höchstens {MAX_COMMENT} Zeichen",
    ),
]


@pytest.mark.parametrize(("method", "url", "fields", "status", "words"), BAD_REQUESTS)
def test_a_bad_request_gets_a_german_page(client, method, url, fields, status, words) -> None:
    name, ids = filled(client, "wp-101")
    context = {"name": name, "item": ids["wp-101"],
               "section": section_ids(review_page(client, name))[0]}  # fmt: skip
    url = url.format(**context)
    if method == "GET":
        response = client.get(url)
    else:
        response = post(client, url, {k: v.format(**context) for k, v in fields.items()})
    assert response.status_code == status, response.text[:500]
    assert "text/html" in response.content_type
    assert f"Fehler {status}" in response.text and words in response.text
    assert "Traceback" not in response.text


def test_a_review_page_of_an_error_links_back_to_the_review(client) -> None:
    name = create(client)
    response = post(client, f"/pressespiegel/{name}/angaben", {"title": ""})
    assert tree(response).xpath("//a[text()='Zurück zum Pressespiegel']/@href") == [
        f"/pressespiegel/{name}"
    ]


# --- hostile text ------------------------------------------------------------------------------


def test_hostile_text_is_text_on_every_page(client) -> None:
    name = create(client, HOSTILE, intro=HOSTILE)
    add(client, name, "wp-104")  # the archive's own hostile record
    page = review_page(client, name)
    item = int(page.xpath("//li[@class='pr-item']/@data-item-id")[0])
    post(
        client,
        f"/pressespiegel/{name}/eintraege/{item}",
        {"display_title": HOSTILE, "summary": HOSTILE, "comment": HOSTILE},
    )
    post(client, f"/pressespiegel/{name}/rubriken", {"title": HOSTILE[:120]})
    add(client, name, "wp-104", next="/r/wp-104")  # refused: the note quotes the title
    # (URL, whether the page shows the review's or the item's text)
    pages = [("/r/wp-104", True), ("/pressespiegel/", True), (f"/pressespiegel/{name}", True),
             (f"/pressespiegel/{name}/vorschau", True), (f"/pressespiegel/{name}/dokument", True),
             ("/suche?q=Armut", True)]  # fmt: skip
    for url, shows_it in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        for marker in HOSTILE_MARKERS:
            assert marker not in response.text, (url, marker)
        assert (TEMPLATE_TEXT in response.text) is shows_it, url
        found = tree(response)
        assert not found.xpath("//script[not(@src)] | //*[@onerror] | //*[@onload]"), url
    page = review_page(client, name)
    assert page.xpath("string(//h1)") == HOSTILE
    assert page.xpath("string(//textarea[@name='intro'])") == HOSTILE
    assert page.xpath(f"string(//li[@id='eintrag-{item}']//h4)") == HOSTILE
    assert page.xpath(f"//li[@id='eintrag-{item}']//input[@name='display_title']/@value") == [
        HOSTILE
    ]
    assert HOSTILE[:120].strip() in page.xpath("//section[@class='pr-section']//h3/text()")[-1]
    document = tree(client.get(f"/pressespiegel/{name}/dokument"))
    assert document.xpath("string(//h1[contains(@class,'cover-title')])") == HOSTILE
    markdown = client.get(f"/pressespiegel/{name}.md").text  # escaped for Markdown
    assert "<script>" not in markdown and r"\{\{ 7\*7 \}\}" in markdown


# --- the preview and the downloads -------------------------------------------------------------


def test_the_preview_frames_the_document_within_the_policy(client) -> None:
    name, _ = filled(client, "wp-101", "pub-fedcba9876543210", title="Vorschau-Test")
    post(client, f"/pressespiegel/{name}/angaben", {"title": "Vorschau-Test", "intro": "Hallo."})
    response = client.get(f"/pressespiegel/{name}/vorschau")
    page = tree(response)
    frame = page.xpath("//iframe")[0]
    assert frame.get("src") == f"/pressespiegel/{name}/dokument"
    assert frame.get("sandbox") == "allow-same-origin"  # no script may run in it
    assert frame.get("title")
    links = page.xpath("//ul[@class='pr-doc-links']//a[@download]")
    assert [a.get("download") for a in links] == [f"{name}.pdf", f"{name}.docx", f"{name}.md"]

    document = client.get(f"/pressespiegel/{name}/dokument")
    assert document.status_code == 200 and document.mimetype == "text/html"
    assert "script-src 'self'" in document.headers["Content-Security-Policy"]
    doc = tree(document)
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["/pressespiegel/dokument.css"]
    assert not doc.xpath("//*[@style] | //style | //script")
    assert [h.strip() for h in doc.xpath("//h2[@class='item-title']/text()")] == [
        "Präventionsketten in Thüringen",
        "Erfurter Institut berät Landkreise",
    ]
    assert "Hallo." in doc.xpath("string(//section[@class='intro'])")
    assert "Nur für den internen Gebrauch" in document.text  # third-party coverage listed
    # Links into the archive name the app's own address.
    assert "http://localhost/r/wp-101/v/2" in doc.xpath("//a/@href")

    css = client.get("/pressespiegel/dokument.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "@page" in css.text and "@media screen" in css.text


@pytest.mark.parametrize(
    "url", ["/pressespiegel/", "/pressespiegel/{name}", "/pressespiegel/{name}/vorschau"]
)
def test_the_pages_load_nothing_from_elsewhere(client, url) -> None:
    name, _ = filled(client, "wp-101")
    page = tree(client.get(url.format(name=name)))
    assets = page.xpath("//script/@src | //link[@rel='stylesheet']/@href")
    assert assets and all(a.startswith("/static/") for a in assets)
    assert "/static/pressreview.js" in assets or url == "/pressespiegel/"
    assert not page.xpath("//script[not(@src)] | //*[@style] | //style")
    assert page.xpath("//iframe[not(@sandbox)]") == []


# (format, media type, how the file starts)
DOWNLOADS = [
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    ("md", "text/markdown; charset=utf-8", b"# "),
]


@pytest.mark.parametrize(("fmt", "media_type", "start"), DOWNLOADS)
def test_each_format_is_downloaded_as_a_named_file(client, fmt, media_type, start) -> None:
    name, _ = filled(client, "wp-102", "wp-101", title="Download-Test")
    response = client.get(f"/pressespiegel/{name}.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
    assert response.data.startswith(start)
    if fmt == "md":
        text = response.text
        assert text.index("Sozialplanung in Jena") < text.index("Präventionsketten in Thüringen")
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(response.data)) as docx:
            assert "word/document.xml" in docx.namelist()
