"""Abandoned anonymous reports — no message either way for 90 days, the default schedule —
are erased by the nightly retention job with their messages and files (the audit trail
keeps that they existed), unless they led somewhere; ``manage.py portal_retention
--dry-run`` only counts them."""

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case
from ostoja.helpline.models import Attachment, Contact
from ostoja.helpline.services import contact_link, contact_reply
from ostoja.lib.crypto.files import EncryptedStorage, Upload
from ostoja.portal.models import Report
from ostoja.portal.services import report_add, report_make
from ostoja.privacy.models import RecordKind
from ostoja.privacy.tasks import retention_nightly
from ostoja.test import Persona

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_schedules")]

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _report(centre: dict[Role, Persona], text: str = "Pomocy, zabrali paszport.") -> Report:
    organisation = centre[Role.COUNSELLOR].user.organisation
    assert organisation is not None
    upload = Upload(b"\xff\xd8\xff\xe0 (the form checks files)", "image/jpeg", "jpg", "photo.jpg")
    report, _code = report_make(
        organisation=organisation, text=text, attachment=upload, page_language="pl"
    )
    return report


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("portal_retention", *args, stdout=out)
    return out.getvalue()


def test_an_abandoned_report_is_erased_with_its_thread_and_files(
    centre: dict[Role, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    with time_machine.travel(START):
        report = _report(centre)
        first = report.first
        stored = first.attachments.get().stored_name
    with time_machine.travel(START + dt.timedelta(days=2)):
        answer = contact_reply(contact=first, body="Proszę zadzwonić.", acting_user=counsellor)
        added = report_add(report=report, text="Dziękuję.", attachment=None, page_language="pl")
        contact_reply(contact=added, body="Czekamy.", acting_user=counsellor)
    assert Contact.objects.count() == 4
    with time_machine.travel(START + dt.timedelta(days=91)):
        assert _run().startswith("0 reports")  # the last message is 89 days old
    with time_machine.travel(START + dt.timedelta(days=93)):
        assert _run("--dry-run") == "1 reports with no message for 90 days.\n"
        assert Report.objects.exists() and Contact.objects.count() == 4
        with django_capture_on_commit_callbacks(execute=True):
            (counts,) = retention_nightly.call_local().values()
        assert counts[RecordKind.PORTAL] == {"done": 1}
    assert not Report.objects.exists() and not Contact.objects.exists()
    assert not Attachment.objects.exists() and not EncryptedStorage().exists(stored)
    erased = AuditEntry.objects.filter(action="contact.erased")
    assert erased.count() == 4 and {entry.actor_id for entry in erased} == {None}
    assert str(answer.code) in {entry.target_code for entry in erased}


def test_a_report_written_to_lately_is_kept(centre: dict[Role, Persona]) -> None:
    with time_machine.travel(START):
        report = _report(centre)
    with time_machine.travel(START + dt.timedelta(days=60)):
        report_add(report=report, text="Nadal tu jestem.", attachment=None, page_language="pl")
    with time_machine.travel(START + dt.timedelta(days=120)):
        (counts,) = retention_nightly.call_local().values()
        assert RecordKind.PORTAL not in counts
    assert Report.objects.count() == 1 and Contact.objects.count() == 2


def test_a_report_that_led_to_a_case_is_kept(centre: dict[Role, Persona], case: Case) -> None:
    with time_machine.travel(START):
        report = _report(centre)
        contact_link(
            contact=report.first,
            target_type="cases.case",
            target_code=str(case.code),
            acting_user=centre[Role.CASE_MANAGER].user,
        )
    with time_machine.travel(START + dt.timedelta(days=200)):
        assert "0 reports with no message for 90 days erased, 1 kept" in _run()
    assert Report.objects.filter(pk=report.pk).exists()
