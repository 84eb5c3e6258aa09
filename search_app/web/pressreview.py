"""The Pressespiegel in the browser: saved press reviews, composed and edited under
``/pressespiegel/``.

=============================================  ============================================
``GET  /pressespiegel/``                       the saved reviews; the form for a new one
``POST /pressespiegel/``                       create one
``GET  /pressespiegel/<name>``                 a review: its details, sections and items
``POST /pressespiegel/<name>/angaben``         title, period, introduction
``POST /pressespiegel/<name>/loeschen``        delete the review (confirmed)
``POST /pressespiegel/<name>/rubriken[/<id>]`` add a section; rename one
``POST …/rubriken/<id>/entfernen``             remove an empty section
``POST …/eintraege/<id>``                      display title, summary, comment, full text
``POST …/eintraege/<id>/hoch|runter``          one place up or down (works without script)
``POST …/eintraege/<id>/verschieben``          to a section (and position: drag and drop)
``POST …/eintraege/<id>/neue-version``         take the record's newest version
``POST …/eintraege/<id>/entfernen``            take the item out
``POST /pressespiegel/<name>/reihenfolge``     a section's new order (drag and drop)
``POST /pressespiegel/hinzufuegen``            records from a search or a record page
``GET  /pressespiegel/<name>/vorschau``        the document as it will be exported;
                                               ``…/dokument``, ``<name>.pdf|docx|md``
=============================================  ============================================

Every change is a POST with the session's CSRF token (``search_app.web.csrf``), answered
with a redirect back to the place on the page it was made (``#eintrag-<id>``), so the page
works without JavaScript; ``static/pressreview.js`` adds drag and drop and asks for JSON
(``Accept: application/json``) instead. The library's refusals a person can act on (a
duplicate, the full text of press coverage, a section that still holds items) come back
as a note on the page; a value that cannot be used is a German 400 page, an unknown review
or item a 404. Views only call ``Archive.press_reviews()``.

Over 400 lines on purpose: the routes of the table above are one blueprint; its forms'
checks, the picker and the documents already live in modules of their own beside it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, IntegerConverter

from archive.pressreview.errors import (
    CompositionNotFoundError,
    ItemNotFoundError,
    PressReviewError,
)
from archive.pressreview.model import Composition
from archive.pressreview.rules import (
    MAX_COMMENT,
    MAX_INTRO,
    MAX_SECTION_TITLE,
    MAX_SUMMARY,
    MAX_TITLE,
)
from archive.pressreview.service import PressReviews
from search_app.web import csrf, errors
from search_app.web import pressreview_documents as documents
from search_app.web import pressreview_forms as forms
from search_app.web.context import get_archive
from search_app.web.pressreview_picker import LAST_REVIEW_KEY, add_records, picker

bp = Blueprint("pressreview", __name__, url_prefix="/pressespiegel")


class ReviewNameConverter(BaseConverter):
    """A saved review's name: lower-case letters, digits and hyphens (``rules.NAME``)."""

    regex = r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?"


class RowIdConverter(IntegerConverter):
    """A section's or an item's number, at most ``forms.MAX_NUMBER``: a larger one is a 404
    at routing, never a number SQLite cannot take (it raised ``OverflowError``, a 500)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, max=forms.MAX_NUMBER)


@bp.record_once
def _install(state) -> None:
    state.app.url_map.converters["review_name"] = ReviewNameConverter
    state.app.url_map.converters["row_id"] = RowIdConverter
    # Functions, not values: a page that shows no form asks nothing of the session. As
    # globals, so that imported macros see them too.
    state.app.jinja_env.globals.update(
        csrf_token=csrf.token,
        press_review_editor=csrf.has_token,
        press_review_picker=picker,
    )


@bp.before_request
def _protect() -> None:
    if request.method == "POST":
        csrf.check()


def _reviews() -> PressReviews:
    return get_archive().press_reviews()


# --- errors ------------------------------------------------------------------------------


def wants_json() -> bool:
    """True for the page's script, which asks for JSON; False for a form sent by the
    browser itself."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _error(status: int, detail: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(ok=False, message=detail), status
    name = (request.view_args or {}).get("name")
    back = url_for(".review", name=name) if name and status != 404 else url_for(".index")
    title = errors.GERMAN_ERRORS[status][0]
    page = render_template("error.html", status=status, title=title, detail=detail, back=back)
    return page, status


@bp.errorhandler(CompositionNotFoundError)
@bp.errorhandler(ItemNotFoundError)
def _not_found(error: PressReviewError):
    return _error(404, str(error))


@bp.errorhandler(PressReviewError)
def _refused(error: PressReviewError):
    return _error(400, str(error))


@bp.errorhandler(400)
@bp.errorhandler(404)
def _http_error(error: HTTPException):
    status = error.code or 400
    # Werkzeug's own descriptions are English; only ours are shown on a German page.
    detail = error.description if getattr(error, "german", False) else None
    return _error(status, detail or errors.GERMAN_ERRORS[status][1])


