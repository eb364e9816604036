"""The data protection officer's writes (issue #19): anonymisation, legal holds and the
retention schedules.

**Anonymisation is driven by the inventory** (``ostoja.lib.inventory``), never by a list
of fields kept here. A person's rows are those the models declare to be about them
(``Inventory.about``); a case's and a contact's are the rows that point at them (a
foreign key, or one step further: an action of a goal of the case). In each row every
marked field is emptied — sealed values and blind indexes become NULL, so no ciphertext
is left either, a field that cannot be empty takes its default — and a row of nothing but
marked values (a matching key) is deleted; a row that holds a sealed file (a case's
document, a contact's attachment) is deleted with its file. What the models leave
unmarked stays: the coded statistical fields (gender, citizenships, forms of
exploitation, dates), so the yearly figures do not change. A date of birth is the one
exception the statistics need: before it goes, the person's age is kept as an estimate
(``estimated_age`` on ``age_estimated_on``) chosen so that the age the figures compute on
the days they read it stays what it was.

Each record is anonymised in one transaction with its mark (``Anonymisation``: a second
run skips it) and its audit entry (codes and counts, never a value); files are removed
after commit, from a list written in the same transaction (``FileShred``), so a process
killed in between leaves work for the next run, never a half-anonymised record or a
file without its record. A record under an active legal hold is refused.

The DPO's own records are written here too: impact assessments and breaches, and the
notices of a breach's 72-hour clock (``dpia_save``, ``breach_save``,
``breach_deadline_notices``).
**Subject-rights requests** (``SubjectRequest``; the second part of this module):
received → identity verified in person by the case manager → approved by the person's case
manager *and* the data protection officer, two different people → carried out (the copy
produced, the correction made, the record anonymised) or refused with a recorded reason.
Each step checks the ones before it here, whatever page calls it: nobody alone can produce
a person's file or erase it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts import disclosures as ledger
from ostoja.accounts.disclosures import disclosure_record
from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.policy import within_reach
from ostoja.accounts.roles import Capability
from ostoja.accounts.services import notice_send
from ostoja.audit import trail
from ostoja.audit.trail import record, target_of
from ostoja.cases.access import TARGET as CASE
from ostoja.cases.models import Case, CaseClient
from ostoja.helpline.access import TARGET as CONTACT
from ostoja.helpline.models import Contact
from ostoja.lib.crypto.fields import EncryptedField
from ostoja.lib.crypto.files import EncryptedStorage
from ostoja.lib.inventory import Inventory, inventoried, rows_about
from ostoja.people.access import TARGET as PERSON
from ostoja.people.access import person_scope
from ostoja.people.models import Person
from ostoja.people.services import person_update
from ostoja.privacy import subject_access
from ostoja.privacy.checkpoints import dpos
from ostoja.privacy.holds import active_hold_for, active_hold_for_case
from ostoja.privacy.models import (
    Anonymisation,
    Breach,
    DpiaEntry,
    FileShred,
    LegalHold,
    RecordKind,
    RetentionSchedule,
    SubjectRequest,
)
from ostoja.privacy.models.records import NOTIFY_WITHIN
from ostoja.privacy.models.requests import correction_value

Why = Anonymisation.Why
FILE_FIELD = "stored_name"  # a row that names a sealed file (``lib.crypto.files``)


# --- What the inventory says about a record -----------------------------------------------


def _paths_to(unit: type[models.Model], model: type[models.Model]) -> list[str]:
    """The lookups from ``model`` to ``unit`` by foreign keys, one or two steps (never
    through a model pointing at itself: a reply is not part of what it answers)."""
    if model is unit:
        return ["pk"]
    paths = []
    for first in model._meta.concrete_fields:
        target = first.related_model if first.is_relation else None
        if target is None or target is model:
            continue
        if target is unit:
            paths.append(first.name)
            continue
        if not isinstance(target, type):
            continue
        for second in target._meta.concrete_fields:
            further = second.related_model if second.is_relation else None
            if further is unit and target is not unit:
                paths.append(f"{first.name}__{second.name}")
    return paths


def rows_of_unit(unit: Case | Contact) -> Iterator[tuple[QuerySet[Any], Inventory]]:
    """The rows of every inventoried model that belong to a case or a contact.

    A case's: the rows that point at it (one or two steps: a goal's actions, a placement's
    incidents) and those linked to it (``Inventory.linked``: a contact about the case, its
    follow-ups and attachments). A contact's: the rows whose only subject is whoever the
    contact is about — the inventory names no person for them, only the way through the
    contact's links (the contact, its follow-ups and attachments, a counselling held on
    it) — not an intervention or a referral that began with the call: those have subjects
    of their own."""
    target_type, code = target_of(unit)
    for model, inventory in inventoried():
        if not inventory.fields:
            continue
        if isinstance(unit, Contact):
            for path in inventory.linked if not inventory.about else ():
                lookup = path.removesuffix("links").removesuffix("__") or "pk"
                yield model._default_manager.filter(**{lookup: unit.pk}), inventory
            continue
        for path in _paths_to(Case, model):
            yield model._default_manager.filter(**{path: unit.pk}), inventory
        for path in inventory.linked:
            yield (
                model._default_manager.filter(
                    **{f"{path}__target_type": target_type, f"{path}__target_code": code}
                ),
                inventory,
            )


def rows_of_person(person: Person) -> Iterator[tuple[QuerySet[Any], Inventory]]:
    """The rows of every inventoried model that are about ``person`` (the inventory's
    ``rows_about``: their own, their cases', the contacts linked to either)."""
    for _model, inventory, rows in rows_about(person):
        if inventory.fields:
            yield rows, inventory


def _empty_value(field: models.Field[Any, Any]) -> tuple[bool, Any]:
    """What a marked field becomes: (True, value), or (False, None) when it cannot be
    emptied and the row must go."""
    if field.null or isinstance(field, EncryptedField):
        return True, None
    if field.has_default():
        return True, field.get_default()
    if isinstance(field, models.CharField | models.TextField):
        return True, ""
    return False, None


def _clear(rows: QuerySet[Any], inventory: Inventory) -> tuple[int, list[str]]:
    """Empty the marked fields of ``rows`` (or delete them: a file, a key); how many rows,
    and the files to remove."""
    model = rows.model
    names = {field.name for field in model._meta.concrete_fields}
    if FILE_FIELD in names:
        files = [name for name in rows.values_list(FILE_FIELD, flat=True) if name]
        FileShred.objects.bulk_create(
            [FileShred(stored_name=name) for name in files], ignore_conflicts=True
        )
        count = rows.count()
        rows.model._default_manager.filter(pk__in=list(rows.values_list("pk", flat=True))).delete()
        return count, files
    values: dict[str, Any] = {}
    for name in inventory.fields:
        emptiable, value = _empty_value(model._meta.get_field(name))
        if not emptiable:
            pks = list(rows.values_list("pk", flat=True))
            model._default_manager.filter(pk__in=pks).delete()
            return len(pks), []
        values[name] = value
    return rows.update(**values), []


def _clear_all(groups: Iterable[tuple[QuerySet[Any], Inventory]]) -> tuple[int, list[str]]:
    cleared, files = 0, []
    for rows, inventory in groups:
        count, gone = _clear(rows, inventory)
        cleared += count
        files += gone
    return cleared, files


def shred(names: list[str]) -> None:
    """Remove sealed files from the disk, then their entries in the list to remove."""
    storage = EncryptedStorage()
    for name in names:
        storage.delete(name)  # a file already gone is no error
        FileShred.objects.filter(stored_name=name).delete()


def shred_pending() -> int:
    """Remove the files a run killed after its commit left behind; how many."""
    names = list(FileShred.objects.values_list("stored_name", flat=True))
    shred(names)
    return len(names)


# --- Statistics kept -------------------------------------------------------------------


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def days_counted(person: Person) -> list[dt.date]:
    """The days on which the statistics compute the person's age: for each year a case of
    theirs was open, the first day they were assisted in it (``reports.figures.victims``)."""
    today = timezone.localdate()
    days = set()
    for link in CaseClient.objects.filter(person=person).select_related("case"):
        case = link.case
        start = max(case.opened_on, link.added_on or case.opened_on)
        for year in range(start.year, (case.closed_on or today).year + 1):
            days.add(max(dt.date(year, 1, 1), start))
    return sorted(days) or [timezone.localdate(person.created_at)]


def age_estimate(born: dt.date, days: list[dt.date]) -> tuple[int, dt.date]:
    """An estimated age and its date from which ``Person.age`` gives, on every one of
    ``days``, the age the date of birth gives (the estimate counts 365-day years, so the
    date is searched for); exact on the first day at least."""
    first = days[0]
    for back in range(366):
        since = first - dt.timedelta(days=back)
        estimate = _age(born, since)
        if estimate >= 0 and all(
            estimate + (day - since).days // 365 == _age(born, day) for day in days
        ):
            return estimate, since
    return max(_age(born, first), 0), first


# --- Anonymisation -----------------------------------------------------------------------


def is_anonymised(target_type: str, code: object) -> bool:
    return Anonymisation.objects.filter(target_type=target_type, target_code=str(code)).exists()


def _refuse_if_held(hold: LegalHold | None) -> None:
    if hold is not None:
        raise ValidationError(
            _("A legal hold keeps this record until {date}.").format(date=hold.ends_on),
            code="held",
        )


def _mark(
    target_type: str,
    code: object,
    organisation: Organisation,
    *,
    by: User | None,
    why: str,
    rows: int,
    files: list[str],
) -> Anonymisation:
    return Anonymisation.objects.create(
        organisation=organisation,
        target_type=target_type,
        target_code=str(code),
        why=why,
        by=by,
        rows=rows,
        files=len(files),
    )


def _overwrite_freed_space() -> None:
    """On SQLite, have the values cleared overwritten with zeros in the file (not left in
    its free pages, where a copy of the file would still hold their ciphertext). On
    PostgreSQL the old row versions go at the next VACUUM (README: Retention)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")


def _after_commit(files: list[str]) -> None:
    if files:
        transaction.on_commit(lambda: shred(files))


@transaction.atomic
def anonymise_person(person: Person, *, by: User | None, why: str) -> Anonymisation | None:
    """Anonymise everything the inventory says is about ``person`` and the contacts linked
    to them; ``None`` if they were anonymised already. Refused (``ValidationError``) under
    an active legal hold on the person or any of their cases. ``by``: who asked (nobody
    for the retention job); ``why``: ``Anonymisation.Why``."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=person.pk)
    )
    if is_anonymised(PERSON, person.code):
        return None
    _overwrite_freed_space()
    _refuse_if_held(active_hold_for(person))
    born = person.birth_date
    if born is not None:
        estimate, since = age_estimate(born, days_counted(person))
        Person.objects.filter(pk=person.pk).update(estimated_age=estimate, age_estimated_on=since)
    cleared, files = _clear_all(rows_of_person(person))
    mark = _mark(
        PERSON, person.code, person.organisation, by=by, why=why, rows=cleared, files=files
    )
    record(
        "person.anonymised",
        actor=by,
        target=person,
        organisation=person.organisation,
        purpose=why,
        data={"rows": mark.rows, "files": mark.files},
    )
    _after_commit(files)
    return mark


