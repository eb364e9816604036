"""Interpreters: the registry (kept by coordinators), booking with the candidates picked
by the person's language and each checked for conflicts of interest (a flagged one needs
a written reason), and the year's interpreting hours and costs per case."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.network.access import interpreters_visible_to
from ostoja.network.models import Booking, Interpreter
from ostoja.network.services import interpreter_add
from ostoja.people.models import Person
from ostoja.people.services import person_update
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
WITH_PEOPLE = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _interpreter(centre: dict[Role, Persona], name: str, **data: object) -> Interpreter:
    user = centre[Role.COORDINATOR].user
    assert user.organisation is not None
    return interpreter_add(
        organisation=user.organisation,
        data={
            "name": name,
            "languages": ["vie"],
            "kind": "community",
            "sex": "woman",
            "modes": ["phone", "in_person"],
            "cost_per_hour": Decimal("120.00"),
        }
        | data,
        acting_user=user,
    )


def test_the_registry_is_kept_by_coordinators(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    _interpreter(centre, "Nguyen Thi Mai")
    assert_access(
        "/network/interpreters/", centre, other_centre, allowed=WITH_PEOPLE, outsider_status=None
    )
    assert_access(
        "/network/interpreters/book/",
        centre,
        other_centre,
        allowed=WITH_PEOPLE,
        outsider_status=None,
    )
    data = {
        "name": "Ivan Petrov",
        "languages": ["rus", "ukr"],
        "kind": "sworn",
        "sex": "man",
        "modes": ["video"],
        "cost_per_hour": "abc",
        "suspect_proceedings": "RSD 12/26, PR 3 Ds 45.2026",
    }
    assert (
        _client(centre[Role.CASE_MANAGER]).post("/network/interpreters/", data).status_code == 403
    )
    client = _client(centre[Role.COORDINATOR])
    response = client.post("/network/interpreters/", data)
    assert response.status_code == 400 and 'value="Ivan Petrov"' in text(response)
    client.post("/network/interpreters/", data | {"cost_per_hour": "150"})
    ivan = Interpreter.objects.get(name="Ivan Petrov")
    assert ivan.languages == ["rus", "ukr"] and ivan.suspect_proceedings == [
        "RSD 12/26",
        "PR 3 Ds 45.2026",
    ]
    assert AuditEntry.objects.filter(
        action="interpreter.added", target_code=str(ivan.code)
    ).exists()
    page = text(_client(centre[Role.COUNSELLOR]).get("/network/interpreters/"))
    assert "Ivan Petrov" in page and "rosyjski, ukraiński" in page and "Wideo" in page
    # The other centre's coordinator sees none of them.
    assert "Ivan Petrov" not in text(
        _client(other_centre[Role.COORDINATOR]).get("/network/interpreters/")
    )
    assert not interpreters_visible_to(centre[Role.ANALYST].user).exists()


def test_a_booking_picks_candidates_by_language_and_flags_conflicts(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    other_centre: dict[Role, Persona],
) -> None:
    manager = centre[Role.CASE_MANAGER]
    person_update(
        person=client_person,
        data={"preferred_language": "vie", "languages": ["vie"]},
        acting_user=manager.user,
    )
    clean = _interpreter(centre, "Tran Thi Lan")
    neighbour = _interpreter(centre, "Le Thi Hoa", home_town="Hai Phong")
    related = _interpreter(centre, "Pham Van Duc")
    related.related_people.add(client_person)
    suspect = _interpreter(centre, "Vo Van Minh", suspect_proceedings=["RSD 99/26"])
    _interpreter(centre, "Anna Kowalska", languages=["eng"])
    client = _client(manager)
    url = f"/network/interpreters/book/?case={case.code}&town=hai%20phong&proceedings=RSD%2099/26"
    page = text(client.get(url))
    # The person's language from their record picks the candidates: the one without a
    # conflict first, the flagged ones with their reasons.
    assert "Anna Kowalska" not in page
    assert page.index("Tran Thi Lan") < page.index("Le Thi Hoa")
    assert "pochodzi z tej samej miejscowości" in page
    assert "jest spokrewniony lub związany z osobą w sprawie" in page
    assert "tłumaczył(a) podejrzanemu w tym samym postępowaniu" in page
    assert page.count('data-testid="conflict"') == 3
    form = {
        "case": str(case.code),
        "language": "vie",
        "purpose": "police_interview",
        "starts_at": "2026-12-10T10:00",
        "hours": "2.5",
        "town": "Hai Phong",
        "proceedings": "RSD 99/26",
        "interpreter": str(neighbour.pk),
    }
    response = client.post("/network/interpreters/book/", form)
    assert response.status_code == 400
    assert "Le Thi Hoa — pochodzi z tej samej miejscowości: napisz" in text(response)
    assert not Booking.objects.exists()
    response = client.post(
        "/network/interpreters/book/", form | {"interpreter": str(suspect.pk), "override": ""}
    )
    assert "tłumaczył(a) podejrzanemu" in text(response) and not Booking.objects.exists()
    client.post("/network/interpreters/book/", form | {"interpreter": str(clean.pk)})
    booking = Booking.objects.get()
    assert booking.conflicts == [] and booking.cost == Decimal("300.00") and booking.case == case
    # A flagged one with a written reason: booked, the conflict on record.
    client.post(
        "/network/interpreters/book/",
        form | {"interpreter": str(neighbour.pk), "override": "Jedyna dostępna tłumaczka w nocy."},
    )
    flagged = Booking.objects.get(interpreter=neighbour)
    assert flagged.conflicts == ["town"] and flagged.override == "Jedyna dostępna tłumaczka w nocy."
    entry = AuditEntry.objects.filter(action="interpreter.booked").order_by("pk").last()
    assert entry is not None and entry.data["conflicts"] == ["town"]
    # Hours and costs of the year, per case.
    page = text(client.get("/network/interpreters/?year=2026"))

    assert "rezerwacje: 2, godziny: 5,00, koszt: 600,00 zł" in page
    assert f"{case.reference}</a>: 5,00 h, 600,00 PLN" in page
    # Another centre cannot book for this case.
    response = _client(other_centre[Role.COORDINATOR]).get(
        f"/network/interpreters/book/?case={case.code}"
    )
    assert response.status_code == 404


def test_a_booking_for_a_consultation_and_without_an_interpreter_chosen(
    centre: dict[Role, Persona],
) -> None:
    from ostoja.network.tests.test_consultations import _consultation, _police

    consultation = _consultation(centre, _police(centre))
    mai = _interpreter(centre, "Nguyen Thi Mai")
    client = _client(centre[Role.COUNSELLOR])
    form = {
        "consultation": str(consultation.code),
        "language": "vie",
        "purpose": "consultation",
        "starts_at": "2026-12-10T10:00",
        "hours": "1",
    }
    response = client.post("/network/interpreters/book/", form)
    assert response.status_code == 400 and "Wybierz tłumacza." in text(response)
    assert "Nguyen Thi Mai" in text(response)
    response = client.post(
        "/network/interpreters/book/", form | {"language": "eng", "interpreter": str(mai.pk)}
    )
    assert "Ten tłumacz nie zna tego języka." in text(response)
    response = client.post("/network/interpreters/book/", form | {"interpreter": str(mai.pk)})
    assert response["Location"] == f"/network/consultations/{consultation.code}/"
    assert "Nguyen Thi Mai" in text(client.get(response["Location"]))
    assert Booking.objects.get().consultation == consultation
    assert dt.date(2026, 12, 10) == Booking.objects.get().starts_at.date()


def test_a_coordinator_changes_and_deactivates_an_interpreter_and_whom_they_are_related_to(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    other_centre: dict[Role, Persona],
) -> None:
    mai = _interpreter(centre, "Nguyen Thi Mai", suspect_proceedings=["RSD 1/26"])
    edit = f"/network/interpreters/{mai.code}/"
    active = f"/network/interpreters/{mai.code}/active/"
    assert_access(edit, centre, other_centre, allowed={Role.COORDINATOR})
    for role in (Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.ANALYST):
        assert _client(centre[role]).post(active).status_code in (403, 404)
    assert _client(other_centre[Role.COORDINATOR]).post(active).status_code == 404
    client = _client(centre[Role.COORDINATOR])
    page = text(client.get(edit))
    assert 'value="Nguyen Thi Mai"' in page and "RSD 1/26" in page
    assert client_person.name in page  # a client to relate them to: the reading audited
    assert AuditEntry.objects.filter(action="interpreter.viewed", target_code=str(mai.code))
    data = {
        "name": "Nguyen Thi Mai",
        "languages": ["vie"],
        "kind": "community",
        "sex": "woman",
        "modes": ["phone"],
        "cost_per_hour": "-5",
        "home_town": "Nam Định",
        "suspect_proceedings": "RSD 1/26",
        "related_people": [str(client_person.pk)],
    }
    response = client.post(edit, data)
    assert response.status_code == 400 and 'value="Nam Định"' in text(response)
    client.post(edit, data | {"cost_per_hour": "130"})
    mai.refresh_from_db()
    assert mai.cost_per_hour == Decimal("130.00") and mai.modes == ["phone"]
    assert list(mai.related_people.all()) == [client_person]
    changed = AuditEntry.objects.get(action="interpreter.changed")
    assert {"related_people", "cost_per_hour", "home_town", "modes"} <= set(changed.data["fields"])
    # Related to the case's client: flagged for a booking in the case.
    manager = _client(centre[Role.CASE_MANAGER])
    page = text(manager.get(f"/network/interpreters/book/?case={case.code}&language=vie"))
    assert "jest spokrewniony lub związany z osobą w sprawie" in page
    # Deactivated: no longer a candidate, their bookings stay; active again.
    client.post(active, {"deactivate": "1"})
    mai.refresh_from_db()
    assert not mai.active
    page = text(manager.get("/network/interpreters/book/?language=vie"))
    assert 'data-testid="candidate"' not in page
    client.post(active, {"activate": "1"})
    mai.refresh_from_db()
    assert mai.active
    assert AuditEntry.objects.filter(action="interpreter.deactivated").count() == 1
    assert AuditEntry.objects.filter(action="interpreter.reactivated").count() == 1