def _back(name: str, anchor: str | None = None) -> Response:
    """Back to the review page (at ``anchor``) after a change; ``{"ok": true}`` for the
    script."""
    if wants_json():
        return jsonify(ok=True)
    url = url_for(".review", name=name) + (f"#{anchor}" if anchor else "")
    return redirect(url, code=303)


def _note(message: str) -> None:
    flash(message, "note")


def _refusal(change: Callable[[], object]) -> str | None:
    """Make ``change``; the library's refusal that a person can act on (a rule, not a
    missing review or item, which stay a 404) as its sentence, or None when it was made."""
    try:
        change()
    except (CompositionNotFoundError, ItemNotFoundError):
        raise
    except PressReviewError as refusal:
        return str(refusal)
    return None


# --- the saved reviews -------------------------------------------------------------------


@bp.get("/")
def index() -> str:
    """The saved reviews, most recently changed first, and the form for a new one."""
    return render_template("pressreview_list.html", reviews=_reviews().list())


@bp.post("/")
def create() -> Response:
    """A new review (title, period, introduction; a name for its address if given)."""
    form = request.form
    date_from, date_to = forms.period(form)
    composition = _reviews().create(
        forms.text(form, "title", "Titel", MAX_TITLE),
        name=forms.optional_review_name(form),
        date_from=date_from,
        date_to=date_to,
        intro=forms.text(form, "intro", "Einleitung", MAX_INTRO),
    )
    session[LAST_REVIEW_KEY] = composition.name
    flash(f"Pressespiegel „{composition.title}“ angelegt.", "ok")
    return redirect(url_for(".review", name=composition.name), code=303)


@bp.get("/<review_name:name>")
def review(name: str) -> str:
    """A review: its details, its sections with their items, what can be done to each."""
    composition = _reviews().get(name)
    return render_template(
        "pressreview.html",
        review=composition,
        outlets=documents.outlets(composition),
        limits={"title": MAX_TITLE, "intro": MAX_INTRO, "summary": MAX_SUMMARY,
                "comment": MAX_COMMENT, "section": MAX_SECTION_TITLE},
        formats=documents.download_links(name),
    )  # fmt: skip


@bp.post("/<review_name:name>/angaben")
def update(name: str) -> Response:
    """Title, period and introduction."""
    form = request.form
    date_from, date_to = forms.period(form)
    _reviews().update(
        name,
        title=forms.text(form, "title", "Titel", MAX_TITLE, required=True),
        date_from=date_from,
        date_to=date_to,
        intro=forms.text(form, "intro", "Einleitung", MAX_INTRO),
    )
    flash("Angaben gespeichert.", "ok")
    return _back(name, "angaben")


@bp.post("/<review_name:name>/loeschen")
def delete(name: str) -> Response:
    """Delete the review (the records stay in the archive); only when confirmed."""
    composition = _reviews().get(name)
    if "confirm" not in request.form:
        _note("Zum Löschen bitte das Kästchen „Ja, diesen Pressespiegel löschen“ ankreuzen.")
        return _back(name, "loeschen")
    _reviews().delete(name)
    if session.get(LAST_REVIEW_KEY) == name:
        session.pop(LAST_REVIEW_KEY)
    flash(f"Pressespiegel „{composition.title}“ gelöscht.", "ok")
    return redirect(url_for(".index"), code=303)


# --- sections ----------------------------------------------------------------------------


@bp.post("/<review_name:name>/rubriken")
def add_section(name: str) -> Response:
    """A new section at the end."""
    title = forms.text(request.form, "title", "Rubrik", MAX_SECTION_TITLE, required=True)
    composition = _reviews().add_section(name, title)
    return _back(name, f"rubrik-{composition.sections[-1].id}")


@bp.post("/<review_name:name>/rubriken/<row_id:section_id>")
def rename_section(name: str, section_id: int) -> Response:
    """A section's new title."""
    title = forms.text(request.form, "title", "Rubrik", MAX_SECTION_TITLE, required=True)
    _reviews().rename_section(name, section_id, title)
    return _back(name, f"rubrik-{section_id}")


@bp.post("/<review_name:name>/rubriken/<row_id:section_id>/entfernen")
def remove_section(name: str, section_id: int) -> Response:
    """Remove a section; one that still holds items stays, with a note."""
    refused = _refusal(lambda: _reviews().remove_section(name, section_id))
    if refused:
        _note(refused)
        return _back(name, f"rubrik-{section_id}")
    return _back(name, "rubriken")


# --- items -------------------------------------------------------------------------------


def _item_anchor(item_id: int) -> str:
    return f"eintrag-{item_id}"


