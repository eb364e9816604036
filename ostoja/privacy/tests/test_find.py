"""The DPO finds a record by case number or by name: existence and codes only, each search
and each record shown in the trail, nothing of anyone else's organisation."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.cases.services import case_open
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.privacy.forms import CaseNumber, parse_case_number
from ostoja.privacy.tests.conftest import World
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
# What a name search's page must never show of the person (``client_person``).
IDENTITY = (
    "Olena",
    "Олена",
    "Shevchenko",
    "Шевченко",
    "Szewczenko",
    "1994-05-01",
    "01.05.1994",
    "600 100 200",
)


# --- Understanding a case number ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("KCIK/2026/0042", CaseNumber(42, 2026)),
        ("kcik/2026/42", CaseNumber(42, 2026)),
        ("  KCIK 2026 0042 ", CaseNumber(42, 2026)),
        ("KCIK-2026-0042", CaseNumber(42, 2026)),
        ("KCIK2026/0042", CaseNumber(42, 2026)),
        ("2026/0042", CaseNumber(42, 2026)),
        ("42/2026", CaseNumber(42, 2026)),
        ("0042/2026", CaseNumber(42, 2026)),
        ("42.2026", CaseNumber(42, 2026)),
        ("#42", CaseNumber(42, None)),
        ("0042", CaseNumber(42, None)),
        ("42", CaseNumber(42, None)),
        ("2026", CaseNumber(2026, None)),  # a lone number is a number, whatever it looks like
        ("KCIK/2026/0042/", CaseNumber(42, 2026)),
    ],
)
def test_a_case_number_is_understood_however_it_is_typed(typed: str, number: CaseNumber) -> None:
    assert parse_case_number(typed, "KCIK") == number


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "KCIK",
        "abc",
        "Olena Shevchenko",
        "OTHER/2026/0042",  # another organisation's
        "42/17",  # which is the year?
        "KCIK/2026/0042/7",
        "0",
        "2026/0",
        "1234567",
        "42/2026x",
    ],
)
def test_anything_else_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        parse_case_number(typed, "KCIK")
    assert "Type it as KCIK/" in str(refused.value.messages[0])


def test_a_case_number_reads_back_in_its_own_form() -> None:
    assert str(CaseNumber(42, 2026)) == "2026/0042"
    assert str(CaseNumber(7, None)) == "0007"


# --- Who may look -------------------------------------------------------------------------


def test_only_the_dpo_finds_records(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    dpo_only = {Role.DPO}
    assert_access("/privacy/find/", centre, other_centre, allowed=dpo_only, outsider_status=None)
    for path in ("/privacy/find/case/", "/privacy/find/person/"):
        assert_access(
            path, centre, other_centre, allowed=dpo_only, method="post", outsider_status=None
        )
    client = Client()
    force_sign_in(client, centre[Role.DPO].user)
    assert client.get("/privacy/find/case/").status_code == 405  # a search is a POST
    assert client.get("/privacy/find/person/", {"person-name": "Olena"}).status_code == 405


# --- By case number --------------------------------------------------------------------------


def _dpo_client(persona: Persona) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    force_sign_in(client, persona.user)
    return client


def _theirs(other_centre: dict[Role, Persona]) -> Case:
    """A case of the other centre, with the same number as the first case here."""
    coordinator = other_centre[Role.COORDINATOR].user
    assert coordinator.organisation is not None
    person = person_create(
        organisation=coordinator.organisation,
        data={"name": "Olena Shevchenko"},
        acting_user=coordinator,
    )
    return case_open(
        organisation=coordinator.organisation,
        clients=[person],
        manager=coordinator,
        data={},
        acting_user=coordinator,
    )


def test_the_dpo_finds_a_case_by_its_number_and_its_clients_codes(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], world: World
) -> None:
    case, person = world.case, world.person
    theirs = _theirs(other_centre)
    assert (theirs.year, theirs.number) == (case.year, case.number)
    client = _dpo_client(centre[Role.DPO])
    before = AuditEntry.objects.count()
    response = client.post(
        "/privacy/find/case/",
        {"case-number": f"{case.number}/{case.year}", "case-purpose": "subject_request"},
    )
    assert response.status_code == 200
    page = text(response)
    found = page.split('data-testid="cases">', 1)[1].split("</ul>", 1)[0]
    assert case.reference in found and str(case.code) in found
    assert f'href="/privacy/audit/seen/cases.case/{case.code}/"' in found
    assert f'href="/privacy/audit/people/{person.code}/"' in found
    assert str(theirs.code) not in page and str(world.restricted.code) not in page
    assert not any(word in page for word in IDENTITY)
    # The search, and each record it showed, are in the trail before the page is.
    searched, *shown = AuditEntry.objects.filter(seq__gt=before).order_by("seq")
    assert searched.action == "audit.searched" and searched.actor == centre[Role.DPO].user
    assert searched.purpose == "subject_request"
    number = f"{case.year}/{case.number:04d}"
    assert searched.data == {"by": "case_number", "number": number, "found": 2}
    assert [(e.action, e.target_type, e.target_code, e.purpose) for e in shown] == [
        ("audit.record_found", "cases.case", str(case.code), "subject_request"),
        ("audit.record_found", "people.person", str(person.code), "subject_request"),
    ]


def test_a_number_without_a_year_finds_every_year(
    centre: dict[Role, Persona], world: World
) -> None:
    """The restricted case is the second of the year: ``0002`` finds it, whatever its
    restriction (the DPO sees that it exists, not what it holds)."""
    client = _dpo_client(centre[Role.DPO])
    page = text(
        client.post(
            "/privacy/find/case/",
            {"case-number": f"{world.restricted.number:04d}", "case-purpose": "complaint"},
        )
    )
    assert world.restricted.reference in page and str(world.restricted.code) in page
    nothing = text(
        client.post("/privacy/find/case/", {"case-number": "999", "case-purpose": "complaint"})
    )
    assert "Your organisation has no case with this number." in nothing
    assert AuditEntry.objects.filter(action="audit.searched").latest("seq").data == {
        "by": "case_number",
        "number": "0999",
        "found": 0,
    }


def test_another_centres_dpo_finds_only_their_own(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], other_dpo: Persona, world: World
) -> None:
    theirs = _theirs(other_centre)
    client = _dpo_client(other_dpo)
    page = text(
        client.post(
            "/privacy/find/case/",
            {"case-number": world.case.reference, "case-purpose": "monitoring"},
        )
    )
    assert "This is not a case number of your organisation" in page  # KCIK/… is not theirs
    page = text(
        client.post(
            "/privacy/find/case/",
            {"case-number": theirs.reference, "case-purpose": "monitoring"},
        )
    )
    assert str(theirs.code) in page and str(world.case.code) not in page
    assert str(world.person.code) not in page
    assert not AuditEntry.objects.filter(
        action="audit.record_found", target_code=str(world.case.code)
    ).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"case-number": "abc", "case-purpose": "complaint"}, "This is not a case number"),
        ({"case-number": "42/17", "case-purpose": "complaint"}, "42/2026 or 42."),
        ({"case-number": "", "case-purpose": "complaint"}, "Type a case number."),
        ({"case-number": "42"}, "Choose why you are looking the record up."),
        ({"case-number": "42", "case-purpose": "curiosity"}, "Select a valid choice."),
    ],
)
def test_a_bad_case_search_says_why_and_records_nothing(
    centre: dict[Role, Persona], world: World, data: dict[str, str], message: str
) -> None:
    client = _dpo_client(centre[Role.DPO])
    count = AuditEntry.objects.count()
    response = client.post("/privacy/find/case/", data)
    assert response.status_code == 400 and message in text(response)
    assert AuditEntry.objects.count() == count
    polish = client.post("/privacy/find/case/", data, HTTP_ACCEPT_LANGUAGE="pl")
    assert polish.status_code == 400 and message not in text(polish)
    assert 'class="invalid-feedback d-block"' in text(polish)


def test_the_example_names_the_organisations_own_numbers(
    centre: dict[Role, Persona], world: World
) -> None:
    client = _dpo_client(centre[Role.DPO])
    page = text(client.post("/privacy/find/case/", {"case-number": "x", "case-purpose": "breach"}))
    year = timezone.localdate().year
    assert f"Type it as KCIK/{year}/0042, 42/{year} or 42." in page
    polish = text(
        client.post(
            "/privacy/find/case/",
            {"case-number": "x", "case-purpose": "breach"},
            HTTP_ACCEPT_LANGUAGE="pl",
        )
    )
    assert f"To nie jest numer sprawy Twojej organizacji. Wpisz go jako KCIK/{year}/0042" in polish


# --- By name ---------------------------------------------------------------------------------


def _find_person(client: Client, name: str, **more: str) -> str:
    data = {"person-name": name, "person-purpose": "subject_request"} | more
    response = client.post("/privacy/find/person/", data)
    assert response.status_code == 200, text(response)[:2000]
    return text(response)


def _found(page: str) -> str:
    return page.split('data-testid="people">', 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize("typed", ["Olena Shevchenko", "Олена Шевченко", "shevchenko olena"])
def test_the_dpo_learns_that_a_person_exists_and_nothing_more(
    centre: dict[Role, Persona], world: World, typed: str
) -> None:
    client = _dpo_client(centre[Role.DPO])
    before = AuditEntry.objects.count()
    page = _find_person(client, typed)
    found = _found(page)
    assert "Record 1" in found and str(world.person.code) in found
    assert f'href="/privacy/audit/people/{world.person.code}/"' in found
    assert re.search(r"probably this person|a similar name", found)  # the matcher's band
    # No name (not even the one typed: the form is emptied), no date of birth, no phone,
    # no alias (the merged duplicate's spelling), no reasons of the matcher.
    assert not any(word.lower() in page.lower() for word in IDENTITY), typed
    assert typed.lower() not in page.lower()
    assert "date of birth" not in found and "same name" not in found
    assert str(world.duplicate.code) not in page  # merged away: not a record of its own
    searched, found_entry = AuditEntry.objects.filter(seq__gt=before).order_by("seq")
    assert searched.action == "audit.searched" and searched.data == {"by": "name", "found": 1}
    assert (found_entry.action, found_entry.target_code) == (
        "audit.record_found",
        str(world.person.code),
    )
    assert found_entry.purpose == "subject_request"


def test_what_was_typed_is_kept_nowhere(centre: dict[Role, Persona], world: World) -> None:
    client = _dpo_client(centre[Role.DPO])
    response = client.post(
        "/privacy/find/person/",
        {
            "person-name": "Olena Shevchenko",
            "person-birth_date": "1994-05-01",
            "person-purpose": "complaint",
        },
    )
    assert response.status_code == 200
    for entry in AuditEntry.objects.all():
        kept = f"{entry.action} {entry.target_code} {entry.purpose} {entry.data}"
        assert "Olena" not in kept and "Shevchenko" not in kept and "1994-05" not in kept
    assert "Olena" not in str(dict(client.session))


def test_a_name_nobody_has_finds_nothing_and_says_so(
    centre: dict[Role, Persona], world: World
) -> None:
    client = _dpo_client(centre[Role.DPO])
    page = _find_person(client, "Zbigniew Quintero")
    assert "No record of your organisation matches this name." in page
    entry = AuditEntry.objects.filter(action="audit.searched").latest("seq")
    assert entry.data == {"by": "name", "found": 0}
    assert not AuditEntry.objects.filter(action="audit.record_found").exists()


def test_another_centres_dpo_finds_nobody_here(
    centre: dict[Role, Persona], other_dpo: Persona, world: World
) -> None:
    client = _dpo_client(other_dpo)
    page = _find_person(client, "Olena Shevchenko")
    assert "No record of your organisation matches this name." in page
    assert str(world.person.code) not in page


def test_several_matches_are_numbered_records(centre: dict[Role, Persona], world: World) -> None:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    namesake = person_create(
        organisation=manager.organisation,
        data={"name": "Olena Shevchenko", "birth_date": dt.date(1971, 2, 3)},
        acting_user=manager,
    )
    client = _dpo_client(centre[Role.DPO])
    found = _found(_find_person(client, "Olena Shevchenko", **{"person-birth_date": "1994-05-01"}))
    assert "Record 1" in found and "Record 2" in found
    # The one born that day first: the date narrows, and is not shown.
    assert found.index(str(world.person.code)) < found.index(str(namesake.code))
    assert "1971-02-03" not in found and "1994-05-01" not in found
    assert Person.objects.filter(merged_into__isnull=True).count() >= 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"person-name": "", "person-purpose": "complaint"}, "Type the person&#x27;s name."),
        ({"person-name": "   ", "person-purpose": "complaint"}, "Type the person&#x27;s name."),
        ({"person-name": "!!! 42", "person-purpose": "complaint"}, "Type the person&#x27;s name."),
        ({"person-name": "Olena"}, "Choose why you are looking the record up."),
        (
            {"person-name": "Olena", "person-purpose": "complaint", "person-birth_date": "x"},
            "Enter a valid date.",
        ),
    ],
)
def test_a_bad_name_search_says_why_and_records_nothing(
    centre: dict[Role, Persona], world: World, data: dict[str, str], message: str
) -> None:
    client = _dpo_client(centre[Role.DPO])
    count = AuditEntry.objects.count()
    response = client.post("/privacy/find/person/", data)
    assert response.status_code == 400 and message in text(response)
    assert AuditEntry.objects.count() == count
    polish = client.post("/privacy/find/person/", data, HTTP_ACCEPT_LANGUAGE="pl")
    assert polish.status_code == 400 and message not in text(polish)


def test_the_page_links_the_trail_and_the_trail_links_the_page(
    centre: dict[Role, Persona],
) -> None:
    client = _dpo_client(centre[Role.DPO])
    page = text(client.get("/privacy/find/"))
    assert 'action="/privacy/find/case/"' in page and 'action="/privacy/find/person/"' in page
    assert 'autocomplete="off"' in page
    assert 'href="/privacy/find/"' in text(client.get("/privacy/audit/"))
