"""Background work of the helpline: the mailbox, replies, and follow-ups falling due."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/2"))  # type: ignore[untyped-decorator]
@lock_task("helpline-mail-intake")  # type: ignore[untyped-decorator]
def fetch_mail() -> int:
    """Every two minutes: each unseen message of the helpline's mailbox becomes a contact;
    a message is marked seen only once its contact is stored (none is lost or doubled)."""
    from ostoja.accounts.models import Organisation
    from ostoja.helpline import mail
    from ostoja.helpline.services import contact_receive_email

    if not settings.IMAP_HOST:
        return 0
    organisation = Organisation.objects.get(short_code=settings.IMAP_ORGANISATION)
    done = []
    with mail.mailbox() as client:  # one connection: fetch, store, then mark seen
        for number, raw in mail.fetch_unseen(client):
            try:
                contact_receive_email(organisation=organisation, raw=raw)
            except Exception:  # one bad message must not stop the others; it stays unseen
                logger.exception("helpline mail intake failed for message %s", number.decode())
                continue
            done.append(number)
        mail.mark_seen(client, done)
    return len(done)


@db_task(retries=5, retry_delay=120)  # type: ignore[untyped-decorator]
def send_reply(contact_id: int) -> None:
    """Send an outgoing e-mail contact, threaded to the message it answers."""
    from ostoja.helpline.models import Contact

    reply = Contact.objects.select_related("in_reply_to").get(pk=contact_id)
    headers = {"Message-ID": reply.message_id}
    original = reply.in_reply_to
    if original is not None and original.message_id:
        headers |= {"In-Reply-To": original.message_id, "References": original.message_id}
    EmailMessage(
        subject=reply.subject, body=reply.summary, to=[reply.correspondent], headers=headers
    ).send()


@db_periodic_task(crontab(minute="0", hour="6"))  # type: ignore[untyped-decorator]
def follow_ups_reminder() -> int:
    """Every morning (06:00 UTC, before work): the follow-ups due today or overdue, to
    their assignees' notification centres."""
    from ostoja.helpline.services import follow_ups_due

    return follow_ups_due(today=timezone.localdate())