@transaction.atomic
def anonymise_case(case: Case, *, by: User | None, why: str) -> Anonymisation | None:
    """Anonymise a case: every inventoried row that belongs to it (its summary, notes,
    plan, services, decisions, documents and their files …) and the contacts linked to
    it; its clients are anonymised on their own (``anonymise_person``), once no other case
    keeps them. ``None`` if anonymised already; refused under an active legal hold."""
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=case.pk)
    )
    if is_anonymised(CASE, case.code):
        return None
    _overwrite_freed_space()
    _refuse_if_held(active_hold_for_case(case))
    cleared, files = _clear_all(rows_of_unit(case))
    mark = _mark(CASE, case.code, case.organisation, by=by, why=why, rows=cleared, files=files)
    record(
        "case.anonymised",
        actor=by,
        target=case,
        organisation=case.organisation,
        purpose=why,
        data={"rows": mark.rows, "files": mark.files},
    )
    _after_commit(files)
    return mark


@transaction.atomic
def anonymise_contact(contact: Contact, *, by: User | None, why: str) -> Anonymisation | None:
    """Anonymise a helpline contact (its summary, the caller's number and its index, the
    correspondence, follow-ups, attachments and their files); ``None`` if anonymised
    already. A contact linked to a person or a case goes with them, not here."""
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=contact.pk)
    )
    if is_anonymised(CONTACT, contact.code):
        return None
    _overwrite_freed_space()
    cleared, files = _clear_all(rows_of_unit(contact))
    mark = _mark(
        CONTACT, contact.code, contact.organisation, by=by, why=why, rows=cleared, files=files
    )
    record(
        "contact.anonymised",
        actor=by,
        target=contact,
        organisation=contact.organisation,
        purpose=why,
        data={"rows": mark.rows, "files": mark.files},
    )
    _after_commit(files)
    return mark


