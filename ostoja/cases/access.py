"""Who may see and change cases (ARCHITECTURE.md §2–3): the case's team, coordinators for
unrestricted cases, and anyone who broke the glass (to read). Missing and forbidden look the
same (404), except to those who may break the glass, who are offered it (403)."""

import uuid
from collections.abc import Collection, Iterator
from operator import attrgetter

from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.urls import reverse

from ostoja.accounts.access import colleagues
from ostoja.accounts.models import User
from ostoja.accounts.policy import Access, Scope, decide, granted_codes, register_scope
from ostoja.accounts.roles import Capability, Role
from ostoja.cases.models import Case, CaseClient, TeamMember
from ostoja.lib.prepared import Prepared
from ostoja.people.access import Worker, register_reach

TARGET = "cases.case"


def case_scope(case: Case) -> Scope:
    team = {m.user_id: m.role for m in case.team.all()}
    return Scope(
        organisation_id=case.organisation_id,
        target_type=TARGET,
        target_code=str(case.code),
        team=team,
        restricted=case.restricted,
        named=frozenset(team),
        url=reverse("cases:case_detail", args=[case.code]),
        label=case.reference,
        reference=case.reference,
    )


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases the user may open: the policy's rule as a query."""
    # Only roles that work on cases open them.
    if not user.can(Capability.WORK_CASES):
        return Case.objects.none()
    mine = Q(team__user=user)
    # Coordinators: every unrestricted case, and restricted ones they are named on.
    reach = (Q(restricted=False) | mine) if user.can(Capability.SEE_ALL_CASES) else mine
    # Anyone: the cases they broke the glass on, while the grant runs.
    granted = Q(code__in=granted_codes(user, TARGET))
    return Case.objects.filter(reach | granted, organisation=user.organisation).distinct()


def access_case(user: User, code: uuid.UUID, *, write: bool = False) -> Access[Case]:
    """One case, for a user whose role works on cases: 404 if it is not theirs to see, 403
    with the break-the-glass offer if they may break the glass, 403 when ``write`` and they
    may only read it."""
    # Only roles that work on cases, and only their organisation's cases.
    if not user.can(Capability.WORK_CASES) or user.organisation is None:
        raise Http404
    found = _CASE(user.organisation.pk, code)
    # No such case in the organisation: missing.
    if not found:
        raise Http404
    case = found[0]
    prefetch_related_objects([case], _TEAM)
    return decide(user, case, case_scope(case), write=write)


# Every case page, section and form asks: the case's query compiled once (lib.prepared).
_CASE = Prepared(
    lambda organisation_id, code: Case.objects.filter(organisation_id=organisation_id, code=code)
)
_TEAM = Prefetch("team", queryset=TeamMember.objects.select_related("user"))


def access_case_record[M: Model](
    user: User, model: type[M], code: uuid.UUID, *, via: str = "case", write: bool = True
) -> tuple[M, Access[Case]]:
    """A record of a case (a goal, an action, a consent, a deadline, a document; ``via``
    leads from it to the case) with the access to its case."""
    found = model._default_manager.select_related(via).filter(code=code).first()
    # No such record: missing.
    if found is None:
        raise Http404
    case: Case = attrgetter(via.replace("__", "."))(found)
    return found, access_case(user, case.code, write=write)


def case_staff(user: User) -> QuerySet[User]:
    """Who may be put on a case's team: active case workers of the user's organisation."""
    return colleagues(user, Capability.WORK_CASES)


def case_managers(user: User) -> QuerySet[User]:
    """Who may manage a case: case managers and coordinators of the organisation."""
    return case_staff(user).filter(membership__role__in=[Role.CASE_MANAGER, Role.COORDINATOR])


class CaseReach:
    """Who works with a person through their cases (``people.access.Reach``)."""

    def workers(self, person_ids: Collection[int]) -> Iterator[Worker]:
        rows = CaseClient.objects.filter(
            person_id__in=person_ids, case__team__isnull=False
        ).values_list("person_id", "case__team__user_id", "case__team__role", "case__restricted")
        for person_id, user_id, role, restricted in rows:
            yield Worker(person_id, user_id, role, restricted)

    def attached(self) -> Exists:
        return Exists(CaseClient.objects.filter(person=OuterRef("pk")))

    def on_team(self, user: User) -> Exists:
        return Exists(CaseClient.objects.filter(person=OuterRef("pk"), case__team__user=user))

    def restricted(self) -> Exists:
        return Exists(CaseClient.objects.filter(person=OuterRef("pk"), case__restricted=True))


def _finder(user: User, code: str) -> Scope | None:
    case = Case.objects.filter(code=code).prefetch_related("team").first()
    return case_scope(case) if case is not None else None


register_scope(TARGET, _finder)
register_reach(CaseReach())
