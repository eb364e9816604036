"""The case page's add forms, closed: one ``<details>`` each that loads its form when
opened (htmx). Rendered in Python, not by an ``{% include %}`` per form: the page has a
dozen of them plus one per goal, and the template language's cost per include, tag and
variable was a large part of the page's time (bench/cases.py)."""

from typing import Any

from django import template
from django.template import Engine
from django.template.context import Context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_SLOT = (
    '<details class="mb-3" hx-get="{}" hx-trigger="toggle once" hx-target="find .add-slot">\n'
    '  <summary class="{}">{}</summary>\n'
    '  <div class="add-slot"></div>\n'
    "</details>"
)
_BUTTON = "btn btn-sm btn-outline-primary"


@register.simple_tag(takes_context=True)
def add_slot(
    context: Context,
    section: str,
    label: str,
    form: Any = None,
    goal: Any = None,
    summary_class: str = "",
) -> SafeString:
    """A section's add form: closed, it loads the form when opened; a ``form`` that came
    back with errors is shown open, with what was typed (``cases/partials/add.html``)."""
    if form:
        values = {"form": form, "section": section, "label": label, "action": ""}
        with context.push(values | {"summary_class": summary_class}):
            include = Engine.get_default().get_template("cases/partials/add.html")
            return include.render(context)
    # One reversal per page: each slot's address differs only by its section.
    pattern = context.render_context.get("case_form_url")
    if pattern is None:
        pattern = reverse("cases:case_form", args=[context["case"].code, "SECTION"])
        context.render_context["case_form_url"] = pattern
    url = pattern.replace("/SECTION/", f"/{section}/")
    if goal is not None:
        url += f"?goal={goal.code}"
    return format_html(_SLOT, url, summary_class or _BUTTON, label)
