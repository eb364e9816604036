"""Two requests racing for the same bed (or the same person) at the same moment: the
database decides, exactly one wins, the other is told — on PostgreSQL, with two real
connections (SQLite serialises every write, so there is no race to lose there; the same
indexes are tested on both in ``test_services``)."""

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import pre_save
from django.utils import translation

from ostoja.accounts.roles import Role
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter.models import Bed, Facility, Placement
from ostoja.shelter.services import placement_reserve
from ostoja.shelter.tests.conftest import bed_of
from ostoja.test import Persona

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs PostgreSQL"),
    pytest.mark.usefixtures("audit_flushable"),
]


def _race(attempts: list[tuple[Person, Bed]], user: Any) -> list[str]:
    """Run the reservations in threads of their own, each on its own connection, held at
    the moment of writing until all have passed the service's own checks."""
    barrier = threading.Barrier(len(attempts), timeout=20)

    def hold(sender: type, **kwargs: Any) -> None:
        if sender is Placement:
            barrier.wait()

    outcomes: list[str] = []

    def attempt(person: Person, bed: Bed) -> None:
        try:
            with translation.override("en"):  # a thread starts in the default language
                placement_reserve(person=person, bed=bed, acting_user=user)
            outcomes.append("won")
        except ValidationError as error:
            with translation.override("en"):
                outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    pre_save.connect(hold, dispatch_uid="shelter-race")
    try:
        threads = [threading.Thread(target=attempt, args=pair) for pair in attempts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        pre_save.disconnect(dispatch_uid="shelter-race")
    return outcomes


def test_two_people_booked_into_one_bed_at_once_one_wins(
    transactional_db: None, centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    other = person_create(
        organisation=woman.organisation,
        data={"name": "Anna", "gender": Person.Gender.FEMININE},
        acting_user=counsellor,
    )
    bed = bed_of(women)
    outcomes = _race([(woman, bed), (other, bed)], counsellor)
    assert sorted(outcomes) == ["This bed was taken a moment ago: choose another.", "won"]
    assert Placement.objects.filter(bed=bed).count() == 1


def test_one_person_booked_into_two_beds_at_once_gets_one(
    transactional_db: None, centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    outcomes = _race([(woman, bed_of(women, 0)), (woman, bed_of(women, 2))], counsellor)
    assert sorted(outcomes) == ["This person already has a bed or a reservation.", "won"]
    assert Placement.objects.filter(person=woman).count() == 1
