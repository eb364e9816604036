"""Who is told about an emergency intervention, and when (issue "24/7 intervention";
ARCHITECTURE.md §5–6).

``escalate(intervention, now)`` decides which notifications are due at ``now`` and writes
the rows that do not exist yet; it sends nothing. Each row is written in its own
transaction with ``get_or_create`` on the unique key (intervention, step, sequence,
recipient, channel), so calling it again — twice at the same moment, from the task and
from the every-minute check at once, or after a worker was killed — creates nothing twice.
It returns the rows it created: those, and only those, are for the caller to send once
committed (``tasks.escalate_intervention``). Rows left ``pending`` are retried by
``tasks.escalation_check``.

The rules, for an open intervention:

* **Escalation** — only when it was opened outside office hours
  (``Intervention.office_hours`` is false: nights, weekends and Polish public holidays, from
  ``Organisation.is_office_time``) and only until someone acknowledges it. The chain is the
  duty shift's *primary*, its *backup*, then every active *coordinator* of the
  organisation. The shift is the one covering the opening; if none did, the one covering
  ``now`` (a late-planned shift still gets the call). A link of the chain with nobody in it
  is skipped and the next one moves up: the k-th link that has people is due
  ``k × acknowledge_minutes`` after the opening. So with no shift at all the coordinators
  are told at once; with a shift that has no backup they are told after N minutes; and
  when a shift starts after an uncovered opening, its primary is told then and its backup
  at N minutes (the chain is read afresh at each call; whoever was told stays told).
* **Reminders** — always, office hours or not: when nothing was recorded on the
  intervention (its last action, else its opening) and no reminder went out for
  ``idle_minutes``, the person who acknowledged it — else the duty primary, else the person
  who opened it — is reminded. A reminder's ``sequence`` is the number of idle periods since
  the opening, so there is at most one per period and each is a new row.

Everyone is told by e-mail, and by SMS too when they have a duty phone and an SMS gateway
is configured.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max

from ostoja.accounts.models import User
from ostoja.duty.models import DutyPhone, DutySettings
from ostoja.duty.roster import on_duty
from ostoja.interventions import notify
from ostoja.interventions.models import Intervention, InterventionAction, Notification

# DutySettings' defaults, for an organisation that has not saved its own.
DEFAULT_ACKNOWLEDGE_MINUTES = 10
DEFAULT_IDLE_MINUTES = 30
# Notification.sequence is a small integer.
MAX_SEQUENCE = 32767

Step = Notification.Step


@dataclass(frozen=True)
class Timing:
    acknowledge: dt.timedelta
    idle: dt.timedelta


def timing(intervention: Intervention) -> Timing:
    """The organisation's escalation timing, or the defaults if it has set none."""
    row = DutySettings.objects.filter(organisation_id=intervention.organisation_id).first()
    acknowledge = row.acknowledge_minutes if row else DEFAULT_ACKNOWLEDGE_MINUTES
    idle = row.idle_minutes if row else DEFAULT_IDLE_MINUTES
    return Timing(dt.timedelta(minutes=max(acknowledge, 1)), dt.timedelta(minutes=max(idle, 1)))


def duty_people(intervention: Intervention, now: dt.datetime) -> tuple[User | None, User | None]:
    """The primary and backup of the shift covering the opening (else covering ``now``)."""
    duty = on_duty(intervention.organisation, intervention.opened_at)
    if duty.shift is None:
        duty = on_duty(intervention.organisation, now)
    return duty.primary, duty.backup


def coordinators(intervention: Intervention) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            membership__organisation_id=intervention.organisation_id,
            membership__role="coordinator",
        ).order_by("pk")
    )


def chain(intervention: Intervention, now: dt.datetime) -> list[tuple[str, list[User]]]:
    """The links of the escalation chain that have someone in them, in order."""
    primary, backup = duty_people(intervention, now)
    links: list[tuple[str, list[User]]] = [
        (Step.PRIMARY, [primary] if primary and primary.is_active else []),
        (Step.BACKUP, [backup] if backup and backup.is_active and backup != primary else []),
        (Step.COORDINATOR, coordinators(intervention)),
    ]
    return [(step, people) for step, people in links if people]


def due_escalations(
    intervention: Intervention, now: dt.datetime, clock: Timing
) -> list[tuple[str, User]]:
    """(step, recipient) of the escalation steps due at ``now``."""
    if intervention.office_hours or intervention.acknowledged_at is not None:
        return []
    elapsed = now - intervention.opened_at
    due: list[tuple[str, User]] = []
    for position, (step, people) in enumerate(chain(intervention, now)):
        if elapsed < position * clock.acknowledge:
            break
        due += [(step, person) for person in people]
    return due


def due_reminder(
    intervention: Intervention, now: dt.datetime, clock: Timing
) -> tuple[int, User] | None:
    """(sequence, recipient) of the reminder due at ``now``, if one is."""
    last_action = InterventionAction.objects.filter(intervention=intervention).aggregate(
        last=Max("at")
    )["last"]
    last_reminder = Notification.objects.filter(
        intervention=intervention, step=Step.REMINDER
    ).aggregate(last=Max("created_at"))["last"]
    quiet_since = max(t for t in (intervention.opened_at, last_action, last_reminder) if t)
    if now - quiet_since < clock.idle:
        return None
    sequence = min((now - intervention.opened_at) // clock.idle, MAX_SEQUENCE)
    recipient = intervention.acknowledged_by
    if recipient is None:
        recipient = duty_people(intervention, now)[0] if not intervention.office_hours else None
    if recipient is None or not recipient.is_active:
        recipient = intervention.opened_by
    return sequence, recipient


def channels(recipient: User) -> list[str]:
    """E-mail always; SMS too when they have a duty phone and a gateway is configured."""
    found = [Notification.Channel.EMAIL.value]
    if notify.sms_enabled() and DutyPhone.objects.filter(user=recipient).exists():
        found.append(Notification.Channel.SMS.value)
    return found


def _write(
    intervention: Intervention,
    step: str,
    sequence: int,
    recipient: User,
    channel: str,
    now: dt.datetime,
) -> Notification | None:
    """The row, written in its own transaction; ``None`` if it already existed."""
    key = {
        "intervention": intervention,
        "step": step,
        "sequence": sequence,
        "recipient": recipient,
        "channel": channel,
    }
    try:
        with transaction.atomic():
            row, created = Notification.objects.get_or_create(**key, defaults={"created_at": now})
    except IntegrityError:  # written meanwhile by another worker: theirs to send
        return None
    return row if created else None


def escalate(intervention: Intervention, now: dt.datetime) -> list[Notification]:
    """Write the notifications due at ``now`` that were not written before; return them
    (to be sent once committed). Idempotent: a second call at the same moment returns []."""
    if intervention.status != Intervention.Status.OPEN:
        return []
    clock = timing(intervention)
    due = [(step, 0, person) for step, person in due_escalations(intervention, now, clock)]
    reminder = due_reminder(intervention, now, clock)
    if reminder is not None:
        due.append((Step.REMINDER, *reminder))
    created: list[Notification] = []
    for step, sequence, person in due:
        for channel in channels(person):
            row = _write(intervention, step, sequence, person, channel, now)
            if row is not None:
                created.append(row)
    return created