# --- Legal holds ---------------------------------------------------------------------------


@transaction.atomic
def hold_set(
    *,
    organisation: Organisation,
    case: Case | None = None,
    person: Person | None = None,
    reason: str,
    note: str,
    ends_on: dt.date,
    starts_on: dt.date | None = None,
    acting_user: User,
) -> LegalHold:
    """Put a case or a person under a legal hold until ``ends_on``."""
    if (case is None) == (person is None):
        raise ValidationError(_("A hold is on a case or on a person."), code="target")
    starts_on = starts_on or timezone.localdate()
    if ends_on < starts_on:
        raise ValidationError(_("The hold ends before it starts."), code="dates")
    hold = LegalHold.objects.create(
        organisation=organisation,
        case=case,
        person=person,
        reason=reason,
        note=note,
        starts_on=starts_on,
        ends_on=ends_on,
        set_by=acting_user,
    )
    record(
        "legal_hold.set",
        actor=acting_user,
        target=case or person,
        organisation=organisation,
        data={"reason": reason, "since": str(starts_on), "until": str(ends_on)},
    )
    return hold


@transaction.atomic
def hold_lift(*, hold: LegalHold, acting_user: User) -> LegalHold:
    """End a hold now (its record's clock runs again from tomorrow)."""
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(_("This hold was lifted already."), code="lifted")
    hold.lifted_at = timezone.now()
    hold.lifted_by = acting_user
    hold.save(update_fields=["lifted_at", "lifted_by"])
    record(
        "legal_hold.lifted",
        actor=acting_user,
        target=hold.case or hold.person,
        organisation=hold.organisation,
        data={"reason": hold.reason},
    )
    return hold


