"""The partner directory through its pages: who may read and change it, the search by
kind, place, language and service, and every change audited."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.utils import timezone

from ostoja.accounts.models import User
from ostoja.accounts.policy import edits_directory, reads_directory
from ostoja.accounts.roles import SEES_IDENTITIES, Role
from ostoja.audit.models import AuditEntry
from ostoja.network.access import (
    access_location,
    access_partner,
    access_partner_contact,
    access_phone,
    access_service,
    consultations_visible_to,
    partners_visible_to,
    trainings_visible_to,
)
from ostoja.network.models import Partner, PartnerContact, PartnerService
from ostoja.network.services import partner_add, partner_contact_add, service_add
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
READERS = set(SEES_IDENTITIES)
EDITORS = {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR}
POLICE = {
    "name": "Komenda Wojewódzka Policji w Lublinie",
    "alternate_name": "KWP Lublin",
    "kind": "police_thb",
    "voivodeship": "06",
    "city": "Lublin",
    "address": "ul. Narutowicza 73",
    "postal_code": "20-019",
    "phone": "+48 81 535 40 00",
    "email": "handel.ludzmi@lu.policja.example",
    "website": "",
    "description": "Zespół do walki z handlem ludźmi.",
}


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _partner(centre: dict[Role, Persona], **data: str) -> Partner:
    user = centre[Role.COORDINATOR].user
    assert user.organisation is not None
    return partner_add(organisation=user.organisation, data=POLICE | data, acting_user=user)


def _crisis_centre(centre: dict[Role, Persona]) -> Partner:
    partner = _partner(
        centre,
        name="Ośrodek Interwencji Kryzysowej w Krakowie",
        alternate_name="OIK Kraków",
        kind="crisis_centre",
        voivodeship="12",
        city="Kraków",
    )
    service_add(
        partner=partner,
        data={
            "name": "Hostel interwencyjny",
            "kind": "shelter",
            "status": "active",
            "languages": ["ukr", "vie"],
            "areas": ["12", "26"],
            "days": ["MO", "TU"],
        },
        acting_user=centre[Role.COORDINATOR].user,
    )
    return partner


def test_the_directory_is_read_by_client_work_and_changed_by_those_who_take_calls(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    partner = _crisis_centre(centre)
    service = partner.services.get()
    person = partner_contact_add(
        partner=partner, data={"name": "Anna Nowak"}, acting_user=centre[Role.COORDINATOR].user
    )
    assert_access("/network/", centre, other_centre, allowed=READERS, outsider_status=None)
    assert_access(f"/network/partners/{partner.code}/", centre, other_centre, allowed=READERS)
    assert_access(
        "/network/partners/new/", centre, other_centre, allowed=EDITORS, outsider_status=None
    )
    for path in (
        f"/network/partners/{partner.code}/edit/",
        f"/network/partners/{partner.code}/services/new/",
        f"/network/partners/{partner.code}/people/new/",
        f"/network/services/{service.code}/",
        f"/network/people/{person.code}/",
    ):
        assert_access(path, centre, other_centre, allowed=EDITORS)
    # Removing: the roles that may only read are refused, another centre finds nothing.
    for path in (
        f"/network/services/{service.code}/remove/",
        f"/network/people/{person.code}/remove/",
    ):
        for role in (Role.SPECIALIST, Role.SHELTER_STAFF, Role.ANALYST, Role.ADMINISTRATOR):
            assert _client(centre[role]).post(path).status_code in (403, 404)
        assert _client(other_centre[Role.COORDINATOR]).post(path).status_code == 404
    assert PartnerService.objects.count() == PartnerContact.objects.count() == 1


def test_a_partner_page_lists_its_services_and_people_and_its_reading_is_audited(
    centre: dict[Role, Persona],
) -> None:
    partner = _crisis_centre(centre)
    partner_contact_add(
        partner=partner,
        data={"name": "Anna Nowak", "title": "psycholożka dyżurna"},
        acting_user=centre[Role.COORDINATOR].user,
    )
    specialist = centre[Role.SPECIALIST]
    page = text(_client(specialist).get(f"/network/partners/{partner.code}/"))
    assert "Hostel interwencyjny" in page and "ukraiński, wietnamski" in page
    assert "małopolskie, świętokrzyskie" in page and "Poniedziałek, Wtorek" in page
    assert "Anna Nowak</strong>, psycholożka dyżurna" in page
    # A specialist reads; only those who keep the directory see the buttons to change it.
    assert "/edit/" not in page
    entry = AuditEntry.objects.get(action="partner.viewed")
    assert entry.actor == specialist.user and entry.target_code == str(partner.code)


def test_it_finds_partners_by_name_kind_place_language_and_service(
    centre: dict[Role, Persona],
) -> None:
    _partner(centre)
    _crisis_centre(centre)
    client = _client(centre[Role.COUNSELLOR])

    def names(query: str) -> set[str]:
        page = text(client.get(f"/network/?{query}"))
        return {
            name
            for name in ("Komenda Wojewódzka Policji w Lublinie", "Ośrodek Interwencji Kryzysowej")
            if name in page
        }

    both = {"Komenda Wojewódzka Policji w Lublinie", "Ośrodek Interwencji Kryzysowej"}
    assert names("") == both
    assert names("q=oik") == {"Ośrodek Interwencji Kryzysowej"}
    assert names("kind=police_thb") == {"Komenda Wojewódzka Policji w Lublinie"}
    assert names("voivodeship=06") == {"Komenda Wojewódzka Policji w Lublinie"}
    # A voivodeship the crisis centre's hostel serves, though it is seated elsewhere.
    assert names("voivodeship=26") == {"Ośrodek Interwencji Kryzysowej"}
    assert names("city=krak") == {"Ośrodek Interwencji Kryzysowej"}
    assert names("language=vie") == {"Ośrodek Interwencji Kryzysowej"}
    assert names("language=rus") == set()
    assert names("service=shelter&voivodeship=12") == {"Ośrodek Interwencji Kryzysowej"}
    assert names("service=legal") == set()
    # A bad filter is ignored, not an error.
    assert names("kind=nonsense") == both


def test_adding_and_changing_a_partner_keeps_what_was_typed_when_refused(
    centre: dict[Role, Persona],
) -> None:
    client = _client(centre[Role.COUNSELLOR])
    response = client.post("/network/partners/new/", POLICE | {"postal_code": "20019"})
    assert response.status_code == 400
    page = text(response)
    assert "Polski kod pocztowy wygląda tak: 00-950." in page
    assert 'value="KWP Lublin"' in page and not Partner.objects.exists()
    response = client.post("/network/partners/new/", POLICE)
    partner = Partner.objects.get()
    assert response["Location"] == f"/network/partners/{partner.code}/"
    assert partner.organisation == centre[Role.COUNSELLOR].user.organisation
    assert partner.updated_by == centre[Role.COUNSELLOR].user
    added = AuditEntry.objects.get(action="partner.added")
    assert added.target_code == str(partner.code) and added.data == {"kind": "police_thb"}

    response = client.post(f"/network/partners/{partner.code}/edit/", POLICE | {"phone": "abc"})
    assert response.status_code == 400 and "To nie jest numer telefonu." in text(response)
    client.post(f"/network/partners/{partner.code}/edit/", POLICE | {"city": "Świdnik"})
    partner.refresh_from_db()
    assert partner.city == "Świdnik"
    changed = AuditEntry.objects.get(action="partner.changed")
    assert changed.data == {"fields": ["city"]}  # the fields, never their values
    # Saving again without a change writes nothing.
    client.post(f"/network/partners/{partner.code}/edit/", POLICE | {"city": "Świdnik"})
    assert AuditEntry.objects.filter(action="partner.changed").count() == 1
    assert 'value="Świdnik"' in text(client.get(f"/network/partners/{partner.code}/edit/"))


def test_a_partner_abroad_has_its_country_and_its_countrys_postal_code(
    centre: dict[Role, Persona],
) -> None:
    client = _client(centre[Role.COUNSELLOR])
    berlin = {
        "name": "Ambasada RP w Berlinie — wydział konsularny",
        "kind": "consulate",
        "country": "DE",
        "city": "Berlin",
        "address": "Lassenstraße 19-21",
        "postal_code": "14193",
        "phone": "+49 30 223 130",
    }
    # In Poland (no country) a German postal code is refused, and so is a voivodeship abroad.
    response = client.post("/network/partners/new/", berlin | {"country": ""})
    assert response.status_code == 400
    assert "Polski kod pocztowy wygląda tak: 00-950." in text(response)
    response = client.post("/network/partners/new/", berlin | {"voivodeship": "14"})
    assert response.status_code == 400
    page = text(response)
    assert "Partner za granicą nie leży w żadnym województwie." in page
    assert 'value="Lassenstraße 19-21"' in page and not Partner.objects.exists()
    response = client.post("/network/partners/new/", berlin | {"country": "XX"})
    assert response.status_code == 400 and not Partner.objects.exists()
    client.post("/network/partners/new/", berlin)
    partner = Partner.objects.get()
    assert (partner.country, partner.postal_code, partner.voivodeship) == ("DE", "14193", "")
    page = text(client.get(f"/network/partners/{partner.code}/"))
    assert "14193 Berlin, Niemcy" in page
    english = client.get(f"/network/partners/{partner.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "14193 Berlin, Germany" in text(english)
    # Poland is no country of its own on the form: the empty choice, named Poland.
    form = client.get(f"/network/partners/{partner.code}/edit/").content.decode()
    assert '<option value="">Polska</option>' in form and 'value="PL"' not in form
    assert '<option value="DE" selected>Niemcy</option>' in form
    client.post(f"/network/partners/{partner.code}/edit/", berlin | {"country": "AT"})
    partner.refresh_from_db()
    assert partner.country == "AT"
    changed = AuditEntry.objects.get(action="partner.changed")
    assert changed.data == {"fields": ["country"]}
    # Back home: a Polish postal code again.
    response = client.post(
        f"/network/partners/{partner.code}/edit/", berlin | {"country": "", "postal_code": "1010"}
    )
    assert response.status_code == 400
    assert "Polski kod pocztowy wygląda tak: 00-950." in text(response)


def test_services_and_people_at_a_partner_are_added_changed_and_removed(
    centre: dict[Role, Persona],
) -> None:
    partner = _partner(centre)
    client = _client(centre[Role.CASE_MANAGER])
    service = {
        "name": "Przyjmowanie zawiadomień",
        "kind": "law_enforcement",
        "status": "active",
        "languages": ["eng", "ukr"],
        "days": ["MO", "FR"],
        "opens_at": "16:00",
        "closes_at": "08:00",
    }
    response = client.post(f"/network/partners/{partner.code}/services/new/", service)
    assert response.status_code == 400 and "Zamyka się, zanim się otworzy." in text(response)
    assert 'value="Przyjmowanie zawiadomień"' in text(response)
    client.post(
        f"/network/partners/{partner.code}/services/new/",
        service | {"opens_at": "07:30", "closes_at": "15:30"},
    )
    added = PartnerService.objects.get()
    assert added.languages == ["eng", "ukr"] and added.days == ["MO", "FR"] and added.areas == []
    client.post(
        f"/network/services/{added.code}/",
        service | {"opens_at": "07:30", "closes_at": "15:30", "status": "inactive"},
    )
    added.refresh_from_db()
    assert added.status == "inactive"
    client.post(f"/network/services/{added.code}/remove/")
    assert not PartnerService.objects.exists()

    response = client.post(
        f"/network/partners/{partner.code}/people/new/", {"name": "", "title": "asp. szt."}
    )
    assert response.status_code == 400 and 'value="asp. szt."' in text(response)
    client.post(
        f"/network/partners/{partner.code}/people/new/",
        {"name": "Jan Kowalski", "title": "asp. szt."},
    )
    person = PartnerContact.objects.get()
    client.post(f"/network/people/{person.code}/", {"name": "Jan Kowalski", "title": "kom."})
    person.refresh_from_db()
    assert person.title == "kom."
    client.post(f"/network/people/{person.code}/remove/")
    assert not PartnerContact.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="partner.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "partner.added",
        "partner.service_added",
        "partner.service_changed",
        "partner.service_removed",
        "partner.contact_added",
        "partner.contact_changed",
        "partner.contact_removed",
    ]
    assert all(
        e.target_code == str(partner.code)
        for e in AuditEntry.objects.filter(action__startswith="partner.")
    )


def test_the_rules_of_the_directory(centre: dict[Role, Persona]) -> None:
    partner = _partner(centre)
    counsellor = centre[Role.COUNSELLOR].user
    specialist = centre[Role.SPECIALIST].user
    assert reads_directory(specialist) and not edits_directory(specialist)
    assert not reads_directory(centre[Role.ANALYST].user)
    assert not partners_visible_to(centre[Role.ANALYST].user).exists()
    assert not trainings_visible_to(centre[Role.SPECIALIST].user).exists()
    assert not consultations_visible_to(centre[Role.SPECIALIST].user).exists()
    assert access_partner(counsellor, partner.code, write=True) == partner
    with pytest.raises(PermissionDenied):
        access_partner(specialist, partner.code, write=True)
    missing = uuid.uuid4()
    for access in (
        access_partner,
        access_service,
        access_partner_contact,
        access_location,
        access_phone,
    ):
        with pytest.raises(Http404):
            access(counsellor, missing)
    # A member of staff who left reads nothing.
    User.objects.filter(pk=counsellor.pk).update(is_active=False)
    counsellor.refresh_from_db()
    assert not reads_directory(counsellor) and not edits_directory(counsellor)


def test_the_top_bars_search_finds_a_partner_by_name(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    partner = _crisis_centre(centre)
    page = text(_client(centre[Role.SHELTER_STAFF]).post("/search/", {"q": "OIK Krak"}))
    assert f"/network/partners/{partner.code}/" in page and "Ośrodek interwencji kryzysowej" in page
    # Nobody else's directory, and not for those who do not read it.
    for persona in (other_centre[Role.COORDINATOR], centre[Role.ANALYST]):
        assert str(partner.code) not in text(_client(persona).post("/search/", {"q": "OIK Krak"}))
    entry = AuditEntry.objects.filter(action="search.performed").order_by("pk").first()
    assert entry is not None and entry.data == {"found": {"Partnerzy": 1}}


def test_a_partner_that_closed_is_archived_hidden_and_restored(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    from ostoja.network.services import consultation_log

    partner = _crisis_centre(centre)
    counsellor = centre[Role.COUNSELLOR]
    assert counsellor.user.organisation is not None
    consultation = consultation_log(
        organisation=counsellor.user.organisation,
        data={
            "partner": partner,
            "channel": "phone",
            "topic": "shelter",
            "asked_at": timezone.now(),
            "question": "Miejsce w hostelu?",
        },
        acting_user=counsellor.user,
    )
    url = f"/network/partners/{partner.code}/archive/"
    # Those who may only read are refused; another centre finds nothing.
    for role in (Role.SPECIALIST, Role.SHELTER_STAFF, Role.ANALYST, Role.DPO):
        assert _client(centre[role]).post(url).status_code in (403, 404)
    assert _client(other_centre[Role.COORDINATOR]).post(url).status_code == 404
    client = _client(counsellor)
    response = client.post(url, {"archive": "1"}, follow=True)
    assert "Zarchiwizowano partnera." in text(response)
    partner.refresh_from_db()
    assert partner.archived_at is not None and partner.archived_by == counsellor.user
    assert AuditEntry.objects.filter(action="partner.archived", target_code=str(partner.code))
    # Gone from the search, the top bar's and the pickers of new records …
    assert "Hostel" not in text(client.get("/network/", {"q": "Kryzysowej"}))
    assert "Ośrodek Interwencji" not in text(client.get("/network/consultations/new/"))
    assert "Ośrodek Interwencji" in text(client.get("/network/", {"archived": "on"}))
    # … kept on the records that name it, and its page says it is archived.
    page = text(client.get(f"/network/consultations/{consultation.code}/"))
    assert "Ośrodek Interwencji Kryzysowej w Krakowie" in page
    assert 'data-testid="archived"' in text(client.get(f"/network/partners/{partner.code}/"))
    assert client.post(url, {"archive": "1"}, follow=True).status_code == 200
    assert AuditEntry.objects.filter(action="partner.archived").count() == 1
    response = client.post(url, {"restore": "1"}, follow=True)
    assert "Przywrócono partnera." in text(response)
    partner.refresh_from_db()
    assert partner.archived_at is None
    assert AuditEntry.objects.filter(action="partner.restored").count() == 1
    assert "Ośrodek Interwencji" in text(client.get("/network/", {"q": "Kryzysowej"}))


def test_a_partner_has_other_locations_and_phones(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    partner = _partner(centre)
    client = _client(centre[Role.CASE_MANAGER])
    new_location = f"/network/partners/{partner.code}/locations/new/"
    assert_access(new_location, centre, other_centre, allowed=EDITORS)
    # Bad input: a clear error, what was typed kept.
    response = client.post(new_location, {"name": "Wydział w Chełmie", "postal_code": "22100"})
    assert response.status_code == 400
    page = text(response)
    assert "Polski kod pocztowy wygląda tak: 00-950." in page and "Wydział w Chełmie" in page
    client.post(
        new_location,
        {
            "name": "Wydział w Chełmie",
            "city": "Chełm",
            "voivodeship": "06",
            "address": "ul. Kolejowa 1",
        },
    )
    location = partner.locations.get()
    new_phone = f"/network/partners/{partner.code}/phones/new/"
    assert_access(new_phone, centre, other_centre, allowed=EDITORS)
    client.post(
        new_phone,
        {"number": "+48 82 565 20 00", "description": "dyżurny", "location": str(location.pk)},
    )
    phone = partner.phones.get()
    assert phone.location == location and phone.description == "dyżurny"
    page = text(client.get(f"/network/partners/{partner.code}/"))
    assert "Wydział w Chełmie" in page and "dyżurny" in page
    assert AuditEntry.objects.filter(action="partner.location_added").count() == 1
    assert AuditEntry.objects.filter(action="partner.phone_added").count() == 1
    for path in (
        f"/network/phones/{phone.code}/remove/",
        f"/network/locations/{location.code}/remove/",
    ):
        for role in (Role.SPECIALIST, Role.SHELTER_STAFF, Role.ANALYST):
            assert _client(centre[role]).post(path).status_code in (403, 404)
        assert _client(other_centre[Role.COORDINATOR]).post(path).status_code == 404
        assert client.post(path).status_code == 302
    assert not partner.locations.exists() and not partner.phones.exists()
    assert AuditEntry.objects.filter(action="partner.location_removed").count() == 1
    assert AuditEntry.objects.filter(action="partner.phone_removed").count() == 1
