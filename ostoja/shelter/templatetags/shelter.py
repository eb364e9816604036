"""The occupancy board's cells and forecast, rendered in one pass each: a board has
thousands of beds, and the template language's cost per tag and variable (and Django's
lazy-aware ``escape`` per value) would be most of the page's time (bench/shelter.py)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from ostoja.shelter.selectors import BedState

register = template.Library()

_CSS = {
    BedState.FREE: "text-bg-success",
    BedState.TAKEN: "text-bg-danger",
    BedState.RESERVED: "text-bg-warning",
    BedState.OUT: "text-bg-secondary",
}


@register.filter
def bed_cells(beds: list[BedState]) -> SafeString:
    """Each bed as a badge coloured by its state, named in words for screen readers; a
    held bed links to its stay."""
    words = {
        BedState.FREE: escape(pgettext("bed", "free")),
        BedState.TAKEN: escape(pgettext("bed", "taken")),
        BedState.RESERVED: escape(pgettext("bed", "reserved")),
        BedState.OUT: escape(pgettext("bed", "out of use")),
    }
    start = {
        state: f'class="badge {css} text-decoration-none" data-state="{state}" title="'
        for state, css in _CSS.items()
    }
    cells = []
    for cell in beds:
        label = escape(cell.label)
        attributes = f'{start[cell.state]}{label}: {words[cell.state]}"'
        if cell.url:
            cells.append(f'<a {attributes} href="{cell.url}">{label}</a>')
        else:
            cells.append(f"<span {attributes}>{label}</span>")
    # Every value above is escaped or our own: a constant, a path of codes.
    return mark_safe("\n".join(cells))  # noqa: S308


@register.filter
def forecast_cells(free: list[int]) -> SafeString:
    """A facility's free beds on each night of the forecast, a night with none marked."""
    cells = (f'<td class="table-danger">{n}</td>' if n <= 0 else f"<td>{n}</td>" for n in free)
    # Integers only.
    return mark_safe("".join(cells))  # noqa: S308