# --- Schedules ---------------------------------------------------------------------------


@transaction.atomic
def schedule_save(
    *,
    organisation: Organisation,
    kind: str,
    length: int,
    unit: str,
    warn_days: int,
    basis: str,
    acting_user: User,
) -> RetentionSchedule:
    """Set (and so confirm) the organisation's schedule for one kind of record: its own
    row, made from the default the first time."""
    rows = RetentionSchedule.objects.select_for_update().filter(kind=kind)
    found = {row.organisation_id: row for row in rows.filter(organisation__in=[organisation])}
    previous = found.get(organisation.pk) or rows.filter(organisation__isnull=True).first()
    schedule = found.get(organisation.pk) or RetentionSchedule(organisation=organisation, kind=kind)
    changed = [
        name
        for name, value in (
            ("length", length),
            ("unit", unit),
            ("warn_days", warn_days),
            ("basis", basis),
        )
        if previous is None or getattr(previous, name) != value
    ]
    schedule.length, schedule.unit, schedule.warn_days, schedule.basis = (
        length,
        unit,
        warn_days,
        basis,
    )
    schedule.updated_at = timezone.now()
    schedule.updated_by = acting_user
    schedule.save()
    record(
        "retention_schedule.confirmed",
        actor=acting_user,
        organisation=organisation,
        data={"kind": str(RecordKind(kind).value), "fields": changed},
    )
    return schedule


# --- The DPO's records (GDPR Art. 33, 35) --------------------------------------------------

