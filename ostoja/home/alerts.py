"""Messages to the administrators about the installation itself: a consistency check's
findings (``ostoja.home.consistency``), a failed backup or restore drill (``manage.py
notify_failure``, called by systemd's ``OnFailure=``).

The administrators of every organisation are told, one message each (administrators of
different organisations do not see each other's addresses): the installation is one. A
message names models, codes and units — never a person, a name or a value."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role


def administrators() -> list[User]:
    """Everyone who administers an organisation of this installation, still active."""
    return list(
        User.objects.filter(is_active=True, membership__role=Role.ADMINISTRATOR).order_by("pk")
    )


def mail_administrators(template: str, context: dict[str, object]) -> int:
    """E-mail ``templates/home/email/<template>_{subject,message}.txt`` to each
    administrator in the installation's language; how many were sent."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"home/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"home/email/{template}_message.txt", context)
    recipients = administrators()
    for recipient in recipients:
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [recipient.email])
    return len(recipients)


def unit_failed(unit: str, host: str) -> int:
    """Tell the administrators that a systemd unit (the backup, the restore drill) failed."""
    return mail_administrators("unit_failed", {"unit": unit, "host": host})


def findings_report(lines: Sequence[str]) -> int:
    """Tell the administrators what the nightly consistency check found."""
    return mail_administrators("consistency", {"lines": lines, "count": len(lines)})
