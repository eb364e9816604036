"""Every change to people (STYLE.md: one transaction, one audit entry; the entry names
fields, never their values)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.records import Source, references_move
from ostoja.audit.trail import record
from ostoja.lib.locking import check_version
from ostoja.people.access import TARGET
from ostoja.people.matching import index_person
from ostoja.people.models import Person, Relation

# The fields a person's form may set.
FIELDS = (
    "kind",
    "name",
    "name_latin",
    "aliases",
    "birth_date",
    "estimated_age",
    "age_estimated_on",
    "possible_minor",
    "gender",
    "citizenships",
    "languages",
    "preferred_language",
    "interpreter_needed",
    "phone",
    "email",
    "other_contact",
    "safe_channel",
    "safe_times",
    "voicemail_ok",
    "sms_ok",
    "phone_controlled",
    "code_word",
    "safety_notes",
    "documents",
    "legal_status",
    "vulnerabilities",
)
# Blank text fields are '' rather than NULL (sealed '' round-trips).
_TEXT = {"name_latin", "aliases", "phone", "email", "other_contact", "safe_times"}
_TEXT |= {"code_word", "safety_notes", "vulnerabilities", "preferred_language"}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in FIELDS}
    for name in _TEXT & values.keys():
        values[name] = values[name] or ""
    return values


@transaction.atomic
def person_create(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    acting_user: User,
    source: Source | None = None,
) -> Person:
    """Register a person; from a ``source`` (a helpline contact), it is linked to them."""
    person = Person(organisation=organisation, created_by=acting_user, **_clean(data))
    if person.estimated_age is not None:
        person.age_estimated_on = timezone.localdate()
    person.full_clean(exclude=["created_by"])
    person.save()
    index_person(person)
    record("person.created", actor=acting_user, target=person, data={"kind": person.kind})
    if source is not None:
        source.link(TARGET, str(person.code), acting_user)
    return person


@transaction.atomic
def person_update(
    *, person: Person, data: dict[str, Any], acting_user: User, version: int | None = None
) -> list[str]:
    """Change a person's details; returns the names of the fields that changed.
    ``version`` is the one the user's form was opened at: another has been saved since,
    ``Conflict`` (ostoja.lib.locking) and nothing changes."""
    if person.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one; change that one."))
    # Compared with what is stored: a model form may have set the values on ``person``.
    stored = check_version(person, version)
    changed = []
    for name, value in _clean(data).items():
        setattr(person, name, value)
        if getattr(stored, name) != value:
            changed.append(name)
    if "estimated_age" in changed:
        person.age_estimated_on = timezone.localdate() if person.estimated_age is not None else None
    if changed:
        person.full_clean(exclude=["created_by"])
        person.save()
        index_person(person)
        record("person.updated", actor=acting_user, target=person, data={"fields": changed})
    return changed


@transaction.atomic
def relation_add(
    *, person: Person, other: Person, kind: str, note: str, acting_user: User
) -> Relation:
    if other.pk == person.pk:
        raise ValidationError(_("A person cannot be related to themselves."))
    if other.organisation_id != person.organisation_id:
        raise ValidationError(_("There is no such record, or you cannot see it."))
    if Relation.objects.filter(person=person, other=other, kind=kind).exists():
        raise ValidationError(_("This relation is already recorded."))
    relation = Relation.objects.create(person=person, other=other, kind=kind, note=note or "")
    record(
        "person.related",
        actor=acting_user,
        target=person,
        data={"other": str(other.code), "kind": kind},
    )
    return relation


@transaction.atomic
def relation_remove(*, relation: Relation, acting_user: User) -> None:
    record(
        "person.unrelated",
        actor=acting_user,
        target=relation.person,
        data={"other": str(relation.other.code), "kind": relation.kind},
    )
    relation.delete()


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, acting_user: User) -> Person:
    """Merge ``duplicate`` into ``keep``: every link — cases, plan items, services,
    decisions, consents, deadlines, documents, identification records, interventions,
    relations, helpline contacts — moves to
    ``keep``; blank details of ``keep`` are filled from the duplicate and its names become
    aliases; the duplicate stays, pointing at ``keep``, so old references still resolve."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."))
    if keep.organisation_id != duplicate.organisation_id:
        raise ValidationError(_("There is no such record, or you cannot see it."))
    if keep.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise ValidationError(_("One of these records was already merged."))
    # Both rows locked; an edit form open on either is out of date once they are saved.
    check_version(keep, None)
    check_version(duplicate, None)
    # Every other app's references (cases, identification, interventions, contacts).
    moved = references_move(TARGET, duplicate, keep)
    # Relations, both ways, without duplicating one or relating keep to itself.
    for relation in Relation.objects.filter(person=duplicate):
        if (
            relation.other_id != keep.pk
            and not Relation.objects.filter(
                person=keep, other_id=relation.other_id, kind=relation.kind
            ).exists()
        ):
            Relation.objects.create(
                person=keep, other_id=relation.other_id, kind=relation.kind, note=relation.note
            )
        relation.delete()
    for relation in Relation.objects.filter(other=duplicate):
        if (
            relation.person_id != keep.pk
            and not Relation.objects.filter(
                person_id=relation.person_id, other=keep, kind=relation.kind
            ).exists()
        ):
            Relation.objects.create(
                person_id=relation.person_id, other=keep, kind=relation.kind, note=relation.note
            )
        relation.delete()
    # Details: keep's own win; blanks are filled from the duplicate.
    for name in FIELDS:
        if getattr(keep, name) in (None, "", [], False) and getattr(duplicate, name) not in (
            None,
            "",
            [],
        ):
            setattr(keep, name, getattr(duplicate, name))
    known = {n.casefold() for n in keep.all_names()}
    extra = [n for n in duplicate.all_names() if n.casefold() not in known]
    keep.aliases = "\n".join([*str(keep.aliases or "").splitlines(), *extra]).strip()
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "version"])
    index_person(keep)
    index_person(duplicate)
    record(
        "person.merged",
        actor=acting_user,
        target=keep,
        data={"duplicate": str(duplicate.code), "moved": moved},
    )
    record("person.merged_away", actor=acting_user, target=duplicate, data={"into": str(keep.code)})
    return keep
