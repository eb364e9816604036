"""The counsellor's prevention pages: pre-departure counselling (from a helpline contact or
on its own) with the red-flag checklist and its risk level, and the KRAZ lookup."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.records import source_of_request
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.prevention import plan, services
from ostoja.prevention.access import access_counselling, counselling_visible_to, may_change
from ostoja.prevention.forms import AgencyLookupForm, CheckInSeriesForm, CounsellingForm
from ostoja.prevention.kraz import agencies_matching
from ostoja.prevention.models import CheckIn, CheckInSeries, Counselling, FlagCatalogue
from ostoja.prevention.reference import risk_of
from ostoja.prevention.services import FIELDS

# Prevention is the helpline's work: counsellors, case managers and coordinators.
_helpline = capability_required(Capability.LOG_CONTACTS)


@_helpline
def counselling_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation's latest pre-departure counselling."""
    found = counselling_visible_to(request.user).select_related("counsellor")[:50]
    trail.record("counselling.listed", actor=request.user)
    return render(request, "prevention/list.html", {"counselling": found})


def _page(
    request: AuthenticatedHttpRequest,
    form: CounsellingForm,
    catalogue: FlagCatalogue,
    counselling: Counselling | None = None,
    contact: Any = None,
    status: int = 200,
    check_in_form: CheckInSeriesForm | None = None,
) -> HttpResponse:
    flags = counselling.flags.all() if counselling else []
    series = list(counselling.check_in_series.all()) if counselling else []
    context = {
        "series": series,
        "check_ins": (
            CheckIn.objects.filter(series__in=series).select_related("series", "intervention")
            if series
            else []
        ),
        "check_in_running": any(s.status == CheckInSeries.Status.ACTIVE for s in series),
        "check_in_form": check_in_form
        or CheckInSeriesForm(
            initial={"language": counselling.plan_language} if counselling else None
        ),
        "form": form,
        "counselling": counselling,
        "contact": counselling.contact if counselling else contact,
        "catalogue": catalogue,
        "risk": risk_of(catalogue, flags) if counselling else None,
        # Rendered beside the plan's button, never written into the record.
        "directory_consulate": (
            plan.plan_consulate(counselling)
            if counselling and counselling.consulate_partner is None
            else None
        ),
        "editable": counselling is None or may_change(request.user, counselling),
    }
    return render(request, "prevention/counselling.html", context, status=status)


@_helpline
def counselling_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Record pre-departure counselling: from a contact (``?contact=``) or on its own."""
    source = source_of_request(request, "contact")
    contact = source.record if source else None
    catalogue = FlagCatalogue.current()
    if catalogue is None:  # the migrations ship version 1: only a broken install has none
        raise Http404
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101  # the capability is an organisation's role
    form = CounsellingForm(request.POST or None, catalogue=catalogue, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        counselling = services.counselling_save(
            data={name: data[name] for name in FIELDS},
            flags=list(data["flags"]),
            organisation=request.user.organisation,
            catalogue=catalogue,
            contact=contact,
            acting_user=request.user,
        )
        messages.success(request, _("Counselling recorded."))
        return redirect("prevention:detail", code=counselling.code)
    status = 400 if request.method == "POST" else 200
    return _page(request, form, catalogue, contact=contact, status=status)


@_helpline
def counselling_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """One counselling: what was said, the flags ticked, the risk level and the advice;
    its counsellor and coordinators change it here."""
    write = request.method == "POST"
    counselling = access_counselling(request.user, code, write=write)
    catalogue = counselling.catalogue
    if not write:
        trail.record("counselling.viewed", actor=request.user, target=counselling)
        initial = {name: getattr(counselling, name) for name in FIELDS}
        initial["flags"] = list(counselling.flags.all())
        return _page(
            request,
            CounsellingForm(
                initial=initial,
                catalogue=catalogue,
                organisation=counselling.organisation,
                destination=counselling.country,
            ),
            catalogue,
            counselling,
        )
    form = CounsellingForm(
        request.POST,
        catalogue=catalogue,
        organisation=counselling.organisation,
        destination=counselling.country,
    )
    if form.is_valid():
        data = form.cleaned_data
        services.counselling_save(
            counselling=counselling,
            data={name: data[name] for name in FIELDS},
            flags=list(data["flags"]),
            acting_user=request.user,
        )
        messages.success(request, _("Saved."))
        return redirect("prevention:detail", code=counselling.code)
    return _page(request, form, catalogue, counselling, status=400)


@require_POST
@_helpline
def check_ins_start(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Start check-ins abroad, with the consent the counsellor records."""
    counselling = access_counselling(request.user, code, write=True)
    form = CheckInSeriesForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_series_start(
                counselling=counselling, data=form.cleaned_data, acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Check-ins started."))
            return redirect(reverse("prevention:detail", args=[code]) + "#check-ins")
    initial = {name: getattr(counselling, name) for name in FIELDS}
    initial["flags"] = list(counselling.flags.all())
    page_form = CounsellingForm(
        initial=initial,
        catalogue=counselling.catalogue,
        organisation=counselling.organisation,
        destination=counselling.country,
    )
    return _page(
        request, page_form, counselling.catalogue, counselling, status=400, check_in_form=form
    )


@require_POST
@_helpline
def check_ins_stop(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Staff stop a running series of check-ins (``code``: the series')."""
    series = (
        CheckInSeries.objects.filter(
            code=code, counselling__in=counselling_visible_to(request.user)
        )
        .values_list("counselling__code", flat=True)
        .first()
    )
    if series is None:
        raise Http404
    counselling = access_counselling(request.user, series, write=True)
    found = counselling.check_in_series.get(code=code)
    try:
        services.check_in_series_stop(series=found, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Check-ins stopped."))
    return redirect(reverse("prevention:detail", args=[counselling.code]) + "#check-ins")


@sudo_required
@_helpline
def safety_plan(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The safety plan as a PDF in the person's language (an export: recent sign-in)."""
    counselling = access_counselling(request.user, code)
    document, language = plan.safety_plan(counselling)
    trail.record(
        "counselling.plan_exported",
        actor=request.user,
        target=counselling,
        data={"lang": language},
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="safety-plan-{language}.pdf"'
    return response


@_helpline
def agency_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Look an agency up in KRAZ by its name or register number (public register data:
    no personal data, not audited)."""
    form = AgencyLookupForm(request.GET or None)
    agencies = agencies_matching(form.cleaned_data["q"]) if form.is_valid() else None
    return render(request, "prevention/agencies.html", {"form": form, "agencies": agencies})
