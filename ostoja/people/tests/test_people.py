"""People through their pages: registering (from a contact), the duplicate warning, the
safe-contact protocol, relations, merging — with the access and audit rules."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case, CaseClient, Service
from ostoja.cases.services import case_record_add
from ostoja.helpline.models import ContactLink
from ostoja.helpline.services import contact_save, contact_start
from ostoja.identification.models import Decision
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person, Relation
from ostoja.people.services import person_create, relation_add
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _form(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "client",
        "name": "Nguyễn Văn Đạt",
        "gender": "Masculine",
        "safe_channel": "phone",
        "documents": "withheld",
        "legal_status": "irregular",
        "citizenships": ["VN"],
        "languages": ["vie"],
    }
    data.update(values)
    return data


def test_counsellor_registers_the_caller_from_a_contact(centre: dict[Role, Persona]) -> None:
    counsellor = centre[Role.COUNSELLOR]
    assert counsellor.user.organisation is not None
    contact = contact_start(
        organisation=counsellor.user.organisation,
        acting_user=counsellor.user,
        caller_number="600 700 800",
    )
    client = _client(counsellor)
    page = client.get(f"/people/new/?contact={contact.code}")
    assert 'value="600 700 800"' in text(page)  # the caller's number is offered
    response = client.post(
        "/people/new/", _form(contact=str(contact.code), phone="600 700 800", sms_ok="on")
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.name == "Nguyễn Văn Đạt" and person.created_by == counsellor.user
    assert ContactLink.objects.filter(
        contact=contact, target_type="people.person", target_code=str(person.code)
    ).exists()
    assert AuditEntry.objects.filter(action="person.created", target_code=str(person.code))
    # The person's page shows the contact (a panel of the helpline's, loaded by htmx), and
    # who registered them may open it.
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    panel = f"/people/{person.code}/history/"
    assert f'hx-get="{panel}"' in text(detail)
    contacts = client.get(panel, HTTP_HX_REQUEST="true")
    assert contact.started_at.astimezone().strftime("%Y-%m-%d") in text(contacts)
    assert f"/helpline/{contact.code}/" in text(contacts)


def test_bad_input_is_refused_clearly_and_nothing_is_lost(centre: dict[Role, Persona]) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        "/people/new/",
        _form(
            birth_date=future.isoformat(), citizenships=["XX"], phone_controlled="on", sms_ok="on"
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Data urodzenia nie może być z przyszłości." in page
    assert "XX" in page  # the unknown country is named in the error
    assert "nie zostawiaj poczty głosowej" in page
    assert "Nguyễn Văn Đạt" in page  # what was typed is still in the form
    assert not Person.objects.exists()


def test_the_duplicate_warning_finds_another_script_and_spelling(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    # The case manager registered Олена Шевченко; another spelling and order finds her.
    client = _client(centre[Role.CASE_MANAGER])
    response = client.post("/people/matches/", {"name": "Szewczenko Olena", "birth_date": ""})
    assert "Олена Шевченко" in text(response)
    assert AuditEntry.objects.filter(action="person.matched").exists()
    # A counsellor who may not open her learns only that a record exists.
    response = _client(centre[Role.COUNSELLOR]).post(
        "/people/matches/", {"name": "Olena Shevchenko"}
    )
    page = text(response)
    assert "Олена" not in page and "Shevchenko" not in page
    assert "poza Twoim zespołem" in page


def test_the_safe_contact_protocol_is_shown_before_any_contact(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    for url in (f"/people/{client_person.code}/", f"/cases/{case.code}/"):
        page = text(client.get(url))
        assert 'data-testid="safe-contact"' in page
        assert "słonecznik" in page  # the code word
        assert "Telefon może być kontrolowany przez kogoś innego." in page


def test_edit_records_changed_fields_not_values(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    client = _client(centre[Role.CASE_MANAGER])
    data = _form(
        name="Олена Шевченко",
        name_latin="Olena Shevchenko",
        estimated_age="30",
        birth_date="1994-05-01",
    )
    data.pop("citizenships")
    response = client.post(f"/people/{client_person.code}/edit/", data)
    assert response.status_code == 400  # a birth date and an estimated age: choose one
    data["estimated_age"] = ""
    response = client.post(f"/people/{client_person.code}/edit/", data)
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="person.updated").latest("seq")
    assert "gender" in entry.data["fields"]
    assert "Nguyễn" not in str(entry.data) and "Олена" not in str(entry.data)


def test_relations_both_ways(centre: dict[Role, Persona], client_person: Person) -> None:
    manager = centre[Role.CASE_MANAGER]
    assert manager.user.organisation is not None
    child = person_create(
        organisation=manager.user.organisation,
        data={"name": "Марія Шевченко", "kind": "related", "possible_minor": True},
        acting_user=manager.user,
    )
    client = _client(manager)
    response = client.post(
        f"/people/{client_person.code}/relations/", {"other": str(child.code), "kind": "child"}
    )
    assert response.status_code == 302
    assert Relation.objects.filter(person=client_person, other=child, kind="child").exists()
    assert "Марія Шевченко" in text(client.get(f"/people/{client_person.code}/"))
    child_page = text(client.get(f"/people/{child.code}/"))
    assert "Олена Шевченко" in child_page and "Nieletni" in child_page
    # Twice is refused with a message; removing works.
    client.post(
        f"/people/{client_person.code}/relations/", {"other": str(child.code), "kind": "child"}
    )
    assert Relation.objects.count() == 1
    relation = Relation.objects.get()
    client.post(f"/people/relations/{relation.code}/remove/")
    assert not Relation.objects.exists()


def test_merge_keeps_every_link_and_is_audited(
    centre: dict[Role, Persona], client_person: Person, case: Case
) -> None:
    manager = centre[Role.CASE_MANAGER]
    assert manager.user.organisation is not None
    duplicate = person_create(
        organisation=manager.user.organisation,
        data={"name": "Olena Szewczenko", "email": "olena@example.invalid"},
        acting_user=manager.user,
    )
    other_case = Case.objects.create(
        organisation=manager.user.organisation,
        year=2026,
        number=99,
        reference="KCIK/2026/0099",
        created_by=manager.user,
    )
    other_case.team.create(user=manager.user, role="case_manager")
    CaseClient.objects.create(case=other_case, person=duplicate)
    case_record_add(
        case=other_case,
        instance=Service(
            client=duplicate, kind="material", delivered_on=timezone.localdate(), partner="PCK"
        ),
        acting_user=manager.user,
    )
    contact = contact_start(organisation=manager.user.organisation, acting_user=manager.user)
    ContactLink.objects.create(
        contact=contact,
        target_type="people.person",
        target_code=str(duplicate.code),
        created_by=manager.user,
    )
    sibling = person_create(
        organisation=manager.user.organisation,
        data={"name": "Ivan Shevchenko"},
        acting_user=manager.user,
    )
    relation_add(person=sibling, other=duplicate, kind="family", note="", acting_user=manager.user)

    decision = Decision.objects.create(
        person=duplicate,
        status="PossibleVictimOfTrafficking",
        decided_by="centre",
        decided_on=timezone.localdate(),
        recorded_by=manager.user,
        basis="",
    )
    intervention = intervention_open(
        organisation=manager.user.organisation,
        data={"situation": "danger"},
        acting_user=manager.user,
        people=[duplicate],
    )
    client = _client(manager)
    page = client.get(f"/people/{client_person.code}/merge/?duplicate={duplicate.code}")
    assert page.status_code == 200 and "Olena Szewczenko" in text(page)
    response = client.post(
        f"/people/{client_person.code}/merge/", {"duplicate": str(duplicate.code)}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    client_person.refresh_from_db()
    assert duplicate.merged_into == client_person
    assert CaseClient.objects.filter(case=other_case, person=client_person).exists()
    assert Service.objects.get().client == client_person
    assert ContactLink.objects.get(contact=contact).target_code == str(client_person.code)
    assert Relation.objects.filter(person=sibling, other=client_person).exists()
    decision.refresh_from_db()
    assert decision.person == client_person
    assert list(intervention.people.all()) == [client_person]
    assert client_person.email == "olena@example.invalid"  # a blank filled in
    assert "Olena Szewczenko" in client_person.aliases
    entry = AuditEntry.objects.get(action="person.merged")
    assert entry.data["duplicate"] == str(duplicate.code)
    # The old record's address leads to the kept one.
    assert client.get(f"/people/{duplicate.code}/")["Location"].endswith(
        f"/people/{client_person.code}/"
    )


def test_access_to_a_person(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], client_person: Person
) -> None:
    # Before any case: who registered them (the case manager) and coordinators.
    allowed = {Role.CASE_MANAGER, Role.COORDINATOR}
    assert_access(f"/people/{client_person.code}/", centre, other_centre, allowed=allowed)
    assert_access(f"/people/{client_person.code}/edit/", centre, other_centre, allowed=allowed)


def test_access_follows_the_case_team(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    client_person: Person,
    case: Case,
) -> None:
    # The specialist is on the case's team, so reaches its client.
    allowed = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    assert_access(f"/people/{client_person.code}/", centre, other_centre, allowed=allowed)
    # A restricted case: coordinators are out of reach and offered the emergency access.
    case.restricted = True
    case.save()
    response = _client(centre[Role.COORDINATOR]).get(f"/people/{client_person.code}/")
    assert response.status_code == 403
    assert f"/access/people.person/{client_person.code}/" in text(response)


def test_list_search_and_pages_for_roles(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], client_person: Person
) -> None:
    staff = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    for path in ("/people/", "/people/new/"):
        assert_access(path, centre, other_centre, allowed=staff, outsider_status=None)
    assert_access(
        "/people/matches/",
        centre,
        other_centre,
        allowed=staff,
        method="post",
        data={"name": "x"},
        outsider_status=None,
    )
    client = _client(centre[Role.CASE_MANAGER])
    found = client.post("/people/", {"q": "Shevchenko Olena"})
    assert "Олена Шевченко" in text(found)
    assert "Олена Шевченко" in text(client.get("/people/"))  # people I work with
    # Another centre's coordinator finds nothing of ours.
    other = _client(other_centre[Role.COORDINATOR])
    assert "Олена" not in text(other.post("/people/", {"q": "Olena Shevchenko"}))


def test_merge_and_relations_have_their_access_rules(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    other = person_create(
        organisation=manager.organisation, data={"name": "Olena Szewczenko"}, acting_user=manager
    )
    relation = relation_add(
        person=client_person, other=other, kind="family", note="", acting_user=manager
    )
    # The case manager registered both; coordinators see every caseless person.
    allowed = {Role.CASE_MANAGER, Role.COORDINATOR}
    assert_access(
        f"/people/{client_person.code}/merge/?duplicate={other.code}",
        centre,
        other_centre,
        allowed=allowed,
    )
    assert_access(
        f"/people/{client_person.code}/relations/",
        centre,
        other_centre,
        allowed=allowed,
        method="post",
        data={"other": str(other.code), "kind": "partner"},
    )
    assert_access(
        f"/people/relations/{relation.code}/remove/",
        centre,
        other_centre,
        allowed={Role.CASE_MANAGER},  # the first allowed role removes it; then it is gone
        method="post",
    )


def test_the_person_page_panels_have_their_access_rules(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    case: object,
    client_person: Person,
) -> None:
    """The panels other apps give the person's page (their cases, their contacts), the
    relation form, and the intervention's form adding someone involved."""
    code = client_person.code
    team = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
    assert_access(
        f"/people/{code}/history/",
        centre,
        other_centre,
        allowed={Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR},
    )
    assert_access(f"/people/{code}/relations/form/", centre, other_centre, allowed=team)
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    intervention = intervention_open(
        organisation=manager.organisation, data={"situation": "danger"}, acting_user=manager
    )
    on_call = {Role.COUNSELLOR, *team}
    assert_access(
        f"/interventions/{intervention.code}/people/form/", centre, other_centre, allowed=on_call
    )
    # Each panel also stands as a page of its own (no JavaScript).
    client = Client()
    force_sign_in(client, manager)
    page = text(client.get(f"/people/{code}/history/"))
    assert "<html" in page and "KCIK/" in page
    assert "<html" not in text(client.get(f"/people/{code}/history/", HTTP_HX_REQUEST="true"))


