"""The search page's repeated pieces, written as HTML here: the hits and the facet values.

A page has up to a hundred hits and a hundred facet values; as Jinja macros they took a
third of the page's time (py-spy over the web benchmark's queries), most of it in the
macro calls and in escaping the same labels on every page. Here each piece is one
f-string, every scraped value goes through :func:`markupsafe.escape`, and what repeats
from page to page (a facet value's label, a record's link) is escaped once per process.
``tests/unit/search_app/web/test_web_search_html.py`` reads the pieces back with lxml,
hostile titles and labels included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from markupsafe import Markup, escape

from search_app.web import labels
from search_app.web.links import url_builder

# Facet values and record types are a closed set per index; the labels of the values
# seen are kept (escaped) for the process, within this bound.
LABEL_CACHE_SIZE = 16384

_CURRENT = ' aria-current="true"'
_SELECTED_NOTE = '<span class="visually-hidden"> (ausgewählt; entfernen)</span>'


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def _label_html(facet: str, value: str) -> str:
    return str(escape(labels.facet_value_label(facet, value)))


@lru_cache(maxsize=64)
def _badge_html(record_type: str) -> str:
    return (
        f'<span class="badge badge-{escape(record_type)}">'
        f"{escape(labels.type_label(record_type))}</span>"
    )


def options_html(
    facet: str,
    values: Iterable[tuple[str, int]],
    selected: Iterable[str],
    toggle: Callable[[str], str],
) -> Markup:
    """A facet's values as list items: each a link that toggles it (``toggle(value)``
    gives the URL), with its label and count; the selected ones marked."""
    chosen = set(selected)
    items = []
    for value, count in values:
        is_selected = value in chosen
        items.append(
            f'<li><a class="facet-value{" is-selected" if is_selected else ""}" '
            f'href="{escape(toggle(value))}"{_CURRENT if is_selected else ""}>'
            f'<span class="facet-label">{_label_html(facet, value)}</span> '
            f'<span class="count">{labels.german_number(count)}</span>'
            f"{_SELECTED_NOTE if is_selected else ''}</a></li>"
        )
    return Markup("\n".join(items))


def hits_html(hits: Iterable, picker=None) -> Markup:
    """The hits of a result page as list items: title linked to the record page, type,
    date, the snippet (HTML the search escaped and marked), and, for the team's browsers
    (``picker`` with reviews), the button that adds the record to a press review."""
    with_button = bool(picker and picker.reviews)
    url = url_builder()
    items = []
    for hit in hits:
        title = escape(hit.title)
        date = (
            f'<time datetime="{escape(hit.date)}">{escape(labels.german_date(hit.date))}</time>'
            if hit.date
            else ""
        )
        snippet = f'\n  <p class="snippet">{hit.snippet}</p>' if hit.snippet else ""
        button = (
            '\n  <p class="hit-actions"><button type="submit" form="zum-pressespiegel" '
            f'name="record_id" value="{escape(hit.id)}">zum Pressespiegel'
            f'<span class="visually-hidden">: {title}</span></button></p>'
            if with_button
            else ""
        )
        record_url = escape(url("records.record", record_id=hit.id))
        items.append(
            f'<li class="hit" id="hit-{escape(hit.id)}">\n'
            f'  <h3 class="hit-title"><a href="{record_url}">{title}</a></h3>\n'
            f'  <p class="hit-meta">{_badge_html(hit.type)} {date}</p>'
            f"{snippet}{button}\n</li>"
        )
    return Markup("".join(items))
