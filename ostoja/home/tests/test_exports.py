"""Every export and download of personal data asks for recent authentication — a GET
included (ASVS 7.5.3): a session left open on a desk does not hand out a client's file."""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case, Consent
from ostoja.cases.services import document_add
from ostoja.helpline.models import Attachment, Contact
from ostoja.identification.services import assessment_start
from ostoja.lib.crypto.files import EncryptedStorage, validate_upload
from ostoja.people.models import Person
from ostoja.privacy.services import request_approve, request_receive, request_verify
from ostoja.test import PASSWORD, Persona, sign_in

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _consent(case: Case, client: Person) -> Consent:
    return Consent.objects.create(
        case=case,
        client=client,
        scope="share_police",
        recipient="Straż Graniczna",
        shares=["context", "identity"],
        method="written",
        given_on=timezone.localdate(),
        created_by=case.created_by,
    )


def _case_summary(centre: dict[Role, Persona], case: Case, person: Person) -> tuple[str, str]:
    consent = _consent(case, person)
    url = f"/cases/{case.code}/summary.pdf?consent={consent.code}&to=La+Strada"
    return url, "case.summary_exported"


def _assessment_summary(centre: dict[Role, Persona], case: Case, person: Person) -> tuple[str, str]:
    consent = _consent(case, person)
    assessment = assessment_start(
        person=person,
        mode="full",
        exploitation=["labour"],
        age_at_exploitation=30,
        acting_user=centre[Role.CASE_MANAGER].user,
    )
    url = f"/identification/assessments/{assessment.code}/summary.pdf?consent={consent.code}&to=KWP"
    return url, "assessment.summary_exported"


def _document(centre: dict[Role, Persona], case: Case, person: Person) -> tuple[str, str]:
    document = document_add(
        case=case,
        upload=ContentFile(PDF, name="paszport.pdf"),
        title="Skan paszportu",
        client=person,
        acting_user=centre[Role.CASE_MANAGER].user,
    )
    return f"/cases/documents/{document.code}/", "case.document_downloaded"


def _attachment(centre: dict[Role, Persona], case: Case, person: Person) -> tuple[str, str]:
    organisation = centre[Role.CASE_MANAGER].user.organisation
    assert organisation is not None
    contact = Contact.objects.create(
        organisation=organisation,
        channel=Contact.Channel.EMAIL,
        started_at=timezone.now(),
        line=Contact.Line.OFFICE,
        summary="",
        caller_number="",
    )
    upload = validate_upload(ContentFile(PDF, name="umowa.pdf"))
    attachment = Attachment.objects.create(
        contact=contact,
        stored_name=EncryptedStorage().save_upload(upload, "helpline"),
        content_type=upload.content_type,
        size=len(upload.content),
        filename="umowa.pdf",
    )
    return f"/helpline/attachments/{attachment.code}/", "contact.attachment_downloaded"


def _subject_access(centre: dict[Role, Persona], case: Case, person: Person) -> tuple[str, str]:
    manager = centre[Role.CASE_MANAGER].user
    found = request_receive(
        person=person, kind="access", data={"channel": "in_person"}, acting_user=manager
    )
    request_verify(subject_request=found, evidence="passport", note="", acting_user=manager)
    request_approve(subject_request=found, acting_user=manager)
    request_approve(subject_request=found, acting_user=centre[Role.DPO].user)
    return f"/privacy/requests/{found.code}/copy.pdf", "subject_request.exported"


EXPORTS: dict[str, Callable[[dict[Role, Persona], Case, Person], tuple[str, str]]] = {
    "case summary (PDF)": _case_summary,
    "assessment summary (PDF)": _assessment_summary,
    "case document": _document,
    "e-mail attachment": _attachment,
    "subject-access copy (PDF)": _subject_access,
}


@pytest.mark.parametrize("export", EXPORTS)
def test_an_export_asks_for_the_password_again_after_five_minutes(
    export: str,
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    settings: Settings,
    tmp_path: object,
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        url, action = EXPORTS[export](centre, case, client_person)
        sign_in(client, centre[Role.CASE_MANAGER])
        traveller.shift(dt.timedelta(minutes=6))  # sudo mode (5 minutes) has lapsed
        asked = client.get(url)
        assert asked.status_code == 302, export
        assert asked["Location"].startswith("/accounts/reauthenticate/?next="), export
        assert not AuditEntry.objects.filter(action=action).exists()
        again = client.post(asked["Location"], {"password": PASSWORD})
        assert again.status_code == 302
        downloaded = client.get(again["Location"])
        assert downloaded.status_code == 200, export
        assert downloaded.content.startswith(b"%PDF")
        assert AuditEntry.objects.filter(action=action).count() == 1
