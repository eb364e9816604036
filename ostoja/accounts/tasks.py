"""Background work of the accounts app (runs on the Huey queue)."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]
def send_invitation(user_id: int) -> None:
    """E-mail a set-your-password link. The link is made here, in the worker, so that the
    token never sits in the queue's storage."""
    from ostoja.accounts.models import User

    user = User.objects.get(pk=user_id)
    if user.has_usable_password() or not user.is_active:
        return
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": settings.BASE_URL.rstrip("/") + path,
        "organisation": user.organisation,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])


@db_periodic_task(crontab(minute="17", hour="3"))  # type: ignore[untyped-decorator]
def clear_expired_sessions() -> int:
    """Nightly: delete sessions past their expiry, so ended sessions leave nothing behind."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@db_task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]
def send_break_glass_notice(grant_id: int, recipient_ids: list[int]) -> None:
    """Tell the case managers and DPOs that someone broke the glass. The message names the
    record by its code only: no client identity ever leaves in an e-mail."""
    from ostoja.accounts.models import AccessGrant, User

    grant = AccessGrant.objects.select_related("user").get(pk=grant_id)
    for recipient in User.objects.filter(pk__in=recipient_ids, is_active=True):
        context = {"grant": grant, "recipient": recipient, "base_url": settings.BASE_URL}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("accounts/email/break_glass_subject.txt", context).strip()
            body = render_to_string("accounts/email/break_glass_message.txt", context)
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [recipient.email])
