"""The shelter's access rules, rule by rule (the branch-coverage gate), and the sealed
address: who reads it, who breaks the glass for it, and that no other page shows it."""

import logging
import uuid

import pytest
from django.core import mail
from django.http import Http404
from django.test import Client

from ostoja.accounts.models import AccessGrant
from ostoja.accounts.policy import can_view_sealed_address, find_scope
from ostoja.accounts.roles import Role
from ostoja.accounts.services import glass_break
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.shelter.access import (
    FACILITY,
    PLACEMENT,
    access_facility,
    access_placement,
    facilities_visible_to,
    facility_scope,
    placements_visible_to,
)
from ostoja.shelter.models import Facility
from ostoja.shelter.services import placement_admit, placement_reserve
from ostoja.shelter.tests.conftest import ADDRESS, bed_of
from ostoja.test import Persona, force_sign_in, staff_paths, text

pytestmark = pytest.mark.django_db
NOBODY = (Role.ANALYST, Role.DPO, Role.ADMINISTRATOR)


def test_roles_without_beds_see_no_facility_and_no_stay(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    placement = placement_reserve(
        person=woman, bed=bed_of(women), acting_user=centre[Role.COUNSELLOR].user
    )
    for role in NOBODY:
        user = centre[role].user
        assert not facilities_visible_to(user).exists()
        assert not placements_visible_to(user).exists()
        with pytest.raises(Http404):
            access_facility(user, women.code)
        with pytest.raises(Http404):
            access_placement(user, placement.code)
        assert not can_view_sealed_address(user, facility_scope(women))
    with pytest.raises(Http404):
        access_placement(centre[Role.COORDINATOR].user, uuid.uuid4())


def test_another_centre_never_reads_the_address(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], women: Facility
) -> None:
    for persona in other_centre.values():
        assert not can_view_sealed_address(persona.user, facility_scope(women))


def test_who_reads_the_address(
    centre: dict[Role, Persona], women: Facility, case: Case, client_person: Person
) -> None:
    def readers() -> set[Role]:
        scope = facility_scope(women)
        return {role for role, p in centre.items() if can_view_sealed_address(p.user, scope)}

    # Its staff and coordinators.
    assert readers() == {Role.SHELTER_STAFF, Role.COORDINATOR}
    # The case manager of a person placed there, while they are (the specialist of the
    # case is no case manager).
    placement = placement_reserve(
        person=client_person, bed=bed_of(women), acting_user=centre[Role.CASE_MANAGER].user
    )
    assert readers() == {Role.SHELTER_STAFF, Role.COORDINATOR, Role.CASE_MANAGER}
    from ostoja.shelter.services import placement_cancel

    placement_cancel(placement=placement, acting_user=centre[Role.CASE_MANAGER].user)
    assert readers() == {Role.SHELTER_STAFF, Role.COORDINATOR}


def test_the_duty_worker_breaks_the_glass_for_the_address(
    centre: dict[Role, Persona], women: Facility, case: Case, client_person: Person
) -> None:
    placement_reserve(
        person=client_person, bed=bed_of(women), acting_user=centre[Role.CASE_MANAGER].user
    )
    counsellor = centre[Role.COUNSELLOR]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, counsellor.user)
    page = text(client.get(f"/shelter/facilities/{women.code}/"))
    assert ADDRESS not in page
    offer = f"/access/{FACILITY}/{women.code}/"
    assert offer in page
    response = client.post(offer, {"reason": "emergency", "explanation": "Transport o 2:00"})
    assert (
        response.status_code == 302 and response["Location"] == f"/shelter/facilities/{women.code}/"
    )
    assert ADDRESS in text(client.get(f"/shelter/facilities/{women.code}/"))
    assert AuditEntry.objects.filter(
        action="facility.address_viewed", actor=counsellor.user, target_code=str(women.code)
    ).exists()
    # The case manager of the person placed there is told, without the address.
    notice = centre[Role.CASE_MANAGER].user.notices.get()
    assert "Schronisko Lipa" in notice.text and ADDRESS not in notice.text
    # The grant reads, it does not change the house.
    with pytest.raises(Http404):
        access_facility(counsellor.user, women.code, write=True)
    # A missing facility has no glass to break.
    assert client.get(f"/access/{FACILITY}/{uuid.uuid4()}/").status_code == 404


