"""Every change the portal makes: a new anonymous report, a message added to one. Each
message becomes a helpline web contact (``helpline.services.contact_receive_web``, which
writes the audit entry — with no actor and nothing of the sender)."""

from django.db import transaction
from django.utils import timezone

from ostoja.accounts.models import Organisation
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_receive_web
from ostoja.lib.crypto.files import Upload
from ostoja.portal import receipt
from ostoja.portal.images import Photo
from ostoja.portal.language import detect
from ostoja.portal.models import Report


def _files(photo: Photo | None) -> list[Upload]:
    if photo is None:
        return []
    name = f"photo.{photo.extension}"  # never the sender's own file name
    return [Upload(photo.content, photo.content_type, photo.extension, name)]


@transaction.atomic
def report_make(
    *, organisation: Organisation, text: str, photo: Photo | None, page_language: str
) -> tuple[Report, str]:
    """A new report and its first message; returns the report and its receipt code (to be
    shown once: only its lookup key is kept)."""
    contact = contact_receive_web(
        organisation=organisation,
        text=text,
        language=detect(text, page_language),
        files=_files(photo),
    )
    code = receipt.new_code()
    report = Report.objects.create(
        organisation=organisation,
        lookup=receipt.lookup(code),
        first=contact,
        created_on=timezone.localdate(),
    )
    return report, code


@transaction.atomic
def report_add(*, report: Report, text: str, photo: Photo | None, page_language: str) -> Contact:
    """Another message from the sender, in the report's thread."""
    return contact_receive_web(
        organisation=report.organisation,
        text=text,
        language=detect(text, page_language),
        files=_files(photo),
        in_reply_to=report.first,
    )
