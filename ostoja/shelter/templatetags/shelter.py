"""The occupancy board's cells, rendered in one pass: a board has thousands of beds, and
the template language's cost per tag and variable would be most of the page's time
(bench/shelter.py)."""

from django import template
from django.utils.html import escape
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
    cells = []
    for cell in beds:
        label = escape(cell.label)
        attributes = (
            f'class="badge {_CSS[cell.state]} text-decoration-none" data-state="{cell.state}" '
            f'title="{label}: {words[cell.state]}"'
        )
        if cell.url:
            cells.append(f'<a {attributes} href="{escape(cell.url)}">{label}</a>')
        else:
            cells.append(f"<span {attributes}>{label}</span>")
    # Every value above is escaped or one of our own constants.
    return mark_safe("\n".join(cells))  # noqa: S308
