"""Pre-departure counselling over HTTP: recorded from a helpline contact and shown on it,
only what was ticked and typed stored, the risk level and advice, audit, who may see and
change it."""

import pytest
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_start
from ostoja.prevention.kraz import kraz_import
from ostoja.prevention.models import Counselling, FlagCatalogue
from ostoja.prevention.services import counselling_save
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db

KRAZ = (
    "Numer wpisu;Nazwa agencji;Miejscowość;NIP\n1234;„Praca Plus” Sp. z o.o.;Łódź;7251234567\n"
).encode()


@pytest.fixture
def contact(centre: dict[Role, Persona]) -> Contact:
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    return contact_start(organisation=counsellor.organisation, acting_user=counsellor)


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _record(persona: Persona, contact: Contact | None = None, **data: str) -> Counselling:
    catalogue = FlagCatalogue.current()
    assert catalogue is not None
    return counselling_save(
        data=data,
        flags=[],
        organisation=persona.user.organisation,
        catalogue=catalogue,
        contact=contact,
        acting_user=persona.user,
    )


def test_it_records_counselling_from_a_contact_both_ways(
    centre: dict[Role, Persona], contact: Contact
) -> None:
    kraz_import(KRAZ)
    client = _client(centre[Role.COUNSELLOR])
    page = client.get(f"/helpline/{contact.code}/")
    assert f"/prevention/new/?contact={contact.code}" in text(page)
    form = client.get(f"/prevention/new/?contact={contact.code}")
    assert form.status_code == 200 and str(contact.code) in text(form)
    response = client.post(
        "/prevention/new/",
        {
            "contact": str(contact.code),
            "country": "NL",
            "city": "Venlo",
            "work": "agriculture",
            "channel": "social",
            "agency_name": "Praca Plus",
            "agency_number": "1234",
            "money_asked": "yes",
            "money_detail": "500 euro za transport",
            "flags": ["fee-in-advance", "passport-kept"],
            "advice_given": "Nie płacić; paszport przy sobie.",
        },
    )
    counselling = Counselling.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/prevention/{counselling.code}/"
    )
    assert counselling.contact == contact and counselling.agency is not None
    assert counselling.agency.number == "1234"
    assert sorted(counselling.flags.values_list("code", flat=True)) == [
        "fee-in-advance",
        "passport-kept",
    ]
    # Nothing the counsellor left alone is stored as an answer.
    assert counselling.contract_written == "" and counselling.passport_keeper == ""
    assert counselling.housing == "" and counselling.work_detail == ""
    # The contact's page names the counselling; the counselling's names the contact.
    assert f"/prevention/{counselling.code}/" in text(client.get(f"/helpline/{contact.code}/"))
    detail = client.get(f"/prevention/{counselling.code}/", headers={"accept-language": "en"})
    body = text(detail)
    assert f"/helpline/{contact.code}/" in body
    # 3 + 3: high from 6 in version 1; the ticked flags' advice is shown.
    assert "High risk" in body and "score 6" in body
    assert "Nobody may take your passport or ID from you." in body
    assert "In KRAZ: „Praca Plus” Sp. z o.o. (KRAZ 1234)." in body
    created = AuditEntry.objects.get(action="counselling.created")
    assert created.target_code == str(counselling.code)
    assert "euro" not in str(created.data) and "money_detail" in created.data["fields"]
    assert AuditEntry.objects.filter(action="counselling.viewed").exists()


def test_the_risk_level_follows_the_weights(centre: dict[Role, Persona]) -> None:
    counselling = _record(centre[Role.COUNSELLOR])
    client = _client(centre[Role.COUNSELLOR])
    levels = {(): "Niskie ryzyko", ("too-good", "pressure", "vague-offer"): "Średnie ryzyko"}
    for flags, level in levels.items():
        response = client.post(f"/prevention/{counselling.code}/", {"flags": list(flags)})
        assert response.status_code == 302
        assert level in text(client.get(f"/prevention/{counselling.code}/"))