DPIA_FIELDS = (
    "activity",
    "assessed_on",
    "assessor",
    "risks",
    "measures",
    "residual_risk",
    "status",
    "next_review",
)
BREACH_FIELDS = (
    "aware_at",
    "occurred_at",
    "description",
    "categories",
    "people_affected",
    "records_affected",
    "consequences",
    "measures",
    "authority_notified_at",
    "delay_reason",
    "not_notified_reason",
    "subjects_informed_at",
    "subjects_not_informed_reason",
)
_EMPTY = (None, "")
# When an undecided breach's DPOs are told its 72 hours are running out.
WARN_BEFORE = dt.timedelta(hours=24)


def _apply(row: DpiaEntry | Breach, names: tuple[str, ...], data: dict[str, Any]) -> list[str]:
    """Set the given fields; the names of those that changed (never their values)."""
    changed = []
    for name in names:
        if name not in data:
            continue
        old, new = getattr(row, name), data[name]
        if old == new or (old in _EMPTY and new in _EMPTY):  # nothing, either way
            continue
        setattr(row, name, new)
        changed.append(name)
    return changed


@transaction.atomic
def dpia_save(
    *,
    organisation: Organisation,
    entry: DpiaEntry | None = None,
    data: dict[str, Any],
    acting_user: User,
) -> DpiaEntry:
    """Record an impact assessment, or change one; the audit entry names the fields."""
    new = entry is None
    if entry is None:
        entry = DpiaEntry(organisation=organisation, created_by=acting_user)
    changed = _apply(entry, DPIA_FIELDS, data)
    if not new and not changed:
        return entry
    entry.save()
    data = {"activity": entry.activity, "fields": changed}
    if new:
        trail.record("dpia.recorded", actor=acting_user, target=entry, data=data)
    else:
        trail.record("dpia.updated", actor=acting_user, target=entry, data=data)
    return entry


@transaction.atomic
def breach_save(
    *,
    organisation: Organisation,
    breach: Breach | None = None,
    data: dict[str, Any],
    acting_user: User,
) -> Breach:
    """Record a breach, or what has been learned and done since; closing it too (``data
    ["closed"]``). The audit entry names the fields that changed, never their values."""
    new = breach is None
    if breach is None:
        breach = Breach(organisation=organisation, created_by=acting_user)
    changed = _apply(breach, BREACH_FIELDS, data)
    if "closed" in data and bool(data["closed"]) != (breach.closed_at is not None):
        breach.closed_at = timezone.now() if data["closed"] else None
        changed.append("closed_at")
    if not new and not changed:
        return breach
    breach.save()
    if new:
        trail.record("breach.recorded", actor=acting_user, target=breach, data={"fields": changed})
    else:
        trail.record("breach.updated", actor=acting_user, target=breach, data={"fields": changed})
    return breach


def breach_deadline_notices(now: dt.datetime | None = None) -> int:
    """Tell the DPOs of each open breach whose notification is undecided that its 72 hours
    end within a day, and again once they have passed — each once (the notice's key), in
    their notification centre and by e-mail as each wishes. The notice names the breach by
    when the centre became aware, never what happened. How many notices went out."""
    now = now or timezone.now()
    sent = 0
    undecided = Breach.objects.filter(
        closed_at__isnull=True, authority_notified_at__isnull=True
    ).select_related("organisation")
    for breach in undecided.filter(aware_at__lte=now - (NOTIFY_WITHIN - WARN_BEFORE)):
        if breach.not_notified_reason:  # decided: no notification, with its reason
            continue
        late = breach.aware_at + NOTIFY_WITHIN <= now
        text = (
            _("Data breach known since %(aware)s: the 72 hours to notify UODO have passed.")
            if late
            else _("Data breach known since %(aware)s: notify UODO by %(due)s.")
        ) % {
            "aware": timezone.localtime(breach.aware_at).strftime("%Y-%m-%d %H:%M"),
            "due": timezone.localtime(breach.due).strftime("%Y-%m-%d %H:%M"),
        }
        with transaction.atomic():
            sent += len(
                notice_send(
                    recipients=dpos(breach.organisation),
                    kind=Notice.Kind.BREACH,
                    text=text,
                    url=reverse("privacy:breach_detail", args=[breach.code]),
                    target_type="privacy.breach",
                    target_code=str(breach.code),
                    key="overdue" if late else "due_soon",
                )
            )
    return sent


