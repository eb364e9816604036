"""Every change the portal makes: a new anonymous report, a message added to one, a
self-check sent to the centre. Each message becomes a helpline web contact
(``helpline.services.contact_receive_web``, which writes the audit entry — with no actor
and nothing of the sender)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ostoja.accounts.models import Organisation
from ostoja.audit.trail import record
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_receive_web
from ostoja.lib.crypto.files import EncryptedStorage, Upload
from ostoja.portal import receipt
from ostoja.portal.language import ISO, detect
from ostoja.portal.models import Report
from ostoja.portal.selectors import ABANDONED_AFTER, reports_abandoned, thread
from ostoja.prevention.models import Flag, FlagCatalogue, in_language


@transaction.atomic
def report_make(
    *, organisation: Organisation, text: str, attachment: Upload | None, page_language: str
) -> tuple[Report, str]:
    """A new report and its first message; returns the report and its receipt code (to be
    shown once: only its lookup key is kept)."""
    contact = contact_receive_web(
        organisation=organisation,
        text=text,
        language=detect(text, page_language),
        files=[attachment] if attachment else [],
    )
    return _report(organisation, contact)


@transaction.atomic
def check_send(
    *,
    organisation: Organisation,
    catalogue: FlagCatalogue,
    flags: list[Flag],
    note: str,
    page_language: str,
) -> tuple[Report, str]:
    """The visitor's self-check, sent because they chose to: a report whose first message
    lists the questions they answered yes (in the staff's language, each with its flag's
    code) and what they wrote, if anything; the report keeps the checklist's version and
    the flags' codes. Returns the report and its receipt code, as ``report_make``."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("A job-offer self-check sent from the portal (checklist version %(version)s).")
            % {"version": catalogue.version},
            _("Answered yes:") if flags else _("No question answered yes."),
        ]
    lines += [
        f"– {in_language(flag.question, settings.LANGUAGE_CODE)} [{flag.code}]" for flag in flags
    ]
    if note.strip():
        lines += ["", note]
    contact = contact_receive_web(
        organisation=organisation,
        text="\n".join(lines),
        language=detect(note, page_language) if note.strip() else ISO[page_language],
        files=[],
    )
    return _report(
        organisation, contact, catalogue=catalogue, answers=[flag.code for flag in flags]
    )


def _report(organisation: Organisation, contact: Contact, **extra: object) -> tuple[Report, str]:
    code = receipt.new_code()
    report = Report.objects.create(
        organisation=organisation,
        lookup=receipt.lookup(code),
        first=contact,
        created_on=timezone.localdate(),
        **extra,
    )
    return report, code


@transaction.atomic
def report_add(
    *, report: Report, text: str, attachment: Upload | None, page_language: str
) -> Contact:
    """Another message from the sender, in the report's thread."""
    return contact_receive_web(
        organisation=report.organisation,
        text=text,
        language=detect(text, page_language),
        files=[attachment] if attachment else [],
        in_reply_to=report.first,
    )


def report_erase(*, report: Report) -> bool:
    """Erase an abandoned report: its messages both ways, their files and the report
    (the audit trail keeps that each message existed and why it went). A report that led
    anywhere — a message linked to a person or a case, a follow-up, a record that names
    it — is kept: it is the helpline's record now. ``True`` if erased."""
    contacts = thread(report)
    if any(contact.links.exists() or contact.follow_ups.exists() for contact in contacts):
        return False
    files = [a.stored_name for contact in contacts for a in contact.attachments.all()]
    try:
        with transaction.atomic():
            for contact in contacts:
                record(
                    "contact.erased",
                    actor=None,
                    target=contact,
                    organisation=report.organisation,
                    data={"reason": "portal report abandoned"},
                )
            report.delete()
            # The thread's leaves first: each message points at the one it answers.
            for contact in sorted(contacts, key=lambda c: -_depth(c, report)):
                contact.delete()
            transaction.on_commit(lambda: _delete_files(files))
    except ProtectedError:
        return False
    return True


def _delete_files(names: list[str]) -> None:
    storage = EncryptedStorage()
    for name in names:
        storage.delete(name)


def _depth(contact: Contact, report: Report) -> int:
    if contact.in_reply_to_id is None:
        return 0
    return 1 if contact.in_reply_to_id == report.first_id else 2


def reports_abandoned_erase(
    *,
    dry_run: bool = False,
    after: dt.timedelta = ABANDONED_AFTER,
    organisation: Organisation | None = None,
) -> tuple[int, int]:
    """Erase every abandoned report (``selectors.reports_abandoned``; the retention job
    passes the DPO's period and the organisation); with ``dry_run`` only count them.
    Returns (abandoned, erased)."""
    abandoned = reports_abandoned(after=after, organisation=organisation)
    if dry_run:
        return len(abandoned), 0
    return len(abandoned), sum(report_erase(report=report) for report in abandoned)
