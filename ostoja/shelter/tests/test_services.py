"""Reserving, admitting, moving and discharging: each change audited, each bad input refused
with a clear error that leaves nothing half-written, and the database's own rules."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter.models import Facility, Placement
from ostoja.shelter.services import (
    bed_set_use,
    placement_admit,
    placement_cancel,
    placement_discharge,
    placement_move,
    placement_reserve,
)
from ostoja.shelter.tests.conftest import ADDRESS, bed_of
from ostoja.test import Persona

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def _actions(target: Placement) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_code=str(target.code))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_stay_from_reservation_to_discharge_is_audited_without_values(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(
        person=woman, bed=bed_of(women), facility=women, acting_user=counsellor
    )
    assert placement.status == Placement.Status.RESERVED and placement.active
    arrived = timezone.now() - 2 * HOUR
    placement_admit(
        placement=placement,
        at=arrived,
        brought_by=Placement.BroughtBy.POLICE,
        arrived_with="paszport, telefon",
        expected_departure=None,
        acting_user=staff,
    )
    placement_discharge(
        placement=placement,
        at=timezone.now(),
        reason=Placement.Reason.OWN_DECISION,
        destination=Placement.Destination.RETURN_HOME,
        acting_user=staff,
    )
    placement.refresh_from_db()
    assert placement.status == Placement.Status.DISCHARGED
    assert placement.arrived_with == "paszport, telefon"
    assert _actions(placement) == [
        "placement.reserved",
        "placement.admitted",
        "placement.discharged",
    ]
    # The trail names records, never an address or what someone arrived with.
    dumped = str(list(AuditEntry.objects.values_list("data", flat=True)))
    assert "paszport" not in dumped and ADDRESS not in dumped and "Marta" not in dumped


def test_a_bed_holds_one_person_and_a_person_one_bed(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    other = person_create(
        organisation=woman.organisation,
        data={"name": "Anna Nowak", "gender": Person.Gender.FEMININE},
        acting_user=counsellor,
    )
    placement_reserve(person=woman, bed=bed_of(women, 0), acting_user=counsellor)
    with pytest.raises(ValidationError, match="This bed is taken"):
        placement_reserve(person=other, bed=bed_of(women, 0), acting_user=counsellor)
    with pytest.raises(ValidationError, match="already has a bed"):
        placement_reserve(person=woman, bed=bed_of(women, 1), acting_user=counsellor)
    assert Placement.objects.count() == 1


def test_the_database_itself_refuses_a_second_active_placement(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    """Not only the service: a row written past it is refused by the partial indexes."""
    counsellor = centre[Role.COUNSELLOR].user
    first = placement_reserve(person=woman, bed=bed_of(women, 0), acting_user=counsellor)
    other = person_create(
        organisation=woman.organisation, data={"name": "Ewa"}, acting_user=counsellor
    )
    base = {"organisation": first.organisation, "placed_by": counsellor}
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(person=other, bed=bed_of(women, 0), **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(person=woman, bed=bed_of(women, 1), **base)
    # Ended stays do not count: the bed and the person are free again once it is over.
    placement_cancel(placement=first, acting_user=counsellor)
    Placement.objects.create(person=other, bed=bed_of(women, 0), **base)
    Placement.objects.create(person=woman, bed=bed_of(women, 1), **base)
    # A discharge before the admission is refused by the database too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(person=woman).update(
            status="discharged",
            admitted_at=timezone.now(),
            discharged_at=timezone.now() - HOUR,
        )


def test_a_discharge_before_the_admission_is_refused_and_nothing_changes(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(person=woman, bed=bed_of(women), acting_user=staff)
    arrived = timezone.now() - HOUR
    placement_admit(
        placement=placement,
        at=arrived,
        brought_by="self",
        arrived_with="",
        expected_departure=None,
        acting_user=staff,
    )
    with pytest.raises(ValidationError, match="before the admission") as refused:
        placement_discharge(
            placement=placement,
            at=arrived - HOUR,
            reason=Placement.Reason.LEFT,
            destination=Placement.Destination.UNKNOWN,
            acting_user=staff,
        )
    assert "at" in refused.value.error_dict
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ADMITTED and placement.discharged_at is None
    assert "placement.discharged" not in _actions(placement)
    for bad in ({"reason": "moved"}, {"reason": "nonsense"}, {"destination": "mars"}):
        arguments: dict[str, Any] = {"reason": "left", "destination": "unknown"} | bad
        with pytest.raises(ValidationError):
            placement_discharge(
                placement=placement, at=timezone.now(), acting_user=staff, **arguments
            )
    with pytest.raises(ValidationError, match="future"):
        placement_discharge(
            placement=placement,
            at=timezone.now() + 2 * HOUR,
            reason="left",
            destination="unknown",
            acting_user=staff,
        )


def test_wrong_places_are_refused_with_a_clear_error(
    centre: dict[Role, Persona], women: Facility, men: Facility, woman: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    # A bed in another facility than the one chosen.
    with pytest.raises(ValidationError, match="another facility"):
        placement_reserve(person=woman, bed=bed_of(men), facility=women, acting_user=counsellor)
    # A woman in a men's shelter, a man in a women's shelter.
    with pytest.raises(ValidationError, match="does not take women"):
        placement_reserve(person=woman, bed=bed_of(men), acting_user=counsellor)
    man = person_create(
        organisation=woman.organisation,
        data={"name": "Jan", "gender": Person.Gender.MASCULINE},
        acting_user=counsellor,
    )
    with pytest.raises(ValidationError, match="does not take men"):
        placement_reserve(person=man, bed=bed_of(women), acting_user=counsellor)
    # A minor (or possibly one) in an adults-only place.
    girl = person_create(
        organisation=woman.organisation,
        data={"name": "Ola", "gender": Person.Gender.FEMININE, "possible_minor": True},
        acting_user=counsellor,
    )
    with pytest.raises(ValidationError, match="does not take minors"):
        placement_reserve(person=girl, bed=bed_of(women), acting_user=counsellor)
    # A bed out of use.
    bed_set_use(bed=bed_of(women, 3), out_of_use=True, acting_user=counsellor)
    with pytest.raises(ValidationError, match="out of use"):
        placement_reserve(person=woman, bed=bed_of(women, 3), acting_user=counsellor)
    assert not Placement.objects.exists()


def test_a_bed_of_another_organisation_does_not_exist(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], woman: Person
) -> None:
    from ostoja.shelter.services import facility_create

    coordinator = other_centre[Role.COORDINATOR].user
    assert coordinator.organisation is not None
    theirs = facility_create(
        organisation=coordinator.organisation,
        data={"name": "Obce", "kind": "hostel", "takes_women": True},
        rooms=[("1", 1)],
        acting_user=coordinator,
    )
    with pytest.raises(ValidationError, match="no such bed"):
        placement_reserve(
            person=woman, bed=bed_of(theirs), acting_user=centre[Role.COUNSELLOR].user
        )


def test_a_held_bed_cannot_be_taken_out_of_use_and_a_free_one_comes_back(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    placement_reserve(person=woman, bed=bed_of(women), acting_user=staff)
    with pytest.raises(ValidationError, match="holds this bed"):
        bed_set_use(bed=bed_of(women), out_of_use=True, acting_user=staff)
    bed = bed_of(women, 1)
    bed_set_use(bed=bed, out_of_use=True, acting_user=staff)
    bed_set_use(bed=bed, out_of_use=True, acting_user=staff)  # no change, no entry
    bed_set_use(bed=bed, out_of_use=False, acting_user=staff)
    bed.refresh_from_db()
    assert not bed.out_of_use
    entries = AuditEntry.objects.filter(action="bed.use_changed", target_code=str(bed.code))
    assert [e.data["out_of_use"] for e in entries.order_by("seq")] == [True, False]


def test_a_move_ends_one_stay_and_begins_the_next_at_the_same_moment(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(person=woman, bed=bed_of(women, 0), acting_user=staff)
    placement_admit(
        placement=placement,
        at=timezone.now() - 3 * HOUR,
        brought_by="staff",
        arrived_with="",
        expected_departure=None,
        acting_user=staff,
    )
    with pytest.raises(ValidationError, match="in this bed already"):
        placement_move(
            placement=placement, bed=bed_of(women, 0), at=timezone.now(), acting_user=staff
        )
    at = timezone.now() - HOUR
    successor = placement_move(placement=placement, bed=bed_of(women, 2), at=at, acting_user=staff)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.DISCHARGED
    assert placement.reason == Placement.Reason.MOVED and placement.destination == ""
    assert successor.admitted_at == at == placement.discharged_at
    assert successor.moved_from == placement and successor.bed == bed_of(women, 2)
    assert "placement.moved" in _actions(placement)
    # A move into a taken bed changes nothing.
    other = placement_reserve(
        person=person_create(
            organisation=woman.organisation,
            data={"name": "Ewa", "gender": Person.Gender.FEMININE},
            acting_user=staff,
        ),
        bed=bed_of(women, 3),
        acting_user=staff,
    )
    with pytest.raises(ValidationError, match="taken"):
        placement_move(placement=successor, bed=other.bed, at=timezone.now(), acting_user=staff)
    successor.refresh_from_db()
    assert successor.status == Placement.Status.ADMITTED


def test_only_a_reservation_is_admitted_or_cancelled_and_only_a_stay_ends(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(person=woman, bed=bed_of(women), acting_user=staff)
    with pytest.raises(ValidationError, match="has begun"):
        placement_discharge(
            placement=placement,
            at=timezone.now(),
            reason="left",
            destination="unknown",
            acting_user=staff,
        )
    with pytest.raises(ValidationError, match="future"):
        placement_admit(
            placement=placement,
            at=timezone.now() + 2 * HOUR,
            brought_by="self",
            arrived_with="",
            expected_departure=None,
            acting_user=staff,
        )
    with pytest.raises(ValidationError, match="departure cannot be before"):
        placement_admit(
            placement=placement,
            at=timezone.now(),
            brought_by="self",
            arrived_with="",
            expected_departure=timezone.localdate() - dt.timedelta(days=2),
            acting_user=staff,
        )
    placement_cancel(placement=placement, acting_user=staff)
    with pytest.raises(ValidationError, match="Only a reservation"):
        placement_cancel(placement=placement, acting_user=staff)
    with pytest.raises(ValidationError, match="Only a reservation"):
        placement_admit(
            placement=placement,
            at=timezone.now(),
            brought_by="self",
            arrived_with="",
            expected_departure=None,
            acting_user=staff,
        )


def test_an_admission_from_an_emergency_records_the_shelter_place_on_it(
    centre: dict[Role, Persona], women: Facility, woman: Person, case: Case
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    intervention = intervention_open(
        organisation=counsellor.organisation,
        data={"situation": Intervention.Situation.SAFE_PLACE},
        acting_user=counsellor,
        people=[woman],
    )
    placement = placement_reserve(
        person=woman, bed=bed_of(women), intervention=intervention, acting_user=counsellor
    )
    placement_admit(
        placement=placement,
        at=timezone.now(),
        brought_by="staff",
        arrived_with="",
        expected_departure=None,
        acting_user=centre[Role.SHELTER_STAFF].user,
    )
    intervention.refresh_from_db()
    assert intervention.safe_at is not None
    assert intervention.actions.filter(kind="shelter").count() == 1
