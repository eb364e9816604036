"""Every change to the shelter (STYLE.md: one transaction, one audit entry; the entries name
records by their codes, never an address, a name or what someone arrived with)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.services import notice_send
from ostoja.audit.trail import record
from ostoja.cases.models import Action, Case, Goal
from ostoja.cases.services import plan_action_add
from ostoja.interventions.models import Intervention, InterventionAction
from ostoja.interventions.services import intervention_action_add
from ostoja.lib.locking import Conflict
from ostoja.people.models import Person
from ostoja.shelter.access import PLACEMENT
from ostoja.shelter.models import (
    ACTIVE,
    Absence,
    AbsenceAlert,
    Bed,
    Facility,
    Incident,
    KeptItem,
    Placement,
    Room,
    ShiftEntry,
    StayStep,
    WaitingEntry,
)

# A time typed to the minute on a phone may run a little ahead of the server's clock.
CLOCK_SLACK = dt.timedelta(minutes=5)


def _lock(row: Placement | Absence | WaitingEntry | KeptItem | Incident) -> None:
    """Lock the row for the transaction and read it afresh into the caller's instance (a
    second request acting on it at the same moment waits, then sees what the first did)."""
    type(row).objects.select_for_update().filter(pk=row.pk).values_list("pk").get()
    row.refresh_from_db()


def _lock_placement(placement: Placement, version: int | None) -> None:
    """``_lock``, and a step taken from a page opened before another step was taken is a
    ``Conflict`` (``version``: the stay's version the page showed; ostoja.lib.locking)."""
    _lock(placement)
    if version is not None and placement.version != version:
        raise Conflict(placement)


def _not_in_future(at: dt.datetime, field: str) -> None:
    if at > timezone.now() + CLOCK_SLACK:
        raise ValidationError({field: _("This time cannot be in the future.")})


@transaction.atomic
def facility_create(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    rooms: Iterable[tuple[str, int]] = (),
    staff: Iterable[User] = (),
    acting_user: User,
) -> Facility:
    """A facility with its rooms, each with its number of beds (``[("1", 3)]``)."""
    facility = Facility.objects.create(organisation=organisation, **data)
    facility.staff.set([u for u in staff if u.organisation == organisation])
    for name, beds in rooms:
        room = Room.objects.create(facility=facility, name=name)
        for number in range(1, beds + 1):
            Bed.objects.create(room=room, label=str(number))
    record(
        "facility.created",
        actor=acting_user,
        target=facility,
        data={"kind": facility.kind, "beds": sum(beds for _name, beds in rooms)},
    )
    return facility


@transaction.atomic
def bed_set_use(*, bed: Bed, out_of_use: bool, acting_user: User) -> None:
    """Take a bed out of use (broken, being cleaned, kept free) or back into use. A bed
    someone holds stays in use until they leave it."""
    if out_of_use and bed.placements.filter(status__in=ACTIVE).exists():
        raise ValidationError(_("Someone holds this bed: move them first."))
    if bed.out_of_use != out_of_use:
        bed.out_of_use = out_of_use
        bed.save(update_fields=["out_of_use"])
        record(
            "bed.use_changed",
            actor=acting_user,
            target=bed,
            data={"out_of_use": out_of_use, "facility": str(bed.room.facility.code)},
        )


def check_fits(person: Person, facility: Facility, on: dt.date) -> None:
    """Refuse a person the facility does not take (a minor in an adults-only place, a man
    in a women's shelter)."""
    if person.is_minor(on) and not facility.takes_minors:
        raise ValidationError({"bed": _("This place does not take minors: choose one that does.")})
    if person.gender == Person.Gender.MASCULINE and not facility.takes_men:
        raise ValidationError({"bed": _("This place does not take men.")})
    if person.gender == Person.Gender.FEMININE and not facility.takes_women:
        raise ValidationError({"bed": _("This place does not take women.")})


def _check_bed(bed: Bed, person: Person, facility: Facility | None) -> None:
    if facility is not None and bed.room.facility_id != facility.pk:
        raise ValidationError({"bed": _("This bed is in another facility.")})
    if bed.room.facility.organisation_id != person.organisation_id:
        raise ValidationError({"bed": _("There is no such bed.")})
    if not bed.room.facility.active or bed.out_of_use:
        raise ValidationError({"bed": _("This bed is out of use.")})
    if bed.placements.filter(status__in=ACTIVE).exists():
        raise ValidationError({"bed": _("This bed is taken: choose another.")})
    check_fits(person, bed.room.facility, timezone.localdate())


def _insert(placement: Placement) -> Placement:
    """Store a new active placement; the database's own rule decides a race for the same
    bed or the same person (the loser is told, nothing of theirs is half-written)."""
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        if Placement.objects.filter(person=placement.person, status__in=ACTIVE).exists():
            raise ValidationError(
                {"person": _("This person already has a bed or a reservation.")}
            ) from None
        raise ValidationError(
            {"bed": _("This bed was taken a moment ago: choose another.")}
        ) from None
    return placement


@transaction.atomic
def placement_reserve(
    *,
    person: Person,
    bed: Bed,
    acting_user: User,
    facility: Facility | None = None,
    case: Case | None = None,
    intervention: Intervention | None = None,
    referral: Any = None,
    expected_at: dt.datetime | None = None,
    at: dt.datetime | None = None,
) -> Placement:
    """Hold a bed for a person (from an emergency intervention, a case, or a partner's
    referral — ``network.IncomingReferral``, resolved by the network as the page's source):
    the bed is theirs until they are admitted or the reservation is cancelled.
    ``at``: when it was agreed, if earlier than now (a bed arranged by phone)."""
    if at is not None:
        _not_in_future(at, "at")
    if person.merged_into_id:
        raise ValidationError({"person": _("There is no such record, or you cannot see it.")})
    current = Placement.objects.filter(person=person, status__in=ACTIVE).first()
    if current is not None:
        raise ValidationError({"person": _("This person already has a bed or a reservation.")})
    _check_bed(bed, person, facility)
    placement = _insert(
        Placement(
            organisation_id=person.organisation_id,
            person=person,
            bed=bed,
            case=case,
            intervention=intervention,
            referral=referral,
            expected_at=expected_at,
            reserved_at=at or timezone.now(),
            placed_by=acting_user,
        )
    )
    waiting = WaitingEntry.objects.filter(person=person, ended_at__isnull=True).first()
    if waiting is not None:
        waiting_end(
            entry=waiting,
            outcome=WaitingEntry.Outcome.PLACED,
            placement=placement,
            acting_user=acting_user,
        )
    record(
        "placement.reserved",
        actor=acting_user,
        target=placement,
        data={
            "bed": str(bed.code),
            "facility": str(bed.room.facility.code),
            "person": str(person.code),
            "from": "intervention"
            if intervention
            else "referral"
            if referral
            else "case"
            if case
            else "",
            "referral": str(referral.code) if referral else "",
        },
    )
    return placement


@transaction.atomic
def placement_admit(
    *,
    placement: Placement,
    at: dt.datetime,
    brought_by: str,
    arrived_with: str,
    expected_departure: dt.date | None,
    acting_user: User,
    version: int | None = None,
) -> None:
    """The person has arrived: the stay begins. An emergency intervention it came from
    records the shelter place (its clock's "safe")."""
    _lock_placement(placement, version)
    if placement.status != Placement.Status.RESERVED:
        raise ValidationError(_("Only a reservation can be admitted."))
    _not_in_future(at, "at")
    if expected_departure is not None and expected_departure < timezone.localdate(at):
        raise ValidationError(
            {"expected_departure": _("The departure cannot be before the arrival.")}
        )
    placement.status = Placement.Status.ADMITTED
    placement.admitted_at = at
    placement.brought_by = brought_by
    placement.arrived_with = arrived_with or ""
    placement.expected_departure = expected_departure
    placement.version += 1
    placement.save()
    record(
        "placement.admitted",
        actor=acting_user,
        target=placement,
        data={"brought_by": brought_by, "bed": str(placement.bed.code)},
    )
    intervention = placement.intervention
    if intervention is not None and intervention.status == Intervention.Status.OPEN:
        intervention_action_add(
            intervention=intervention,
            kind=InterventionAction.Kind.SHELTER,
            at=max(at, intervention.first_contact_at),
            note="",
            acting_user=acting_user,
        )


def _end(placement: Placement, at: dt.datetime, reason: str, destination: str) -> None:
    if placement.status != Placement.Status.ADMITTED or placement.admitted_at is None:
        raise ValidationError(_("Only a stay that has begun can end."))
    _not_in_future(at, "at")
    if at < placement.admitted_at:
        admitted = timezone.localtime(placement.admitted_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(
            {"at": _("This is before the admission ({admitted}).").format(admitted=admitted)}
        )
    placement.status = Placement.Status.DISCHARGED
    placement.discharged_at = at
    placement.reason = reason
    placement.destination = destination
    placement.version += 1
    placement.save()


@transaction.atomic
def placement_discharge(
    *,
    placement: Placement,
    at: dt.datetime,
    reason: str,
    destination: str,
    acting_user: User,
    version: int | None = None,
) -> None:
    """The stay ends: when, why, and where the person went."""
    _lock_placement(placement, version)
    if reason not in Placement.Reason.values or reason == Placement.Reason.MOVED:
        raise ValidationError({"reason": _("Choose the reason.")})
    if destination not in Placement.Destination.values:
        raise ValidationError({"destination": _("Choose where the person went.")})
    _end(placement, at, reason, destination)
    record(
        "placement.discharged",
        actor=acting_user,
        target=placement,
        data={"reason": reason, "destination": destination},
    )


@transaction.atomic
def placement_move(
    *,
    placement: Placement,
    bed: Bed,
    at: dt.datetime,
    acting_user: User,
    version: int | None = None,
) -> Placement:
    """Move the person to another bed, in the same facility or another: the stay in the
    first bed ends and one in the new bed begins at the same moment."""
    _lock_placement(placement, version)
    if bed.pk == placement.bed_id:
        raise ValidationError({"bed": _("The person is in this bed already.")})
    moved = placement.bed.room.facility_id != bed.room.facility_id
    destination = Placement.Destination.ANOTHER_SHELTER if moved else ""
    _end(placement, at, Placement.Reason.MOVED, destination)
    _check_bed(bed, placement.person, None)
    successor = _insert(
        Placement(
            organisation_id=placement.organisation_id,
            person=placement.person,
            bed=bed,
            case=placement.case,
            intervention=placement.intervention,
            status=Placement.Status.ADMITTED,
            reserved_at=at,
            admitted_at=at,
            brought_by=Placement.BroughtBy.STAFF,
            expected_departure=placement.expected_departure,
            moved_from=placement,
            referral=placement.referral,
            placed_by=acting_user,
        )
    )
    # The case plan's steps of the stay go on with it.
    placement.steps.update(placement=successor)
    record(
        "placement.moved",
        actor=acting_user,
        target=placement,
        data={"to": str(successor.code), "bed": str(bed.code)},
    )
    return successor


@transaction.atomic
def placement_cancel(
    *, placement: Placement, acting_user: User, version: int | None = None
) -> None:
    """The person will not come: the bed is free again."""
    _lock_placement(placement, version)
    if placement.status != Placement.Status.RESERVED:
        raise ValidationError(_("Only a reservation can be cancelled."))
    placement.status = Placement.Status.CANCELLED
    placement.version += 1
    placement.save(update_fields=["status", "version"])
    record("placement.cancelled", actor=acting_user, target=placement)


@transaction.atomic
def stay_step_add(
    *, placement: Placement, goal: Goal, text: str, due: dt.date | None, acting_user: User
) -> StayStep:
    """A step of the case plan taken during the stay: written to the case plan (its own
    service and audit entry) under one of the case's open goals, and listed by the stay."""
    if placement.case is None:
        raise ValidationError(_("This stay is not linked to a case: a plan is a case's."))
    if placement.status not in ACTIVE:
        raise ValidationError(_("Steps are added to a stay under way or reserved."))
    if goal.case_id != placement.case_id or goal.status != Goal.Status.OPEN:
        raise ValidationError({"goal": _("Choose an open goal of the stay's case.")})
    action = plan_action_add(
        goal=goal, instance=Action(text=text.strip(), due=due), acting_user=acting_user
    )
    step = StayStep.objects.create(placement=placement, action=action, added_by=acting_user)
    record(
        "placement.plan_item_added",
        actor=acting_user,
        target=placement,
        data={"action": str(action.code), "goal": str(goal.code), "domain": goal.domain},
    )
    return step


@transaction.atomic
def absence_start(
    *,
    placement: Placement,
    expected_back: dt.datetime,
    where: str,
    acting_user: User,
    at: dt.datetime | None = None,
) -> Absence:
    """A resident goes out and says when they will be back (and, if they wish, where:
    stored sealed)."""
    at = at or timezone.now()
    if placement.status != Placement.Status.ADMITTED:
        raise ValidationError(_("Only a resident can go out."))
    if expected_back <= at:
        raise ValidationError({"expected_back": _("The return must be after going out.")})
    if placement.absences.filter(returned_at__isnull=True).exists():
        raise ValidationError(_("The resident is out already."))
    absence = Absence.objects.create(
        placement=placement,
        left_at=at,
        expected_back=expected_back,
        where=where or "",
        recorded_by=acting_user,
    )
    record(
        "absence.started",
        actor=acting_user,
        target=absence,
        data={"placement": str(placement.code)},
    )
    return absence


@transaction.atomic
def absence_return(*, absence: Absence, acting_user: User, at: dt.datetime | None = None) -> None:
    """The resident is back: the absence ends (and any alarm with it)."""
    _lock(absence)
    if absence.returned_at is not None:
        raise ValidationError(_("The resident is back already."))
    absence.returned_at = at or timezone.now()
    absence.save(update_fields=["returned_at"])
    record(
        "absence.ended",
        actor=acting_user,
        target=absence,
        data={"late": absence.alarm_at is not None},
    )


def _write_alert(
    absence: Absence, role: str, user: User, channel: str, now: dt.datetime
) -> AbsenceAlert | None:
    """The row, in its own transaction; ``None`` if it was written before (by another
    worker, or before a restart): theirs to send, or the check's to send again."""
    try:
        with transaction.atomic():
            row, created = AbsenceAlert.objects.get_or_create(
                absence=absence,
                recipient=user,
                channel=channel,
                defaults={"role": role, "created_at": now},
            )
    except IntegrityError:
        return None
    return row if created else None


def absence_alarm(*, absence: Absence, now: dt.datetime) -> list[AbsenceAlert]:
    """Raise the alarm for a resident not back by the expected time and the grace period:
    write one alert row per recipient and channel (``alerts``) that was not written before,
    and return them to be sent once committed. Idempotent; nothing before it is due."""
    from ostoja.shelter import alerts

    if absence.returned_at is not None or now < absence.due_at():
        return []
    if absence.alarm_at is None:
        with transaction.atomic():
            changed = Absence.objects.filter(pk=absence.pk, alarm_at__isnull=True).update(
                alarm_at=now
            )
            if changed:
                absence.alarm_at = now
                record(
                    "absence.alarm_raised",
                    actor=None,
                    target=absence,
                    organisation=absence.placement.organisation,
                    data={"placement": str(absence.placement.code)},
                )
    created = []
    told = alerts.recipients(absence, now)
    for role, user in told:
        for channel in alerts.channels(user):
            row = _write_alert(absence, role, user, channel, now)
            if row is not None:
                created.append(row)
    _absence_notice(absence, [user for _role, user in told])
    return created


def _absence_notice(absence: Absence, recipients: list[User]) -> None:
    """The alarm in the notification centre of everyone it reaches, once each: naming no
    one and no place, as its messages. Marked e-mailed: the alarm's own e-mail (and SMS)
    carries it, the bell is not to send a second one."""
    placement = absence.placement
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        expected = timezone.localtime(absence.expected_back).strftime("%Y-%m-%d %H:%M")
        sent = notice_send(
            recipients=recipients,
            kind=Notice.Kind.ABSENCE,
            text=_("A resident who went out was expected back at %(at)s and has not come back.")
            % {"at": expected},
            url=reverse("shelter:placement", args=[placement.code]),
            target_type=PLACEMENT,
            target_code=str(placement.code),
            key=str(absence.code),
        )
        Notice.objects.filter(pk__in=[n.pk for n in sent]).update(mailed_at=timezone.now())


@transaction.atomic
def shift_entry_write(
    *,
    facility: Facility,
    shift: str,
    text: str,
    acting_user: User,
    placement: Placement | None = None,
    for_case_manager: bool = False,
) -> ShiftEntry:
    """Write in the facility's shift book (sealed), about a resident or the house; marked
    for the case manager, it shows on the resident's stay for those who work their case."""
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    if shift not in ShiftEntry.Shift.values:
        raise ValidationError({"shift": _("Choose the shift.")})
    if placement is not None and placement.bed.room.facility_id != facility.pk:
        raise ValidationError({"placement": _("This resident stays in another facility.")})
    if for_case_manager and placement is None:
        raise ValidationError(
            {"placement": _("Say which resident the case manager should know about.")}
        )
    entry = ShiftEntry.objects.create(
        facility=facility,
        shift=shift,
        text=text.strip(),
        placement=placement,
        for_case_manager=for_case_manager,
        written_by=acting_user,
    )
    record(
        "shift_entry.written",
        actor=acting_user,
        target=entry,
        data={
            "facility": str(facility.code),
            "placement": str(placement.code) if placement else "",
            "for_case_manager": for_case_manager,
        },
    )
    return entry


@transaction.atomic
def waiting_add(
    *,
    person: Person,
    priority: int,
    needs: str,
    offered: str,
    acting_user: User,
    case: Case | None = None,
    intervention: Intervention | None = None,
) -> WaitingEntry:
    """Nothing fits: the person waits for a place, with their priority and what they were
    offered instead."""
    if WaitingEntry.objects.filter(person=person, ended_at__isnull=True).exists():
        raise ValidationError({"person": _("This person is on the waiting list already.")})
    if Placement.objects.filter(person=person, status__in=ACTIVE).exists():
        raise ValidationError({"person": _("This person already has a bed or a reservation.")})
    entry = WaitingEntry.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        case=case,
        intervention=intervention,
        priority=priority,
        needs=needs or "",
        offered=offered,
        added_by=acting_user,
    )
    record(
        "waiting.added",
        actor=acting_user,
        target=entry,
        data={"person": str(person.code), "priority": priority, "offered": offered},
    )
    return entry


@transaction.atomic
def waiting_end(
    *,
    entry: WaitingEntry,
    outcome: str,
    acting_user: User,
    placement: Placement | None = None,
) -> None:
    """The wait ends: placed, refused for lack of places, or no longer needed."""
    _lock(entry)
    if entry.ended_at is not None:
        raise ValidationError(_("This wait has ended already."))
    if outcome not in WaitingEntry.Outcome.values:
        raise ValidationError({"outcome": _("Choose how the wait ended.")})
    entry.ended_at = timezone.now()
    entry.outcome = outcome
    entry.placement = placement
    entry.save(update_fields=["ended_at", "outcome", "placement"])
    record("waiting.ended", actor=acting_user, target=entry, data={"outcome": outcome})


@transaction.atomic
def item_keep(*, placement: Placement, kind: str, description: str, acting_user: User) -> KeptItem:
    """The house takes something into keeping for a resident."""
    if placement.status != Placement.Status.ADMITTED:
        raise ValidationError(_("Only a resident's things are kept."))
    if kind not in KeptItem.Kind.values:
        raise ValidationError({"kind": _("Choose what it is.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe it, as it will be on the receipt.")})
    item = KeptItem.objects.create(
        placement=placement, kind=kind, description=description.strip(), received_by=acting_user
    )
    record("item.kept", actor=acting_user, target=item, data={"kind": kind})
    return item


@transaction.atomic
def item_return(*, item: KeptItem, signed: bool, acting_user: User) -> None:
    """Hand a kept thing back: only against the resident's signature on the receipt."""
    _lock(item)
    if item.returned_at is not None:
        raise ValidationError(_("This was handed back already."))
    if not signed:
        raise ValidationError(
            {"signed": _("The resident signs the receipt before it is handed back.")}
        )
    item.returned_at = timezone.now()
    item.returned_by = acting_user
    item.save(update_fields=["returned_at", "returned_by"])
    record("item.returned", actor=acting_user, target=item, data={"kind": item.kind})


@transaction.atomic
def incident_record(
    *,
    facility: Facility,
    kind: str,
    at: dt.datetime,
    description: str,
    acting_user: User,
    placement: Placement | None = None,
) -> Incident:
    """Record an incident of the house (sealed), about a resident or not."""
    if kind not in Incident.Kind.values:
        raise ValidationError({"kind": _("Choose what happened.")})
    if not description.strip():
        raise ValidationError({"description": _("Write what happened.")})
    _not_in_future(at, "at")
    if placement is not None and placement.bed.room.facility_id != facility.pk:
        raise ValidationError({"placement": _("This resident stays in another facility.")})
    incident = Incident.objects.create(
        facility=facility,
        placement=placement,
        kind=kind,
        at=at,
        description=description.strip(),
        recorded_by=acting_user,
    )
    record(
        "incident.recorded",
        actor=acting_user,
        target=incident,
        data={"facility": str(facility.code), "kind": kind},
    )
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, follow_up: str, acting_user: User) -> None:
    """The incident is dealt with: what was done about it."""
    _lock(incident)
    if incident.closed_at is not None:
        raise ValidationError(_("This incident is closed already."))
    if not follow_up.strip():
        raise ValidationError({"follow_up": _("Write what was done about it.")})
    incident.follow_up = follow_up.strip()
    incident.closed_at = timezone.now()
    incident.save(update_fields=["follow_up", "closed_at"])
    record("incident.closed", actor=acting_user, target=incident)
