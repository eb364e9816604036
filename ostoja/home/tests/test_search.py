"""The top bar's search: a case number, a phone number, a name in any script or spelling
— the right record first, only what the user may see, nothing in a URL or the audit trail."""

import pytest
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.cases.services import case_update
from ostoja.helpline.services import contact_save, contact_start
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db


def _search(persona: Persona, query: str) -> str:
    client = Client()
    force_sign_in(client, persona.user)
    response = client.post("/search/", {"q": query})
    assert response.status_code == 200
    return text(response)


def _first(page: str) -> str:
    """The first result's link."""
    marker = '<li class="list-group-item"><a href="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def latin_client(centre: dict[Role, Persona]) -> Person:
    """A client the counsellor registered, her name stored in Latin letters only, among
    namesakes-ish others."""
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    for name in ("Olga Szewczyk", "Helena Szewczenko", "Oleh Shevchuk"):
        person_create(
            organisation=counsellor.organisation, data={"name": name}, acting_user=counsellor
        )
    return person_create(
        organisation=counsellor.organisation,
        data={"name": "Olena Shevchenko", "phone": "+48 601 234 567"},
        acting_user=counsellor,
    )


def test_a_case_number_finds_the_case_however_it_is_written(
    centre: dict[Role, Persona], case: Case
) -> None:
    manager = centre[Role.CASE_MANAGER]
    for query in (case.reference, f"{case.number}/{case.year}", f"{case.year}/{case.number:04d}"):
        assert _first(_search(manager, query)) == f"/cases/{case.code}/", query


def test_a_phone_number_finds_the_person_and_the_calls(
    centre: dict[Role, Persona], latin_client: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    assert counsellor.user.organisation is not None
    contact = contact_start(organisation=counsellor.user.organisation, acting_user=counsellor.user)
    contact_save(
        contact=contact, data={"caller_number": "0048601234567"}, acting_user=counsellor.user
    )
    page = _search(counsellor, "601-234-567")
    assert _first(page) == f"/people/{latin_client.code}/"
    assert f"/helpline/{contact.code}/" in page


def test_a_name_in_another_script_or_with_a_typo_finds_the_person_first(
    centre: dict[Role, Persona], latin_client: Person
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    for query in ("Олена Шевченко", "Olena Shevchneko", "shevchenko olena"):
        assert _first(_search(counsellor, query)) == f"/people/{latin_client.code}/", query


def test_nothing_is_found_out_of_reach_and_nothing_is_kept_of_the_query(
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    client_person: Person,
    case: Case,
) -> None:
    manager = centre[Role.CASE_MANAGER]
    case_update(case=case, data={"restricted": True}, acting_user=manager.user)
    # The case's team finds her; a counsellor of the centre and another centre do not.
    assert f"/people/{client_person.code}/" in _search(manager, "Olena Shevchenko")
    for persona in (
        centre[Role.COUNSELLOR],
        centre[Role.COORDINATOR],
        other_centre[Role.COORDINATOR],
    ):
        found = _search(persona, "Olena Shevchenko")
        assert str(client_person.code) not in found and 'data-testid="search-group"' not in found
        assert f"/cases/{case.code}/" not in _search(persona, case.reference)
    searches = AuditEntry.objects.filter(action="search.performed")
    assert searches.exists()
    for entry in searches:
        assert "Shevchenko" not in str(entry.data) and case.reference not in str(entry.data)
    # The query never travels in a URL: the top bar's form posts.
    client = Client()
    force_sign_in(client, manager.user)
    assert 'method="post" action="/search/" role="search"' in text(client.get("/"))
    assert_access("/search/", centre, other_centre, allowed=set(Role), outsider_status=None)


def test_a_receipt_code_finds_the_anonymous_report_for_the_helpline_only(
    centre: dict[Role, Persona],
) -> None:
    """Someone who wrote on the portal calls and reads out their receipt code: the
    counsellor finds the report's first message; a specialist, who does not open the
    helpline's contacts, finds nothing; a wrong code finds nothing."""
    from ostoja.portal.services import report_make

    counsellor = centre[Role.COUNSELLOR]
    assert counsellor.user.organisation is not None
    report, code = report_make(
        organisation=counsellor.user.organisation,
        text="Pracuję na farmie, zabrali mi paszport.",
        attachment=None,
        page_language="pl",
    )
    grouped = " ".join(code[i : i + 4] for i in range(0, 16, 4))
    page = _search(counsellor, grouped)
    assert _first(page) == f"/helpline/{report.first.code}/"
    wrong = str((int(code) + 1) % 10**16).zfill(16)
    assert f"/helpline/{report.first.code}/" not in _search(counsellor, wrong)
    assert f"/helpline/{report.first.code}/" not in _search(centre[Role.SPECIALIST], code)
