"""The duty worker's and coordinator's pages: the intervention board, one intervention with
its clock and action log, the roster (month view, uncovered hours, swaps, handover notes),
one's duty phone, the escalation settings, and "who is on duty now" (also as JSON).

Interventions are for everyone who takes calls or works cases in the organisation: an
emergency at 2 a.m. belongs to whoever is on duty, not to a case team."""

import calendar
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.access import colleagues
from ostoja.accounts.decorators import capability_required, permission_required_by
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import User
from ostoja.accounts.policy import works_with_people
from ostoja.accounts.records import source_of_request
from ostoja.accounts.roles import Capability, Role
from ostoja.audit import trail
from ostoja.interventions import roster, services
from ostoja.interventions.access import (
    access_intervention,
    interventions_visible_to,
    people_involved,
)
from ostoja.interventions.forms import (
    ActionForm,
    CloseForm,
    DutyPhoneForm,
    HandoverForm,
    InterventionForm,
    MonthForm,
    OfficeHoursForm,
    SettingsForm,
    ShiftForm,
    SwapForm,
)
from ostoja.interventions.models import DutySettings, Intervention, Shift, SwapRequest
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import render_panel, uuid_or_404
from ostoja.people.access import access_person, people_visible_to

# Whoever takes calls or works cases may be on duty and run interventions: an emergency at
# 2 a.m. belongs to whoever is on duty, not to a case team.
_duty_staff = permission_required_by(works_with_people)


def staff_on_call(user: User) -> QuerySet[User]:
    return colleagues(user, Capability.LOG_CONTACTS, Capability.WORK_CASES)


def _case_managers(user: User) -> QuerySet[User]:
    return staff_on_call(user).filter(membership__role__in=[Role.CASE_MANAGER, Role.COORDINATOR])


def duty_now(user: User) -> dict[str, Any]:
    """Who answers now: the office, or the shift's people (names only)."""
    assert user.organisation is not None  # noqa: S101  # staff have one
    now = timezone.now()
    duty = roster.on_duty(user.organisation, now)
    return {
        "office": duty.office,
        "primary": duty.primary.full_name if duty.primary else None,
        "backup": duty.backup.full_name if duty.backup else None,
        "until": duty.shift.end if duty.shift else None,
        "handover": duty.shift.handover if duty.shift and works_with_people(user) else "",
    }


@_duty_staff
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open interventions with their clocks, for the duty worker and the coordinator."""
    interventions = interventions_visible_to(request.user)
    open_ = interventions.filter(status=Intervention.Status.OPEN).select_related("acknowledged_by")
    recent = interventions.filter(status=Intervention.Status.CLOSED).select_related("handover_to")[
        :20
    ]
    trail.record("intervention.listed", actor=request.user)
    context = {
        "open": open_,
        "recent": recent,
        "now": timezone.now(),
        "duty": duty_now(request.user),
    }
    return render(request, "interventions/board.html", context)


@_duty_staff
def intervention_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open an emergency intervention: directly, or from a contact's emergency switch."""
    source = source_of_request(request, "contact")
    contact = source.record if source else None
    form = InterventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert request.user.organisation is not None  # noqa: S101
        try:
            intervention = services.intervention_open(
                organisation=request.user.organisation,
                data=form.cleaned_data,
                contact=contact,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Intervention %(ref)s opened.") % {"ref": intervention.reference}
            )
            return redirect("interventions:detail", code=intervention.code)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "contact": contact}
    return render(request, "interventions/new.html", context, status=status)


