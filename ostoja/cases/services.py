"""Every change to cases (STYLE.md: one transaction, one audit entry; entries name records
and fields, never their content). Audit entries of a case's records target the case, so the
case's timeline and "who has seen this" read one target."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.policy import TeamRole
from ostoja.accounts.records import Source, register_mover
from ostoja.accounts.roles import Capability
from ostoja.accounts.services import notice_send
from ostoja.audit.trail import record
from ostoja.cases.access import TARGET
from ostoja.cases.models import (
    Action,
    Case,
    CaseClient,
    Consent,
    Deadline,
    Decision,
    Document,
    Goal,
    LegalPeriod,
    Note,
    RiskAssessment,
    RouteEvent,
    Service,
    TeamMember,
)
from ostoja.cases.vocabulary import DeadlineKind
from ostoja.lib.crypto.files import EncryptedStorage, validate_upload
from ostoja.lib.locking import check_version
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import Person

# What the case's own form may change.
CASE_FIELDS = (
    "summary",
    "stage",
    "referred_by",
    "restricted",
    "forms",
    "harms",
    "industries",
    "control_methods",
    "recruitment",
    "perpetrator_notes",
)


@transaction.atomic
def case_open(
    *,
    organisation: Organisation,
    clients: list[Person],
    manager: User,
    data: dict[str, Any],
    acting_user: User,
    source: Source | None = None,
    countries: list[str] | None = None,
) -> Case:
    """Open a case with its clients and case manager; number ``KCIK/2026/0042``: the next
    of the organisation's year (the organisation row is locked while it is taken). From a
    ``source`` (a contact, an intervention), the source is linked to it."""
    if not clients:
        raise ValidationError(_("A case needs at least one client."))
    if any(p.organisation_id != organisation.pk or p.merged_into_id for p in clients):
        raise ValidationError(_("There is no such record, or you cannot see it."))
    # FOR NO KEY UPDATE: it serialises the numbering, yet lets any other transaction
    # insert a row that refers to the organisation (a foreign key's check takes FOR KEY
    # SHARE, which FOR UPDATE blocks): one holding the audit trail's head while this
    # waits for the head deadlocked (test_faults.py found it under load).
    Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)
    today = timezone.localdate()
    last = Case.objects.filter(organisation=organisation, year=today.year).aggregate(
        n=Max("number")
    )["n"]
    number = (last or 0) + 1
    case = Case(
        organisation=organisation,
        year=today.year,
        number=number,
        reference=f"{organisation.short_code}/{today.year}/{number:04d}",
        opened_on=today,
        created_by=acting_user,
        **{k: v for k, v in data.items() if k in CASE_FIELDS},
    )
    case.summary = case.summary or ""
    case.perpetrator_notes = case.perpetrator_notes or ""
    case.save()
    TeamMember.objects.create(case=case, user=manager, role=TeamRole.CASE_MANAGER)
    for person in clients:
        CaseClient.objects.create(case=case, person=person)
    for country in countries or []:  # where the person was exploited, as far as known
        RouteEvent.objects.create(
            case=case, kind=RouteEvent.Kind.EXPLOITATION, country=country, created_by=acting_user
        )
    # Whoever opens a case for a team they are not on stays on it (or they would lock
    # themselves out of it); coordinators see every case anyway.
    if acting_user != manager and not acting_user.can(Capability.SEE_ALL_CASES):
        TeamMember.objects.create(case=case, user=acting_user, role=TeamRole.MEMBER)
    record(
        "case.opened",
        actor=acting_user,
        target=case,
        data={"clients": [str(p.code) for p in clients], "manager": str(manager.code)},
    )
    if source is not None:
        source.link(TARGET, str(case.code), acting_user)
    return case


@transaction.atomic
def case_update(
    *, case: Case, data: dict[str, Any], acting_user: User, version: int | None = None
) -> list[str]:
    """Change the case's details; ``version`` is the one the user's form was opened at:
    another has been saved since, ``Conflict`` (ostoja.lib.locking) and nothing changes."""
    # Compared with what is stored: a model form may have set the values on ``case``.
    stored = check_version(case, version)
    changed = []
    for name in CASE_FIELDS:
        if name in data:
            value = data[name] if data[name] is not None else ""
            setattr(case, name, value)
            if getattr(stored, name) != value:
                changed.append(name)
    if changed:
        case.save()
        record("case.updated", actor=acting_user, target=case, data={"fields": changed})
    return changed


@transaction.atomic
def case_status(*, case: Case, status: str, reason: str = "", acting_user: User) -> None:
    """Move the case to ``status``; closing needs a reason, reopening clears it."""
    if status not in Case.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Case.Status.CLOSED and reason not in Case.CloseReason.values:
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    previous = case.status
    case.status = status
    case.close_reason = reason if status == Case.Status.CLOSED else ""
    case.closed_on = timezone.localdate() if status == Case.Status.CLOSED else None
    case.save(update_fields=["status", "close_reason", "closed_on", "updated_at"])
    record(
        "case.status_changed",
        actor=acting_user,
        target=case,
        data={"from": previous, "to": status, "reason": case.close_reason},
    )


@transaction.atomic
def team_set(*, case: Case, user: User, role: str, acting_user: User) -> None:
    """Put ``user`` on the team as ``role``; a new case manager makes the former one a
    team member (there is exactly one)."""
    if user.organisation != case.organisation:
        raise ValidationError(_("There is no such record, or you cannot see it."))
    if role == TeamRole.CASE_MANAGER:
        case.team.filter(role=TeamRole.CASE_MANAGER).exclude(user=user).update(role=TeamRole.MEMBER)
    elif case.team.filter(user=user, role=TeamRole.CASE_MANAGER).exists():
        raise ValidationError(_("Choose another case manager first."))
    TeamMember.objects.update_or_create(case=case, user=user, defaults={"role": role})
    record(
        "case.team_changed",
        actor=acting_user,
        target=case,
        data={"user": str(user.code), "role": role},
    )


@transaction.atomic
def team_remove(*, member: TeamMember, acting_user: User) -> None:
    if member.role == TeamRole.CASE_MANAGER:
        raise ValidationError(_("Choose another case manager first."))
    record(
        "case.team_changed",
        actor=acting_user,
        target=member.case,
        data={"user": str(member.user.code), "role": None},
    )
    member.delete()


@transaction.atomic
def client_add(*, case: Case, person: Person, acting_user: User) -> None:
    if person.organisation_id != case.organisation_id or person.merged_into_id:
        raise ValidationError(_("There is no such record, or you cannot see it."))
    if case.clients.filter(person=person).exists():
        raise ValidationError(_("This person is already a client of the case."))
    CaseClient.objects.create(case=case, person=person)
    record("case.client_added", actor=acting_user, target=case, data={"person": str(person.code)})


# The records a case's sections add, by model: their name in the audit action.
RECORDS: dict[type[models.Model], str] = {
    RouteEvent: "route",
    Goal: "goal",
    Service: "service",
    Decision: "decision",
    Consent: "consent",
    Deadline: "deadline",
    RiskAssessment: "risk",
    Note: "note",
    Document: "document",
}


@transaction.atomic
def case_record_add(
    *,
    case: Case,
    instance: models.Model,
    acting_user: User,
    tell: Iterable[User] = (),
) -> models.Model:
    """Save a new record of the case (a route stop, goal, service, decision, consent,
    deadline, risk assessment, note, document) and audit it against the case
    (``case.<record>_added``); colleagues of the team named in ``tell`` (a note's
    mentions) find it in their notification centre."""
    if isinstance(instance, Deadline):
        _deadline_due(instance)
    name = RECORDS[type(instance)]
    instance.case = case  # type: ignore[attr-defined]
    if hasattr(instance, "created_by_id"):
        instance.created_by = acting_user  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()
    data = {"record": str(getattr(instance, "code", instance.pk))}
    if isinstance(instance, Deadline):
        data["kind"] = instance.kind
    record(f"case.{name}_added", actor=acting_user, target=case, data=data)
    team = case.team.values_list("user_id", flat=True)
    notice_send(
        recipients=[u for u in tell if u.pk in team and u != acting_user],
        kind=Notice.Kind.MENTION,
        text=_("%(name)s mentioned you in a note on case %(ref)s.")
        % {"name": str(acting_user), "ref": case.reference},
        url=reverse("cases:case_detail", args=[case.code]) + f"#{name}",
        target_type=TARGET,
        target_code=str(case.code),
        key=data["record"],
    )
    return instance


@transaction.atomic
def plan_action_add(*, goal: Goal, instance: Action, acting_user: User) -> Action:
    instance.goal = goal
    instance.full_clean()
    instance.save()
    record(
        "case.action_added",
        actor=acting_user,
        target=goal.case,
        data={"record": str(instance.code), "goal": str(goal.code)},
    )
    return instance


@transaction.atomic
def plan_action_status(
    *, action: Action, status: str, acting_user: User, version: int | None = None
) -> None:
    if status not in Action.Status.values:
        raise ValidationError(_("Unknown status."))
    check_version(action, version)
    action.status = status
    action.done_at = timezone.now() if status == Action.Status.DONE else None
    action.save(update_fields=["status", "done_at", "version"])
    record(
        "case.action_changed",
        actor=acting_user,
        target=action.goal.case,
        data={"record": str(action.code), "status": status},
    )


@transaction.atomic
def goal_status(*, goal: Goal, status: str, acting_user: User, version: int | None = None) -> None:
    if status not in Goal.Status.values:
        raise ValidationError(_("Unknown status."))
    check_version(goal, version)
    goal.status = status
    goal.save(update_fields=["status", "version"])
    record(
        "case.goal_changed",
        actor=acting_user,
        target=goal.case,
        data={"record": str(goal.code), "status": status},
    )


@transaction.atomic
def consent_withdraw(*, consent: Consent, on: dt.date, acting_user: User) -> None:
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if on < consent.given_on:
        raise ValidationError(_("A consent cannot be withdrawn before it was given."))
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    record(
        "case.consent_withdrawn",
        actor=acting_user,
        target=consent.case,
        data={"record": str(consent.code)},
    )


def legal_period(kind: str, on: dt.date) -> LegalPeriod | None:
    """The period of ``kind`` in force on ``on`` (reference data, DOMAIN.md §5.3)."""
    return LegalPeriod.objects.filter(kind=kind, valid_from__lte=on).order_by("-valid_from").first()


def reflection_end(client: Person, issued: dt.date) -> tuple[dt.date, LegalPeriod]:
    """The end of the reflection period that starts with a certificate issued on ``issued``:
    3 months, 4 for a minor — or whatever the period in force then says."""
    period = legal_period(DeadlineKind.REFLECTION, issued)
    if period is None:
        raise ValidationError(_("No legal period is defined for this deadline; ask a coordinator."))
    months = period.months_minor if client.is_minor(issued) else period.months_adult
    return issued + relativedelta(months=months), period


def _deadline_due(instance: Deadline) -> None:
    """A deadline's due date: the reflection period's end is computed from the
    certificate's date and the client's age, and a different end typed in is refused, with
    the right one named."""
    if instance.kind == DeadlineKind.REFLECTION:
        if instance.starts_on is None:
            raise ValidationError({"starts_on": _("Give the date the certificate was issued.")})
        if instance.client is None:
            raise ValidationError({"client": _("Choose whose certificate it is.")})
        end, period = reflection_end(instance.client, instance.starts_on)
        if instance.due is not None and instance.due != end:
            months = (
                period.months_minor
                if instance.client.is_minor(instance.starts_on)
                else period.months_adult
            )
            if instance.client.is_minor(instance.starts_on):
                message = _(
                    "For a minor the reflection period is %(months)s months: it ends on %(end)s."
                )
            else:
                message = _("The reflection period is %(months)s months: it ends on %(end)s.")
            raise ValidationError({"due": message % {"months": months, "end": end.isoformat()}})
        instance.due, instance.period = end, period
    elif instance.due is None:
        raise ValidationError({"due": _("Give the date.")})
    if instance.starts_on is not None and instance.due < instance.starts_on:
        raise ValidationError({"due": _("The end cannot be before the start.")})
    instance.note = instance.note or ""


def deadline_add(*, case: Case, instance: Deadline, acting_user: User) -> Deadline:
    """A legal deadline of the case (``case_record_add``)."""
    case_record_add(case=case, instance=instance, acting_user=acting_user)
    return instance


@transaction.atomic
def deadline_met(*, deadline: Deadline, acting_user: User) -> None:
    deadline.met_at = timezone.now()
    deadline.save(update_fields=["met_at"])
    record(
        "case.deadline_met",
        actor=acting_user,
        target=deadline.case,
        data={"record": str(deadline.code)},
    )


@transaction.atomic
def document_add(
    *, case: Case, upload: Any, title: str, client: Person | None, acting_user: User
) -> Document:
    """Store an uploaded file sealed (``EncryptedStorage``); only its checked type is kept."""
    checked = validate_upload(upload)
    document = Document(
        case=case,
        client=client,
        title=title,
        filename=checked.original_name or title,
        stored_name=EncryptedStorage().save_upload(checked, "cases"),
        content_type=checked.content_type,
        size=len(checked.content),
    )
    case_record_add(case=case, instance=document, acting_user=acting_user)
    return document


def _move_clients(duplicate: Person, keep: Person) -> int:
    """A merge of people: the duplicate's place on each case passes to the kept record
    (once per case)."""
    moved = 0
    for link in CaseClient.objects.filter(person=duplicate).select_related("case"):
        if link.case.clients.filter(person=keep).exists():
            link.delete()
        else:
            link.person = keep
            link.save(update_fields=["person"])
        moved += 1
    return moved


def _mover(model: type[models.Model]) -> Callable[[models.Model, models.Model], int]:
    def move(duplicate: models.Model, keep: models.Model) -> int:
        return model._default_manager.filter(client=duplicate).update(client=keep)

    return move


register_mover(PERSON, "cases", _move_clients)
for _model in (Goal, Service, Decision, Consent, Deadline, Document):
    register_mover(PERSON, _model._meta.model_name or "", _mover(_model))
