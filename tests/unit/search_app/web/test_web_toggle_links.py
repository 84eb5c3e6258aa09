"""The facet links of the search page, built by ``toggle_urls`` (what the links share is
encoded once), are the URLs ``search_url(params.toggled(...))`` gives."""

from __future__ import annotations

import pytest

from search_app.web.search import search_url, toggle_urls
from search_app.web.search_params import FACETS, SearchParams

STATES = [
    ("nothing chosen", SearchParams()),
    ("query, facets, dates, sort, page, size", SearchParams(
        q='Armut & "Teilhabe" ü?', facets={"type": ("news",), "year": ("2020", "2021")},
        date_from="2020", sort="-date", page=3, per_page=20)),
    ("later facets only, end date", SearchParams(
        q="x", facets={"person": ("Anna Huber",), "category": ("a/b c",)}, date_to="2021-02")),
    ("an empty selection kept in the dict", SearchParams(facets={"place": ()}, sort="date")),
]  # fmt: skip
VALUES = ["news", "2020", "2021", "Anna Huber", "a/b c", "Zürich & Co=1", "neu"]


@pytest.mark.parametrize(("case", "params"), STATES, ids=[case for case, _ in STATES])
def test_toggle_urls_are_the_toggled_search_urls(app, case: str, params: SearchParams) -> None:
    with app.test_request_context("/suche"):
        for facet in FACETS:
            toggle = toggle_urls(params, facet)
            for value in VALUES:
                assert toggle(value) == search_url(params.toggled(facet, value)), (case, facet)