def _detail(
    request: AuthenticatedHttpRequest,
    intervention: Intervention,
    *,
    action_form: ActionForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    involved = people_involved(request.user, intervention)
    # The names shown are reads of those people's records (the emergency rule).
    for item in involved:
        if item.visible:
            trail.record(
                "person.viewed",
                actor=request.user,
                target=item.person,
                data={"for": "intervention", "intervention": str(intervention.code)},
            )
    context = {
        "intervention": intervention,
        "actions": intervention.actions.select_related("by"),
        "involved": involved,
        "action_form": action_form or ActionForm(initial={"at": now}),
        "close_form": close_form or CloseForm(managers=_case_managers(request.user)),
        "notifications": intervention.notifications.select_related("recipient"),
        "now": timezone.now(),
    }
    return render(request, "interventions/detail.html", context, status=status)


@_duty_staff
def intervention_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    intervention = access_intervention(request.user, code).record
    trail.record("intervention.viewed", actor=request.user, target=intervention)
    return _detail(request, intervention)


@_duty_staff
def person_form(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The form adding someone involved (loaded when opened: htmx): the people one may
    open, newest first (bounded)."""
    intervention = access_intervention(request.user, code, write=True).record
    candidates = (
        people_visible_to(request.user)
        .filter(merged_into__isnull=True)
        .exclude(interventions=intervention)
        .order_by("-created_at")[:100]
    )
    trail.record("person.listed", actor=request.user, data={"for": "intervention"})
    context = {"intervention": intervention, "candidates": candidates}
    title = _("People involved")
    return render_panel(request, "interventions/partials/person_form.html", context, title=title)


@require_POST
@_duty_staff
def person_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Add someone involved: a person the user may open."""
    intervention = access_intervention(request.user, code, write=True).record
    person = access_person(request.user, uuid_or_404(request.POST.get("person"))).record
    try:
        services.intervention_person_add(
            intervention=intervention, person=person, acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    return redirect("interventions:detail", code=intervention.code)


@require_POST
@_duty_staff
def acknowledge(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    intervention = access_intervention(request.user, code, write=True).record
    services.intervention_acknowledge(intervention=intervention, acting_user=request.user)
    messages.success(request, _("You have it: nobody else will be called."))
    return redirect("interventions:detail", code=intervention.code)


@require_POST
@_duty_staff
def action_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    intervention = access_intervention(request.user, code, write=True).record
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            services.intervention_action_add(
                intervention=intervention,
                kind=form.cleaned_data["kind"],
                at=form.cleaned_data["at"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Action logged."))
            return redirect("interventions:detail", code=intervention.code)
    return _detail(request, intervention, action_form=form, status=400)


@require_POST
@_duty_staff
def intervention_close(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    intervention = access_intervention(request.user, code, write=True).record
    form = CloseForm(request.POST, managers=_case_managers(request.user))
    if form.is_valid():
        try:
            services.intervention_close(
                intervention=intervention,
                outcome=form.cleaned_data["outcome"],
                handover_to=form.cleaned_data["handover_to"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Intervention closed."))
            return redirect("interventions:board")
    return _detail(request, intervention, close_form=form, status=400)


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
    assert request.user.organisation is not None  # noqa: S101
    organisation = request.user.organisation
    form = MonthForm(request.GET or None)
    first = _month(form.cleaned_data.get("month") if form.is_valid() else None)
    last_day = calendar.monthrange(first.year, first.month)[1]
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time(0), zone)
    end = dt.datetime.combine(first.replace(day=last_day), dt.time(0), zone) + dt.timedelta(days=1)
    shifts = list(
        Shift.objects.filter(
            organisation=organisation, end__gt=start, start__lt=end
        ).select_related("primary", "backup")
    )
    days = []
    for number in range(1, last_day + 1):
        day = first.replace(day=number)
        day_start = dt.datetime.combine(day, dt.time(0), zone)
        day_end = day_start + dt.timedelta(days=1)
        days.append(
            {
                "date": day,
                "shifts": [s for s in shifts if s.start < day_end and s.end > day_start],
                "weekend": day.weekday() >= 5,
            }
        )
    coordinator = request.user.can(Capability.SEE_ALL_CASES)
    staff = staff_on_call(request.user)
    context = {
        "first": first,
        "previous": (first - dt.timedelta(days=1)).strftime("%Y-%m"),
        "next": (first + dt.timedelta(days=32)).strftime("%Y-%m"),
        "days": days,
        "gaps": roster.uncovered(organisation, timezone.now()),
        "coordinator": coordinator,
        "shift_form": ShiftForm(staff=staff) if coordinator else None,
        "mine": Shift.objects.filter(
            Q(primary=request.user) | Q(backup=request.user),
            organisation=organisation,
            end__gt=timezone.now(),
        ).order_by("start")[:10],
        "swap_form": SwapForm(staff=staff.exclude(pk=request.user.pk)),
        "swaps": SwapRequest.objects.filter(
            asked=request.user, status=SwapRequest.Status.OPEN
        ).select_related("shift", "requested_by"),
        "duty": duty_now(request.user),
        "handover_form": HandoverForm(),
    }
    return render(request, "interventions/roster.html", context)


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
            return redirect(f"{reverse('interventions:roster')}?month={month}")
    else:
        for field, problems in form.errors.items():
            for problem in problems:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {problem}" if label else str(problem))
    return redirect("interventions:roster")


def _shift(request: AuthenticatedHttpRequest, code: uuid.UUID) -> Shift:
    shift = Shift.objects.filter(code=code, organisation=request.user.organisation).first()
    if shift is None:
        raise Http404
    return shift


@require_POST
@capability_required(Capability.SEE_ALL_CASES)
def shift_remove(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    services.shift_remove(shift=_shift(request, code), acting_user=request.user)
    messages.success(request, _("Shift removed."))
    return redirect("interventions:roster")


@require_POST
@_duty_staff
def handover(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    shift = _shift(request, code)
    if request.user.pk not in (shift.primary_id, shift.backup_id) and not request.user.can(
        Capability.SEE_ALL_CASES
    ):
        raise PermissionDenied
    form = HandoverForm(request.POST)
    if form.is_valid():
        services.handover_note(
            shift=shift, text=form.cleaned_data["text"], acting_user=request.user
        )
        messages.success(request, _("Handover notes saved."))
    return redirect("interventions:roster")


@require_POST
@_duty_staff
def swap_ask(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    shift = _shift(request, code)
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
    return redirect("interventions:roster")


@require_POST
@_duty_staff
def swap_answer(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    swap = SwapRequest.objects.filter(code=code, asked=request.user).select_related("shift").first()
    if swap is None:
        raise Http404
    try:
        services.swap_answer(
            swap=swap, accept=request.POST.get("accept") == "yes", acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    return redirect("interventions:roster")


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
        return redirect("interventions:roster")
    status = 400 if request.method == "POST" else 200
    return render(request, "interventions/duty_phone.html", {"form": form}, status=status)


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
        return redirect("interventions:roster")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "hours": hours}
    return render(request, "interventions/settings.html", context, status=status)


def duty_api(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Who is on duty now, for integrations and the dashboards (names only, no phones)."""
    if request.user.organisation is None:
        raise PermissionDenied
    now = duty_now(request.user)
    now.pop("handover")
    now["until"] = now["until"].isoformat() if now["until"] else None
    return JsonResponse(now)
