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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Notice, Organisation, User
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
from ostoja.people.models import Person
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
)
from ostoja.privacy.models.records import NOTIFY_WITHIN

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