def test_a_stay_out_of_reach_is_opened_by_breaking_the_glass(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    placement = placement_reserve(
        person=woman, bed=bed_of(women), acting_user=centre[Role.COUNSELLOR].user
    )
    manager = centre[Role.CASE_MANAGER].user
    assert not placements_visible_to(manager).exists()
    scope = find_scope(manager, PLACEMENT, str(placement.code))
    assert scope is not None and find_scope(manager, PLACEMENT, str(uuid.uuid4())) is None
    glass_break(
        scope=scope,
        reason=AccessGrant.Reason.DUTY,
        explanation="Zastępstwo",
        acting_user=manager,
    )
    assert list(placements_visible_to(manager)) == [placement]
    access = access_placement(manager, placement.code)
    assert not access.writable


def test_a_restricted_persons_stay_stays_with_the_house_and_the_named(
    centre: dict[Role, Persona], women: Facility, case: Case, client_person: Person
) -> None:
    from ostoja.cases.services import case_update

    manager = centre[Role.CASE_MANAGER].user
    case_update(case=case, data={"restricted": True}, acting_user=manager)
    placement = placement_reserve(person=client_person, bed=bed_of(women), acting_user=manager)
    staff = centre[Role.SHELTER_STAFF].user
    assert access_placement(staff, placement.code, write=True).writable
    assert access_placement(manager, placement.code, write=True).writable
    coordinator = centre[Role.COORDINATOR].user
    assert placement not in placements_visible_to(coordinator)


def test_the_sealed_address_appears_only_where_the_policy_allows(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    case: Case,
    client_person: Person,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every page of Ostoja with the shelter's records in it, as every role: the address
    only on the facility's own page, for its staff, coordinators and the case manager of
    the person placed there — never in a log line or a message."""
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    intervention = intervention_open(
        organisation=counsellor.organisation,
        data={"situation": "safe_place"},
        acting_user=counsellor,
        people=[client_person],
    )
    placement = placement_reserve(
        person=client_person,
        bed=bed_of(women),
        intervention=intervention,
        case=case,
        acting_user=counsellor,
    )
    placement_admit(
        placement=placement,
        at=placement.reserved_at,
        brought_by="staff",
        arrived_with="",
        expected_departure=None,
        acting_user=centre[Role.SHELTER_STAFF].user,
    )
    codes = {
        "00000000-0000-4000-8000-000000000000": [
            str(women.code),
            str(placement.code),
            str(case.code),
            str(client_person.code),
            str(intervention.code),
            str(bed_of(women).code),
        ]
    }
    paths = []
    for path in staff_paths():
        for code in codes["00000000-0000-4000-8000-000000000000"]:
            paths.append(path.replace("00000000-0000-4000-8000-000000000000", code))
    paths = sorted({p for p in paths if "/accounts/" not in p and "logout" not in p})
    allowed = {Role.SHELTER_STAFF, Role.COORDINATOR, Role.CASE_MANAGER}
    caplog.set_level(logging.DEBUG)
    for role, persona in [*centre.items(), *other_centre.items()]:
        client = Client()
        force_sign_in(client, persona.user)
        for path in paths:
            response = client.get(path)
            kind = response.get("Content-Type", "")
            if not kind.startswith(("text/", "application/json")):
                # A PDF's text is glyph codes, not letters: the receipt's HTML, what it
                # prints, is checked for the address in test_items.py; the statistics'
                # files hold aggregates only (reports/tests); the DPO's records (the record
                # of processing, the DPIA register, the breach log) name no client, and the
                # subject-access copy cuts the centre's places out (privacy/tests).
                receipt = f"/shelter/placements/{placement.code}/receipt.pdf"
                assert path == receipt or path.startswith(("/reports/", "/privacy/")), path
                continue
            shown = ADDRESS in text(response)
            own = path == f"/shelter/facilities/{women.code}/"
            mine = persona.user.organisation == women.organisation
            assert shown == (own and mine and role in allowed), (role, path)
    assert ADDRESS not in caplog.text
    assert all(ADDRESS not in m.body and ADDRESS not in m.subject for m in mail.outbox)
    dumped = str(list(AuditEntry.objects.values_list("data", "purpose")))
    assert ADDRESS not in dumped
