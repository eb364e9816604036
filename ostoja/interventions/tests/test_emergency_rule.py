"""Who sees the people of an emergency (``policy.can_view_in_emergency``): whoever may open
them anyway, and — while the intervention is open — the people working it. Nobody else
learns their names or their safe-contact warnings, and a restricted record stays with the
people named on it."""

import pytest
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.cases.services import case_update
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import (
    intervention_acknowledge,
    intervention_close,
    intervention_open,
    intervention_person_add,
)
from ostoja.people.models import Person
from ostoja.test import Persona, force_sign_in, make_user, text

pytestmark = pytest.mark.django_db
NAME = "Олена Шевченко"
WARNING = "Przed telefonem przeczytaj zasady bezpiecznego kontaktu."


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


@pytest.fixture
def emergency(centre: dict[Role, Persona], case: Case, client_person: Person) -> Intervention:
    """An open intervention the counsellor opened (not on the client's case team), with the
    case's client involved."""
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    intervention = intervention_open(
        organisation=counsellor.organisation,
        data={"situation": "danger", "description": "Dzwoni z zamkniętego pokoju"},
        acting_user=counsellor,
    )
    intervention_person_add(
        intervention=intervention, person=client_person, acting_user=centre[Role.CASE_MANAGER].user
    )
    return intervention


def test_who_works_an_open_emergency_sees_who_is_involved(
    centre: dict[Role, Persona], emergency: Intervention, client_person: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    page = text(_client(counsellor).get(f"/interventions/{emergency.code}/"))
    assert NAME in page and WARNING in page
    viewed = AuditEntry.objects.get(
        action="person.viewed", actor=counsellor.user, target_code=str(client_person.code)
    )
    assert viewed.data == {"for": "intervention", "intervention": str(emergency.code)}
    # A colleague who neither opened, acknowledged nor was alerted: not their emergency.
    colleague = make_user(
        counsellor.user.organisation, Role.COUNSELLOR, email="second.counsellor@staff.test"
    )
    other = text(_client(colleague).get(f"/interventions/{emergency.code}/"))
    assert NAME not in other and WARNING not in other
    assert "Osoba spoza Twojego zakresu dostępu" in other
    assert f"/access/people.person/{client_person.code}/" in other  # break the glass instead
    # Acknowledging makes one a worker of it.
    intervention_acknowledge(intervention=emergency, acting_user=colleague.user)
    assert NAME in text(_client(colleague).get(f"/interventions/{emergency.code}/"))
    # The case's team sees the client anyway.
    assert NAME in text(_client(centre[Role.CASE_MANAGER]).get(f"/interventions/{emergency.code}/"))


def test_the_names_go_when_the_emergency_ends(
    centre: dict[Role, Persona], emergency: Intervention
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    intervention_close(
        intervention=emergency, outcome="safe", handover_to=None, acting_user=counsellor.user
    )
    page = text(_client(counsellor).get(f"/interventions/{emergency.code}/"))
    assert NAME not in page and WARNING not in page


def test_a_restricted_record_stays_with_its_team_in_an_emergency(
    centre: dict[Role, Persona], emergency: Intervention, case: Case
) -> None:
    case_update(case=case, data={"restricted": True}, acting_user=centre[Role.CASE_MANAGER].user)
    page = text(_client(centre[Role.COUNSELLOR]).get(f"/interventions/{emergency.code}/"))
    assert NAME not in page and WARNING not in page
    coordinator = text(_client(centre[Role.COORDINATOR]).get(f"/interventions/{emergency.code}/"))
    assert NAME not in coordinator  # not on the restricted case's team either


def test_whoever_is_on_duty_now_works_the_emergency(
    centre: dict[Role, Persona], emergency: Intervention
) -> None:
    """Outside office hours the shift's people are on duty for every open emergency."""
    import datetime as dt

    import time_machine

    from ostoja.duty.models import Shift

    organisation = centre[Role.COORDINATOR].user.organisation
    assert organisation is not None
    on_duty = make_user(organisation, Role.COUNSELLOR, email="on.duty@staff.test")
    other = make_user(organisation, Role.COUNSELLOR, email="not.on.duty@staff.test")
    saturday = dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC)
    Shift.objects.create(
        organisation=organisation,
        start=saturday - dt.timedelta(hours=12),
        end=saturday + dt.timedelta(hours=12),
        primary=centre[Role.CASE_MANAGER].user,
        backup=on_duty.user,
        created_by=centre[Role.COORDINATOR].user,
    )
    with time_machine.travel(saturday, tick=False):
        assert NAME in text(_client(on_duty).get(f"/interventions/{emergency.code}/"))
        assert NAME not in text(_client(other).get(f"/interventions/{emergency.code}/"))
