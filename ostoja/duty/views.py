"""The roster's pages: the month view (uncovered hours, swaps, handover notes), planning and
removing shifts, one's duty phone, the office hours and escalation timing, and "who is on
duty now" as JSON.

The roster is for everyone who takes calls or works cases in the organisation (who may be
on duty); planning it and its settings are for the coordinators."""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import capability_required, permission_required_by
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.policy import works_with_people
from ostoja.accounts.roles import Capability
from ostoja.duty import selectors, services
from ostoja.duty.access import access_shift, access_swap, staff_on_call
from ostoja.duty.forms import (
    DutyPhoneForm,
    HandoverForm,
    MonthForm,
    OfficeHoursForm,
    SettingsForm,
    ShiftForm,
    SwapForm,
)
from ostoja.duty.models import DutySettings
from ostoja.lib.forms import report

# Whoever takes calls or works cases may be on duty: an emergency at 2 a.m. belongs to
# whoever is on duty, not to a case team.
_duty_staff = permission_required_by(works_with_people)


def _month(raw: str | None) -> dt.date:
    today = timezone.localdate()
    if raw:
        try:
            return dt.date(int(raw[:4]), int(raw[5:7]), 1)
        except ValueError:
            pass
    return today.replace(day=1)


@_duty_staff
def roster_month(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The month's shifts, the uncovered hours of the next 30 days, my swaps."""
    form = MonthForm(request.GET or None)
    first = _month(form.cleaned_data.get("month") if form.is_valid() else None)
    coordinator = request.user.can(Capability.SEE_ALL_CASES)
    staff = staff_on_call(request.user)
    context = selectors.roster_month(request.user, first) | {
        "coordinator": coordinator,
        "shift_form": ShiftForm(staff=staff) if coordinator else None,
        "swap_form": SwapForm(staff=staff.exclude(pk=request.user.pk)),
        "handover_form": HandoverForm(),
    }
    return render(request, "duty/roster.html", context)


@require_POST
@capability_required(Capability.SEE_ALL_CASES)
def shift_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    assert request.user.organisation is not None  # noqa: S101
    form = ShiftForm(request.POST, staff=staff_on_call(request.user))
    if form.is_valid():
        try:
            shift = services.shift_add(
                organisation=request.user.organisation,
                data=form.cleaned_data,
                acting_user=request.user,
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Shift planned."))
            month = f"{timezone.localtime(shift.start):%Y-%m}"
            return redirect(f"{reverse('duty:roster')}?month={month}")
    else:
        for field, problems in form.errors.items():
            for problem in problems:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {problem}" if label else str(problem))
    return redirect("duty:roster")


@require_POST
@capability_required(Capability.SEE_ALL_CASES)
def shift_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    services.shift_remove(shift=access_shift(request.user, code), acting_user=request.user)
    messages.success(request, _("Shift removed."))
    return redirect("duty:roster")


@require_POST
@_duty_staff
def handover(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    shift = access_shift(request.user, code, handover=True)
    form = HandoverForm(request.POST)
    if form.is_valid():
        services.shift_handover_write(
            shift=shift, text=form.cleaned_data["text"], acting_user=request.user
        )
        messages.success(request, _("Handover notes saved."))
    return redirect("duty:roster")


@require_POST
@_duty_staff
def swap_ask(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    shift = access_shift(request.user, code)
    form = SwapForm(request.POST, staff=staff_on_call(request.user))
    if form.is_valid():
        try:
            services.swap_ask(
                shift=shift, asked=form.cleaned_data["asked"], acting_user=request.user
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Swap requested."))
    return redirect("duty:roster")


@require_POST
@_duty_staff
def swap_answer(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    swap = access_swap(request.user, code)
    try:
        services.swap_answer(
            swap=swap, accept=request.POST.get("accept") == "yes", acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    return redirect("duty:roster")


@_duty_staff
def duty_phone(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One's own duty phone (where the duty line is forwarded and SMS alerts go)."""
    current = getattr(request.user, "duty_phone", None)
    form = DutyPhoneForm(
        request.POST or None, initial={"number": current.number if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        services.duty_phone_set(
            user=request.user, number=form.cleaned_data["number"], acting_user=request.user
        )
        messages.success(request, _("Saved."))
        return redirect("duty:roster")
    status = 400 if request.method == "POST" else 200
    return render(request, "duty/duty_phone.html", {"form": form}, status=status)


@capability_required(Capability.SEE_ALL_CASES)
def duty_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Office hours and escalation timing, for the coordinators."""
    assert request.user.organisation is not None  # noqa: S101
    organisation = request.user.organisation
    current = DutySettings.objects.filter(organisation=organisation).first() or DutySettings(
        organisation=organisation
    )
    data = request.POST or None
    form = SettingsForm(data, instance=current)
    hours = OfficeHoursForm(data, initial=OfficeHoursForm.initial_from(organisation.office_hours))
    if request.method == "POST" and form.is_valid() and hours.is_valid():
        services.duty_settings_set(
            organisation=organisation,
            data={k: form.cleaned_data[k] for k in ("acknowledge_minutes", "idle_minutes")},
            hours=hours.hours(),
            acting_user=request.user,
        )
        messages.success(request, _("Saved."))
        return redirect("duty:roster")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "hours": hours}
    return render(request, "duty/settings.html", context, status=status)


def duty_api(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Who is on duty now, for integrations and the dashboards (names only, no phones)."""
    if request.user.organisation is None:
        raise PermissionDenied
    now = selectors.duty_now(request.user)
    now.pop("handover")
    now["until"] = now["until"].isoformat() if now["until"] else None
    return JsonResponse(now)
