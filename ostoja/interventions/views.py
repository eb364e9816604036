"""The duty worker's and coordinator's pages: the intervention board (with who is on duty
now, from the roster: ``ostoja.duty``) and one intervention with its clock and action log.

Interventions are for everyone who takes calls or works cases in the organisation: an
emergency at 2 a.m. belongs to whoever is on duty, not to a case team."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import capability_required, permission_required_by
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import User
from ostoja.accounts.policy import works_with_people
from ostoja.accounts.records import history, source_of_request
from ostoja.accounts.roles import Capability, Role
from ostoja.audit import trail
from ostoja.duty.access import staff_on_call
from ostoja.duty.selectors import duty_now
from ostoja.interventions import services
from ostoja.interventions.access import (
    TARGET,
    access_intervention,
    interventions_visible_to,
    opened_case,
    people_involved,
)
from ostoja.interventions.forms import ActionForm, CloseForm, HandoverAssignForm, InterventionForm
from ostoja.interventions.models import Intervention
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import render_panel, uuid_or_404
from ostoja.people.access import access_person, people_visible_to

# Whoever takes calls or works cases may be on duty and run interventions: an emergency at
# 2 a.m. belongs to whoever is on duty, not to a case team.
_duty_staff = permission_required_by(works_with_people)


def _case_managers(user: User) -> QuerySet[User]:
    return staff_on_call(user).filter(membership__role__in=[Role.CASE_MANAGER, Role.COORDINATOR])


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
        "case": opened_case(request.user, intervention),
        # What came of it in the apps above (a stay in the shelter), as far as the user may see.
        "linked": history(TARGET, request.user, intervention),
        "opens_cases": request.user.can(Capability.WORK_CASES),
        "handover_form": (
            HandoverAssignForm(
                managers=_case_managers(request.user),
                initial={"handover_to": intervention.handover_to_id},
            )
            if request.user.can(Capability.SEE_ALL_CASES)
            and intervention.status == Intervention.Status.CLOSED
            else None
        ),
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


@require_POST
@_duty_staff
def handover_acknowledge(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The case manager takes the hand-over."""
    intervention = access_intervention(request.user, code, write=True).record
    if intervention.handover_to_id != request.user.pk:
        raise PermissionDenied
    services.intervention_handover_acknowledge(intervention=intervention, acting_user=request.user)
    messages.success(request, _("Hand-over acknowledged."))
    return redirect("interventions:detail", code=intervention.code)


@require_POST
@capability_required(Capability.SEE_ALL_CASES)
def handover_assign(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A coordinator names (or changes) the case manager who takes a closed intervention."""
    intervention = access_intervention(request.user, code, write=True).record
    form = HandoverAssignForm(request.POST, managers=_case_managers(request.user))
    if form.is_valid():
        try:
            services.intervention_handover(
                intervention=intervention,
                handover_to=form.cleaned_data["handover_to"],
                acting_user=request.user,
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Handed over."))
    else:
        messages.error(request, _("Choose a case manager."))
    return redirect("interventions:detail", code=intervention.code)
