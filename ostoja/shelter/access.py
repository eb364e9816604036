"""Who may see the shelter's places and stays (issue 15; ARCHITECTURE.md §2–3).

* **Beds** — which facility has a free bed tonight, its phone and its house rules — are for
  whoever runs the shelter (shelter staff, coordinators) and whoever may be on duty (the
  counsellors and case workers who arrange a bed at 2 a.m.): ``sees_beds``.
* A facility's **sealed address** follows the policy's rule for a sealed address
  (``policy.can_view_sealed_address``) on the facility's scope: its own shelter staff and
  the case managers of the people placed there (its team), coordinators, and anyone who
  broke the glass on it. Never a list, never a message.
* A **placement** — who stays where — is for the facility's staff, the people who work with
  the person (the person's own scope: their case team), the one who arranged it, and
  coordinators; a restricted person's stay stays with the people named on their work and
  the house's staff.
"""

import uuid
from collections.abc import Collection

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from ostoja.accounts.models import User
from ostoja.accounts.policy import (
    Access,
    Scope,
    TeamRole,
    can_view_sealed_address,
    decide,
    granted_codes,
    register_scope,
    works_with_people,
)
from ostoja.accounts.roles import Capability
from ostoja.people.access import people_visible_to, person_scopes
from ostoja.shelter.models import ACTIVE, Facility, Placement, WaitingEntry

FACILITY = "shelter.facility"
PLACEMENT = "shelter.placement"


def runs_shelter(user: User) -> bool:
    """Shelter staff and coordinators: the roles that run the houses."""
    return user.can(Capability.WORK_SHELTER)


def sees_beds(user: User) -> bool:
    """Who may see facilities and free beds: those who run the shelter, and those who may
    be on duty and arrange a bed in an emergency."""
    return runs_shelter(user) or works_with_people(user)


def facilities_visible_to(user: User) -> QuerySet[Facility]:
    """The organisation's facilities, for whoever may see beds."""
    # Only those who run the shelter or may be on duty.
    if not sees_beds(user):
        return Facility.objects.none()
    return Facility.objects.filter(organisation=user.organisation)


def facility_scope(facility: Facility) -> Scope:
    """The facility as the policy sees it: its staff, and the case managers of the people
    staying or expected there, are its team."""
    team: dict[int, str] = dict.fromkeys(
        facility.staff.values_list("pk", flat=True), TeamRole.MEMBER
    )
    placed = [
        p.person
        for p in Placement.objects.filter(bed__room__facility=facility, status__in=ACTIVE)
        .select_related("person")
        .only("person")
    ]
    for scope in person_scopes(placed).values():
        team |= dict.fromkeys(scope.case_managers(), TeamRole.CASE_MANAGER)
    return Scope(
        organisation_id=facility.organisation_id,
        target_type=FACILITY,
        target_code=str(facility.code),
        team=team,
        url=reverse("shelter:facility", args=[facility.code]),
        label=facility.name,
        reference=facility.name,
    )


def access_facility(user: User, code: uuid.UUID, *, write: bool = False) -> Access[Facility]:
    """One facility of the organisation: 404 for anyone who may not see beds or for another
    organisation's. Changing it (beds in and out of use) is for those who run the shelter
    — coordinators, and shelter staff of that facility."""
    facility = facilities_visible_to(user).filter(code=code).first()
    # Not the organisation's, or a role that never sees beds: missing.
    if facility is None:
        raise Http404
    scope = facility_scope(facility)
    # Changing: coordinators and the facility's own staff.
    writable = user.can(Capability.SEE_ALL_CASES) or (runs_shelter(user) and user.pk in scope.team)
    if write and not writable:
        raise Http404
    return Access(facility, scope, writable, frozenset())


def address_visible(user: User, access: Access[Facility]) -> bool:
    """May ``user`` read the facility's sealed address?"""
    return can_view_sealed_address(user, access.scope)


