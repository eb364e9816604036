"""Ostoja's URLs plus the benchmarks' minimal page (PERFORMANCE.md: speed targets are
ratios to a minimal view measured in the same run, never absolute times on a shared
machine)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ostoja.accounts.models import Organisation
from ostoja.urls import urlpatterns as ostoja

__all__ = ["urlpatterns"]


def minimal(request: HttpRequest) -> HttpResponse:
    """A signed-in page in the site's shell (every middleware, the navigation, the base
    template) showing one row: the least a staff page costs. Three queries in all: the
    session, the user, the organisation."""
    membership = getattr(request.user, "membership", None)
    organisation = Organisation.objects.filter(memberships=membership).first()
    return render(request, "base.html", {"organisation": organisation})


urlpatterns = [path("bench/minimal/", minimal), *ostoja]
