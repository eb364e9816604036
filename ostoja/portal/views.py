"""The portal's pages. Public (``login_not_required``), the same for everyone, in the
language of the URL; nothing here reads who the visitor is (``privacy.PortalMiddleware``
has removed it before these run)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ostoja.portal import abuse, receipt, services
from ostoja.portal.forms import CheckSendForm, MessageForm, ReceiptForm
from ostoja.portal.languages import LANGUAGES, in_language
from ostoja.portal.selectors import helpline, organisation, report_by_code, thread
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


def _context(lang: str, slug: str, **extra: object) -> dict[str, object]:
    """What every portal page has: its language, the switch, the helpline's numbers."""
    return {"lang": lang, "slug": slug, "switch": _switch(slug), "helpline": helpline(), **extra}


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
    return render(request, PAGES[slug], _context(lang, slug))


@require_http_methods(["GET", "POST"])
@login_not_required
# Answering the questions changes nothing anywhere (nothing is stored or sent): there is
# nothing to forge, and without a token the page sets no cookie at all.
@csrf_exempt
@in_language
def check(request: HttpRequest, lang: str) -> HttpResponse:
    """The job-offer self-check: the red-flag checklist's questions on one page, answered
    by ticking; the result and the advice come back on the same page (same URL: nothing in
    the history says what was answered), with a form to send the answers to the centre.
    Nothing is stored."""
    catalogue = _catalogue(request)
    if request.method == "GET":
        return _check_page(request, lang, catalogue, None)
    return _check_page(request, lang, catalogue, set(request.POST.getlist("flag")))


def _catalogue(request: HttpRequest) -> FlagCatalogue:
    """The checklist the answers were given on (its version travels with them), or the
    current one; the migrations ship version 1, so only a broken install has none."""
    version = request.POST.get("version", "")
    found = FlagCatalogue.objects.filter(version=version).first() if version.isdigit() else None
    catalogue = found or FlagCatalogue.current()
    if catalogue is None:
        raise Http404
    return catalogue


def _check_page(
    request: HttpRequest,
    lang: str,
    catalogue: FlagCatalogue,
    answered: set[str] | None,
    *,
    send_form: CheckSendForm | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    flags = list(catalogue.flags.order_by("order"))
    ticked = {flag.code for flag in flags} & (answered or set())
    risk = None
    if answered is not None:
        risk = risk_of(catalogue, [flag for flag in flags if flag.code in ticked])
    context = _context(
        lang,
        "check",
        catalogue=catalogue,
        flags=flags,
        ticked=ticked,
        risk=risk,
        send_form=send_form or CheckSendForm(),
        **extra,
    )
    return render(request, "portal/check.html", context, status=status)


@require_POST
@login_not_required
@in_language
def check_send(request: HttpRequest, lang: str) -> HttpResponse:
    """Send the self-check to the centre, because the visitor chose to: the flags ticked
    (and a note, if any) reach the helpline as an anonymous report; the answer is a receipt
    code, as for a message."""
    centre = organisation()
    if centre is None:
        raise Http404
    catalogue = _catalogue(request)
    answered = set(request.POST.getlist("flag"))
    form = CheckSendForm(request.POST)
    if not form.is_valid():
        return _check_page(request, lang, catalogue, answered, send_form=form, status=400)
    if not abuse.allow(request, "report"):
        return _check_page(
            request, lang, catalogue, answered, send_form=form, status=429, limited=True
        )
    _report, code = services.check_send(
        organisation=centre,
        catalogue=catalogue,
        flags=list(catalogue.flags.filter(code__in=answered).order_by("order")),
        note=form.cleaned_data["note"],
        page_language=lang,
    )
    context = _context(lang, "check", receipt=receipt.grouped(code))
    return render(request, "portal/receipt.html", context)


def _message_page(
    request: HttpRequest,
    lang: str,
    *,
    form: MessageForm | None = None,
    receipt_form: ReceiptForm | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    context = _context(
        lang, "message", form=form or MessageForm(), receipt_form=receipt_form or ReceiptForm()
    )
    return render(request, "portal/message.html", context | extra, status=status)


@require_http_methods(["GET", "POST"])
@login_not_required
@in_language
def message(request: HttpRequest, lang: str) -> HttpResponse:
    """Write to the centre anonymously; the answer is a receipt code, shown once."""
    centre = organisation()
    if centre is None:
        raise Http404
    if request.method == "GET":
        return _message_page(request, lang)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _message_page(request, lang, form=form, status=400)
    if not abuse.allow(request, "report"):
        return _message_page(request, lang, form=form, status=429, limited=True)
    _report, code = services.report_make(
        organisation=centre,
        text=form.cleaned_data["text"],
        attachment=form.cleaned_data["attachment"],
        page_language=lang,
    )
    context = _context(lang, "message", receipt=receipt.grouped(code))
    return render(request, "portal/receipt.html", context)


@require_POST
@login_not_required
@in_language
def report(request: HttpRequest, lang: str) -> HttpResponse:
    """Come back with the receipt code: read the thread and the centre's answers, and
    write again (the code travels in the form, never in the URL)."""
    receipt_form = ReceiptForm(request.POST)
    if not abuse.allow(request, "receipt"):
        return _message_page(request, lang, receipt_form=receipt_form, status=429, limited=True)
    found = receipt_form.is_valid() and report_by_code(receipt_form.cleaned_data["code"])
    if not found:
        # 400, not 404: the portal answers a 404 with its own page, and this is a form's error.
        return _message_page(request, lang, receipt_form=receipt_form, status=400, unknown=True)
    form, added, status = MessageForm(), False, 200
    if "text" in request.POST:
        form = MessageForm(request.POST, request.FILES)
        if not form.is_valid():
            status = 400
        elif not abuse.allow(request, "message"):
            status = 429
        else:
            services.report_add(
                report=found,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
                page_language=lang,
            )
            form, added = MessageForm(), True
    context = _context(lang, "message", thread=thread(found), form=form, added=added)
    context |= {"code": receipt_form.cleaned_data["code"], "limited": status == 429}
    return render(request, "portal/report.html", context, status=status)


@login_not_required
def quick_exit(request: HttpRequest) -> HttpResponse:
    """The quick exit (SECURITY.md §2.6): the browser drops what it kept of the site, and
    goes to a neutral page. The pages call it with ``location.replace`` (no history entry)."""
    response = HttpResponseRedirect(settings.OSTOJA_PORTAL_EXIT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
