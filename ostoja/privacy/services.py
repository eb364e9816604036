"""Every change the data protection pages make (STYLE.md: one transaction, one audit
entry; the entry names fields and codes, never their values).

**Subject-rights requests** (``SubjectRequest``): received → identity verified in person by
the case manager → approved by the person's case manager *and* the data protection officer,
two different people → carried out (the copy produced, the correction made, the record
anonymised) or refused with a recorded reason. Each step checks the ones before it here,
whatever page calls it: nobody alone can produce a person's file or erase it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import User
from ostoja.accounts.policy import within_reach
from ostoja.accounts.roles import Capability
from ostoja.audit.trail import record
from ostoja.people.access import person_scope
from ostoja.people.models import Person
from ostoja.people.services import person_update
from ostoja.privacy import subject_access
from ostoja.privacy.models import SubjectRequest
from ostoja.privacy.models.requests import correction_value

Kind = SubjectRequest.Kind
Status = SubjectRequest.Status
# Erasure is carried out by the retention engine's ``anonymise_person``.
ERASURE_AVAILABLE = False
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
    if subject_request.status != Status.DONE:
        subject_request.status = Status.DONE
        subject_request.done_by = acting_user
        subject_request.done_at = timezone.now()
    subject_request.outcome = outcome
    subject_request.save()


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
    _ledger_write(subject_request, acting_user=acting_user)
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


def _ledger_write(subject_request: SubjectRequest, *, acting_user: User) -> None:
    """The copy in the disclosure ledger, as a disclosure to the person themselves."""
