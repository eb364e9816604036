"""Who may see and change people (ARCHITECTURE.md §2–3).

A person is reached through the work done with them — today their cases: the teams of the
cases they are a client of (the strongest role counts), coordinators unless one of those
cases is restricted, and anyone who broke the glass (to read). A person nobody works with
yet (just registered from a helpline contact) is reached by whoever registered them, and by
coordinators.

People sit below cases in the layers (ARCHITECTURE.md §2: people imports neither cases nor
helpline), so the apps that work with people tell this module who does, by registering a
``Reach`` (``register_reach``) — as apps register their scopes with the policy.
"""

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from ostoja.accounts.models import User
from ostoja.accounts.policy import (
    Access,
    Scope,
    TeamRole,
    decide,
    granted_codes,
    register_scope,
    works_with_people,
)
from ostoja.accounts.roles import Capability
from ostoja.people.models import Person

TARGET = "people.person"
_STRENGTH = [TeamRole.MEMBER, TeamRole.SPECIALIST, TeamRole.CASE_MANAGER]


@dataclass(frozen=True)
class Worker:
    """One member of staff working with one person, as a ``Reach`` reports them."""

    person_id: int
    user_id: int
    role: str  # a ``TeamRole``
    restricted: bool  # the work (e.g. a case) is restricted to its team


class Reach(Protocol):
    """What an app that works with people tells this module (cases register theirs)."""

    def workers(self, person_ids: Collection[int]) -> Iterable[Worker]:
        """Everyone working with these people, and the people it attaches at all."""
        ...

    def attached(self) -> Exists:
        """Whether ``OuterRef("pk")`` (a person) has any of this app's work."""
        ...

    def on_team(self, user: User) -> Exists:
        """Whether ``user`` works with ``OuterRef("pk")`` here."""
        ...

    def restricted(self) -> Exists:
        """Whether any of ``OuterRef("pk")``'s work here is restricted."""
        ...


REACHES: list[Reach] = []


def register_reach(reach: Reach) -> None:
    REACHES.append(reach)


def person_scopes(people: Collection[Person]) -> dict[int, Scope]:
    """The scopes of several people at once (one query per registered reach)."""
    teams: dict[int, dict[int, str]] = {p.pk: {} for p in people}
    restricted: dict[int, bool] = dict.fromkeys(teams, False)
    attached: set[int] = set()
    for reach in REACHES:
        for worker in reach.workers(list(teams)):
            attached.add(worker.person_id)
            restricted[worker.person_id] |= worker.restricted
            team = teams[worker.person_id]
            held = TeamRole(team.get(worker.user_id, TeamRole.MEMBER))
            if _STRENGTH.index(TeamRole(worker.role)) >= _STRENGTH.index(held):
                team[worker.user_id] = worker.role
    scopes = {}
    for person in people:
        team = teams[person.pk]
        if person.pk not in attached:  # nobody works with them yet: who registered them
            team = {person.created_by_id: TeamRole.MEMBER}
        scopes[person.pk] = Scope(
            organisation_id=person.organisation_id,
            target_type=TARGET,
            target_code=str(person.code),
            team=team,
            restricted=restricted[person.pk],
            named=frozenset(team),
            url=reverse("people:person_detail", args=[person.code]),
            label=person.display_name(),
        )
    return scopes


def person_scope(person: Person) -> Scope:
    return person_scopes([person])[person.pk]


def _any(conditions: Iterable[Exists]) -> Q:
    """Any of ``conditions`` (none: false)."""
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= Q(condition)
    return combined


def people_visible_to(user: User) -> QuerySet[Person]:
    """The people the user may open: the policy's rule as a query."""
    # Only roles whose work is with clients see people.
    if not works_with_people(user):
        return Person.objects.none()
    on_team = _any(reach.on_team(user) for reach in REACHES)
    restricted = _any(reach.restricted() for reach in REACHES)
    attached = _any(reach.attached() for reach in REACHES)
    # The people one works with, and those nobody works with yet that one registered.
    visible = on_team | (~attached & Q(created_by=user))
    # Coordinators: everyone but the clients of restricted work.
    if user.can(Capability.SEE_ALL_CASES):
        visible |= ~restricted
    # Anyone: the people they broke the glass on, while the grant runs.
    visible |= Q(code__in=granted_codes(user, TARGET))
    return Person.objects.filter(visible, organisation=user.organisation)


def access_person(user: User, code: uuid.UUID, *, write: bool = False) -> Access[Person]:
    """One person: 404 if not the user's to see, 403 with the break-the-glass offer to
    those who may break it, 403 when ``write`` and they may only read."""
    # Only roles whose work is with clients, and only their organisation's people.
    if not works_with_people(user):
        raise Http404
    person = Person.objects.filter(organisation=user.organisation, code=code).first()
    # No such person in the organisation: missing.
    if person is None:
        raise Http404
    return decide(user, person, person_scope(person), write=write)


def _finder(user: User, code: str) -> Scope | None:
    person = Person.objects.filter(code=code).first()
    return person_scope(person) if person is not None else None


register_scope(TARGET, _finder)