def test_what_the_contact_knows_is_offered_when_the_caller_is_registered(
    centre: dict[Role, Persona],
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    assert counsellor.user.organisation is not None
    contact = contact_start(
        organisation=counsellor.user.organisation,
        acting_user=counsellor.user,
        caller_number="+48 600 700 800",
    )
    contact_save(
        contact=contact,
        data={"languages": ["ukr", "rus"], "interpreter": True},
        acting_user=counsellor.user,
    )
    page = text(_client(counsellor).get(f"/people/new/?contact={contact.code}"))
    assert 'value="+48 600 700 800"' in page
    assert 'value="ukr" selected' in page and 'value="rus" selected' in page
    assert re.search(r'name="interpreter_needed"[^>]* checked', page)


def test_the_person_page_costs_the_same_with_more_relations(
    centre: dict[Role, Persona], client_person: Person
) -> None:
    """No queries per relation (the page once did two for each related person)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = centre[Role.CASE_MANAGER].user
    organisation = manager.organisation
    assert organisation is not None
    client = _client(centre[Role.CASE_MANAGER])
    url = f"/people/{client_person.code}/"
    client.get(url)

    def relate(n: int) -> int:
        for i in range(n):
            other = person_create(
                organisation=organisation, data={"name": f"Krewny {i}"}, acting_user=manager
            )
            relation_add(
                person=client_person, other=other, kind="family", note="", acting_user=manager
            )
            relation_add(
                person=other, other=client_person, kind="family", note="", acting_user=manager
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert relate(1) == relate(6)


def test_a_person_s_history_is_one_timeline_of_what_the_user_may_see(
    centre: dict[Role, Persona], case: object, client_person: Person
) -> None:
    """Contacts, cases, assessments and interventions, newest first, each app saying what
    it knows — and only what this user may see."""
    from ostoja.helpline.services import contact_link
    from ostoja.identification.services import assessment_start

    manager = centre[Role.CASE_MANAGER].user
    counsellor = centre[Role.COUNSELLOR].user
    assert manager.organisation is not None
    contact = contact_start(organisation=manager.organisation, acting_user=counsellor)
    contact_link(
        contact=contact,
        target_type="people.person",
        target_code=str(client_person.code),
        acting_user=manager,
    )
    assessment_start(
        person=client_person,
        mode="screening",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=manager,
    )
    intervention = intervention_open(
        organisation=manager.organisation,
        data={"situation": "danger"},
        people=[client_person],
        acting_user=counsellor,
    )
    page = text(_client(centre[Role.CASE_MANAGER]).get(f"/people/{client_person.code}/history/"))
    for what in (
        "Kontakt z infolinią",
        "Sprawa",
        "Ocena wskaźników",
        intervention.reference,
    ):
        assert what in page, what
    assert f"/helpline/{contact.code}/" in page and "KCIK/" in page
    # A specialist of the case: no helpline contacts, but the case and the rest.
    specialist = text(
        _client(centre[Role.SPECIALIST]).get(f"/people/{client_person.code}/history/")
    )
    assert f"/helpline/{contact.code}/" not in specialist and "KCIK/" in specialist


@pytest.mark.parametrize(
    ("language", "label", "wrong"), [("pl", "Imię i nazwisko", "Nazwa"), ("en", "Name", "")]
)
def test_a_persons_name_field_is_labelled_as_a_name(
    centre: dict[Role, Persona], client_person: Person, language: str, label: str, wrong: str
) -> None:
    """A person has a name and surname ("Imię i nazwisko"), not a "Nazwa" like a thing; an
    organisation or a catalogue keeps its "nazwa"."""
    client = _client(centre[Role.CASE_MANAGER])
    headers = {"accept-language": language}
    for path in ("/people/new/", f"/people/{client_person.code}/edit/"):
        page = text(client.get(path, headers=headers))
        found = re.search(r'<label class="form-label" for="id_name">([^<*]*)', page)
        assert found is not None and found.group(1).strip() == label, path
        assert not wrong or f">{wrong}<" not in page