# --- Subject-rights requests (GDPR Art. 15-17) -----------------------------------------

Kind = SubjectRequest.Kind
Status = SubjectRequest.Status
MANAGER = "case_manager"
DPO = "dpo"


def is_case_manager(user: User, person: Person) -> bool:
    """Whether ``user`` is one of the person's case managers, within reach (not by a grant)."""
    scope = person_scope(person)
    return within_reach(user, scope) and user.pk in scope.case_managers()


def is_dpo(user: User, person: Person) -> bool:
    """Whether ``user`` is a data protection officer of the person's organisation."""
    return (
        user.is_active
        and user.can(Capability.REVIEW_AUDIT)
        and getattr(user.organisation, "pk", None) == person.organisation_id
    )


@transaction.atomic
def request_receive(
    *,
    person: Person,
    kind: str,
    data: dict[str, Any],
    acting_user: User,
) -> SubjectRequest:
    """Register a request the person made (to their case manager, by letter, …)."""
    if not is_case_manager(acting_user, person):
        raise PermissionDenied
    if person.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one; use that one."))
    subject_request = SubjectRequest(
        organisation_id=person.organisation_id,
        person=person,
        kind=kind,
        received_on=data.get("received_on") or timezone.localdate(),
        channel=data["channel"],
        details=data.get("details") or "",
        created_by=acting_user,
    )
    if kind == Kind.RECTIFICATION:
        field = data.get("field") or ""
        correction_value(field, data.get("correction") or "")
        subject_request.field = field
        subject_request.correction = data.get("correction") or ""
    subject_request.full_clean(exclude=["created_by", "person", "organisation"])
    subject_request.save()
    record(
        "subject_request.received",
        actor=acting_user,
        target=person,
        data={"request": str(subject_request.code), "kind": kind},
    )
    return subject_request


@transaction.atomic
def request_verify(
    *, subject_request: SubjectRequest, evidence: str, note: str, acting_user: User
) -> SubjectRequest:
    """The case manager met the person and verified who they are: on which evidence."""
    subject_request = _locked(subject_request)
    if not is_case_manager(acting_user, subject_request.person):
        raise PermissionDenied
    if subject_request.status != Status.RECEIVED:
        raise ValidationError(_("The identity was verified already, or the request is closed."))
    if evidence not in SubjectRequest.Evidence.values:
        raise ValidationError({"evidence": _("Say how the identity was verified.")})
    subject_request.verified_by = acting_user
    subject_request.verified_at = timezone.now()
    subject_request.evidence = evidence
    subject_request.verification_note = note or ""
    subject_request.status = Status.VERIFIED
    subject_request.save()
    record(
        "subject_request.verified",
        actor=acting_user,
        target=subject_request.person,
        data={"request": str(subject_request.code), "evidence": evidence},
    )
    return subject_request


def capacity_of(user: User, subject_request: SubjectRequest) -> str | None:
    """In which capacity ``user`` may approve: as the data protection officer, as the
    person's case manager, or not at all (one role per user: never both)."""
    if is_dpo(user, subject_request.person):
        return DPO
    if is_case_manager(user, subject_request.person):
        return MANAGER
    return None


def may_approve(user: User, subject_request: SubjectRequest) -> bool:
    """Whether to offer ``user`` the approval (``request_approve`` decides)."""
    capacity = capacity_of(user, subject_request)
    slot = (
        subject_request.dpo_approved_by_id
        if capacity == DPO
        else subject_request.manager_approved_by_id
    )
    approvers = (subject_request.manager_approved_by_id, subject_request.dpo_approved_by_id)
    return (
        capacity is not None
        and subject_request.status == Status.VERIFIED
        and slot is None
        and user.pk not in approvers
    )


