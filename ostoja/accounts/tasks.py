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
def send_notices(notice_ids: list[int]) -> int:
    """E-mail notices to those of their recipients who want that kind by e-mail, each once
    (``mailed_at``): what happened, a reference and a link — the notice's own text, which
    never names a client."""
    from ostoja.accounts.models import Notice

    sent = 0
    for notice in Notice.objects.filter(pk__in=notice_ids, mailed_at__isnull=True).select_related(
        "recipient"
    ):
        if notice.kind not in (notice.recipient.notices_by_email or []):
            continue
        context = {"notice": notice, "link": settings.BASE_URL.rstrip("/") + notice.url}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("accounts/email/notice_subject.txt", context).strip()
            body = render_to_string("accounts/email/notice_message.txt", context)
        send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [notice.recipient.email]
        )
        Notice.objects.filter(pk=notice.pk).update(mailed_at=timezone.now())
        sent += 1
    return sent
