"""The shelter's test world: a women's shelter with two rooms (its staff member is the
centre's shelter staff), a men's shelter of three beds, and a client placed nowhere yet."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import translation

from ostoja.accounts.roles import Role
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter.models import Bed, Facility
from ostoja.shelter.services import facility_create
from ostoja.test import Persona

ADDRESS = "ul. Tajna 7, 00-950 Warszawa"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services' errors are read in English here (their Polish is checked by the views)."""
    with translation.override("en"):
        yield


@pytest.fixture
def women(centre: dict[Role, Persona]) -> Facility:
    coordinator = centre[Role.COORDINATOR].user
    assert coordinator.organisation is not None
    return facility_create(
        organisation=coordinator.organisation,
        data={
            "name": "Schronisko Lipa",
            "kind": Facility.Kind.SHELTER,
            "takes_women": True,
            "takes_families": True,
            "phone": "+48 22 100 20 30",
            "address": ADDRESS,
            "house_rules": "Cisza nocna od 22:00.",
        },
        rooms=[("1", 2), ("2", 2)],
        staff=[centre[Role.SHELTER_STAFF].user],
        acting_user=coordinator,
    )


@pytest.fixture
def men(centre: dict[Role, Persona]) -> Facility:
    coordinator = centre[Role.COORDINATOR].user
    assert coordinator.organisation is not None
    return facility_create(
        organisation=coordinator.organisation,
        data={
            "name": "Schronisko Dąb",
            "kind": Facility.Kind.SHELTER,
            "takes_men": True,
            "phone": "+48 22 100 20 40",
            "address": "ul. Ukryta 3, Kraków",
        },
        rooms=[("A", 3)],
        acting_user=coordinator,
    )


def bed_of(facility: Facility, number: int = 0) -> Bed:
    return list(Bed.objects.filter(room__facility=facility).order_by("room__name", "label"))[number]


@pytest.fixture
def woman(centre: dict[Role, Persona]) -> Person:
    """A woman nobody works with yet, registered by the counsellor on duty."""
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    return person_create(
        organisation=counsellor.organisation,
        data={
            "name": "Marta Kowalczyk",
            "gender": Person.Gender.FEMININE,
            "birth_date": dt.date(1990, 3, 4),
        },
        acting_user=counsellor,
    )