@transaction.atomic
def request_approve(*, subject_request: SubjectRequest, acting_user: User) -> SubjectRequest:
    """One of the two approvals. Only after the identity was verified; the second must come
    from another person in the other capacity; with both, the request may be carried out."""
    subject_request = _locked(subject_request)
    capacity = capacity_of(acting_user, subject_request)
    if capacity is None:
        raise PermissionDenied
    if subject_request.status == Status.RECEIVED:
        raise ValidationError(_("The person's identity has not been verified in person yet."))
    if subject_request.status != Status.VERIFIED:
        raise ValidationError(_("This request is not awaiting approval."))
    if acting_user.pk in (
        subject_request.manager_approved_by_id,
        subject_request.dpo_approved_by_id,
    ):
        raise ValidationError(_("You approved this request already: another person must."))
    now = timezone.now()
    if capacity == DPO:
        if subject_request.dpo_approved_by_id is not None:
            raise ValidationError(_("The data protection officer approved it already."))
        subject_request.dpo_approved_by = acting_user
        subject_request.dpo_approved_at = now
    else:
        if subject_request.manager_approved_by_id is not None:
            raise ValidationError(_("A case manager approved it already."))
        subject_request.manager_approved_by = acting_user
        subject_request.manager_approved_at = now
    if subject_request.approved:
        subject_request.status = Status.APPROVED
    subject_request.save()
    record(
        "subject_request.approved",
        actor=acting_user,
        target=subject_request.person,
        data={"request": str(subject_request.code), "capacity": capacity},
    )
    return subject_request


@transaction.atomic
def request_refuse(
    *, subject_request: SubjectRequest, reason: str, note: str, acting_user: User
) -> SubjectRequest:
    """Refuse the request, with the reason the person will be told (Art. 12(4)): the case
    manager or the data protection officer — an Art. 17(3) ground is the DPO's to record."""
    subject_request = _locked(subject_request)
    capacity = capacity_of(acting_user, subject_request)
    if capacity is None:
        raise PermissionDenied
    if not subject_request.open:
        raise ValidationError(_("This request is closed."))
    if reason not in SubjectRequest.Refusal.values:
        raise ValidationError({"reason": _("Choose the reason.")})
    if reason in ARTICLE_17_3 and capacity != DPO:
        raise ValidationError(
            {"reason": _("A ground of Art. 17(3) is recorded by the data protection officer.")}
        )
    return _refuse(subject_request, reason, note, acting_user)


# The grounds on which erasure is refused although the data is the person's (Art. 17(3)).
ARTICLE_17_3 = frozenset(
    {
        SubjectRequest.Refusal.LEGAL_OBLIGATION,
        SubjectRequest.Refusal.PUBLIC_HEALTH,
        SubjectRequest.Refusal.ARCHIVING,
        SubjectRequest.Refusal.LEGAL_CLAIMS,
    }
)


def _refuse(
    subject_request: SubjectRequest, reason: str, note: str, acting_user: User
) -> SubjectRequest:
    subject_request.status = Status.REFUSED
    subject_request.refusal = reason
    subject_request.refusal_note = note or ""
    subject_request.refused_by = acting_user
    subject_request.refused_at = timezone.now()
    subject_request.save()
    record(
        "subject_request.refused",
        actor=acting_user,
        target=subject_request.person,
        data={"request": str(subject_request.code), "reason": reason},
    )
    return subject_request


def _locked(subject_request: SubjectRequest) -> SubjectRequest:
    """The request as stored, locked for this transaction: two approvals at once cannot
    both see an empty slot."""
    return (
        SubjectRequest.objects.select_for_update()
        .select_related("person")
        .get(pk=subject_request.pk)
    )


def _require_approved(subject_request: SubjectRequest, kind: str) -> None:
    if subject_request.kind != kind:
        raise ValidationError(_("This is another kind of request."))
    if subject_request.verified_at is None:
        raise ValidationError(_("The person's identity has not been verified in person yet."))
    if not subject_request.approved:
        raise ValidationError(
            _("Both the case manager and the data protection officer must approve it first.")
        )
    if subject_request.status not in (Status.APPROVED, Status.DONE):
        raise ValidationError(_("This request is closed."))


def _done(subject_request: SubjectRequest, acting_user: User, outcome: dict[str, Any]) -> None:
    """Answered (the first time: by whom, when). Only these fields are written: an erasure
    has just emptied the request's own notes, which the instance in hand still holds."""
    if subject_request.status != Status.DONE:
        subject_request.status = Status.DONE
        subject_request.done_by = acting_user
        subject_request.done_at = timezone.now()
    subject_request.outcome = outcome
    subject_request.save(update_fields=["status", "done_by", "done_at", "outcome"])