def test_a_change_is_audited_by_field_and_an_unchanged_save_is_not(
    centre: dict[Role, Persona],
) -> None:
    counselling = _record(centre[Role.COUNSELLOR], city="Berlin")
    client = _client(centre[Role.COUNSELLOR])
    client.post(f"/prevention/{counselling.code}/", {"city": "Hamburg", "country": "DE"})
    entry = AuditEntry.objects.get(action="counselling.updated")
    assert entry.data == {"fields": ["city", "country"]}
    client.post(f"/prevention/{counselling.code}/", {"city": "Hamburg", "country": "DE"})
    assert AuditEntry.objects.filter(action="counselling.updated").count() == 1
    # An answer taken back is blank again, not "no".
    client.post(f"/prevention/{counselling.code}/", {"city": "", "country": "DE"})
    counselling.refresh_from_db()
    assert counselling.city == ""


def test_bad_input_changes_nothing(centre: dict[Role, Persona]) -> None:
    counselling = _record(centre[Role.COUNSELLOR], city="Berlin")
    client = _client(centre[Role.COUNSELLOR])
    response = client.post(
        f"/prevention/{counselling.code}/", {"country": "XX", "flags": ["no-such-flag"]}
    )
    assert response.status_code == 400
    counselling.refresh_from_db()
    assert counselling.country == "" and counselling.city == "Berlin"
    assert not Counselling.objects.filter(code=counselling.code, flags__isnull=False).exists()


def test_an_unknown_agency_number_is_said_to_be_missing(centre: dict[Role, Persona]) -> None:
    counselling = _record(centre[Role.COUNSELLOR], agency_number="999")
    body = text(_client(centre[Role.COUNSELLOR]).get(f"/prevention/{counselling.code}/"))
    assert counselling.agency is None
    assert "Podany numer KRAZ nie figuruje w rejestrze." in body


def test_access(centre: dict[Role, Persona], other_centre: dict[Role, Persona]) -> None:
    counselling = _record(centre[Role.COUNSELLOR])
    helpline = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR}
    assert_access(f"/prevention/{counselling.code}/", centre, other_centre, allowed=helpline)
    assert_access("/prevention/", centre, other_centre, allowed=helpline, outsider_status=None)
    assert_access("/prevention/new/", centre, other_centre, allowed=helpline, outsider_status=None)
    assert_access(
        "/prevention/agencies/", centre, other_centre, allowed=helpline, outsider_status=None
    )


def test_only_its_counsellor_and_coordinators_change_it(centre: dict[Role, Persona]) -> None:
    counselling = _record(centre[Role.COUNSELLOR], city="Berlin")
    colleague = _client(centre[Role.CASE_MANAGER])
    page = text(colleague.get(f"/prevention/{counselling.code}/"))
    assert "Berlin" in page and 'name="city"' not in page
    assert colleague.post(f"/prevention/{counselling.code}/", {"city": "Oslo"}).status_code == 403
    coordinator = _client(centre[Role.COORDINATOR])
    assert coordinator.post(f"/prevention/{counselling.code}/", {"city": "Oslo"}).status_code == 302
    counselling.refresh_from_db()
    assert counselling.city == "Oslo"


def test_an_outsiders_contact_cannot_be_the_source(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona], contact: Contact
) -> None:
    client = _client(other_centre[Role.COORDINATOR])
    assert client.get(f"/prevention/new/?contact={contact.code}").status_code == 404
    response = client.post("/prevention/new/", {"contact": str(contact.code), "city": "Oslo"})
    assert response.status_code == 404 and not Counselling.objects.exists()


def test_the_list_shows_the_organisations_counselling(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    counselling = _record(centre[Role.COUNSELLOR])
    mine = text(_client(centre[Role.COORDINATOR]).get("/prevention/"))
    assert f"/prevention/{counselling.code}/" in mine
    theirs = text(_client(other_centre[Role.COORDINATOR]).get("/prevention/"))
    assert f"/prevention/{counselling.code}/" not in theirs
    assert AuditEntry.objects.filter(action="counselling.listed").count() == 2
