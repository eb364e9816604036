"""Who may read the audit trail, and redact it; who keeps the legal holds."""

import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.models import User
from ostoja.accounts.policy import Existence, existence, find_scope, within_reach
from ostoja.accounts.roles import Capability
from ostoja.audit.models import AuditEntry
from ostoja.cases.access import case_scope
from ostoja.cases.models import Case
from ostoja.network.models import Disclosure, Partner
from ostoja.people.access import person_scope
from ostoja.people.models import Person
from ostoja.privacy.forms import CaseNumber
from ostoja.privacy.models import Breach, DpiaEntry, LegalHold, SubjectRequest
from ostoja.privacy.related import person_records


def entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """The entries of the reviewer's own organisation; none for anyone who may not review."""
    # Only reviewers (the DPO) read the trail; a role comes with an organisation.
    if not user.can(Capability.REVIEW_AUDIT):
        return AuditEntry.objects.none()
    # Sign-in failures of unknown addresses belong to no organisation: the DPO sees them.
    return AuditEntry.objects.filter(organisation=user.organisation) | AuditEntry.objects.filter(
        organisation__isnull=True
    )


def recipients_visible_to(user: User) -> QuerySet[Partner]:
    """The partners the ledger names (archived ones too), for its filter."""
    return Partner.objects.filter(
        pk__in=disclosures_visible_to(user).values("partner_id")
    ).order_by("name", "pk")


def disclosures_visible_to(user: User) -> QuerySet[Disclosure]:
    """The disclosure ledger of the reviewer's own organisation (what of clients' data
    left the centre, to whom, under which consent): for the DPO only."""
    # Only reviewers (the DPO) read the ledger.
    if not user.can(Capability.REVIEW_AUDIT):
        return Disclosure.objects.none()
    return Disclosure.objects.filter(organisation=user.organisation)


def access_record_history(user: User, target_type: str, code: str) -> QuerySet[AuditEntry]:
    """The entries from which "who has seen this record" is read: for the DPO, and for a
    case manager of that very record."""
    # The DPO: the whole trail of the organisation.
    if user.can(Capability.REVIEW_AUDIT):
        return entries_visible_to(user)
    scope = find_scope(user, target_type, code)
    # Anyone else: only a case manager of a record that exists …
    if scope is None or user.pk not in scope.case_managers():
        raise PermissionDenied
    # … and is theirs to see now (not, say, after being moved off a restricted case).
    if not within_reach(user, scope):
        raise Http404
    return AuditEntry.objects.filter(organisation_id=scope.organisation_id)


def access_entry(user: User, code: str, *, write: bool = False) -> AuditEntry:
    """One entry of the trail, by its number (``code`` in the URL): 404 unless the user
    reviews the trail it belongs to; 403 for redacting one that is visible but not the
    organisation's own (a sign-in failure of an unknown address, seen by every DPO)."""
    # Only a number names an entry (not "+1", "1_0" or other digits int() would take).
    if not re.fullmatch(r"[0-9]{1,18}", code):
        raise Http404
    try:
        entry = entries_visible_to(user).select_related("actor").get(seq=int(code))
    except AuditEntry.DoesNotExist:
        raise Http404 from None
    # Redacting: only entries of the DPO's own organisation.
    if write and entry.organisation_id != getattr(user.organisation, "pk", None):
        raise PermissionDenied
    return entry


@dataclass(frozen=True)
class PersonTrail:
    """What "who has seen" a person's records may show one user: the person and their
    records as codes (``Existence``: never a name), the entries to read them from, and
    whether the user reviews the whole trail (the DPO: links further into it)."""

    person: Existence
    records: list[Existence]
    entries: QuerySet[AuditEntry]
    reviewer: bool


def access_person_trail(user: User, code: uuid.UUID) -> PersonTrail:
    """The trail of one person and their records: for the DPO, all of them (existence
    only: ``policy.can_see_existence``); for one of the person's case managers, the
    records they may open. 403 for roles that do neither, 404 for a person who is not the
    user's to see, 403 for one they may see but do not manage."""
    # Only the DPO and those who work cases come here at all.
    if not (user.can(Capability.REVIEW_AUDIT) or user.can(Capability.WORK_CASES)):
        raise PermissionDenied
    person = Person.objects.filter(organisation=user.organisation, code=code).first()
    # No such person in the organisation: missing.
    if person is None:
        raise Http404
    scope = person_scope(person)
    known = existence(user, scope)
    # The DPO: every record of the person, as codes.
    if known is not None:
        records = person_records(person)
        return PersonTrail(known, records, entries_visible_to(user), reviewer=True)
    # Anyone else must be able to open the person without breaking the glass …
    if not within_reach(user, scope):
        raise Http404
    # … and be one of the person's case managers.
    if user.pk not in scope.case_managers():
        raise PermissionDenied
    records = person_records(person, user)
    entries = AuditEntry.objects.filter(organisation_id=scope.organisation_id)
    return PersonTrail(records[0], records, entries, reviewer=False)


# --- The DPO's records (GDPR Art. 30, 33, 35) ---------------------------------------------


def dpia_visible_to(user: User) -> QuerySet[DpiaEntry]:
    """The DPIA register of the DPO's own organisation; none for anyone else."""
    # Only the DPO keeps the register.
    if not user.can(Capability.REVIEW_AUDIT):
        return DpiaEntry.objects.none()
    return DpiaEntry.objects.filter(organisation=user.organisation)


