"""The DPO's pages of retention (issue #19): the schedules and the last runs, a schedule's
change, the preview of the next run, and the legal holds. Records appear as the DPO may
know them: case numbers and codes, never a name (``policy.can_see_existence``)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import capability_required, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.roles import Capability
from ostoja.audit import trail
from ostoja.cases.models import Case
from ostoja.lib.forms import add_errors
from ostoja.people.models import Person
from ostoja.privacy import retention, services
from ostoja.privacy.access import access_hold, hold_cases, hold_person, holds_visible_to
from ostoja.privacy.models import RecordKind, RetentionRun
from ostoja.privacy.retention_forms import HoldForm, ScheduleForm

_review = capability_required(Capability.REVIEW_AUDIT)
RUNS = 10  # the last runs shown


@_review
def schedules(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The schedules that apply (the organisation's own, or the defaults still to be
    confirmed) and the last runs of the job."""
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101  # a DPO's role comes with one
    context = {
        "schedules": retention.schedules_of(organisation),
        "runs": RetentionRun.objects.filter(organisation=organisation)[:RUNS],
        "kinds": dict(RecordKind.choices),
    }
    return render(request, "privacy/retention.html", context)


@sudo_required  # a change of how long the centre keeps what: recent authentication first
@_review
def schedule_edit(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101
    if kind not in RecordKind.values:
        raise Http404
    current = retention.schedule_for(organisation, kind)
    initial = (
        {"length": current.length, "unit": current.unit, "warn_days": current.warn_days}
        | {"basis": current.basis}
        if current
        else {}
    )
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.schedule_save(
            organisation=organisation, kind=kind, acting_user=request.user, **form.cleaned_data
        )
        messages.success(request, _("The schedule is confirmed."))
        return redirect("privacy:retention")
    context = {"form": form, "kind": RecordKind(kind), "current": current}
    return render(
        request, "privacy/retention_schedule.html", context, status=400 if form.errors else 200
    )


@_review
def preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the next run would do today — a dry run: nothing is changed."""
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101
    items = retention.plan(organisation)
    trail.record("retention_plan.viewed", actor=request.user, data={"records": len(items)})
    return render(request, "privacy/retention_preview.html", {"items": items})


@sudo_required  # the holds' particulars are sealed: recent authentication first
@_review
def holds(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The legal holds, the active ones first, and a form to add one."""
    organisation = request.user.organisation
    assert organisation is not None  # noqa: S101
    form = HoldForm(request.POST or None, short_code=organisation.short_code)
    if request.method == "POST" and form.is_valid():
        target = _target(request, form)
        if target is not None:
            try:
                services.hold_set(
                    organisation=organisation,
                    case=target if isinstance(target, Case) else None,
                    person=target if isinstance(target, Person) else None,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The legal hold is set."))
                return redirect("privacy:holds")
    found = holds_visible_to(request.user).select_related("case", "person", "set_by", "lifted_by")
    listed = sorted(found, key=lambda hold: (not hold.active(), -hold.ends_on.toordinal()))
    trail.record("legal_hold.listed", actor=request.user, data={"records": len(listed)})
    context = {"form": form, "holds": listed}
    return render(request, "privacy/holds.html", context, status=400 if form.errors else 200)


def _target(request: AuthenticatedHttpRequest, form: HoldForm) -> Case | Person | None:
    """The case (by number) or the person (by code) the hold goes on; a form error when
    there is none, or several cases of that number."""
    number, code = form.cleaned_data["number"], form.cleaned_data["person"]
    if number is not None:
        cases = hold_cases(request.user, number)
        if len(cases) == 1:
            return cases[0]
        form.add_error(
            "number",
            _("There is no such case.")
            if not cases
            else _("Several cases have this number: give the year too."),
        )
        return None
    person = hold_person(request.user, code)
    if person is None:
        form.add_error("person", _("There is no such person."))
    return person


@require_POST
@sudo_required
@_review
def hold_lift(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    hold = access_hold(request.user, code)
    try:
        services.hold_lift(hold=hold, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The legal hold is lifted."))
    return redirect("privacy:holds")
