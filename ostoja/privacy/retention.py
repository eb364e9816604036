"""The retention job (issue #19): every night, for each organisation and each kind of
record, what its schedule says is due — warned ahead, then anonymised, deleted or
redacted — unless a legal hold keeps it. ``manage.py retention_run [--dry-run]`` runs it
at once; the DPO's page previews it (``plan``).

Safe to interrupt: every record is anonymised in a transaction of its own, with its mark
(``services``), and what is due is worked out again on every run — a run killed half-way
leaves records done or untouched, and the next run carries on. Files removed after commit
are listed first (``FileShred``) and removed at the start of the next run if the process
died in between.

The units and their clocks:

* a **closed case**: from the day it was closed; a case manager is warned ``warn_days``
  ahead (a notice, and an e-mail if they wish — the case number only), and a case is never
  anonymised less than ``warn_days`` after its warning. Its clients go with it once none of
  their cases is left (they are anonymised after their last case);
* a **person with no case** (a related person, a caller registered without a case): from
  the day the record was made, once no one they are related to has a case still kept;
* a **helpline contact** linked to no person and no case: from the contact's day; one
  that is linked goes with its person or case;
* an **abandoned portal report**: deleted (``portal.services.reports_abandoned_erase``);
* **audit entries**: kept, their ``data`` redacted (``audit.services.entries_redact``, in
  the name of the DPO who confirmed the schedule: a default nobody confirmed redacts
  nothing).

A legal hold on a case or a person pauses the clock: nothing it keeps is touched, and a
record that fell due meanwhile goes the day after the hold ends or is lifted.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import batched
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ostoja.accounts.access import coordinators
from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.services import notice_send
from ostoja.audit.models import REDACTED, REDACTION, AuditEntry
from ostoja.audit.services import entries_redact
from ostoja.cases.access import TARGET as CASE
from ostoja.cases.models import Case, CaseClient, TeamMember
from ostoja.helpline.access import TARGET as CONTACT
from ostoja.helpline.models import Contact, ContactLink
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import Person, Relation
from ostoja.portal.models import Report
from ostoja.portal.selectors import reports_abandoned
from ostoja.portal.services import report_erase
from ostoja.privacy import services
from ostoja.privacy.holds import holds_on, paused_until
from ostoja.privacy.models import (
    Anonymisation,
    RecordKind,
    RetentionRun,
    RetentionSchedule,
)

logger = logging.getLogger(__name__)
REDACT_CHUNK = 500


class State:
    DUE = "due"  # goes on this run
    WARN = "warn"  # due soon: the case manager is told
    HELD = "held"  # due, kept by a legal hold


STATE_LABELS = {
    State.DUE: gettext_lazy("goes on this run"),
    State.WARN: gettext_lazy("the case manager is warned"),
    State.HELD: gettext_lazy("kept by a legal hold"),
}


@dataclass
class Item:
    """One record the schedules reach on this run: what, which, when due, and what
    happens to it. ``label`` names the record as the DPO may see it: a case number, a
    record's code, a contact's date — never a name."""

    kind: str
    target_type: str
    code: str
    label: str
    due: dt.date
    state: str
    record: Model | None = field(default=None, repr=False)
    held_until: dt.date | None = None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def kind_label(self) -> str:
        return str(RecordKind(self.kind).label)


def schedule_for(organisation: Organisation, kind: str) -> RetentionSchedule | None:
    """The organisation's schedule for ``kind``: its own, else the instance's default."""
    found = {
        s.organisation_id: s
        for s in RetentionSchedule.objects.filter(
            Q(organisation=organisation) | Q(organisation__isnull=True), kind=kind
        )
    }
    return found.get(organisation.pk) or found.get(None)


def schedules_of(organisation: Organisation) -> list[RetentionSchedule]:
    """The schedules that apply to the organisation, one per kind, in the kinds' order."""
    return [s for kind in RecordKind.values if (s := schedule_for(organisation, kind))]


def _marked(organisation: Organisation, target_type: str) -> set[str]:
    return set(
        Anonymisation.objects.filter(
            organisation=organisation, target_type=target_type
        ).values_list("target_code", flat=True)
    )


