"""The shift book and the shelter staff's dashboard."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.people.models import Person
from ostoja.shelter.models import Facility, Placement, ShiftEntry
from ostoja.shelter.services import (
    absence_start,
    placement_admit,
    placement_reserve,
    shift_entry_write,
)
from ostoja.shelter.tests.conftest import ADDRESS, bed_of
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db


def _client(persona: Persona, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    force_sign_in(client, persona.user)
    return client


@pytest.fixture
def resident(
    centre: dict[Role, Persona], women: Facility, case: Case, client_person: Person
) -> Placement:
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(
        person=client_person,
        bed=bed_of(women),
        case=case,
        acting_user=centre[Role.CASE_MANAGER].user,
    )
    placement_admit(
        placement=placement,
        at=timezone.now() - dt.timedelta(days=1),
        brought_by="staff",
        arrived_with="",
        expected_departure=timezone.localdate() + dt.timedelta(days=1),
        acting_user=staff,
    )
    return placement


def test_the_shift_book_is_written_sealed_and_read_by_the_house(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    resident: Placement,
) -> None:
    path = f"/shelter/facilities/{women.code}/book/"
    assert_access(path, centre, other_centre, allowed={Role.SHELTER_STAFF, Role.COORDINATOR})
    client = _client(centre[Role.SHELTER_STAFF])
    bad = client.post(path, {"shift": "night", "text": "  ", "for_case_manager": "on"})
    assert bad.status_code == 400 and not ShiftEntry.objects.exists()
    response = client.post(
        path,
        {"shift": "night", "text": "Spokojna noc, kolacja o 19.", "placement": ""},
    )
    assert response.status_code == 302
    response = client.post(
        path,
        {
            "shift": "night",
            "text": "Płakała po telefonie od nieznanego numeru.",
            "placement": resident.pk,
            "for_case_manager": "on",
        },
    )
    assert response.status_code == 302
    page = text(client.get(path))
    assert "Spokojna noc" in page and "Płakała" in page
    assert AuditEntry.objects.filter(action="shift_entry.written").count() == 2
    assert AuditEntry.objects.filter(
        action="shift_book.viewed", target_code=str(women.code)
    ).exists()
    # Sealed in the database; the trail names no text.
    stored = ShiftEntry.objects.values_list("text", flat=True).first()
    assert stored is not None and b"Spokojna" not in bytes(stored)
    assert "Spokojna" not in str(list(AuditEntry.objects.values_list("data", flat=True)))
    # The entry marked for the case manager shows on the stay, to its case team.
    stay = text(_client(centre[Role.CASE_MANAGER]).get(f"/shelter/placements/{resident.code}/"))
    assert "Płakała" in stay and "Spokojna" not in stay


def test_bad_shift_book_input_is_refused(
    centre: dict[Role, Persona], women: Facility, men: Facility, resident: Placement
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    with pytest.raises(ValidationError, match="another facility"):
        shift_entry_write(
            facility=men, shift="day", text="x", placement=resident, acting_user=staff
        )
    with pytest.raises(ValidationError, match="Say which resident"):
        shift_entry_write(
            facility=women, shift="day", text="x", for_case_manager=True, acting_user=staff
        )
    with pytest.raises(ValidationError, match="Choose the shift"):
        shift_entry_write(facility=women, shift="evening", text="x", acting_user=staff)
    assert not ShiftEntry.objects.exists()


def test_the_shelter_staff_dashboard(
    centre: dict[Role, Persona], women: Facility, woman: Person, resident: Placement
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    placement_reserve(person=woman, bed=bed_of(women, 1), acting_user=centre[Role.COUNSELLOR].user)
    absence_start(
        placement=resident,
        expected_back=timezone.now() + dt.timedelta(hours=1),
        where="",
        acting_user=staff,
    )
    shift_entry_write(facility=women, shift="day", text="Przegląd gaśnic.", acting_user=staff)
    page = text(_client(centre[Role.SHELTER_STAFF]).get("/"))
    tonight = page.split('data-testid="tonight"', 1)[1]
    assert "Schronisko Lipa" in tonight and "2 free beds" in tonight
    assert "Олена Шевченко" in page.split('data-testid="residents"', 1)[1]
    assert "Олена Шевченко" in page.split('data-testid="absences"', 1)[1]
    expected = page.split('data-testid="expected"', 1)[1]
    assert "Marta Kowalczyk" in expected and "Departure" in expected
    assert "Przegląd gaśnic." in page and ADDRESS not in page
    assert AuditEntry.objects.filter(action="placement.listed", actor=staff).exists()
    polish = text(_client(centre[Role.SHELTER_STAFF], "pl").get("/"))
    assert "2 wolne łóżka" in polish and "Dziennik zmian od wczoraj" in polish


def test_staff_of_no_facility_see_a_plain_dashboard(centre: dict[Role, Persona]) -> None:
    page = text(_client(centre[Role.SHELTER_STAFF]).get("/"))
    assert "You are not on the staff of any facility yet." in page
    assert not AuditEntry.objects.filter(action="placement.listed").exists()
