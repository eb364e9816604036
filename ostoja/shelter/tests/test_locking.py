"""Two members of staff act on one stay at once (issue #20, ostoja.lib.locking): a step taken
from a page opened before another step was taken is not applied; the conflict page shows the
stay as it now is beside what this user typed, which is kept."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.lib.locking import Conflict
from ostoja.people.models import Person
from ostoja.shelter.models import Facility, Placement
from ostoja.shelter.services import placement_admit, placement_discharge, placement_reserve
from ostoja.shelter.tests.conftest import bed_of
from ostoja.test import Persona, force_sign_in, form_fields, text

pytestmark = pytest.mark.django_db


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


@pytest.fixture
def stay(centre: dict[Role, Persona], women: Facility, woman: Person) -> Placement:
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(person=woman, bed=bed_of(women), acting_user=staff)
    placement_admit(
        placement=placement,
        at=timezone.now() - dt.timedelta(days=2),
        brought_by="staff",
        arrived_with="",
        expected_departure=None,
        acting_user=staff,
    )
    placement.refresh_from_db()
    return placement


def test_a_step_from_a_stale_page_gets_the_conflict_page(
    centre: dict[Role, Persona], women: Facility, stay: Placement
) -> None:
    staff, coordinator = centre[Role.SHELTER_STAFF], centre[Role.COORDINATOR]
    a, b = _client(staff), _client(coordinator)
    url = f"/shelter/placements/{stay.code}/"
    page_a, page_b = text(a.get(url)), text(b.get(url))
    discharge = f"/shelter/placements/{stay.code}/discharge/"
    move = f"/shelter/placements/{stay.code}/move/"
    form_a = form_fields(page_a, discharge)
    form_b = form_fields(page_b, move)
    assert form_a["version"] == form_b["version"] == str(stay.version)
    # A discharges her; B, from the page opened before, moves her to another bed.
    form_a |= {"discharge-reason": "own_decision", "discharge-destination": "return_home"}
    assert a.post(discharge, form_a).status_code == 302
    form_b |= {"move-bed": str(bed_of(women, 2).pk)}
    response = b.post(move, form_b)
    assert response.status_code == 409
    page = text(response)
    assert 'id="conflict"' in page and str(staff.user) in page
    # The stay as it is now beside what B typed: B's bed is named.
    assert str(bed_of(women, 2)) in page
    stay.refresh_from_db()
    assert stay.status == Placement.Status.DISCHARGED
    assert stay.destination == Placement.Destination.RETURN_HOME
    assert not Placement.objects.filter(moved_from=stay).exists()


def test_the_service_refuses_a_stale_version(centre: dict[Role, Persona], stay: Placement) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    opened = stay.version
    stale = Placement.objects.get(pk=stay.pk)
    placement_discharge(
        placement=stay,
        at=timezone.now(),
        reason="own_decision",
        destination="return_home",
        version=opened,
        acting_user=staff,
    )
    with pytest.raises(Conflict):
        placement_discharge(
            placement=stale,
            at=timezone.now(),
            reason="left",
            destination="unknown",
            version=opened,
            acting_user=staff,
        )
    stay.refresh_from_db()
    assert stay.destination == "return_home" and stay.version == opened + 1
