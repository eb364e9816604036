"""The shelter's pages: the occupancy board (facilities × beds on a night), a facility (its
sealed address only for those the policy lets read it), a placement with the person's
safe-contact protocol at the top, and the forms that reserve, admit, move and discharge.

Beds are for whoever runs the shelter and whoever may be on duty (``access.sees_beds``):
at 2 a.m. the duty worker finds a free bed and the facility's phone from the board."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.forms import BaseForm, Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostoja.accounts.decorators import permission_required_by, sudo_required
from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import User
from ostoja.accounts.policy import Access, may_break_glass
from ostoja.accounts.records import source_of_request
from ostoja.audit import trail
from ostoja.audit.selectors import conflict_page
from ostoja.cases.access import access_case
from ostoja.cases.models import Case, Goal
from ostoja.cases.pdf import render_pdf
from ostoja.cases.selectors import case_clients
from ostoja.interventions.access import access_intervention, people_involved
from ostoja.interventions.models import Intervention
from ostoja.lib.forms import add_errors, report
from ostoja.lib.http import render_panel, uuid_or_404
from ostoja.lib.locking import Conflict, ConflictPage, Difference, shown
from ostoja.people.access import access_person
from ostoja.people.models import Person
from ostoja.shelter import selectors, services
from ostoja.shelter.access import (
    access_facility,
    access_placement,
    access_waiting,
    address_visible,
    facilities_visible_to,
    placements_visible_to,
    sees_beds,
    waiting_named,
    waiting_visible_to,
)
from ostoja.shelter.forms import (
    AbsenceForm,
    AdmitForm,
    BoardForm,
    DischargeForm,
    IncidentForm,
    KeptItemForm,
    MoveForm,
    ReserveForm,
    ShiftEntryForm,
    StayStepForm,
    WaitingForm,
)
from ostoja.shelter.models import (
    ACTIVE,
    Absence,
    Bed,
    Facility,
    Incident,
    KeptItem,
    Placement,
    WaitingEntry,
)

_beds = permission_required_by(sees_beds)
# The newest entries of a shift book on its page.
SHIFT_BOOK_PAGE = 50


def _time_zone(user: User) -> str:
    assert user.organisation is not None  # noqa: S101  # sees_beds: a member
    return user.organisation.time_zone


def _now_minute() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


def free_beds(user: User) -> QuerySet[Bed]:
    """The beds of the user's facilities that are in use and held by nobody now."""
    return (
        Bed.objects.filter(
            room__facility__in=facilities_visible_to(user),
            room__facility__active=True,
            out_of_use=False,
        )
        .exclude(placements__status__in=ACTIVE)
        .select_related("room__facility")
        .order_by("room__facility__name", "room__name", "label")
    )


@_beds
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Facilities × beds on a night (tonight unless ``?on=``): free, taken, reserved, out of
    use — no names and no addresses, so the duty worker's phone shows only what it must."""
    form = BoardForm(request.GET or None)
    day = form.cleaned_data["on"] if form.is_valid() and form.cleaned_data["on"] else None
    day = day or timezone.localdate()
    facilities = facilities_visible_to(request.user)
    rows = selectors.board(facilities, day, _time_zone(request.user))
    nights, forecast = selectors.forecast(rows, timezone.localdate(), _time_zone(request.user))
    trail.record("facility.listed", actor=request.user, data={"on": day.isoformat()})
    context = {
        "form": form,
        "rows": rows,
        "day": day,
        "today": timezone.localdate(),
        "nights": nights,
        "forecast": forecast,
    }
    return render(request, "shelter/board.html", context)


@_beds
def facility_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """One facility: its phone, whom it takes, its rules and its beds tonight; its address
    for those who may read it (recorded before it is shown), and the residents one may
    see."""
    access = access_facility(request.user, code)
    facility = access.record
    sealed = address_visible(request.user, access)
    if sealed:
        trail.record("facility.address_viewed", actor=request.user, target=facility)
    else:
        trail.record("facility.viewed", actor=request.user, target=facility)
    residents = list(
        placements_visible_to(request.user).filter(bed__room__facility=facility, status__in=ACTIVE)
    )
    if residents:
        trail.record("placement.listed", actor=request.user, data={"facility": str(facility.code)})
    today = timezone.localdate()
    rows = selectors.board(Facility.objects.filter(pk=facility.pk), today, _time_zone(request.user))
    context = {
        "facility": facility,
        "address": facility.address if sealed else None,
        "may_break_glass": not sealed and may_break_glass(request.user, access.scope),
        "writable": access.writable,
        "beds": rows[0].beds if rows else [],
        "residents": residents,
    }
    return render(request, "shelter/facility.html", context)