def _existing_item(name: str, item_id: int) -> Composition:
    composition = _reviews().get(name)
    if composition.item(item_id) is None:
        raise ItemNotFoundError(f"Dieser Pressespiegel hat keinen Eintrag {item_id}.")
    return composition


@bp.post("/<review_name:name>/eintraege/<row_id:item_id>")
def edit_item(name: str, item_id: int) -> Response:
    """What the team adds to an item: display title, summary, comment, full text."""
    form = request.form
    item = _existing_item(name, item_id).item(item_id)
    _reviews().edit_item(
        name,
        item_id,
        display_title=forms.optional_text(form, "display_title", "Anzeigetitel", MAX_TITLE),
        summary=forms.optional_text(form, "summary", "Zusammenfassung", MAX_SUMMARY),
        comment=forms.optional_text(form, "comment", "Anmerkung", MAX_COMMENT),
    )
    full_text = forms.checkbox(form, "full_text")
    if full_text is not None and full_text != item.full_text:
        # Apart from the texts, which are saved by now: the rule is the library's, and
        # its refusal (press coverage is never copied) is a note, not a lost edit.
        refused = _refusal(lambda: _reviews().edit_item(name, item_id, full_text=full_text))
        if refused:
            _note(refused)
            return _back(name, _item_anchor(item_id))
    flash("Eintrag gespeichert.", "ok")
    return _back(name, _item_anchor(item_id))


@bp.post("/<review_name:name>/eintraege/<row_id:item_id>/hoch")
def move_up(name: str, item_id: int) -> Response:
    """One place up in its section."""
    _reviews().move_up(name, item_id)
    return _back(name, _item_anchor(item_id))


@bp.post("/<review_name:name>/eintraege/<row_id:item_id>/runter")
def move_down(name: str, item_id: int) -> Response:
    """One place down in its section."""
    _reviews().move_down(name, item_id)
    return _back(name, _item_anchor(item_id))


@bp.post("/<review_name:name>/eintraege/<row_id:item_id>/verschieben")
def move_item(name: str, item_id: int) -> Response:
    """To another section (at its end, or at ``position``, counted from 0)."""
    section_id = forms.number(request.form, "section", "Rubrik")
    position = forms.optional_number(request.form, "position", "Position")
    _reviews().move_item(name, item_id, section_id=section_id, position=position)
    return _back(name, _item_anchor(item_id))


@bp.post("/<review_name:name>/reihenfolge")
def reorder(name: str) -> Response:
    """A section's items in a new order (each item of the section named once)."""
    section_id = forms.number(request.form, "section", "Rubrik")
    item_ids = forms.numbers(request.form, "item", "Eintrag")
    _reviews().reorder(name, section_id, item_ids)
    return _back(name, f"rubrik-{section_id}")


@bp.post("/<review_name:name>/eintraege/<row_id:item_id>/neue-version")
def take_latest_version(name: str, item_id: int) -> Response:
    """Point the item at its record's newest version."""
    refused = _refusal(lambda: _reviews().take_latest_version(name, item_id))
    if refused:
        _note(refused)
        return _back(name, _item_anchor(item_id))
    item = _reviews().get(name).item(item_id)
    flash(f"„{item.shown_title}“ zeigt jetzt Version {item.version}.", "ok")
    return _back(name, _item_anchor(item_id))


@bp.post("/<review_name:name>/eintraege/<row_id:item_id>/entfernen")
def remove_item(name: str, item_id: int) -> Response:
    """Take the item out of the review."""
    item = _existing_item(name, item_id).item(item_id)
    composition = _reviews().remove_item(name, item_id)
    flash(f"„{item.shown_title}“ entfernt.", "ok")
    section = composition.section(item.section_id)
    return _back(name, f"rubrik-{section.id}" if section else "rubriken")


# --- adding records from the search and record pages -------------------------------------


@bp.post("/hinzufuegen")
def add() -> Response:
    """One record (``record_id``), or every hit of a search (``all``), to the review
    chosen (``review``); back to the page the form was on, or to the review."""
    name = forms.review_name(request.form.get("review", ""))
    session[LAST_REVIEW_KEY] = name
    target = add_records(name, request.form)
    return redirect(target, code=303)


# --- the document ------------------------------------------------------------------------


@bp.get("/<review_name:name>/vorschau")
def preview(name: str) -> str:
    """The document as it will be exported, in a frame, with the downloads."""
    return documents.preview_page(name)


@bp.get("/<review_name:name>/dokument")
def document(name: str) -> Response:
    """The document as one HTML page (what the preview frames)."""
    return documents.document_page(name)


@bp.get("/dokument.css")
def stylesheet() -> Response:
    """The document's stylesheet, with the rules for a screen."""
    return documents.stylesheet()


@bp.get("/<review_name:name>.<any(pdf, docx, md):fmt>")
def download(name: str, fmt: str) -> Response:
    """The document as PDF, DOCX or Markdown, to download."""
    return documents.download(name, fmt)
