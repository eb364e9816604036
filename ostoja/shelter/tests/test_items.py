"""Things kept for a resident: received, described as on the receipt (sealed), handed back
only against the resident's signature."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.people.models import Person
from ostoja.shelter.models import Facility, KeptItem, Placement
from ostoja.shelter.services import item_keep, placement_admit, placement_reserve
from ostoja.shelter.tests.conftest import ADDRESS, bed_of
from ostoja.test import Persona, assert_access, force_sign_in, sign_in, text

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


def test_the_receipt_is_a_pdf_for_those_who_hand_things_back_after_a_recent_sign_in(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], resident: Placement
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    kept = item_keep(
        placement=resident, kind="document", description="Paszport UA", acting_user=staff
    )
    item_keep(placement=resident, kind="money", description="200 zł", acting_user=staff)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, staff)
    assert client.post(f"/shelter/items/{kept.code}/return/", {"signed": "on"}).status_code == 302
    kept.refresh_from_db()
    # The hand-back records who and when; the page says so, and offers the receipt.
    assert kept.returned_by == staff and kept.returned_at is not None
    page = text(client.get(f"/shelter/placements/{resident.code}/"))
    assert str(staff) in page and "Print the receipt (PDF)" in page
    path = f"/shelter/placements/{resident.code}/receipt.pdf"
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"receipt-{resident.code}.pdf" in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="placement.receipt_printed")
    assert entry.target_code == str(resident.code)
    assert entry.data == {"items": 2, "returned": 1}
    # What it prints: the things, who took and returned them, room for two signatures —
    # and the facility's name, never its address.
    html = render_to_string(
        "shelter/receipt_pdf.html",
        {
            "placement": resident,
            "person": resident.person,
            "facility": resident.bed.room.facility,
            "organisation": resident.organisation,
            "items": list(resident.kept_items.all()),
            "printed_at": timezone.localtime(),
            "author": staff,
        },
    )
    assert "Paszport UA" in html and "200 zł" in html and "Schronisko Lipa" in html
    assert ADDRESS not in html and "signature" in html
    writers = {Role.COUNSELLOR, Role.SHELTER_STAFF, Role.COORDINATOR}
    assert_access(path, centre, other_centre, allowed=writers)


def test_the_receipt_asks_for_a_recent_sign_in_first(
    centre: dict[Role, Persona], resident: Placement
) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, centre[Role.SHELTER_STAFF])
        traveller.shift(dt.timedelta(minutes=6))  # sudo mode (5 minutes) has lapsed
        asked = client.get(f"/shelter/placements/{resident.code}/receipt.pdf")
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/?next=")
    assert not AuditEntry.objects.filter(action="placement.receipt_printed").exists()
