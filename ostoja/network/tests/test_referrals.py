"""Referrals through their pages: nothing leaves without the client's consent to share
with that organisation; with it, the referral summary is kept with the referral, the
disclosure ledger says what went to whom, and the partner's answers reach the case
manager; overdue referrals come to their notices; an institution's referral opens a
contact and, accepted, a case."""

import datetime as dt
import socket
import uuid
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts.models import Notice
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.access import access_case
from ostoja.cases.models import Case, Consent
from ostoja.cases.services import case_record_add
from ostoja.helpline.models import Contact
from ostoja.network.access import incoming_referrals_visible_to
from ostoja.network.models import Disclosure, IncomingReferral, Partner, Referral
from ostoja.network.services import (
    incoming_referral_receive,
    partner_add,
    referral_send,
    referrals_overdue,
)
from ostoja.people.models import Person
from ostoja.test import Persona, assert_access, force_sign_in, text

pytestmark = pytest.mark.django_db
CASE_WORK = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}


@pytest.fixture(autouse=True)
def _private_files(settings: Settings, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(BytesParser(policy=default).parsebytes(envelope.content))
        return "250 OK"


def _smtp_settings(settings: Settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Inbox]:
    """A real SMTP server on loopback (aiosmtpd), and the settings to send through it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    _smtp_settings(settings, controller.port)
    yield inbox
    controller.stop()


def _client(persona: Persona) -> Client:
    client = Client()
    force_sign_in(client, persona.user)
    return client


def _crisis_centre(centre: dict[Role, Persona]) -> Partner:
    user = centre[Role.COORDINATOR].user
    assert user.organisation is not None
    return partner_add(
        organisation=user.organisation,
        data={
            "name": "Ośrodek Interwencji Kryzysowej w Krakowie",
            "alternate_name": "OIK Kraków",
            "kind": "crisis_centre",
            "email": "oik@krakow.example",
        },
        acting_user=user,
    )


def _consent(
    case: Case, person: Person, manager: Persona, recipient: str, scope: str = "share_org"
) -> Consent:
    consent = Consent(
        client=person,
        scope=scope,
        recipient=recipient,
        shares=["identity", "contact", "health"],
        method="written",
        given_on=dt.date(2026, 11, 2),
    )
    case_record_add(case=case, instance=consent, acting_user=manager.user)
    return consent


def _send(client: Client, case: Case, person: Person, partner: Partner) -> Any:
    return client.post(
        f"/network/cases/{case.code}/referrals/",
        {
            "client": person.pk,
            "partner": partner.pk,
            "reason": "Hostel na 3 miesiące",
            "answer_due": "2026-12-20",
        },
    )


def test_a_referral_without_the_consent_is_refused_and_nothing_is_disclosed(
    centre: dict[Role, Persona], case: Case, client_person: Person, settings: Settings
) -> None:
    partner = _crisis_centre(centre)
    manager = centre[Role.CASE_MANAGER]
    client = _client(manager)
    # A consent to share with another organisation, and a withdrawn one with this one.
    _consent(case, client_person, manager, "La Strada")
    withdrawn = _consent(case, client_person, manager, "OIK Kraków")
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_on=dt.date(2026, 11, 3))
    response = _send(client, case, client_person, partner)
    assert response.status_code == 400
    page = text(response)
    assert "Klientka lub klient nie wyrazili zgody na przekazanie danych" in page
    assert "Nic nie zostało wysłane." in page and "Hostel na 3 miesiące" in page
    assert not Referral.objects.exists() and not Disclosure.objects.exists()
    assert not list(Path(settings.PRIVATE_FILES_ROOT).rglob("*.pdf"))
    assert not AuditEntry.objects.filter(action="referral.sent").exists()
    assert client.get(f"/network/referrals/{uuid.uuid4()}/").status_code == 404
    assert not incoming_referrals_visible_to(centre[Role.SPECIALIST].user).exists()


def test_a_referral_under_the_consent_is_sent_answered_and_completed(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    other_centre: dict[Role, Persona],
) -> None:
    partner = _crisis_centre(centre)
    manager, coordinator = centre[Role.CASE_MANAGER], centre[Role.COORDINATOR]
    consent = _consent(case, client_person, manager, "oik kraków")  # its short name will do
    response = _send(_client(manager), case, client_person, partner)
    referral = Referral.objects.get()
    assert response["Location"] == f"/network/referrals/{referral.code}/"
    disclosure = referral.disclosure
    assert (disclosure.person, disclosure.partner, disclosure.consent, disclosure.by) == (
        client_person,
        partner,
        consent,
        manager.user,
    )
    # The case manager reads health details: all the consent names went.
    assert disclosure.parts == ["contact", "health", "identity"]
    sent = AuditEntry.objects.get(action="referral.sent")
    assert sent.data["disclosure"] == str(disclosure.code) and sent.data["consent"] == str(
        consent.code
    )
    page = text(_client(manager).get(f"/network/referrals/{referral.code}/"))
    assert "Imię i nazwisko, data urodzenia i obywatelstwo" in page and "Wysłane" in page
    # The summary that went is kept, sealed, and downloaded in sudo mode.
    document = _client(manager).get(f"/network/referrals/{referral.code}/summary.pdf")
    assert document["Content-Type"] == "application/pdf" and document.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="referral.document_downloaded").exists()
    assert_access(f"/network/referrals/{referral.code}/", centre, other_centre, allowed=CASE_WORK)
    assert_access(f"/network/cases/{case.code}/referrals/", centre, other_centre, allowed=CASE_WORK)
    # The coordinator records the partner's answer: the case manager hears of it.
    client = _client(coordinator)
    url = f"/network/referrals/{referral.code}/"
    response = client.post(url, {"status": "completed", "feedback": ""})
    assert response.status_code == 400 and "nie może" in text(response)
    client.post(url, {"status": "accepted", "feedback": "Miejsce od poniedziałku."})
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.answered_at is not None
    notice = Notice.objects.get(recipient=manager.user, target_code=str(referral.code))
    assert case.reference in notice.text and "przyjęte" in notice.text
    assert client_person.name not in notice.text
    client.post(url, {"status": "in_progress", "feedback": ""})
    client.post(url, {"status": "completed", "feedback": "Pobyt zakończony, klientka bezpieczna."})
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.started_at and referral.completed_at
    assert referral.feedback == "Pobyt zakończony, klientka bezpieczna."
    assert AuditEntry.objects.filter(action="referral.answered").count() == 3
    # The partner's page shows the referral to those who may open the case.
    assert "partner-referral" in text(_client(manager).get(f"/network/partners/{partner.code}/"))
    page = text(_client(centre[Role.COUNSELLOR]).get(f"/network/partners/{partner.code}/"))
    assert case.reference not in page


def test_a_consent_to_share_with_the_police_covers_police_units(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    manager = centre[Role.CASE_MANAGER]
    assert manager.user.organisation is not None
    police = partner_add(
        organisation=manager.user.organisation,
        data={"name": "KWP w Krakowie", "kind": "police_thb", "email": "thb@kwp.example"},
        acting_user=manager.user,
    )
    _consent(case, client_person, manager, "", scope="share_police")
    access = access_case(manager.user, case.code, write=True)
    referral = referral_send(
        access=access,
        client=client_person,
        partner=police,
        service=None,
        reason="",
        answer_due=dt.date(2026, 12, 10),
        acting_user=manager.user,
    )
    consent = referral.disclosure.consent
    assert consent is not None and consent.scope == "share_police"


def test_overdue_referrals_reach_the_case_manager_once(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    partner = _crisis_centre(centre)
    manager = centre[Role.CASE_MANAGER]
    _consent(case, client_person, manager, "OIK Kraków")
    _send(_client(centre[Role.COORDINATOR]), case, client_person, partner)
    assert referrals_overdue(today=dt.date(2026, 12, 20)) == 0
    assert referrals_overdue(today=dt.date(2026, 12, 21)) == 1
    referrals_overdue(today=dt.date(2026, 12, 22))
    notice = Notice.objects.get(recipient=manager.user)
    assert "bez odpowiedzi od 2026-12-20" in notice.text
    assert "bez odpowiedzi" in text(_client(manager).get("/cases/tasks/"))


def test_an_institutions_referral_opens_a_contact_and_accepted_a_case(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    counsellor, manager = centre[Role.COUNSELLOR], centre[Role.CASE_MANAGER]
    assert counsellor.user.organisation is not None
    police = partner_add(
        organisation=counsellor.user.organisation,
        data={"name": "KPP w Grójcu", "kind": "police"},
        acting_user=counsellor.user,
    )
    client = _client(counsellor)
    response = client.post(
        "/network/incoming/",
        {
            "partner": police.pk,
            "referrer": "sierż. Nowak",
            "received_at": "2026-12-01T09:30",
            "summary": "",
        },
    )
    assert response.status_code == 400 and 'value="sierż. Nowak"' in text(response)
    client.post(
        "/network/incoming/",
        {
            "partner": police.pk,
            "referrer": "sierż. Nowak",
            "received_at": "2026-12-01T09:30",
            "summary": "Kobieta z Ukrainy, praca w szklarni.",
        },
    )
    incoming = IncomingReferral.objects.get()
    contact = incoming.contact
    assert (
        contact.caller_type == "police"
        and contact.summary == "Kobieta z Ukrainy, praca w szklarni."
    )
    assert Contact.objects.count() == 1
    url = f"/network/incoming/{incoming.code}/"
    assert_access(
        url, centre, other_centre, allowed={Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR}
    )
    assert_access(
        "/network/incoming/",
        centre,
        other_centre,
        allowed={Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
        outsider_status=None,
    )
    # Deciding is case work: not the counsellor's.
    assert client.post(url, {"decline": "1"}).status_code == 403
    response = _client(manager).post(
        url,
        {
            "names": "Olha Kowalenko",
            "citizenship": "UA",
            "manager": manager.user.pk,
            "summary": incoming.summary,
        },
    )
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.code}/"
    incoming.refresh_from_db()
    assert incoming.status == "accepted" and incoming.case == case and case.referred_by == "police"
    assert contact.links.filter(target_code=str(case.code)).exists()
    assert AuditEntry.objects.filter(action="incoming_referral.decided").exists()
    response = _client(manager).post(url, {"decline": "1"})
    assert response.status_code == 400 and "już" in text(response)


def test_a_declined_referral_opens_no_case(centre: dict[Role, Persona]) -> None:
    manager = centre[Role.CASE_MANAGER]
    assert manager.user.organisation is not None
    police = partner_add(
        organisation=manager.user.organisation,
        data={"name": "KPP w Grójcu", "kind": "police"},
        acting_user=manager.user,
    )
    incoming = incoming_referral_receive(
        organisation=manager.user.organisation,
        partner=police,
        referrer="",
        received_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
        summary="Mężczyzna, praca na budowie.",
        acting_user=manager.user,
    )
    response = _client(manager).post(
        f"/network/incoming/{incoming.code}/", {"decline": "1"}, follow=True
    )
    incoming.refresh_from_db()
    assert incoming.status == "declined" and not Case.objects.exists()
    assert "Odrzucono skierowanie." in text(response)


def test_the_referral_summary_is_emailed_to_the_partner_and_only_then_disclosed(
    centre: dict[Role, Persona], case: Case, client_person: Person, smtp: Inbox
) -> None:
    partner = _crisis_centre(centre)
    manager = centre[Role.CASE_MANAGER]
    _consent(case, client_person, manager, "OIK Kraków")
    # Not signed in recently: asked to first, and nothing leaves.
    stale = Client()
    stale.force_login(manager.user)
    response = _send(stale, case, client_person, partner)
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not smtp.messages and not Disclosure.objects.exists()
    response = _send(_client(manager), case, client_person, partner)
    assert response.status_code == 302
    (message,) = smtp.messages
    assert message["To"] == "oik@krakow.example"
    # The subject and the text name the case's number, never the client.
    assert case.reference in message["Subject"] and "Skierowanie" in message["Subject"]
    assert client_person.name not in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert case.reference in body and client_person.name not in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF")
    disclosure = Disclosure.objects.get()
    assert disclosure.sent_to == "oik@krakow.example"
    assert Referral.objects.get().disclosure == disclosure


def test_a_referral_the_mail_server_refuses_leaves_nothing_recorded(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    settings: Settings,
) -> None:
    partner = _crisis_centre(centre)
    manager = centre[Role.CASE_MANAGER]
    _consent(case, client_person, manager, "OIK Kraków")
    _smtp_settings(settings, _free_port())  # nobody listens there
    response = _send(_client(manager), case, client_person, partner)
    assert response.status_code == 400
    page = text(response)
    assert "Nie udało się wysłać skierowania e-mailem na adres oik@krakow.example" in page
    assert "Hostel na 3 miesiące" in page  # what was typed stays
    assert not Referral.objects.exists() and not Disclosure.objects.exists()
    assert not AuditEntry.objects.filter(action="referral.sent").exists()
    assert not list(Path(settings.PRIVATE_FILES_ROOT).rglob("*.pdf"))


def test_a_partner_without_an_email_address_or_archived_gets_nothing(
    centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    partner = _crisis_centre(centre)
    Partner.objects.filter(pk=partner.pk).update(email="")
    manager = centre[Role.CASE_MANAGER]
    _consent(case, client_person, manager, "OIK Kraków")
    response = _send(_client(manager), case, client_person, partner)
    assert response.status_code == 400
    assert "nie ma w katalogu adresu e-mail" in text(response)
    assert not Disclosure.objects.exists() and not mail.outbox
    # An archived partner (closed) is not offered, and nothing goes to it.
    Partner.objects.filter(pk=partner.pk).update(
        email="oik@krakow.example", archived_at=dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    )
    response = _send(_client(manager), case, client_person, partner)
    assert response.status_code == 400 and not Disclosure.objects.exists()