def placement_scopes(placements: Collection[Placement]) -> dict[int, Scope]:
    """The scopes of several placements at once: the person's work, the house's staff and
    the one who arranged it."""
    people = person_scopes([p.person for p in placements])
    staff: dict[int, set[int]] = {}
    facilities = {p.bed.room.facility_id for p in placements}
    through = Facility.staff.through.objects.filter(facility_id__in=facilities)
    for facility_id, user_id in through.values_list("facility_id", "user_id"):
        staff.setdefault(facility_id, set()).add(user_id)
    scopes = {}
    for placement in placements:
        person = people[placement.person.pk]
        house = staff.get(placement.bed.room.facility_id, set())
        team = dict.fromkeys(house | {placement.placed_by_id}, TeamRole.MEMBER.value)
        team |= dict(person.team)
        scopes[placement.pk] = Scope(
            organisation_id=placement.organisation_id,
            target_type=PLACEMENT,
            target_code=str(placement.code),
            team=team,
            restricted=person.restricted,
            named=person.named | house | {placement.placed_by_id},
            url=reverse("shelter:placement", args=[placement.code]),
            label=person.label,
        )
    return scopes


def _placements() -> QuerySet[Placement]:
    return Placement.objects.select_related("person", "bed__room__facility", "placed_by")


def placements_visible_to(user: User) -> QuerySet[Placement]:
    """The placements the user may open without breaking the glass or with a running
    grant: the policy's rule as a query."""
    # Only those who run the shelter or may be on duty.
    if not sees_beds(user):
        return Placement.objects.none()
    # The house's staff: every stay in their facilities.
    mine = Q(bed__room__facility__staff=user)
    # The people one may open (through their work, or as a coordinator, restricted work
    # aside) …
    mine |= Q(person__in=people_visible_to(user))
    # … and the stays one arranged.
    mine |= Q(placed_by=user)
    # Anyone: the stays they broke the glass on, while the grant runs.
    mine |= Q(code__in=granted_codes(user, PLACEMENT))
    return _placements().filter(mine, organisation=user.organisation).distinct()


def access_placement(user: User, code: uuid.UUID, *, write: bool = False) -> Access[Placement]:
    """One placement: 404 if it is not the user's to see, 403 with the break-the-glass offer
    to those who may break it, 403 when ``write`` and they may only read."""
    # Only those who run the shelter or may be on duty.
    if not sees_beds(user):
        raise Http404
    placement = _placements().filter(organisation=user.organisation, code=code).first()
    # No such placement in the organisation: missing.
    if placement is None:
        raise Http404
    return decide(user, placement, placement_scopes([placement])[placement.pk], write=write)


def _facility_finder(user: User, code: str) -> Scope | None:
    facility = Facility.objects.filter(code=code).first()
    return facility_scope(facility) if facility is not None else None


def _placement_finder(user: User, code: str) -> Scope | None:
    placement = _placements().filter(code=code).first()
    return placement_scopes([placement])[placement.pk] if placement is not None else None


register_scope(FACILITY, _facility_finder)
register_scope(PLACEMENT, _placement_finder)


def waiting_visible_to(user: User) -> QuerySet[WaitingEntry]:
    """The organisation's waiting list, for whoever may see beds (who is on it is shown
    only where ``waiting_named`` says)."""
    # Only those who run the shelter or may be on duty.
    if not sees_beds(user):
        return WaitingEntry.objects.none()
    return WaitingEntry.objects.filter(organisation=user.organisation)


def waiting_named(user: User, entries: Collection[WaitingEntry]) -> set[int]:
    """The entries whose person ``user`` may see: the people they may open, and those they
    put on the list themselves."""
    visible = set(
        people_visible_to(user)
        .filter(pk__in=[e.person_id for e in entries])
        .values_list("pk", flat=True)
    )
    return {e.pk for e in entries if e.person_id in visible or e.added_by_id == user.pk}


def access_waiting(user: User, code: uuid.UUID) -> WaitingEntry:
    """One entry of the waiting list, to end it: for whoever may see its person."""
    entry = waiting_visible_to(user).filter(code=code).first()
    # Not the organisation's, or not theirs to see: missing.
    if entry is None or entry.pk not in waiting_named(user, [entry]):
        raise Http404
    return entry
