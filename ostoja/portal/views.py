"""The portal's pages. Public (``login_not_required``), the same for everyone, in the
language of the URL; nothing here reads who the visitor is (``privacy.PortalMiddleware``
has removed it before these run)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ostoja.portal.languages import LANGUAGES, in_language
from ostoja.portal.selectors import helpline

# Page slug -> template. Neutral words: nothing in a URL says what the site is about.
PAGES = {
    "": "portal/home.html",
    "contact": "portal/call.html",
    "info": "portal/rights.html",
    "travel": "portal/abroad.html",
}


def _url(lang: str, slug: str) -> str:
    return (
        reverse("portal:page", args=[lang, slug]) if slug else reverse("portal:home", args=[lang])
    )


def _switch(slug: str) -> list[tuple[str, str, str]]:
    """The language switch: (code, name in itself, this page in that language)."""
    return [(code, name, _url(code, slug)) for code, name in LANGUAGES.items()]


@require_GET
@login_not_required
def choose(request: HttpRequest) -> HttpResponse:
    """``/portal/``: which language? Each named in itself."""
    return render(request, "portal/choose.html", {"languages": LANGUAGES.items()})


@require_GET
@login_not_required
@in_language
def home(request: HttpRequest, lang: str) -> HttpResponse:
    return _page(request, lang, "")


@require_GET
@login_not_required
@in_language
def page(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    if not slug or slug not in PAGES:
        raise Http404
    return _page(request, lang, slug)


def _page(request: HttpRequest, lang: str, slug: str) -> HttpResponse:
    context = {
        "lang": lang,
        "slug": slug,
        "switch": _switch(slug),
        "helpline": helpline(),
    }
    return render(request, PAGES[slug], context)


@login_not_required
def quick_exit(request: HttpRequest) -> HttpResponse:
    """The quick exit (SECURITY.md §2.6): the browser drops what it kept of the site, and
    goes to a neutral page. The pages call it with ``location.replace`` (no history entry)."""
    response = HttpResponseRedirect(settings.OSTOJA_PORTAL_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
