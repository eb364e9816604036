"""Things kept for a resident: received, described as on the receipt (sealed), handed back
only against the resident's signature."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.people.models import Person
from ostoja.shelter.models import Facility, KeptItem, Placement
from ostoja.shelter.services import item_keep, placement_admit, placement_reserve
from ostoja.shelter.tests.conftest import bed_of
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(centre: dict[Role, Persona], women: Facility, woman: Person) -> Placement:
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(person=woman, bed=bed_of(women), acting_user=staff)
    placement_admit(
        placement=placement,
        at=timezone.now() - dt.timedelta(hours=1),
        brought_by="police",
        arrived_with="",
        expected_departure=None,
        acting_user=staff,
    )
    return placement


def test_kept_and_handed_back_against_a_signature(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], resident: Placement
) -> None:
    writers = {Role.COUNSELLOR, Role.SHELTER_STAFF, Role.COORDINATOR}
    path = f"/shelter/placements/{resident.code}/items/"
    assert_access(path, centre, other_centre, allowed=writers, method="post")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, centre[Role.SHELTER_STAFF].user)
    bad = client.post(path, {"item-kind": "document", "item-description": ""})
    assert bad.status_code == 400 and not KeptItem.objects.exists()
    response = client.post(path, {"item-kind": "document", "item-description": "Paszport UA"})
    assert response.status_code == 302
    item = KeptItem.objects.get()
    assert "Paszport UA" in text(client.get(f"/shelter/placements/{resident.code}/"))
    back = f"/shelter/items/{item.code}/return/"
    unsigned = client.post(back, {}, follow=True)
    assert "The resident signs the receipt before it is handed back." in text(unsigned)
    item.refresh_from_db()
    assert item.returned_at is None
    assert_access(back, centre, other_centre, allowed=writers, method="post", data={"signed": "on"})
    item.refresh_from_db()
    assert item.returned_at is not None
    again = client.post(back, {"signed": "on"}, follow=True)
    assert "This was handed back already." in text(again)
    assert (
        client.post("/shelter/items/00000000-0000-4000-8000-000000000000/return/").status_code
        == 404
    )
    actions = AuditEntry.objects.filter(target_code=str(item.code)).order_by("seq")
    assert list(actions.values_list("action", flat=True)) == ["item.kept", "item.returned"]
    assert "Paszport" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_only_a_residents_things_are_kept(
    centre: dict[Role, Persona], women: Facility, woman: Person, resident: Placement
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    with pytest.raises(ValidationError, match="Choose what it is"):
        item_keep(placement=resident, kind="car", description="x", acting_user=staff)
    from ostoja.shelter.services import placement_discharge

    placement_discharge(
        placement=resident,
        at=timezone.now(),
        reason="plan_completed",
        destination="own_flat",
        acting_user=staff,
    )
    with pytest.raises(ValidationError, match="Only a resident"):
        item_keep(placement=resident, kind="phone", description="Nokia", acting_user=staff)
    assert not KeptItem.objects.exists()
