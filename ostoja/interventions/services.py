"""Every change to the roster and to interventions (STYLE.md: one transaction, one audit
entry; the entries name records, never locations or people)."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.records import register_mover
from ostoja.audit.trail import record
from ostoja.helpline.models import Contact
from ostoja.interventions.models import (
    DutyPhone,
    DutySettings,
    Intervention,
    InterventionAction,
    Shift,
    SwapRequest,
)
from ostoja.lib.hours import is_holiday, validate_office_hours
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import Person


def _check_span(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if end - start > dt.timedelta(days=4):
        raise ValidationError({"end": _("A shift lasts at most four days.")})


@transaction.atomic
def shift_add(*, organisation: Organisation, data: dict[str, Any], acting_user: User) -> Shift:
    _check_span(data["start"], data["end"])
    if data.get("backup") is not None and data["backup"] == data["primary"]:
        raise ValidationError({"backup": _("The backup must be someone else.")})
    shift = Shift.objects.create(
        organisation=organisation,
        start=data["start"],
        end=data["end"],
        primary=data["primary"],
        backup=data.get("backup"),
        handover="",
        created_by=acting_user,
    )
    record(
        "shift.added",
        actor=acting_user,
        target=shift,
        data={"primary": str(shift.primary.code), "start": shift.start.isoformat()},
    )
    return shift


@transaction.atomic
def shift_remove(*, shift: Shift, acting_user: User) -> None:
    record(
        "shift.removed", actor=acting_user, target=shift, data={"start": shift.start.isoformat()}
    )
    shift.delete()


@transaction.atomic
def handover_note(*, shift: Shift, text: str, acting_user: User) -> None:
    """What the next person on duty must know (sealed)."""
    shift.handover = text
    shift.save(update_fields=["handover"])
    record("shift.handover_written", actor=acting_user, target=shift)


@transaction.atomic
def swap_ask(*, shift: Shift, asked: User, acting_user: User) -> SwapRequest:
    if acting_user.pk not in (shift.primary_id, shift.backup_id):
        raise ValidationError(_("Only the people on a shift can ask to swap it."))
    if asked.pk in (shift.primary_id, shift.backup_id):
        raise ValidationError(_("Ask someone who is not on this shift."))
    swap = SwapRequest.objects.create(shift=shift, requested_by=acting_user, asked=asked)
    record("shift.swap_asked", actor=acting_user, target=shift, data={"asked": str(asked.code)})
    return swap


@transaction.atomic
def swap_answer(*, swap: SwapRequest, accept: bool, acting_user: User) -> None:
    """The colleague accepts (and takes the requester's place) or declines."""
    if swap.asked_id != acting_user.pk or swap.status != SwapRequest.Status.OPEN:
        raise ValidationError(_("This request is not waiting for you."))
    shift = swap.shift
    if accept:
        if shift.primary_id == swap.requested_by_id:
            shift.primary = acting_user
        else:
            shift.backup = acting_user
        shift.save(update_fields=["primary", "backup"])
    swap.status = SwapRequest.Status.ACCEPTED if accept else SwapRequest.Status.DECLINED
    swap.decided_at = timezone.now()
    swap.save(update_fields=["status", "decided_at"])
    record("shift.swap_answered", actor=acting_user, target=shift, data={"accepted": accept})


@transaction.atomic
def duty_phone_set(*, user: User, number: str, acting_user: User) -> None:
    phone = DutyPhone.objects.filter(user=user).first() or DutyPhone(user=user)
    phone.number = number
    phone.save()
    record("duty_phone.changed", actor=acting_user, target=user)


@transaction.atomic
def duty_settings_set(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    hours: dict[str, list[str]],
    acting_user: User,
) -> None:
    """The organisation's escalation timing and office hours (``ostoja.lib.hours``); every
    hour outside office hours is duty."""
    validate_office_hours(hours)
    DutySettings.objects.update_or_create(organisation=organisation, defaults=data)
    organisation.office_hours = hours
    organisation.save(update_fields=["office_hours"])
    record("duty_settings.changed", actor=acting_user, data={**data, "hours": hours})


def _reference(organisation: Organisation, at: dt.datetime) -> str:
    """``INT/KCIK/2026/0007``: the organisation's interventions of the year, numbered."""
    year = timezone.localtime(at).year
    count = Intervention.objects.filter(organisation=organisation, opened_at__year=year).count()
    return f"INT/{organisation.short_code}/{year}/{count + 1:04d}"


@transaction.atomic
def intervention_open(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    acting_user: User,
    contact: Contact | None = None,
    people: list[Person] | None = None,
) -> Intervention:
    """Open an emergency intervention — from a contact's emergency switch or directly. Its
    clock starts at the first contact; outside office hours the escalation starts at once
    (``tasks.escalate_intervention`` after commit)."""
    from ostoja.interventions.tasks import escalate_intervention

    now = timezone.now()
    first = data.get("first_contact_at") or (contact.started_at if contact else now)
    if first > now:
        raise ValidationError({"first_contact_at": _("This time cannot be in the future.")})
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    intervention = Intervention.objects.create(
        organisation=organisation,
        reference=_reference(organisation, now),
        contact=contact,
        situation=data["situation"],
        location=data.get("location") or "",
        description=data.get("description") or "",
        first_contact_at=first,
        opened_at=now,
        office_hours=organisation.is_office_time(now),
        opened_by=acting_user,
    )
    for person in people or []:
        if person.organisation_id == organisation.pk:
            intervention.people.add(person)
    record(
        "intervention.opened",
        actor=acting_user,
        target=intervention,
        data={"situation": intervention.situation, "office_hours": intervention.office_hours},
    )
    transaction.on_commit(lambda: escalate_intervention(intervention.pk))
    return intervention


@transaction.atomic
def intervention_person_add(
    *, intervention: Intervention, person: Person, acting_user: User
) -> None:
    """Someone involved in the intervention (their identification and safe-contact protocol
    are then a click away)."""
    if person.organisation_id != intervention.organisation_id or person.merged_into_id:
        raise ValidationError(_("There is no such record, or you cannot see it."))
    intervention.people.add(person)
    record(
        "intervention.person_added",
        actor=acting_user,
        target=intervention,
        data={"person": str(person.code)},
    )


@transaction.atomic
def intervention_acknowledge(*, intervention: Intervention, acting_user: User) -> None:
    """The duty worker has it: the escalation stops."""
    if intervention.acknowledged_at is None:
        intervention.acknowledged_at = timezone.now()
        intervention.acknowledged_by = acting_user
        intervention.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record("intervention.acknowledged", actor=acting_user, target=intervention)


@transaction.atomic
def intervention_action_add(
    *, intervention: Intervention, kind: str, at: dt.datetime, note: str, acting_user: User
) -> InterventionAction:
    """Log a step with the time it happened; the first one stops the clock's first lap, a
    step that makes the person safe stops the second. Acting acknowledges."""
    if intervention.status != Intervention.Status.OPEN:
        raise ValidationError(_("The intervention is closed."))
    if at > timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError({"at": _("This time cannot be in the future.")})
    if at < intervention.first_contact_at:
        raise ValidationError({"at": _("This is before the first contact.")})
    action = InterventionAction.objects.create(
        intervention=intervention, kind=kind, at=at, note=note or "", by=acting_user
    )
    fields = []
    if intervention.first_action_at is None or at < intervention.first_action_at:
        intervention.first_action_at = at
        fields.append("first_action_at")
    safe_kinds = {
        InterventionAction.Kind.SAFE,
        InterventionAction.Kind.SAFE_PLACE,
        InterventionAction.Kind.SHELTER,
    }
    if kind in safe_kinds and intervention.safe_at is None:
        intervention.safe_at = at
        fields.append("safe_at")
    if intervention.acknowledged_at is None:
        intervention.acknowledged_at, intervention.acknowledged_by = timezone.now(), acting_user
        fields += ["acknowledged_at", "acknowledged_by"]
    if fields:
        intervention.save(update_fields=fields)
    record(
        "intervention.action_logged", actor=acting_user, target=intervention, data={"kind": kind}
    )
    return action


def next_working_day(organisation: Organisation, after: dt.date) -> dt.date:
    """The first weekday after ``after`` that is not a public holiday."""
    day = after + dt.timedelta(days=1)
    while day.weekday() >= 5 or is_holiday(day):
        day += dt.timedelta(days=1)
    return day


def handover_day(organisation: Organisation, now: dt.datetime) -> dt.date:
    """When the case manager takes over: today if the office is open or still opens today,
    else the next working day (a Saturday 02:00 emergency: Monday)."""
    local = now.astimezone(ZoneInfo(organisation.time_zone))
    span = organisation.office_hours.get(str(local.weekday()))
    working = local.weekday() < 5 and not is_holiday(local.date())
    if working and span and local.time() < dt.time.fromisoformat(span[1]):
        return local.date()
    return next_working_day(organisation, local.date())


@transaction.atomic
def intervention_close(
    *,
    intervention: Intervention,
    outcome: str,
    handover_to: User | None,
    acting_user: User,
) -> None:
    """Record the outcome; the person is handed over to a case manager on the next working
    day (or today, in office hours)."""
    if outcome not in Intervention.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    now = timezone.now()
    intervention.status = Intervention.Status.CLOSED
    intervention.outcome = outcome
    intervention.closed_at = now
    if outcome in (Intervention.Outcome.SAFE, Intervention.Outcome.SHELTER) and not (
        intervention.safe_at
    ):
        intervention.safe_at = now
    intervention.handover_to = handover_to
    if handover_to is not None:
        intervention.handover_on = handover_day(intervention.organisation, now)
    intervention.save()
    record(
        "intervention.closed",
        actor=acting_user,
        target=intervention,
        data={
            "outcome": outcome,
            "handover_to": str(handover_to.code) if handover_to else None,
        },
    )


def _move_people(duplicate: Person, keep: Person) -> int:
    """A merge of people: the interventions the duplicate was involved in."""
    moved = 0
    for intervention in Intervention.objects.filter(people=duplicate):
        intervention.people.remove(duplicate)
        intervention.people.add(keep)
        moved += 1
    return moved


register_mover(PERSON, "interventions", _move_people)
