"""Incidents of a house, recorded sealed and closed with their follow-up."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.people.models import Person
from ostoja.shelter.models import Facility, Incident
from ostoja.shelter.services import incident_record, placement_reserve
from ostoja.shelter.tests.conftest import bed_of
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
HOUSE = {Role.SHELTER_STAFF, Role.COORDINATOR}


def test_an_incident_is_recorded_and_closed_with_its_follow_up(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], women: Facility, woman: Person
) -> None:
    placement = placement_reserve(
        person=woman, bed=bed_of(women), acting_user=centre[Role.COUNSELLOR].user
    )
    path = f"/shelter/facilities/{women.code}/incidents/"
    assert_access(path, centre, other_centre, allowed=HOUSE, method="post")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, centre[Role.SHELTER_STAFF].user)
    bad = client.post(path, {"incident-kind": "suspicious"}, follow=True)
    assert "This field is required." in text(bad) and not Incident.objects.exists()
    when = (timezone.localtime() - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        path,
        {
            "incident-kind": "suspicious",
            "incident-at": when,
            "incident-description": "Samochód na obcych numerach stoi pod domem od godziny.",
            "incident-placement": placement.pk,
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    page = text(client.get(f"/shelter/facilities/{women.code}/book/"))
    assert "Samochód na obcych numerach" in page and "Marta Kowalczyk" in page
    close = f"/shelter/incidents/{incident.code}/close/"
    empty = client.post(close, {"follow_up": " "}, follow=True)
    assert "Write what was done about it." in text(empty)
    assert_access(
        close, centre, other_centre, allowed=HOUSE, method="post", data={"follow_up": "Policja."}
    )
    incident.refresh_from_db()
    assert incident.closed_at is not None and incident.follow_up == "Policja."
    again = client.post(close, {"follow_up": "x"}, follow=True)
    assert "This incident is closed already." in text(again)
    assert (
        client.post("/shelter/incidents/00000000-0000-4000-8000-000000000000/close/").status_code
        == 404
    )
    actions = AuditEntry.objects.filter(target_code=str(incident.code)).order_by("seq")
    assert list(actions.values_list("action", flat=True)) == [
        "incident.recorded",
        "incident.closed",
    ]
    assert "Samochód" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_bad_incidents_are_refused(
    centre: dict[Role, Persona], women: Facility, men: Facility, woman: Person
) -> None:
    staff = centre[Role.SHELTER_STAFF].user
    placement = placement_reserve(person=woman, bed=bed_of(women), acting_user=staff)
    now = timezone.now()
    with pytest.raises(ValidationError, match="Choose what happened"):
        incident_record(facility=women, kind="fire", at=now, description="x", acting_user=staff)
    with pytest.raises(ValidationError, match="Write what happened"):
        incident_record(facility=women, kind="other", at=now, description=" ", acting_user=staff)
    with pytest.raises(ValidationError, match="another facility"):
        incident_record(
            facility=men,
            kind="other",
            at=now,
            description="x",
            placement=placement,
            acting_user=staff,
        )
    with pytest.raises(ValidationError, match="future"):
        incident_record(
            facility=women,
            kind="other",
            at=now + dt.timedelta(hours=2),
            description="x",
            acting_user=staff,
        )
    assert not Incident.objects.exists()
