"""Every change to interventions (STYLE.md: one transaction, one audit entry; the entries
name records, never locations or people). The roster's changes are ``ostoja.duty``'s."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.access import coordinators
from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.records import register_mover
from ostoja.accounts.roles import Capability
from ostoja.accounts.services import notice_send, notices_read
from ostoja.audit.trail import record
from ostoja.cases.models import Case
from ostoja.helpline.models import Contact
from ostoja.interventions.access import TARGET
from ostoja.interventions.models import Intervention, InterventionAction
from ostoja.lib.hours import is_holiday
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import Person


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
    # FOR NO KEY UPDATE: it serialises the numbering, yet lets any other transaction
    # insert a row that refers to the organisation (a foreign key's check takes FOR KEY
    # SHARE, which FOR UPDATE blocks): one holding the audit trail's head while this
    # waits for the head deadlocked (test_faults.py found it under load).
    Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
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
    # Times are typed to the minute: an action in the first contact's own minute is not
    # before it.
    if at < intervention.first_contact_at.replace(second=0, microsecond=0):
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
    intervention.save()
    record(
        "intervention.closed",
        actor=acting_user,
        target=intervention,
        data={"outcome": outcome},
    )
    if outcome == Intervention.Outcome.FALSE_ALARM:
        return
    if handover_to is not None:
        intervention_handover(
            intervention=intervention, handover_to=handover_to, acting_user=acting_user
        )
    else:  # nobody named: the coordinators choose the case manager
        notice_send(
            recipients=coordinators(intervention.organisation),
            kind=Notice.Kind.HANDOVER,
            text=_("Choose a case manager to take over intervention %(ref)s.")
            % {"ref": intervention.reference},
            url=reverse("interventions:detail", args=[intervention.code]),
            target_type=TARGET,
            target_code=str(intervention.code),
            key="choose",
        )


@transaction.atomic
def intervention_case_link(
    *, intervention: Intervention, case_code: str, acting_user: User
) -> None:
    """The case opened from the intervention (the first one: an intervention leads to one
    case; a later case of the same person is the person's, not the intervention's)."""
    if intervention.case_id is not None:
        return
    case = Case.objects.get(code=case_code, organisation=intervention.organisation)
    intervention.case = case
    intervention.save(update_fields=["case"])
    record(
        "intervention.case_opened", actor=acting_user, target=intervention, data={"case": case_code}
    )


@transaction.atomic
def intervention_handover(
    *, intervention: Intervention, handover_to: User, acting_user: User
) -> None:
    """Hand the closed intervention over to a case manager: an assignment they are told of
    (notification centre, e-mail by preference), due today if the office is open or still
    opens today, else on the next working day, and acknowledged by them."""
    if handover_to.organisation != intervention.organisation or not handover_to.can(
        Capability.WORK_CASES
    ):
        raise ValidationError({"handover_to": _("Choose a case manager of the centre.")})
    intervention.handover_to = handover_to
    intervention.handover_on = handover_day(intervention.organisation, timezone.now())
    intervention.handover_acknowledged_at = None
    intervention.handover_escalated_at = None
    intervention.save(
        update_fields=[
            "handover_to",
            "handover_on",
            "handover_acknowledged_at",
            "handover_escalated_at",
        ]
    )
    record(
        "intervention.handed_over",
        actor=acting_user,
        target=intervention,
        data={"to": str(handover_to.code), "on": intervention.handover_on.isoformat()},
    )
    notice_send(
        recipients=[handover_to],
        kind=Notice.Kind.HANDOVER,
        text=_("Intervention %(ref)s is handed over to you (%(day)s): acknowledge it.")
        % {"ref": intervention.reference, "day": intervention.handover_on.isoformat()},
        url=reverse("interventions:detail", args=[intervention.code]),
        target_type=TARGET,
        target_code=str(intervention.code),
        key=f"to:{handover_to.code}",
    )


@transaction.atomic
def intervention_handover_acknowledge(*, intervention: Intervention, acting_user: User) -> None:
    """The case manager has taken the hand-over: it leaves their to-do list."""
    if intervention.handover_to_id != acting_user.pk:
        raise ValidationError(_("This hand-over is not yours."))
    if intervention.handover_acknowledged_at is None:
        intervention.handover_acknowledged_at = timezone.now()
        intervention.save(update_fields=["handover_acknowledged_at"])
        record("intervention.handover_acknowledged", actor=acting_user, target=intervention)
    notices_read(
        user=acting_user,
        notices=acting_user.notices.filter(
            kind=Notice.Kind.HANDOVER, target_code=str(intervention.code)
        ),
    )


# A hand-over not acknowledged by noon of its day goes to the coordinators.
HANDOVER_NOON = dt.time(12, 0)


@transaction.atomic
def handovers_escalate(*, now: dt.datetime) -> int:
    """Tell the coordinators of every hand-over not acknowledged by noon of its day (once
    each); how many were escalated."""
    late = Intervention.objects.filter(
        handover_to__isnull=False,
        handover_acknowledged_at__isnull=True,
        handover_escalated_at__isnull=True,
        handover_on__lte=timezone.localdate(now) + dt.timedelta(days=1),
    ).select_related("organisation", "handover_to")
    escalated = 0
    for intervention in late.select_for_update(of=("self",)):
        zone = ZoneInfo(intervention.organisation.time_zone)
        assert intervention.handover_on is not None  # noqa: S101  # filtered above
        noon = dt.datetime.combine(intervention.handover_on, HANDOVER_NOON, zone)
        if now < noon:
            continue
        intervention.handover_escalated_at = now
        intervention.save(update_fields=["handover_escalated_at"])
        record(
            "intervention.handover_escalated",
            actor=None,
            target=intervention,
            organisation=intervention.organisation,
        )
        notice_send(
            recipients=coordinators(intervention.organisation),
            kind=Notice.Kind.HANDOVER_LATE,
            text=_(
                "The hand-over of intervention %(ref)s to %(name)s was not acknowledged by noon."
            )
            % {"ref": intervention.reference, "name": str(intervention.handover_to)},
            url=reverse("interventions:detail", args=[intervention.code]),
            target_type=TARGET,
            target_code=str(intervention.code),
            key=intervention.handover_on.isoformat(),
        )
        escalated += 1
    return escalated


def _move_people(duplicate: Person, keep: Person) -> int:
    """A merge of people: the interventions the duplicate was involved in."""
    moved = 0
    for intervention in Intervention.objects.filter(people=duplicate):
        intervention.people.remove(duplicate)
        intervention.people.add(keep)
        moved += 1
    return moved


register_mover(PERSON, "interventions", _move_people)
