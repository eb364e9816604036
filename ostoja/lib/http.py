"""Request and response helpers shared by every app."""

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django_htmx.http import HttpResponseClientRedirect


def hx_redirect(request: HttpRequest, to: str) -> HttpResponse | None:
    """For an htmx request, a client-side redirect to ``to`` (a URL or URL name); for any
    other request ``None``, so the caller returns its ordinary redirect."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(resolve_url(to))
    return None


def parse_uuid(raw: str | None) -> uuid.UUID | None:
    """A record code from a form or a query string; ``None`` if it is not one."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


def uuid_or_404(raw: str | None) -> uuid.UUID:
    """A record code from a form or a query string; a malformed one is a missing record."""
    code = parse_uuid(raw)
    if code is None:
        raise Http404
    return code


def render_panel(
    request: HttpRequest, template: str, context: dict[str, Any], *, title: str
) -> HttpResponse:
    """A panel of another page (htmx loads it into that page); opened directly — without
    JavaScript — the same panel in a page of its own."""
    if getattr(request, "htmx", False):
        return render(request, template, context)
    return render(request, "home/panel.html", context | {"panel": template, "title": title})
