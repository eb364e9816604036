"""Bar charts drawn on the server as SVG (no script, no CDN): the same markup goes into the
page and into the PDF. Every chart is shown beside its data table, which carries the numbers
for screen readers and printing; the chart itself is named by its title."""

from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ostoja.reports.figures import Row

WIDTH = 480
LABEL_WIDTH = 190
ROW_HEIGHT = 18
LABEL_CHARS = 30
BAR_COLOUR = "#2c5f8a"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(rows: list[Row], title: object) -> SafeString:
    """A horizontal bar per row, the longest for the largest value, named ``title``."""
    largest = max((float(row.value) for row in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 50
    height = ROW_HEIGHT * len(rows) + 4
    parts = []
    for i, row in enumerate(rows):
        y = i * ROW_HEIGHT + 2
        width = round(room * float(row.value) / largest, 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11">{}</text>',
                LABEL_WIDTH - 6,
                y + 13,
                _short(row.label),
                LABEL_WIDTH,
                y + 3,
                width,
                ROW_HEIGHT - 6,
                BAR_COLOUR,
                LABEL_WIDTH + width + 4,
                y + 13,
                localize(row.value),
            )
        )
    name = escape(str(title))
    return mark_safe(  # noqa: S308  # every piece above was escaped by format_html
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{name}" '
        f'font-family="DejaVu Sans, sans-serif">{"".join(parts)}</svg>'
    )
