"""The shelter's pages through the HTTP client: each works, writes its audit entry, is 404
to another centre and refused to the wrong roles, and bad input gets a clear error that
changes nothing."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter.models import Facility, Placement
from ostoja.shelter.services import facility_create, placement_reserve
from ostoja.shelter.tests.conftest import ADDRESS, bed_of
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db

BEDS = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR, Role.SHELTER_STAFF}
ON_DUTY = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}


def _client(persona: Persona) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, persona.user)
    return client


@pytest.fixture
def reserved(centre: dict[Role, Persona], women: Facility, woman: Person) -> Placement:
    """The counsellor on duty reserved a bed for the woman they registered."""
    return placement_reserve(
        person=woman, bed=bed_of(women), acting_user=centre[Role.COUNSELLOR].user
    )


def test_the_board_shows_free_beds_and_phones_never_an_address(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    men: Facility,
    reserved: Placement,
) -> None:
    assert_access("/shelter/", centre, other_centre, allowed=BEDS, outsider_status=None)
    client = _client(centre[Role.COUNSELLOR])
    page = text(client.get("/shelter/"))
    assert "Schronisko Lipa" in page and "+48 22 100 20 30" in page
    assert "3 free beds" in page and 'data-state="reserved"' in page
    assert ADDRESS not in page
    assert AuditEntry.objects.filter(action="facility.listed").exists()
    # Another centre sees its own board only.
    theirs = text(_client(other_centre[Role.COORDINATOR]).get("/shelter/"))
    assert "Schronisko Lipa" not in theirs and "No facility yet." in theirs
    # A past night, and a date that is not one.
    assert 'data-state="reserved"' not in text(client.get("/shelter/?on=2020-01-01"))
    assert "Enter a valid date" in text(client.get("/shelter/?on=someday"))
    # The same few queries, however many facilities and stays (issue 15: at most 12).
    with CaptureQueriesContext(connection) as before:
        client.get("/shelter/")
    for n in range(5):
        facility_create(
            organisation=women.organisation,
            data={"name": f"Mieszkanie {n}", "kind": "apartment", "takes_women": True},
            rooms=[("1", 4)],
            acting_user=centre[Role.COORDINATOR].user,
        )
    placement_reserve(
        person=person_create(
            organisation=women.organisation,
            data={"name": "Ewa", "gender": Person.Gender.FEMININE},
            acting_user=centre[Role.COUNSELLOR].user,
        ),
        bed=bed_of(women, 1),
        acting_user=centre[Role.COUNSELLOR].user,
    )
    with CaptureQueriesContext(connection) as after:
        page = text(client.get("/shelter/"))
    assert len(after) == len(before) <= 12
    assert page.count('data-state="free"') == 2 + 5 * 4 + 3  # and the men's shelter


def test_the_facility_page_shows_the_address_to_its_staff_and_coordinators_only(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    reserved: Placement,
) -> None:
    path = f"/shelter/facilities/{women.code}/"
    assert_access(path, centre, other_centre, allowed=BEDS)
    for role in BEDS:
        page = text(_client(centre[role]).get(path))
        assert (ADDRESS in page) == (role in {Role.SHELTER_STAFF, Role.COORDINATOR}), role
    # The staff see who is expected; the duty worker who reserved it, their own.
    staff_page = text(_client(centre[Role.SHELTER_STAFF]).get(path))
    assert "Marta Kowalczyk" in staff_page
    assert "Marta Kowalczyk" not in text(_client(centre[Role.SPECIALIST]).get(path))
    read = AuditEntry.objects.filter(action="facility.address_viewed", target_code=str(women.code))
    assert set(read.values_list("actor__membership__role", flat=True)) == {
        Role.SHELTER_STAFF,
        Role.COORDINATOR,
    }
    assert AuditEntry.objects.filter(action="placement.listed").exists()


def test_the_staff_take_a_bed_out_of_use_and_back(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], women: Facility
) -> None:
    bed = bed_of(women, 3)
    path = f"/shelter/beds/{bed.code}/use/"
    # Only the facility's staff and coordinators (each call toggles nothing harmful).
    assert_access(
        path,
        centre,
        other_centre,
        allowed={Role.SHELTER_STAFF, Role.COORDINATOR},
        method="post",
        data={"out_of_use": "0"},
    )
    client = _client(centre[Role.SHELTER_STAFF])
    assert client.post(path, {"out_of_use": "1"}).status_code == 302
    bed.refresh_from_db()
    assert bed.out_of_use
    assert AuditEntry.objects.filter(action="bed.use_changed", target_code=str(bed.code)).exists()
    assert client.post("/shelter/beds/00000000-0000-4000-8000-000000000000/use/").status_code == 404


def test_a_held_bed_stays_in_use_with_a_clear_message(
    centre: dict[Role, Persona], women: Facility, reserved: Placement
) -> None:
    client = _client(centre[Role.SHELTER_STAFF])
    response = client.post(
        f"/shelter/beds/{reserved.bed.code}/use/", {"out_of_use": "1"}, follow=True
    )
    assert "Someone holds this bed" in text(response)


def test_place_tonight_from_an_intervention(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    men: Facility,
    woman: Person,
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    intervention = intervention_open(
        organisation=counsellor.organisation,
        data={"situation": Intervention.Situation.SAFE_PLACE},
        acting_user=counsellor,
        people=[woman],
    )
    client = _client(centre[Role.COUNSELLOR])
    detail = text(client.get(f"/interventions/{intervention.code}/"))
    path = f"/shelter/reserve/?intervention={intervention.code}"
    assert path.replace("&", "&amp;") in detail
    assert_access(path, centre, other_centre, allowed=ON_DUTY)
    page = text(client.get(path))
    assert "Marta Kowalczyk" in page and "+48 22 100 20 30" in page and ADDRESS not in page
    form = {"intervention": str(intervention.code), "bed-person": woman.pk}
    # A bed of the men's shelter chosen with the women's: refused, nothing written.
    bad = client.post(
        "/shelter/reserve/", form | {"bed-facility": women.pk, "bed-bed": bed_of(men).pk}
    )
    assert bad.status_code == 400 and "This bed is in another facility." in text(bad)
    assert 'value="' + str(intervention.code) in text(bad)
    assert not Placement.objects.exists()
    done = client.post(
        "/shelter/reserve/", form | {"bed-facility": women.pk, "bed-bed": bed_of(women).pk}
    )
    placement = Placement.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/shelter/placements/{placement.code}/"
    assert placement.intervention == intervention and placement.placed_by == counsellor
    # The intervention links the stay that came of it (the facility's name, not its address).
    detail = text(client.get(f"/interventions/{intervention.code}/"))
    assert f"/shelter/placements/{placement.code}/" in detail and women.name in detail
    assert ADDRESS not in detail
    # Nobody involved yet: the page says so, and offers nobody.
    empty = intervention_open(
        organisation=counsellor.organisation, data={"situation": "danger"}, acting_user=counsellor
    )
    assert "Add the person to the intervention first" in text(
        client.get(f"/shelter/reserve/?intervention={empty.code}")
    )
    # No source at all, or a malformed one: nothing to reserve for.
    assert client.get("/shelter/reserve/").status_code == 404
    assert client.get("/shelter/reserve/?case=nonsense").status_code == 404


def test_place_tonight_from_a_case_and_the_case_page_shows_the_stay(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    case: Case,
    client_person: Person,
) -> None:
    manager = _client(centre[Role.CASE_MANAGER])
    assert f"/shelter/cases/{case.code}/" in text(manager.get(f"/cases/{case.code}/"))
    panel = f"/shelter/cases/{case.code}/"
    assert_access(
        panel, centre, other_centre, allowed={Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    )
    assert "Not placed now." in text(manager.get(panel))
    path = f"/shelter/reserve/?case={case.code}"
    assert_access(
        path, centre, other_centre, allowed={Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    )
    response = manager.post(
        "/shelter/reserve/",
        {
            "case": str(case.code),
            "bed-person": client_person.pk,
            "bed-facility": women.pk,
            "bed-bed": bed_of(women).pk,
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.case == case
    shown = text(manager.get(panel))
    assert "Schronisko Lipa" in shown and "Reserved" in shown and "Place tonight" not in shown
    # The case manager of a person placed there now reads the facility's address.
    assert ADDRESS in text(manager.get(f"/shelter/facilities/{women.code}/"))
    # The person's timeline shows the stay.
    history = text(manager.get(f"/people/{client_person.code}/history/"))
    assert "Shelter" in history and f"/shelter/placements/{placement.code}/" in history


def test_place_a_person_directly(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    path = f"/shelter/reserve/?person={woman.code}"
    assert_access(path, centre, other_centre, allowed={Role.COUNSELLOR, Role.COORDINATOR})


def test_the_placement_page_puts_the_safe_contact_protocol_first(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], reserved: Placement
) -> None:
    path = f"/shelter/placements/{reserved.code}/"
    allowed = {Role.COUNSELLOR, Role.SHELTER_STAFF, Role.COORDINATOR}
    assert_access(path, centre, other_centre, allowed=allowed)
    page = text(_client(centre[Role.SHELTER_STAFF]).get(path))
    assert page.index('data-testid="safe-contact"') < page.index("Marta Kowalczyk</h1>")
    assert ADDRESS not in page
    assert AuditEntry.objects.filter(
        action="placement.viewed", target_code=str(reserved.code)
    ).exists()
    # The case manager out of reach is offered the glass, not the page.
    assert _client(centre[Role.CASE_MANAGER]).get(path).status_code == 403


def test_admit_move_and_discharge_through_the_pages(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    reserved: Placement,
) -> None:
    base = f"/shelter/placements/{reserved.code}/"
    writers = {Role.COUNSELLOR, Role.SHELTER_STAFF, Role.COORDINATOR}
    for action in ("admit", "discharge", "move"):
        # Empty forms: the allowed get their errors (400), the others nothing.
        assert_access(base + action + "/", centre, other_centre, allowed=writers, method="post")
    client = _client(centre[Role.SHELTER_STAFF])
    now = timezone.localtime()
    arrived = (now - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        base + "admit/",
        {"admit-at": arrived, "admit-brought_by": "police", "admit-arrived_with": "paszport"},
    )
    assert response.status_code == 302
    reserved.refresh_from_db()
    assert reserved.status == Placement.Status.ADMITTED
    # Discharge before the admission: a clear error, nothing changed.
    before = (now - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        base + "discharge/",
        {"discharge-at": before, "discharge-reason": "left", "discharge-destination": "unknown"},
    )
    assert response.status_code == 400 and "This is before the admission" in text(response)
    reserved.refresh_from_db()
    assert reserved.status == Placement.Status.ADMITTED
    # Move to another bed of the house.
    moved_at = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(base + "move/", {"move-bed": bed_of(women, 2).pk, "move-at": moved_at})
    successor = Placement.objects.get(moved_from=reserved)
    assert response["Location"] == f"/shelter/placements/{successor.code}/"
    # … and discharge home.
    response = client.post(
        f"/shelter/placements/{successor.code}/discharge/",
        {
            "discharge-at": now.strftime("%Y-%m-%dT%H:%M"),
            "discharge-reason": "own_decision",
            "discharge-destination": "return_home",
        },
    )
    assert response.status_code == 302
    successor.refresh_from_db()
    assert successor.destination == Placement.Destination.RETURN_HOME
    page = text(client.get(f"/shelter/placements/{successor.code}/"))
    assert "Return home (country of origin)" in page and "Earlier stays" in page


def test_a_reservation_is_cancelled_once(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], reserved: Placement
) -> None:
    path = f"/shelter/placements/{reserved.code}/cancel/"
    assert_access(
        path,
        centre,
        other_centre,
        allowed={Role.COUNSELLOR, Role.SHELTER_STAFF, Role.COORDINATOR},
        method="post",
    )
    reserved.refresh_from_db()
    assert reserved.status == Placement.Status.CANCELLED
    again = _client(centre[Role.COORDINATOR]).post(path, follow=True)
    assert "Only a reservation can be cancelled." in text(again)


def test_bad_admission_input_keeps_what_was_typed(
    centre: dict[Role, Persona], reserved: Placement
) -> None:
    client = _client(centre[Role.SHELTER_STAFF])
    future = (timezone.localtime() + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/shelter/placements/{reserved.code}/admit/",
        {
            "admit-at": future,
            "admit-brought_by": "police",
            "admit-arrived_with": "torba z ubraniami",
        },
    )
    assert response.status_code == 400
    assert "This time cannot be in the future." in text(response)
    assert "torba z ubraniami" in text(response)
    reserved.refresh_from_db()
    assert reserved.status == Placement.Status.RESERVED


def test_the_page_speaks_polish(
    centre: dict[Role, Persona], women: Facility, reserved: Placement
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="pl")
    force_sign_in(client, centre[Role.SHELTER_STAFF].user)
    page = text(client.get(f"/shelter/placements/{reserved.code}/"))
    assert "Przyjmij" in page and "Rezerwacja" in page
    board = text(client.get("/shelter/"))
    assert "3 wolne łóżka" in board
