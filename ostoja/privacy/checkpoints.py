"""The data protection officers' copy of the audit chain's checkpoints (the checkpoints
themselves: ``ostoja.audit.checkpoints``).

Every day, when ``OSTOJA_AUDIT_CHECKPOINT_MAIL`` is on, a checkpoint goes by e-mail to each
data protection officer, one message each (DPOs of different organisations do not see each
other's addresses), holding nothing but the line. Daily rather than hourly, so the messages
are kept rather than filtered away; the file narrows the window in between."""

from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import Capability, Role, capabilities_of
from ostoja.audit.checkpoints import Checkpoint, checkpoint_write


def reviewers() -> list[User]:
    """Everyone who reviews the audit trail (the DPOs of every organisation): the chain is
    one for the whole instance, and so is its checkpoint."""
    roles = [role for role in Role if Capability.REVIEW_AUDIT in capabilities_of(role)]
    return list(User.objects.filter(is_active=True, membership__role__in=roles).order_by("pk"))


def dpos(organisation: Organisation) -> list[User]:
    """The organisation's data protection officers (those who review its audit trail)."""
    roles = [role for role in Role if Capability.REVIEW_AUDIT in capabilities_of(role)]
    return list(
        User.objects.filter(
            is_active=True, membership__organisation=organisation, membership__role__in=roles
        ).order_by("full_name", "pk")
    )


def mail(checkpoint: Checkpoint) -> int:
    """E-mail the checkpoint to each reviewer, one message each; how many were sent. The
    message holds the checkpoint and instructions — no name, not even the recipient's."""
    context = {"checkpoint": checkpoint, "line": checkpoint.line()}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("privacy/email/checkpoint_subject.txt", context).strip()
        body = render_to_string("privacy/email/checkpoint_message.txt", context)
    recipients = reviewers()
    for recipient in recipients:
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [recipient.email])
    return len(recipients)


def checkpoint_share() -> tuple[Checkpoint, Path, int]:
    """Take a checkpoint, append it to the file and, when ``OSTOJA_AUDIT_CHECKPOINT_MAIL``
    is on, mail it: the checkpoint, the file, how many e-mails went out. The file first: a
    failing mail server loses no checkpoint."""
    checkpoint, file = checkpoint_write()
    sent = mail(checkpoint) if settings.OSTOJA_AUDIT_CHECKPOINT_MAIL else 0
    return checkpoint, file, sent