def breaches_visible_to(user: User) -> QuerySet[Breach]:
    """The breach log of the DPO's own organisation; none for anyone else."""
    # Only the DPO keeps the log.
    if not user.can(Capability.REVIEW_AUDIT):
        return Breach.objects.none()
    return Breach.objects.filter(organisation=user.organisation)


def access_dpia(user: User, code: uuid.UUID) -> DpiaEntry:
    """One assessment of the register: 404 unless it is the DPO's own organisation's."""
    entry = dpia_visible_to(user).filter(code=code).first()
    # Another organisation's, a missing one, or not the DPO: all look the same.
    if entry is None:
        raise Http404
    return entry


def access_breach(user: User, code: uuid.UUID) -> Breach:
    """One breach of the log: 404 unless it is the DPO's own organisation's."""
    breach = breaches_visible_to(user).filter(code=code).first()
    # Another organisation's, a missing one, or not the DPO: all look the same.
    if breach is None:
        raise Http404
    return breach


# --- Subject-rights requests ------------------------------------------------------------------

MANAGER = "case_manager"
DPO = "dpo"


@dataclass(frozen=True)
class RequestAccess:
    """One subject-rights request as one user may handle it: as the person's case manager
    (who sees who the person is) or as the data protection officer (who sees the person as
    a code: ``can_see_existence``)."""

    record: SubjectRequest
    capacity: str  # MANAGER or DPO

    @property
    def dpo(self) -> bool:
        return self.capacity == DPO


def _capacity(user: User, person: Person) -> str:
    scope = person_scope(person)
    # The DPO of the person's organisation: the request, with the person as a code.
    if existence(user, scope) is not None:
        return DPO
    # Anyone else must be able to open the person without breaking the glass …
    if not within_reach(user, scope):
        raise Http404
    # … and be one of the person's case managers.
    if user.pk not in scope.case_managers():
        raise PermissionDenied
    return MANAGER


def access_person_requests(user: User, code: uuid.UUID) -> Person:
    """The requests of one person, and registering one: for the person's case managers.
    403 for roles that do not work cases, 404 for a person who is not the user's to see,
    403 for one they may see but do not manage."""
    # Only those who work cases register a person's request.
    if not user.can(Capability.WORK_CASES):
        raise PermissionDenied
    person = Person.objects.filter(organisation=user.organisation, code=code).first()
    # No such person in the organisation: missing.
    if person is None:
        raise Http404
    scope = person_scope(person)
    # Within reach, without breaking the glass …
    if not within_reach(user, scope):
        raise Http404
    # … and one of the person's case managers.
    if user.pk not in scope.case_managers():
        raise PermissionDenied
    return person


def access_subject_request(user: User, code: uuid.UUID) -> RequestAccess:
    """One request: for the DPO of its organisation and the person's case managers; 403
    for other roles and for those who may see the person but do not manage them, 404 for
    anything else (another centre's request, a person out of reach)."""
    # Only the DPO and those who work cases come here at all.
    if not (user.can(Capability.REVIEW_AUDIT) or user.can(Capability.WORK_CASES)):
        raise PermissionDenied
    found = (
        SubjectRequest.objects.filter(organisation=user.organisation, code=code)
        .select_related("person")
        .first()
    )
    # No such request in the organisation: missing.
    if found is None:
        raise Http404
    return RequestAccess(found, _capacity(user, found.person))


def requests_visible_to(user: User) -> QuerySet[SubjectRequest]:
    """The requests of the DPO's organisation; none for anyone else."""
    # Only the DPO lists every request (case managers see their people's on each person).
    if not user.can(Capability.REVIEW_AUDIT):
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(organisation=user.organisation)


# --- Retention and legal holds (issue #19) ----------------------------------------------------


def holds_visible_to(user: User) -> QuerySet[LegalHold]:
    """The legal holds of the DPO's own organisation; none for anyone else."""
    # Only the DPO keeps the holds.
    if not user.can(Capability.REVIEW_AUDIT):
        return LegalHold.objects.none()
    return LegalHold.objects.filter(organisation=user.organisation)


def access_hold(user: User, code: uuid.UUID) -> LegalHold:
    """One hold of the DPO's organisation, by its code: 404 otherwise."""
    hold = holds_visible_to(user).select_related("case", "person").filter(code=code).first()
    # Another organisation's, or nobody's to see: missing.
    if hold is None:
        raise Http404
    return hold


def hold_cases(user: User, number: CaseNumber) -> list[Case]:
    """The cases of the user's organisation with this number (of any year when none is
    given) that the user may know exist: where a hold can go."""
    # Only the DPO sets holds.
    if not user.can(Capability.REVIEW_AUDIT):
        return []
    cases = Case.objects.filter(organisation=user.organisation, number=number.number)
    if number.year is not None:
        cases = cases.filter(year=number.year)
    # Each as far as the policy lets the DPO know it exists.
    return [case for case in cases.order_by("-year") if existence(user, case_scope(case))]


def hold_person(user: User, code: uuid.UUID) -> Person | None:
    """The person of the user's organisation with this code, if the user may know they
    exist: where a hold can go."""
    # Only the DPO sets holds.
    if not user.can(Capability.REVIEW_AUDIT):
        return None
    person = Person.objects.filter(organisation=user.organisation, code=code).first()
    # No such person here, or not one the DPO may know of: nothing.
    if person is None or existence(user, person_scope(person)) is None:
        return None
    return person
