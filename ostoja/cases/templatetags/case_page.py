"""The case page's add forms, closed: one ``<details>`` each that loads its form when
opened (htmx). Rendered in Python, not by an ``{% include %}`` per form: the page has a
dozen of them plus one per goal, and the template language's cost per include, tag and
variable was a large part of the page's time (bench/cases.py)."""

from typing import Any

from django import template
from django.template import Engine
from django.template.context import Context
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _csrf(context: Context) -> str:
    """What ``{% csrf_token %}`` writes, made once for the rows of a page."""
    return str(CsrfTokenNode().render(context))


def _done_form(url: str, status: str, version: int, csrf: str, css: str, label: str) -> str:
    return (
        f'<form method="post" action="{url}"{css}>{csrf}'
        f'<input type="hidden" name="status" value="{status}">'
        f'<input type="hidden" name="version" value="{version}">{label}</form>'
    )


@register.simple_tag(takes_context=True)
def plan_goals(context: Context, goals: list[Any]) -> SafeString:
    """The open goals of the support plan (``selectors.case_page``), each with its next
    steps: their text, owner, due date and status, a button to mark a step done and one to
    mark the goal achieved (for who may write), and its add-a-step slot. Rendered in one
    pass: five goals with three steps each were a third of the page's template time."""
    writable = context.get("writable")
    csrf = _csrf(context) if writable else ""
    done = format_html(
        '<button class="btn btn-sm btn-outline-success" type="submit">{}</button>',
        _("Mark as done"),
    )
    achieved = format_html(
        '<button class="btn btn-sm btn-link" type="submit">{}</button>',
        _("Mark the goal as achieved"),
    )
    timeline = f"{escape(context['urls']['timeline'])}?kind=plan"
    add_label = _("Add an action")
    cards = []
    for goal in goals:
        client = f" · {escape(goal.client.display_name())}" if goal.client else ""
        rows = []
        for action in goal.next_actions:
            overdue = " text-danger" if action.is_overdue else ""
            due = action.due.isoformat() if action.due else "—"
            row = (
                f'<li class="d-flex flex-wrap justify-content-between align-items-center '
                f'gap-2{overdue}"><span>{escape(action.text)} · '
                f"{escape(action.owner_name or '—')} · {due} · "
                f"{escape(action.status_label)}</span>"
            )
            if writable:
                row += _done_form(action.status_url, "done", action.version, csrf, "", done)
            rows.append(row + "</li>")
        if goal.more_actions:
            more = ngettext("and %(n)s more step", "and %(n)s more steps", goal.more_actions) % {
                "n": goal.more_actions
            }
            rows.append(f'<li class="small"><a href="{timeline}">{escape(more)}</a></li>')
        tail = ""
        if writable:
            if context.get("action_goal") == goal:
                form = context["bound"].get("action")
                tail = add_slot(context, "action", add_label, form=form, summary_class="small")
            else:
                tail = add_slot(context, "action", add_label, goal=goal, summary_class="small")
            if goal.status == "open":
                css = ' class="d-inline"'
                tail += _done_form(goal.status_url, "achieved", goal.version, csrf, css, achieved)
        cards.append(
            '<div class="card mb-2"><div class="card-body py-2">'
            '<div class="d-flex flex-wrap justify-content-between gap-2">'
            f"<strong>{escape(goal.domain_label)}: {escape(goal.text)}</strong>"
            f'<span class="badge text-bg-light">{escape(goal.status_label)}{client}</span></div>'
            f'<ul class="list-unstyled mb-1 mt-1">{"".join(rows)}</ul>\n{tail}</div></div>'
        )
    # Every value is escaped above, or our own markup and addresses made of codes.
    return mark_safe("\n".join(cards))  # noqa: S308


@register.simple_tag(takes_context=True)
def deadline_rows(context: Context, deadlines: list[Any]) -> SafeString:
    """The open legal deadlines (``selectors.case_page``): kind, due date, client, legal
    basis (``source_text``), whether a reminder went out, the note for who may read legal
    details, and a button to mark one dealt with (for who may write). In one pass, like
    the plan."""
    writable, legal = context.get("writable"), context.get("legal")
    button = ""
    if writable:
        button = _csrf(context) + format_html(
            '<button class="btn btn-sm btn-outline-success" type="submit">{}</button>',
            _("Mark as dealt with"),
        )
    dealt_with, reminded = escape(_("dealt with")), escape(_("reminder sent"))
    rows = []
    for deadline in deadlines:
        missed = " list-group-item-danger" if deadline.is_missed else ""
        text = f"{escape(deadline.kind_label)} · <strong>{deadline.due.isoformat()}</strong>"
        if deadline.client:
            text += f" · {escape(deadline.client.display_name())}"
        if deadline.source_text:
            text += f' · <span class="small">{escape(deadline.source_text)}</span>'
        if deadline.met_at:
            text += f" · {dealt_with}"
        elif deadline.reminded_at:
            text += f" · {reminded}"
        if legal and deadline.note:
            text += f'<br><span class="small">{escape(deadline.note)}</span>'
        form = ""
        if writable and not deadline.met_at:
            form = f'\n<form method="post" action="{deadline.met_url}">{button}</form>'
        rows.append(
            '<li class="list-group-item d-flex flex-wrap justify-content-between '
            f'align-items-center gap-2{missed}" data-testid="deadline">\n'
            f"<span>{text}</span>{form}\n</li>"
        )
    # Every value is escaped above, or our own markup and addresses made of codes.
    return mark_safe("".join(rows))  # noqa: S308


@register.simple_tag
def panel(url: str, trigger: str = "revealed") -> SafeString:
    """A section loaded as a panel when it comes into view (htmx), a link without
    JavaScript, and a line on paper saying it was not printed."""
    return format_html(
        '<div class="mb-2" hx-get="{}" hx-trigger="{}" hx-swap="outerHTML">'
        '<a class="small" href="{}">{}</a><span class="print-only">{}</span></div>',
        url,
        trigger,
        url,
        _("Show"),
        _("Not printed: show this section on the screen first."),
    )
