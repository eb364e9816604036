"""Interventions through their pages: opening an intervention from a contact, the clock and
the action log, closing with a hand-over on the next working day — with the access and
audit rules. The roster's pages are ``ostoja/duty/tests/test_roster.py``."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.duty.models import DutyPhone
from ostoja.helpline.services import contact_start
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import handover_day, intervention_open
from ostoja.people.services import person_create
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
ON_CALL = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
# Saturday 5 December 2026, 02:00 in Warsaw.
SATURDAY_2AM = dt.datetime(2026, 12, 5, 2, 0, tzinfo=WARSAW)


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def test_after_a_public_holiday_the_hand_over_is_the_next_working_day(
    centre: dict[Role, Persona],
) -> None:
    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    holiday = dt.datetime(2026, 11, 11, 10, 0, tzinfo=WARSAW)  # Wednesday, Independence Day
    assert handover_day(organisation, holiday) == dt.date(2026, 11, 12)


def test_an_intervention_from_a_contact_with_its_clock_and_hand_over(
    centre: dict[Role, Persona],
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    assert counsellor.user.organisation is not None
    DutyPhone.objects.create(user=counsellor.user, number="+48600100200")
    with time_machine.travel(SATURDAY_2AM, tick=False):
        contact = contact_start(
            organisation=counsellor.user.organisation, acting_user=counsellor.user
        )
    # (A fresh session in each frozen moment: the idle time-out is real.)
    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=3), tick=False):
        client = _client(counsellor)
        response = client.post(
            f"/interventions/new/?contact={contact.code}",
            {"situation": "captivity", "location": "ul. Polna 3, Grójec, kontener nr 2"},
        )
        assert response.status_code == 302, text(response)[:1000]
        intervention = Intervention.objects.get()
        assert intervention.reference == "INT/KCIK/2026/0001"
        assert intervention.first_contact_at == SATURDAY_2AM and not intervention.office_hours
        # Bad input: an action before the first contact.
        response = client.post(
            f"/interventions/{intervention.code}/actions/",
            {"kind": "police", "at": "2026-12-05T01:00", "note": ""},
        )
        assert response.status_code == 400
        assert "To jest przed pierwszym kontaktem." in text(response)
    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=10), tick=False):
        client = _client(counsellor)
        client.post(
            f"/interventions/{intervention.code}/actions/",
            {"kind": "police", "at": "2026-12-05T02:08", "note": "KPP Grójec"},
        )
    with time_machine.travel(SATURDAY_2AM + dt.timedelta(minutes=75), tick=False):
        client = _client(counsellor)
        client.post(
            f"/interventions/{intervention.code}/actions/",
            {"kind": "shelter", "at": "2026-12-05T03:10", "note": ""},
        )
        intervention.refresh_from_db()
        assert intervention.to_first_action == dt.timedelta(minutes=8)
        assert intervention.to_safety == dt.timedelta(minutes=70)
        assert intervention.acknowledged_by == counsellor.user  # acting acknowledges
        page = text(client.get(f"/interventions/{intervention.code}/"))
        assert "Grójec" in page and 'data-testid="clock"' in page
        manager = centre[Role.CASE_MANAGER].user
        client.post(
            f"/interventions/{intervention.code}/close/",
            {"outcome": "shelter", "handover_to": manager.pk},
        )
    intervention.refresh_from_db()
    assert intervention.status == "closed" and intervention.handover_to == manager
    assert intervention.handover_on == dt.date(2026, 12, 7)  # Monday
    actions = set(
        AuditEntry.objects.filter(target_code=str(intervention.code)).values_list(
            "action", flat=True
        )
    )
    assert {"intervention.opened", "intervention.action_logged", "intervention.closed"} <= actions
    # The audit never holds the location.
    assert "Polna" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_every_intervention_view_has_its_access_rule(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    organisation = centre[Role.COUNSELLOR].user.organisation
    assert organisation is not None
    intervention = intervention_open(
        organisation=organisation,
        data={"situation": "danger"},
        acting_user=centre[Role.COUNSELLOR].user,
    )
    code = intervention.code
    for path in ("/interventions/", "/interventions/new/"):
        assert_access(path, centre, other_centre, allowed=ON_CALL, outsider_status=None)
    assert_access(f"/interventions/{code}/", centre, other_centre, allowed=ON_CALL)
    for path, data in (
        (f"/interventions/{code}/acknowledge/", {}),
        (f"/interventions/{code}/actions/", {"kind": "other"}),
        (f"/interventions/{code}/close/", {}),
    ):
        assert_access(path, centre, other_centre, allowed=ON_CALL, method="post", data=data)


def test_people_involved_are_added_from_those_one_may_open(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    person = person_create(
        organisation=manager.organisation, data={"name": "Ion Popescu"}, acting_user=manager
    )
    intervention = intervention_open(
        organisation=manager.organisation, data={"situation": "danger"}, acting_user=manager
    )
    url = f"/interventions/{intervention.code}/people/"
    # A counsellor may not open the case manager's person (only by breaking the glass).
    refused = _client(centre[Role.COUNSELLOR]).post(url, {"person": str(person.code)})
    assert refused.status_code == 403 and "/access/people.person/" in text(refused)
    assert _client(centre[Role.ANALYST]).post(url, {"person": str(person.code)}).status_code == 403
    other = _client(other_centre[Role.COORDINATOR])
    assert other.post(url, {"person": str(person.code)}).status_code == 404
    response = _client(centre[Role.CASE_MANAGER]).post(url, {"person": str(person.code)})
    assert response.status_code == 302
    assert list(intervention.people.all()) == [person]
    assert AuditEntry.objects.filter(action="intervention.person_added").exists()
    page = text(_client(centre[Role.CASE_MANAGER]).get(f"/interventions/{intervention.code}/"))
    assert "Ion Popescu" in page and f"/identification/people/{person.code}/" in page
