"""Who may see and change people (ARCHITECTURE.md §2–3).

A person is reached through their cases: the teams of the cases they are a client of (the
strongest role counts), coordinators unless one of those cases is restricted, and anyone
who broke the glass. A person with no case yet (just registered from a helpline contact) is
reached by whoever registered them, and by coordinators.
"""

import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from ostoja.accounts.models import User
from ostoja.accounts.policy import Scope, TeamRole, register_scope, require_view
from ostoja.accounts.roles import SEES_IDENTITIES, Capability
from ostoja.cases.access import granted_codes
from ostoja.cases.models import CaseClient, TeamMember
from ostoja.people.models import Person

TARGET = "people.person"
_STRENGTH = [TeamRole.MEMBER, TeamRole.SPECIALIST, TeamRole.CASE_MANAGER]


def works_with_people(user: User) -> bool:
    """Roles whose work is with clients: the helpline and case work (also who may be on
    duty and run emergency interventions)."""
    return user.role in SEES_IDENTITIES and (
        user.can(Capability.LOG_CONTACTS) or user.can(Capability.WORK_CASES)
    )


def person_scope(person: Person) -> Scope:
    team: dict[int, str] = {}
    restricted = False
    members = TeamMember.objects.filter(case__clients__person=person).values_list(
        "user_id", "role", "case__restricted"
    )
    for user_id, role, case_restricted in members:
        restricted |= case_restricted
        if _STRENGTH.index(TeamRole(role)) >= _STRENGTH.index(
            TeamRole(team.get(user_id, TeamRole.MEMBER))
        ):
            team[user_id] = role
    if not CaseClient.objects.filter(person=person).exists():
        team = {person.created_by_id: TeamRole.MEMBER}
    return Scope(
        organisation_id=person.organisation_id,
        target_type=TARGET,
        target_code=str(person.code),
        team=team,
        restricted=restricted,
        named=frozenset(team),
        url=reverse("people:person_detail", args=[person.code]),
    )


def people_in_organisation(user: User) -> QuerySet[Person]:
    if not works_with_people(user):
        return Person.objects.none()
    return Person.objects.filter(organisation=user.organisation)


def people_visible_to(user: User) -> QuerySet[Person]:
    """The people the user may open: the policy's rule as a query."""
    on_team = Exists(CaseClient.objects.filter(person=OuterRef("pk"), case__team__user=user))
    restricted = Exists(CaseClient.objects.filter(person=OuterRef("pk"), case__restricted=True))
    caseless = ~Exists(CaseClient.objects.filter(person=OuterRef("pk")))
    reach = Q(on_team) | (Q(caseless) & Q(created_by=user))
    if user.can(Capability.SEE_ALL_CASES):
        reach |= ~Q(restricted)
    granted = Q(code__in=[uuid.UUID(c) for c in granted_codes(user, TARGET)])
    return people_in_organisation(user).filter(reach | granted)


def access_person(user: User, code: uuid.UUID) -> tuple[Person, Scope]:
    """One person and their scope; 404 if not the user's to see, 403 with the
    break-the-glass offer to those who may break it."""
    person = people_in_organisation(user).filter(code=code).first()
    if person is None:
        raise Http404
    scope = person_scope(person)
    require_view(user, scope)
    return person, scope


def _finder(user: User, code: str) -> Scope | None:
    person = Person.objects.filter(code=code).first()
    return person_scope(person) if person is not None else None


register_scope(TARGET, _finder)
