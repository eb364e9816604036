"""The waiting list: when nothing fits, by priority, with what was offered instead; ended
by a placement, a refusal for lack of places, or no longer needed."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter.access import access_waiting, waiting_visible_to
from ostoja.shelter.models import Facility, WaitingEntry
from ostoja.shelter.services import placement_reserve, waiting_add, waiting_end
from ostoja.shelter.tests.conftest import bed_of
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db


def _client(persona: Persona) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, persona.user)
    return client


def test_a_person_waits_once_and_a_reservation_ends_the_wait(
    centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    entry = waiting_add(
        person=woman, priority=1, needs="parter", offered="hotel", acting_user=counsellor
    )
    with pytest.raises(ValidationError, match="waiting list already"):
        waiting_add(person=woman, priority=2, needs="", offered="", acting_user=counsellor)
    placement = placement_reserve(person=woman, bed=bed_of(women), acting_user=counsellor)
    entry.refresh_from_db()
    assert entry.outcome == WaitingEntry.Outcome.PLACED and entry.placement == placement
    with pytest.raises(ValidationError, match="already has a bed"):
        waiting_add(person=woman, priority=2, needs="", offered="", acting_user=counsellor)
    with pytest.raises(ValidationError, match="ended already"):
        waiting_end(entry=entry, outcome="refused", acting_user=counsellor)
    actions = AuditEntry.objects.filter(target_code=str(entry.code)).order_by("seq")
    assert list(actions.values_list("action", flat=True)) == ["waiting.added", "waiting.ended"]
    other = person_create(
        organisation=woman.organisation, data={"name": "Ewa"}, acting_user=counsellor
    )
    second = waiting_add(person=other, priority=4, needs="", offered="", acting_user=counsellor)
    with pytest.raises(ValidationError, match="Choose how"):
        waiting_end(entry=second, outcome="lost", acting_user=counsellor)


def test_the_waiting_list_from_a_full_night(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    women: Facility,
    woman: Person,
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    intervention = intervention_open(
        organisation=counsellor.organisation,
        data={"situation": "safe_place"},
        acting_user=counsellor,
        people=[woman],
    )
    client = _client(centre[Role.COUNSELLOR])
    reserve = text(client.get(f"/shelter/reserve/?intervention={intervention.code}"))
    assert 'data-testid="waiting-form"' in reserve
    # A bad form goes back to the page it came from, with the reason.
    bad = client.post(
        "/shelter/waiting/add/", {"intervention": str(intervention.code)}, follow=True
    )
    assert "Choose the person and the priority." in text(bad)
    assert bad.redirect_chain[-1][0] == f"/shelter/reserve/?intervention={intervention.code}"
    assert not WaitingEntry.objects.exists()
    response = client.post(
        "/shelter/waiting/add/",
        {
            "intervention": str(intervention.code),
            "wait-person": woman.pk,
            "wait-priority": 1,
            "wait-needs": "parter",
            "wait-offered": "partner",
        },
    )
    assert response.status_code == 302
    entry = WaitingEntry.objects.get()
    assert entry.intervention == intervention and entry.offered == "partner"
    again = client.post(
        "/shelter/waiting/add/",
        {"intervention": str(intervention.code), "wait-person": woman.pk, "wait-priority": 2},
        follow=True,
    )
    assert "on the waiting list already" in text(again)
    # The list: names for those who may see the person, the rest only the priority.
    assert_access(
        "/shelter/waiting/",
        centre,
        other_centre,
        allowed={
            Role.COUNSELLOR,
            Role.CASE_MANAGER,
            Role.SPECIALIST,
            Role.COORDINATOR,
            Role.SHELTER_STAFF,
        },
        outsider_status=None,
    )
    assert "Marta Kowalczyk" in text(client.get("/shelter/waiting/"))
    staff_view = text(_client(centre[Role.SHELTER_STAFF]).get("/shelter/waiting/"))
    assert "Marta Kowalczyk" not in staff_view and "A person outside your reach" in staff_view
    assert AuditEntry.objects.filter(action="waiting.listed", actor=counsellor).exists()
    # Ending it: for those who see the person; refused for lack of places.
    path = f"/shelter/waiting/{entry.code}/end/"
    with pytest.raises(Http404):
        access_waiting(centre[Role.SHELTER_STAFF].user, entry.code)
    assert (
        _client(other_centre[Role.COORDINATOR]).post(path, {"outcome": "refused"}).status_code
        == 404
    )
    assert not waiting_visible_to(centre[Role.ANALYST].user).exists()
    assert client.post(path, {"outcome": "refused"}).status_code == 302
    entry.refresh_from_db()
    assert entry.outcome == WaitingEntry.Outcome.REFUSED
    assert "The wait has ended already." not in text(client.get("/shelter/waiting/"))
    twice = client.post(path, {"outcome": "refused"}, follow=True)
    assert "This wait has ended already." in text(twice)
    assert "Nobody is waiting." in text(twice)