@require_POST
@_beds
def bed_use(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Take a bed out of use or back into use (the facility's staff and coordinators)."""
    bed = Bed.objects.select_related("room__facility").filter(code=code).first()
    if bed is None:
        raise Http404
    access_facility(request.user, bed.room.facility.code, write=True)
    try:
        services.bed_set_use(
            bed=bed, out_of_use=request.POST.get("out_of_use") == "1", acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    return redirect("shelter:facility", code=bed.room.facility.code)


@dataclass
class _Source:
    """Whom a reservation may be for, and where the page was opened from."""

    people: list[Person]
    intervention: Intervention | None = None
    case: Case | None = None
    referral: Any = None  # network.IncomingReferral, as the network resolves it


def _source_people(request: AuthenticatedHttpRequest) -> _Source:
    """Whom a reservation may be for, from where the page was opened: the people of an
    emergency intervention the user may see, the clients of a case — or of the case a
    partner's referral opened (``?referral=``, resolved by the network, which sits beside
    the shelter) — or one person."""
    user = request.user
    raw: dict[str, str] = {**request.GET.dict(), **request.POST.dict()}
    if raw.get("intervention"):
        intervention = access_intervention(user, uuid_or_404(raw["intervention"])).record
        people = [item.person for item in people_involved(user, intervention) if item.visible]
        return _Source(people, intervention=intervention)
    source = source_of_request(request, "referral")
    if source is not None:
        case = source.record.case
        if case is None:  # not accepted yet: nobody to place
            return _Source([], referral=source.record)
        case = access_case(user, case.code, write=True).record
        return _Source(list(case_clients(case)), case=case, referral=source.record)
    if raw.get("case"):
        case = access_case(user, uuid_or_404(raw["case"]), write=True).record
        return _Source(list(case_clients(case)), case=case)
    if raw.get("person"):
        return _Source([access_person(user, uuid_or_404(raw["person"]), write=True).record])
    raise Http404


@_beds
def reserve(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reserve a bed ("place tonight"): from an emergency intervention, a case or a person.
    The duty worker sees the free beds and the facilities' phones, never their addresses."""
    source = _source_people(request)
    people = source.people
    form = ReserveForm(
        request.POST or None,
        people=Person.objects.filter(pk__in=[p.pk for p in people]),
        facilities=facilities_visible_to(request.user).filter(active=True),
        beds=free_beds(request.user),
        initial={"person": people[0].pk if len(people) == 1 else None},
        prefix="bed",
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_reserve(
                person=form.cleaned_data["person"],
                bed=form.cleaned_data["bed"],
                facility=form.cleaned_data["facility"],
                expected_at=form.cleaned_data["expected_at"],
                intervention=source.intervention,
                case=source.case,
                referral=source.referral,
                acting_user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Bed reserved."))
            return redirect("shelter:placement", code=placement.code)
    if people:  # the names offered are reads of those people's records
        trail.record("person.listed", actor=request.user, data={"for": "shelter_reserve"})
    facilities = facilities_visible_to(request.user).filter(active=True).defer("address")
    context = {
        "form": form,
        "waiting_form": WaitingForm(
            people=Person.objects.filter(pk__in=[p.pk for p in people]),
            initial={"person": people[0].pk if len(people) == 1 else None},
            prefix="wait",
        ),
        "intervention": source.intervention,
        "case": source.case,
        "referral": source.referral,
        "facilities": facilities,
        "nobody": not people,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "shelter/reserve.html", context, status=status)


def _case_of(user: User, placement: Placement) -> Access[Case] | None:
    """The stay's case as the user may see it (its plan's steps are the case's), if any."""
    if placement.case is None:
        return None
    try:
        return access_case(user, placement.case.code)
    except (Http404, PermissionDenied):
        return None


def _open_goals(placement: Placement) -> QuerySet[Goal]:
    """The goals of the stay's case a step of the stay may serve: open, for the person or
    for the whole case."""
    return Goal.objects.filter(
        Q(client=placement.person) | Q(client__isnull=True),
        case=placement.case,
        status=Goal.Status.OPEN,
    )


def _placement_page(
    request: AuthenticatedHttpRequest,
    access: Access[Placement],
    *,
    forms: dict[str, Any] | None = None,
    conflict: ConflictPage | None = None,
    status: int = 200,
) -> HttpResponse:
    placement = access.record
    now = _now_minute()
    forms = forms or {}
    case = _case_of(request.user, placement)
    steps = (
        [
            step
            for step in placement.steps.select_related("action__goal", "action__owner")
            if step.action.is_open
        ]
        if case
        else []
    )
    step_form = None
    if case and case.writable and placement.active:
        step_form = forms.get("step") or StayStepForm(goals=_open_goals(placement), prefix="step")
    context = {
        "conflict": conflict,
        "discard_url": reverse("shelter:placement", args=[placement.code]),
        "steps": steps,
        "step_form": step_form,
        "placement": placement,
        "person": placement.person,
        "facility": placement.bed.room.facility,
        "writable": access.writable,
        "admit_form": forms.get("admit")
        or AdmitForm(initial={"at": now, "brought_by": "staff"}, prefix="admit"),
        "discharge_form": forms.get("discharge")
        or DischargeForm(initial={"at": now}, prefix="discharge"),
        "move_form": forms.get("move")
        or MoveForm(beds=free_beds(request.user), initial={"at": now}, prefix="move"),
        "absence_form": forms.get("absence")
        or AbsenceForm(initial={"expected_back": now + dt.timedelta(hours=2)}, prefix="out"),
        "absences": list(placement.absences.all()[:10]),
        "items": list(placement.kept_items.select_related("returned_by")),
        "item_form": forms.get("item") or KeptItemForm(prefix="item"),
        "notes": list(
            placement.shift_entries.filter(for_case_manager=True).select_related("written_by")[:20]
        ),
        "now": timezone.now(),
        # The person's other stays, as far as the user may open them.
        "history": placements_visible_to(request.user)
        .filter(person=placement.person)
        .exclude(pk=placement.pk)
        .select_related("bed__room__facility")
        .order_by("-reserved_at")[:20],
    }
    return render(request, "shelter/placement.html", context, status=status)


def _placement_post(
    request: AuthenticatedHttpRequest,
    code: uuid.UUID,
    prefix: str,
    form_class: type[BaseForm],
    service: Callable[..., object],
    done: str,
    *,
    page_form: str = "",
    **form_kwargs: Any,
) -> HttpResponse:
    """A form of the placement page, posted: the service on what was typed, then back to the
    stay (the one the service returns, if a stay: a move starts another); with errors, the
    page again with what was typed, nothing lost (``page_form``: the form's name on the
    page, if not its prefix)."""
    access = access_placement(request.user, code, write=True)
    form = form_class(request.POST, prefix=prefix, **form_kwargs)
    if form.is_valid():
        try:
            # The stay's own steps are checked against the version the page showed.
            steps = (
                services.placement_admit,
                services.placement_discharge,
                services.placement_move,
            )
            checked = {"version": _version(request)} if service in steps else {}
            result = service(
                placement=access.record, acting_user=request.user, **checked, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        except Conflict:
            # ``access.record`` is the stay as now stored (the service read it under lock).
            conflict = _stay_conflict(access.record, form)
            return _placement_page(
                request, access, forms={page_form or prefix: form}, conflict=conflict, status=409
            )
        else:
            messages.success(request, done)
            stay = result if isinstance(result, Placement) else access.record
            return redirect("shelter:placement", code=stay.code)
    return _placement_page(request, access, forms={page_form or prefix: form}, status=400)


def _version(request: AuthenticatedHttpRequest) -> int | None:
    """The stay's version the page was opened at (none from an older page: no check)."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


# What the stay's steps set, by the name of the form field that sets it.
_STAY_FIELDS = {
    "bed": "bed",
    "brought_by": "brought_by",
    "arrived_with": "arrived_with",
    "expected_departure": "expected_departure",
    "reason": "reason",
    "destination": "destination",
}


def _stay_conflict(stored: Placement, form: BaseForm) -> ConflictPage:
    """A step of the stay taken from a page opened before someone else took one: the stay as
    it is now beside what this user typed, field by field (ostoja.lib.locking)."""
    differences = [
        Difference(
            label=str(Placement._meta.get_field("status").verbose_name),
            theirs=stored.get_status_display(),
            mine=_("unchanged"),
            mine_changed=False,
        )
    ]
    for name, field in form.fields.items():
        typed = shown(field, form.cleaned_data.get(name))
        attribute = _STAY_FIELDS.get(name)
        if attribute is None:
            theirs = "—"
        else:
            value = getattr(stored, attribute)
            display = getattr(stored, f"get_{attribute}_display", None)
            theirs = str(display()) if display and value else shown(field, value)
        if typed != theirs:
            differences.append(Difference(str(field.label or name), theirs, typed, True))
    steps = [
        "placement.reserved",
        "placement.admitted",
        "placement.moved",
        "placement.discharged",
        "placement.cancelled",
    ]
    return conflict_page(stored, differences, steps, note=_stay_note(stored), again=False)


def _stay_note(stored: Placement) -> str:
    return _(
        "Nothing was saved: the stay is now “{status}”. What you typed is kept in the form "
        "below where the step is still possible."
    ).format(status=stored.get_status_display())


@_beds
def placement_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    access = access_placement(request.user, code)
    trail.record("placement.viewed", actor=request.user, target=access.record)
    return _placement_page(request, access)


@require_POST
@_beds
def placement_admit(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    return _placement_post(
        request, code, "admit", AdmitForm, services.placement_admit, _("Admitted.")
    )


@require_POST
@_beds
def placement_discharge(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    return _placement_post(
        request, code, "discharge", DischargeForm, services.placement_discharge, _("Discharged.")
    )


@require_POST
@_beds
def placement_move(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    return _placement_post(
        request,
        code,
        "move",
        MoveForm,
        services.placement_move,
        _("Moved."),
        beds=free_beds(request.user),
    )


@require_POST
@_beds
def stay_step_add(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A step of the case plan taken during the stay: for those who may change the case."""
    access = access_placement(request.user, code)
    placement = access.record
    if placement.case is None:
        raise Http404
    access_case(request.user, placement.case.code, write=True)
    form = StayStepForm(request.POST, goals=_open_goals(placement), prefix="step")
    if form.is_valid():
        try:
            services.stay_step_add(
                placement=placement, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Added to the case plan."))
            return redirect(f"{reverse('shelter:placement', args=[placement.code])}#steps")
    return _placement_page(request, access, forms={"step": form}, status=400)


@require_POST
@_beds
def placement_cancel(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    access = access_placement(request.user, code, write=True)
    try:
        services.placement_cancel(
            placement=access.record, acting_user=request.user, version=_version(request)
        )
    except ValidationError as error:
        report(request, error)
    except Conflict:
        conflict = _stay_conflict(access.record, Form())
        return _placement_page(request, access, conflict=conflict, status=409)
    else:
        messages.success(request, _("Reservation cancelled: the bed is free."))
    return redirect("shelter:placement", code=access.record.code)


@_beds
def case_panel(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The case page's shelter panel (htmx): its clients' current placements and their
    history, and "place tonight"."""
    access = access_case(request.user, code)
    case = access.record
    placements = list(
        placements_visible_to(request.user)
        .filter(person__in=case_clients(case))
        .select_related("bed__room__facility")
        .prefetch_related("steps__action__goal")
        .order_by("-reserved_at")[:20]
    )
    if placements:
        trail.record("placement.listed", actor=request.user, data={"case": str(case.code)})
    context = {
        "case": case,
        "current": [p for p in placements if p.active],
        "past": [p for p in placements if not p.active],
        "writable": access.writable,
    }
    title = _("Shelter")
    return render_panel(request, "shelter/partials/case_panel.html", context, title=title)


@require_POST
@_beds
def absence_start(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """A resident goes out, with the time they will be back."""
    return _placement_post(
        request,
        code,
        "out",
        AbsenceForm,
        services.absence_start,
        _("Going out recorded."),
        page_form="absence",
    )


@require_POST
@_beds
def absence_return(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The resident is back."""
    absence = Absence.objects.select_related("placement").filter(code=code).first()
    if absence is None:
        raise Http404
    access = access_placement(request.user, absence.placement.code, write=True)
    try:
        services.absence_return(absence=absence, acting_user=request.user)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Welcome back recorded."))
    return redirect("shelter:placement", code=access.record.code)


@_beds
def shift_book(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The facility's shift book, newest first, and a new entry: for its staff and
    coordinators (the case managers read the entries marked for them on the stay)."""
    access = access_facility(request.user, code, write=True)
    facility = access.record
    residents = (
        Placement.objects.filter(bed__room__facility=facility, status__in=ACTIVE)
        .select_related("person", "bed__room")
        .order_by("bed__room__name", "bed__label")
    )
    form = ShiftEntryForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_entry_write(
                facility=facility, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Written in the shift book."))
            return redirect("shelter:shift_book", code=facility.code)
    entries = list(
        facility.shift_book.select_related("written_by", "placement__person")[:SHIFT_BOOK_PAGE]
    )
    trail.record("shift_book.viewed", actor=request.user, target=facility)
    context = {
        "facility": facility,
        "form": form,
        "entries": entries,
        "incident_form": IncidentForm(
            residents=residents, prefix="incident", initial={"at": _now_minute()}
        ),
        "incidents": list(
            facility.incidents.filter(closed_at__isnull=True).select_related("placement__person")
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "shelter/shift_book.html", context, status=status)


@_beds
def waiting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who waits for a place, by priority and then by how long; names only for those who
    may see them."""
    entries = list(
        waiting_visible_to(request.user)
        .filter(ended_at__isnull=True)
        .select_related("person", "added_by")
    )
    named = waiting_named(request.user, entries)
    if named:
        trail.record("waiting.listed", actor=request.user)
    rows = [(entry, entry.pk in named) for entry in entries]
    context = {"rows": rows, "outcomes": WaitingEntry.Outcome.choices}
    return render(request, "shelter/waiting.html", context)


@require_POST
@_beds
def waiting_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Put someone on the waiting list, from the page that would have reserved a bed."""
    source = _source_people(request)
    people = Person.objects.filter(pk__in=[p.pk for p in source.people])
    form = WaitingForm(request.POST, people=people, prefix="wait")
    if form.is_valid():
        try:
            services.waiting_add(
                intervention=source.intervention,
                case=source.case,
                acting_user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("On the waiting list."))
            return redirect("shelter:waiting")
    else:
        messages.error(request, _("Choose the person and the priority."))
    # Back to the page it came from (the source's code, checked above by its access).
    kinds = ("intervention", "referral", "case", "person")
    back = {k: request.POST[k] for k in kinds if request.POST.get(k)}
    return redirect(f"{reverse('shelter:reserve')}?{urlencode(back)}")


@require_POST
@_beds
def waiting_end(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    entry = access_waiting(request.user, code)
    try:
        services.waiting_end(
            entry=entry, outcome=request.POST.get("outcome", ""), acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("The wait has ended."))
    return redirect("shelter:waiting")


@require_POST
@_beds
def item_keep(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Take something into keeping for a resident."""
    return _placement_post(
        request, code, "item", KeptItemForm, services.item_keep, _("Taken into keeping.")
    )


@require_POST
@_beds
def item_return(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Hand a kept thing back, the resident having signed the receipt."""
    item = KeptItem.objects.select_related("placement").filter(code=code).first()
    if item is None:
        raise Http404
    access = access_placement(request.user, item.placement.code, write=True)
    try:
        services.item_return(
            item=item, signed=request.POST.get("signed") == "on", acting_user=request.user
        )
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Handed back."))
    return redirect("shelter:placement", code=access.record.code)


@sudo_required
@_beds
def item_receipt(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """The receipt for what the house keeps for a resident and what was handed back, as a
    PDF to print and sign (whoever hands things back; an export: recent sign-in)."""
    access = access_placement(request.user, code, write=True)
    placement = access.record
    items = list(placement.kept_items.select_related("received_by", "returned_by"))
    html = render_to_string(
        "shelter/receipt_pdf.html",
        {
            "placement": placement,
            "person": placement.person,
            "facility": placement.bed.room.facility,
            "organisation": placement.organisation,
            "items": items,
            "printed_at": timezone.localtime(),
            "author": request.user,
        },
        request=request,
    )
    document = render_pdf(html)
    trail.record(
        "placement.receipt_printed",
        actor=request.user,
        target=placement,
        data={"items": len(items), "returned": sum(1 for i in items if i.returned_at)},
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{placement.code}.pdf"'
    return response


@require_POST
@_beds
def incident_record(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Record an incident of the house (its staff and coordinators)."""
    facility = access_facility(request.user, code, write=True).record
    residents = Placement.objects.filter(bed__room__facility=facility, status__in=ACTIVE)
    form = IncidentForm(request.POST, residents=residents, prefix="incident")
    if form.is_valid():
        try:
            services.incident_record(
                facility=facility, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Incident recorded."))
    else:
        for messages_of_field in form.errors.values():
            for message in messages_of_field:
                messages.error(request, str(message))
    return redirect("shelter:shift_book", code=facility.code)


@require_POST
@_beds
def incident_close(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    """Close an incident with what was done about it."""
    incident = Incident.objects.select_related("facility").filter(code=code).first()
    if incident is None:
        raise Http404
    access_facility(request.user, incident.facility.code, write=True)
    try:
        services.incident_close(
            incident=incident,
            follow_up=request.POST.get("follow_up", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Incident closed."))
    return redirect("shelter:shift_book", code=incident.facility.code)
