"""The portal's pages. Public (``login_not_required``), the same for everyone, in the
language of the URL; nothing here reads who the visitor is (``privacy.PortalMiddleware``
has removed it before these run)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ostoja.portal.languages import LANGUAGES, in_language
from ostoja.portal.selectors import helpline
from ostoja.prevention.models import FlagCatalogue
from ostoja.prevention.reference import risk_of

# Page slug -> template. Neutral words: nothing in a URL says what the site is about.
PAGES = {
    "": "portal/home.html",
    "contact": "portal/call.html",
    "info": "portal/rights.html",
    "travel": "portal/abroad.html",
    "check": "",  # the self-check: its own view
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
    if not PAGES.get(slug):
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


@require_http_methods(["GET", "POST"])
@login_not_required
# Answering the questions changes nothing anywhere (nothing is stored or sent): there is
# nothing to forge, and without a token the page sets no cookie at all.
@csrf_exempt
@in_language
def check(request: HttpRequest, lang: str) -> HttpResponse:
    """The job-offer self-check: the red-flag checklist's questions on one page, answered
    by ticking; the result and the advice come back on the same page (same URL: nothing in
    the history says what was answered). Nothing is stored."""
    catalogue = FlagCatalogue.current()
    if catalogue is None:  # the migrations ship version 1: only a broken install has none
        raise Http404
    flags = list(catalogue.flags.order_by("order"))
    risk = None
    ticked: set[str] = set()
    if request.method == "POST":
        ticked = set(request.POST.getlist("flag")) & {flag.code for flag in flags}
        risk = risk_of(catalogue, [flag for flag in flags if flag.code in ticked])
    context = {
        "lang": lang,
        "slug": "check",
        "switch": _switch("check"),
        "helpline": helpline(),
        "flags": flags,
        "ticked": ticked,
        "risk": risk,
    }
    return render(request, "portal/check.html", context)


@login_not_required
def quick_exit(request: HttpRequest) -> HttpResponse:
    """The quick exit (SECURITY.md §2.6): the browser drops what it kept of the site, and
    goes to a neutral page. The pages call it with ``location.replace`` (no history entry)."""
    response = HttpResponseRedirect(settings.OSTOJA_PORTAL_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
