"""Every change the portal makes: a new anonymous report, a message added to one, a
self-check sent to the centre. Each message becomes a helpline web contact
(``helpline.services.contact_receive_web``, which writes the audit entry — with no actor
and nothing of the sender)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ostoja.accounts.models import Organisation
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_receive_web
from ostoja.lib.crypto.files import Upload
from ostoja.portal import receipt
from ostoja.portal.language import ISO, detect
from ostoja.portal.models import Report
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