@transaction.atomic
def access_export(
    *, subject_request: SubjectRequest, fmt: str, acting_user: User
) -> subject_access.Export:
    """The copy of everything the centre holds about the person (Art. 15), for the case
    manager to hand over in person: only after both approvals; each production is an audit
    entry and an entry of the disclosure ledger (a disclosure to the person themselves)."""
    subject_request = _locked(subject_request)
    if not is_case_manager(acting_user, subject_request.person):
        raise PermissionDenied
    _require_approved(subject_request, Kind.ACCESS)
    export = subject_access.build(subject_request.person)
    counts = export.counts()
    _done(subject_request, acting_user, {"records": counts, "format": fmt})
    record(
        "subject_request.exported",
        actor=acting_user,
        target=subject_request.person,
        data={"request": str(subject_request.code), "format": fmt, "records": sum(counts.values())},
    )
    _ledger_write(subject_request, fmt=fmt, acting_user=acting_user)
    return export


@transaction.atomic
def request_rectify(*, subject_request: SubjectRequest, acting_user: User) -> list[str]:
    """Make the correction the request names, through the people app's service (its own
    audit entry), and link it to the request: the fields that changed."""
    subject_request = _locked(subject_request)
    if not is_case_manager(acting_user, subject_request.person):
        raise PermissionDenied
    _require_approved(subject_request, Kind.RECTIFICATION)
    if subject_request.status == Status.DONE:
        raise ValidationError(_("The correction was made already."))
    value = correction_value(subject_request.field, str(subject_request.correction))
    changed = person_update(
        person=subject_request.person,
        data={subject_request.field: value},
        acting_user=acting_user,
    )
    _done(subject_request, acting_user, {"fields": changed})
    record(
        "subject_request.rectified",
        actor=acting_user,
        target=subject_request.person,
        data={"request": str(subject_request.code), "fields": changed},
    )
    return changed


def _ledger_write(subject_request: SubjectRequest, *, fmt: str, acting_user: User) -> None:
    """The copy in the disclosure ledger: everything about the person, to the person
    themselves, on their own request, downloaded by the case manager to hand over."""
    disclosure_record(
        organisation=subject_request.person.organisation,
        person=subject_request.person,
        recipient=ledger.DATA_SUBJECT,
        kind=ledger.Kind.SUBJECT_ACCESS,
        parts=["everything"],
        basis=ledger.Basis.SUBJECT_REQUEST,
        document=f"subject-access-{str(subject_request.code)[:8]}.{fmt}",
        channel=ledger.Channel.DOWNLOAD,
        by=acting_user,
    )


@transaction.atomic
def request_erase(*, subject_request: SubjectRequest, acting_user: User) -> SubjectRequest:
    """Carry out an approved erasure (Art. 17) with the retention engine's
    ``anonymise_person``: the case manager or the DPO, once both approved. While a legal
    hold keeps the person's records, the request is refused instead, with that reason
    recorded (Art. 17(3)(e)); another Art. 17(3) ground is the DPO's to record
    (``request_refuse``)."""
    subject_request = _locked(subject_request)
    if capacity_of(acting_user, subject_request) is None:
        raise PermissionDenied
    _require_approved(subject_request, Kind.ERASURE)
    if subject_request.status == Status.DONE:
        raise ValidationError(_("The person's data was erased already."))
    hold = active_hold_for(subject_request.person)
    if hold is not None:
        note = _("A legal hold keeps the person's records until {date}.").format(
            date=hold.ends_on.isoformat()
        )
        return _refuse(subject_request, SubjectRequest.Refusal.LEGAL_HOLD, note, acting_user)
    mark = anonymise_person(subject_request.person, by=acting_user, why=Anonymisation.Why.ERASURE)
    rows = mark.rows if mark is not None else 0
    _done(subject_request, acting_user, {"rows": rows})
    record(
        "subject_request.erased",
        actor=acting_user,
        target=subject_request.person,
        data={"request": str(subject_request.code), "rows": rows},
    )
    return subject_request
