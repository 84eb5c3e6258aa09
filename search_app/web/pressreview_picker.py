""" "zum Pressespiegel" on the search and record pages: the review to add to, and adding
one record or every hit of a search.

The forms are shown only to a browser that has opened the Pressespiegel (its session holds
a CSRF token, ``search_app.web.csrf``): the names of the saved reviews are the team's,
not the public's, and a public search page stays the same for everyone (and cached).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, session, url_for
from werkzeug.datastructures import MultiDict

from archive.pressreview.model import AddOutcome, CompositionSummary
from archive.pressreview.rules import MAX_ITEMS
from archive.search import QueryError
from search_app.web import csrf, errors
from search_app.web import pressreview_forms as forms
from search_app.web.context import get_archive
from search_app.web.search_params import InvalidParameter, parse

LAST_REVIEW_KEY = "pressespiegel"  # the session remembers the review last added to
HIT_ANCHOR = "hit-{}"  # the search page's id of a hit (``_macros.html``)


@dataclass(frozen=True)
class Picker:
    """What the "zum Pressespiegel" forms need: the saved reviews, the one preselected
    (the last one added to), and how many hits "alle Treffer" may add at once."""

    reviews: tuple[CompositionSummary, ...]
    selected: str | None
    max_items: int


def picker() -> Picker | None:
    """The forms' data for the team's browsers; None for everyone else."""
    if not csrf.has_token():
        return None
    reviews = tuple(get_archive().press_reviews().list())
    last = session.get(LAST_REVIEW_KEY)
    names = [review.name for review in reviews]
    selected = last if last in names else (names[0] if names else None)
    return Picker(reviews, selected, MAX_ITEMS)


def add_records(name: str, form: MultiDict) -> str:
    """Add what the form names to review ``name`` and flash what happened; the URL to go
    on to: the review after a whole search, else the page the form was on."""
    reviews = get_archive().press_reviews()
    title = reviews.get(name).title  # an unknown review is a 404 before anything else
    review_url = url_for("pressreview.review", name=name)
    if form.get("all"):
        back = forms.local_path(form.get("next"), url_for("search.index"))
        ids, total = _search_hit_ids(form)
        if total > MAX_ITEMS:
            flash(
                f"Die Suche hat {total} Treffer; auf einmal lassen sich höchstens {MAX_ITEMS} "
                "übernehmen. Bitte die Suche eingrenzen (Typ, Jahr, Zeitraum).",
                "note",
            )
            return back
        if not ids:
            flash("Die Suche hat keine Treffer: nichts hinzugefügt.", "note")
            return back
        _flash_outcome(reviews.add(name, ids), title)
        return review_url
    record_id = forms.record_id(form.get("record_id", ""))
    if get_archive().record(record_id) is None:
        raise errors.not_found(f"Einen Eintrag „{record_id}“ gibt es im Archiv nicht.")
    _flash_outcome(reviews.add(name, [record_id]), title)
    back = forms.local_path(form.get("next"), review_url)
    return f"{back}#{HIT_ANCHOR.format(record_id)}" if form.get("at_hit") else back


def _search_hit_ids(form: MultiDict) -> tuple[list[str], int]:
    """The ids of the first :data:`MAX_ITEMS` hits of the search the form repeats (its
    query, facets, dates and sort, checked as the search page checks them), and the
    number of hits."""
    try:
        params = parse(form)
    except InvalidParameter as error:
        raise errors.bad_request(str(error)) from None
    options = {**params.search_options(), "page": 1, "limit": MAX_ITEMS, "facets": False}
    try:
        result = get_archive().search(params.q, **options)
    except QueryError as error:
        raise errors.bad_request(f"Die Suche ist so nicht möglich: {error}") from None
    return [hit.id for hit in result.hits], result.total


def _flash_outcome(outcome: AddOutcome, review_title: str) -> None:
    for category, message in forms.outcome_notes(outcome, review_title):
        flash(message, category)