def _state(
    due: dt.date, holds: Any, today: dt.date, warn_days: int
) -> tuple[str | None, dt.date, dt.date | None]:
    """(the state, or None when not reached yet; the due date with the clock's pauses —
    the day after the last hold ends; the day an active hold keeps it until)."""
    held = [hold for hold in holds if hold.active(today)]
    paused = paused_until(holds, today)
    effective = max(due, paused + dt.timedelta(days=1)) if paused is not None else due
    if held and due <= today:
        return State.HELD, effective, max(hold.ends_on for hold in held)
    if effective <= today:
        return State.DUE, effective, None
    if effective <= today + dt.timedelta(days=warn_days):
        return State.WARN, effective, None
    return None, effective, None


# --- What is due ------------------------------------------------------------------------


def _warned_on(case: Case) -> dt.date | None:
    first = (
        Notice.objects.filter(
            kind=Notice.Kind.RETENTION, target_type=CASE, target_code=str(case.code)
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def _to_warn(case: Case) -> list[User]:
    """Who is warned before a case's data goes: its active case managers; for a case left
    with none (they left the centre), the organisation's coordinators, who reassign cases —
    so no case is anonymised without someone having been told."""
    managers = [
        m.user
        for m in TeamMember.objects.filter(case=case, role=TeamRole.CASE_MANAGER).select_related(
            "user"
        )
        if m.user.is_active
    ]
    return managers or list(coordinators(case.organisation).order_by("pk"))


def _cases(org: Organisation, schedule: RetentionSchedule, today: dt.date) -> list[Item]:
    horizon = today + dt.timedelta(days=schedule.warn_days)
    marked = _marked(org, CASE)
    items = []
    closed = Case.objects.filter(
        organisation=org,
        status=Case.Status.CLOSED,
        closed_on__isnull=False,
        closed_on__lt=schedule.started_before(horizon),
    ).order_by("closed_on", "pk")
    for case in closed:
        if str(case.code) in marked:
            continue
        assert case.closed_on is not None  # noqa: S101  # filtered above
        due = schedule.due(case.closed_on)
        # Never sooner than ``warn_days`` after the case manager was told.
        warned = _warned_on(case)
        if warned is not None:
            due = max(due, warned + dt.timedelta(days=schedule.warn_days))
        holds = holds_on(case=case)
        # Due, never warned (a schedule shortened): warned now, due ``warn_days`` later —
        # unless a hold kept it (it goes the day after the hold, as the DPO set it).
        if warned is None and due <= today and not holds.exists() and _to_warn(case):
            due = today + dt.timedelta(days=schedule.warn_days)
        state, due, held_until = _state(due, holds, today, schedule.warn_days)
        if state == State.WARN and warned is not None:
            continue  # told once
        if state is not None:
            items.append(
                Item(
                    RecordKind.CASE,
                    CASE,
                    str(case.code),
                    case.reference,
                    due,
                    state,
                    case,
                    held_until,
                )
            )
    return items


def _short(code: object) -> str:
    """A person as the DPO's pages name one (the code, shortened): never a name."""
    return _("person {code}").format(code=f"{str(code)[:8]}…")


def _clients(org: Organisation, today: dt.date, cases: list[Item]) -> list[Item]:
    """The clients whose every case is anonymised already or goes on this run: they go
    after their last case."""
    going = {item.code for item in cases if item.state == State.DUE}
    done = _marked(org, CASE) | going
    marked = _marked(org, PERSON)
    cases_of: dict[int, list[Case]] = defaultdict(list)
    people: dict[int, Person] = {}
    links = CaseClient.objects.filter(case__organisation=org).select_related("case", "person")
    for link in links.order_by("pk"):
        cases_of[link.person_id].append(link.case)
        people[link.person_id] = link.person
    items = []
    for person_id, person in people.items():
        if str(person.code) in marked:
            continue
        if not all(str(case.code) in done for case in cases_of[person_id]):
            continue
        held = [h for h in holds_on(person=person) if h.active(today)]
        items.append(
            Item(
                RecordKind.CASE,
                PERSON,
                str(person.code),
                _short(person.code),
                today,
                State.HELD if held else State.DUE,
                person,
                max(h.ends_on for h in held) if held else None,
            )
        )
    return items


def _people(org: Organisation, schedule: RetentionSchedule, today: dt.date) -> list[Item]:
    """People in no case, made before the period, whom no one with a case still kept is
    related to."""
    marked = _marked(org, PERSON)
    in_cases = CaseClient.objects.filter(case__organisation=org).values("person_id")
    kept = {
        p.pk
        for p in Person.objects.filter(organisation=org, pk__in=in_cases).only("pk", "code")
        if str(p.code) not in marked
    }
    candidates = (
        Person.objects.filter(
            organisation=org, created_at__lt=_start_of(schedule.started_before(today))
        )
        .exclude(pk__in=in_cases)
        .only("pk", "code", "created_at")
        .order_by("created_at", "pk")
    )
    items = []
    for person in candidates:
        if str(person.code) in marked:
            continue
        related = set(
            Relation.objects.filter(Q(person=person) | Q(other=person)).values_list(
                "person_id", "other_id"
            )
        )
        if any(pk in kept for pair in related for pk in pair):
            continue
        due = schedule.due(timezone.localdate(person.created_at))
        state, due, held_until = _state(due, holds_on(person=person), today, 0)
        if state is not None:
            items.append(
                Item(
                    RecordKind.PERSON,
                    PERSON,
                    str(person.code),
                    _short(person.code),
                    due,
                    state,
                    person,
                    held_until,
                )
            )
    return items


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _contacts(org: Organisation, schedule: RetentionSchedule, today: dt.date) -> list[Item]:
    """Contacts linked to nothing, from before the period."""
    marked = _marked(org, CONTACT)
    linked = ContactLink.objects.values("contact_id")
    candidates = (
        Contact.objects.filter(
            organisation=org, started_at__lt=_start_of(schedule.started_before(today))
        )
        .exclude(pk__in=linked)
        .only("pk", "code", "started_at")
        .order_by("started_at", "pk")
    )
    return [
        Item(
            RecordKind.CONTACT,
            CONTACT,
            str(contact.code),
            f"{timezone.localtime(contact.started_at):%Y-%m-%d %H:%M}",
            schedule.due(timezone.localdate(contact.started_at)),
            State.DUE,
            contact,
        )
        for contact in candidates
        if str(contact.code) not in marked
    ]


def _portal(org: Organisation, schedule: RetentionSchedule, today: dt.date) -> list[Item]:
    """Reports with no message either way for the period (to the hour, as the portal
    counts it)."""
    now = timezone.now()
    after = now - (now - schedule.delta())
    return [
        Item(
            RecordKind.PORTAL,
            "portal.report",
            str(report.code),
            _("report of {date}").format(date=report.created_on.isoformat()),
            schedule.due(report.created_on),
            State.DUE,
            report,
        )
        for report in reports_abandoned(after=after, organisation=org)
    ]


def _audit_entries(org: Organisation, schedule: RetentionSchedule, today: dt.date) -> Any:
    return (
        AuditEntry.objects.filter(
            organisation=org, at__lt=_start_of(schedule.started_before(today))
        )
        .exclude(action=REDACTION)
        .exclude(data=REDACTED)
        .exclude(data={})
        .order_by("seq")
    )


def _audit(org: Organisation, schedule: RetentionSchedule, today: dt.date) -> list[Item]:
    """The entries to redact, as one item (their number is what matters)."""
    entries = _audit_entries(org, schedule, today)
    count = entries.count()
    if not count:
        return []
    first = entries.first()
    assert first is not None  # noqa: S101  # counted above
    return [
        Item(
            RecordKind.AUDIT,
            "audit.auditentry",
            str(count),
            _("{count} entries").format(count=count),
            schedule.due(timezone.localdate(first.at)),
            State.DUE,
        )
    ]


# --- The plan and the run --------------------------------------------------------------------


def plan(
    organisation: Organisation, today: dt.date | None = None, kinds: Collection[str] = ()
) -> list[Item]:
    """What a run today would do for the organisation (of these kinds only, if given), in
    the order it does it."""
    today = today or timezone.localdate()
    items: list[Item] = []
    for schedule in schedules_of(organisation):
        if kinds and schedule.kind not in kinds:
            continue
        if schedule.kind == RecordKind.CASE:
            cases = _cases(organisation, schedule, today)
            items += cases + _clients(organisation, today, cases)
        elif schedule.kind == RecordKind.PERSON:
            items += _people(organisation, schedule, today)
        elif schedule.kind == RecordKind.CONTACT:
            items += _contacts(organisation, schedule, today)
        elif schedule.kind == RecordKind.PORTAL:
            items += _portal(organisation, schedule, today)
        else:
            items += _audit(organisation, schedule, today)
    return items


def _warn(item: Item) -> bool:
    case = item.record
    assert isinstance(case, Case)  # noqa: S101  # only cases are warned about
    recipients = _to_warn(case)
    text = _(
        "Case {number}: its retention period ends on {date} and its data will then be "
        "anonymised. If it must be kept (proceedings pending, a court's request), ask the "
        "data protection officer for a legal hold."
    ).format(number=case.reference, date=item.due.isoformat())
    sent = notice_send(
        recipients=recipients,
        kind=Notice.Kind.RETENTION,
        text=text,
        url=reverse("cases:case_detail", args=[case.code]),
        target_type=CASE,
        target_code=str(case.code),
        key="retention",
    )
    return bool(sent)


def _do(item: Item, organisation: Organisation, today: dt.date) -> str:
    """Carry out one item; what became of it (a key of the run's counts)."""
    why = Anonymisation.Why.RETENTION
    if item.state == State.HELD:
        return "held"
    if item.state == State.WARN:
        with transaction.atomic():
            return "warned" if _warn(item) else "skipped"
    record = item.record
    if isinstance(record, Case):
        services.anonymise_case(record, by=None, why=why)
    elif isinstance(record, Person):
        services.anonymise_person(record, by=None, why=why)
    elif isinstance(record, Contact):
        services.anonymise_contact(record, by=None, why=why)
    elif isinstance(record, Report):
        return "done" if report_erase(report=record) else "kept"
    else:
        return _redact(organisation, today)
    return "done"


def _redact(organisation: Organisation, today: dt.date) -> str:
    schedule = schedule_for(organisation, RecordKind.AUDIT)
    assert schedule is not None  # noqa: S101  # the item came from it
    dpo = schedule.updated_by
    if dpo is None or not dpo.is_active or dpo.organisation != organisation:
        return "unconfirmed"
    entries = list(_audit_entries(organisation, schedule, today).only("seq"))
    for chunk in batched(entries, REDACT_CHUNK):
        with transaction.atomic():
            entries_redact(
                entries=chunk, reason=AuditEntry.RedactionReason.RETENTION, acting_user=dpo
            )
    return "done"


def run(
    *, today: dt.date | None = None, kinds: Collection[str] = ()
) -> dict[int, dict[str, dict[str, int]]]:
    """One run for every organisation: warn, then anonymise, delete or redact what is due
    and not held (of these kinds only, if given). Returns, per organisation, the counts
    per kind and outcome."""
    today = today or timezone.localdate()
    services.shred_pending()
    summary = {}
    for organisation in Organisation.objects.order_by("pk"):
        summary[organisation.pk] = run_for(organisation, today=today, kinds=kinds)
    return summary


def run_for(
    organisation: Organisation, *, today: dt.date, kinds: Collection[str] = ()
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    row = RetentionRun.objects.create(organisation=organisation)
    for item in plan(organisation, today, kinds):
        try:
            outcome = _do(item, organisation, today)
        except ValidationError:  # held since the plan was made: next run
            outcome = "held"
        except Exception:  # one record's failure does not stop the others
            logger.exception("retention: %s %s failed", item.target_type, item.code)
            outcome = "failed"
        counts[item.kind][outcome] += 1
    result = {kind: dict(by) for kind, by in counts.items()}
    RetentionRun.objects.filter(pk=row.pk).update(finished_at=timezone.now(), counts=result)
    return result
