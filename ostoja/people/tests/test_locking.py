"""Two members of staff edit one person at once (issue #20, ostoja.lib.locking): the second
save gets the conflict page with both versions (sealed fields compared opened), nothing of
the first is lost, and saving again applies the second user's changes on top."""

import pytest
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.lib.locking import Conflict
from ostoja.people.models import Person
from ostoja.people.services import person_update
from ostoja.test import Persona, force_sign_in, form_fields, text

pytestmark = pytest.mark.django_db


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def test_it_shows_the_conflict_page_to_the_second_of_two_editors(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    manager, coordinator = centre[Role.CASE_MANAGER], centre[Role.COORDINATOR]
    a, b = _client(manager), _client(coordinator)
    url = f"/people/{client_person.code}/edit/"
    form_a, form_b = form_fields(text(a.get(url))), form_fields(text(b.get(url)))
    assert form_a["version"] == "1" and form_a["initial-code_word"] == "słonecznik"
    # A changes the code word (sealed) and the safe times; B the code word and the e-mail.
    form_a |= {"code_word": "jaskółka", "safe_times": "po 18:00"}
    assert a.post(url, form_a).status_code == 302
    form_b |= {"code_word": "wrzos", "email": "olena@example.org"}
    response = b.post(url, form_b)
    assert response.status_code == 409
    page = text(response)
    client_person.refresh_from_db()
    assert client_person.code_word == "jaskółka" and client_person.safe_times == "po 18:00"
    assert client_person.email == ""
    assert "jaskółka" in page and "wrzos" in page and str(manager.user) in page
    again = form_fields(page)
    assert again["version"] == "2"
    assert again["code_word"] == "wrzos" and again["email"] == "olena@example.org"
    assert again["safe_times"] == "po 18:00"  # A's, which B did not touch
    assert b.post(url, again).status_code == 302
    client_person.refresh_from_db()
    assert client_person.code_word == "wrzos" and client_person.safe_times == "po 18:00"
    assert client_person.email == "olena@example.org" and client_person.version == 3


def test_the_service_refuses_a_stale_version(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    person_update(person=client_person, data={"code_word": "jeden"}, version=1, acting_user=manager)
    stale = Person.objects.get(pk=client_person.pk)
    with pytest.raises(Conflict):
        person_update(person=stale, data={"code_word": "dwa"}, version=1, acting_user=manager)
    client_person.refresh_from_db()
    assert client_person.code_word == "jeden" and client_person.version == 2
