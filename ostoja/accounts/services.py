"""Every change to staff accounts (STYLE.md: services take keyword arguments and the
acting user, run in one transaction, and defer mail to ``on_commit``)."""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import AccessGrant, Membership, Notice, Organisation, User
from ostoja.accounts.policy import may_break_glass
from ostoja.accounts.roles import Role
from ostoja.accounts.tasks import send_invitation, send_notices
from ostoja.audit.trail import record

if TYPE_CHECKING:
    from ostoja.accounts.policy import Scope


@transaction.atomic
def user_invite(
    *,
    organisation: Organisation,
    email: str,
    full_name: str,
    role: Role,
    acting_user: User | None,
) -> User:
    """Create a member of staff without a password and e-mail them a link to set one.

    ASVS 6.4.1/6.4.6: the administrator never chooses nor sees the password; the link
    expires after ``PASSWORD_RESET_TIMEOUT``. ``acting_user`` is ``None`` only for the
    first administrator, created from the command line.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User.objects.create_user(email=email, full_name=full_name.strip())
    Membership.objects.create(user=user, organisation=organisation, role=role)
    # The administrator vouches for the address; the invitation link proves it.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    record(
        "user.invited",
        actor=acting_user,
        target=user,
        organisation=organisation,
        data={"role": role.value},
    )
    transaction.on_commit(lambda: send_invitation(user.pk))
    return user


@transaction.atomic
def user_resend_invitation(*, user: User, acting_user: User) -> None:
    """Send a fresh set-your-password link to a user who has not set a password yet."""
    if user.has_usable_password():
        raise ValidationError(_("This user has already set a password."))
    record("user.invitation_resent", actor=acting_user, target=user)
    transaction.on_commit(lambda: send_invitation(user.pk))


@transaction.atomic
def user_update(
    *, user: User, full_name: str, role: Role, is_active: bool, acting_user: User
) -> User:
    """Change a user's name, role or whether they may sign in. Takes effect at once
    (ASVS 8.3.2): a deactivated user's sessions end now (ASVS 7.4.2)."""
    if user == acting_user and (role != user.role or not is_active):
        raise ValidationError(_("You cannot change your own role or deactivate yourself."))
    changed = {
        name: [str(old), str(new)]
        for name, old, new in (
            ("role", user.role, role.value),
            ("is_active", user.is_active, is_active),
            ("full_name", user.full_name, full_name.strip()),
        )
        if old != new
    }
    if "full_name" in changed:
        changed["full_name"] = ["…", "…"]  # names stay out of the trail
    user.full_name = full_name.strip()
    user.is_active = is_active
    user.save(update_fields=["full_name", "is_active"])
    membership = user.membership
    if membership.role != role:
        membership.role = role
        membership.changed_at = timezone.now()
        membership.save(update_fields=["role", "changed_at"])
    if changed:
        record("user.updated", actor=acting_user, target=user, data=changed)
    if not is_active and "is_active" in changed:
        user_end_sessions(user=user, acting_user=acting_user)
    return user


@transaction.atomic
def user_end_sessions(*, user: User, acting_user: User) -> int:
    """Sign ``user`` out everywhere (ASVS 7.4.5); returns how many sessions ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    record("user.sessions_ended", actor=acting_user, target=user, data={"sessions": len(keys)})
    return len(keys)


@transaction.atomic
def user_reset_mfa(*, user: User, acting_user: User) -> None:
    """Remove a user's second factors after they lost them (ASVS 6.4.4, 6.5.6).

    The administrator has checked who is asking, as at enrolment; the user must enrol a
    new factor at their next sign-in and cannot use Ostoja until they do.
    """
    if user == acting_user:
        raise ValidationError(_("Ask another administrator to reset your own second factor."))
    Authenticator.objects.filter(user=user).delete()
    record("user.factors_reset", actor=acting_user, target=user)
    user_end_sessions(user=user, acting_user=acting_user)


@transaction.atomic
def glass_break(
    *, scope: "Scope", reason: AccessGrant.Reason, explanation: str, acting_user: User
) -> AccessGrant:
    """Open a record outside the user's reach for ``BREAK_GLASS_MINUTES``: audited, and the
    record's case managers and the organisation's DPOs are told (ARCHITECTURE §3)."""
    if not may_break_glass(acting_user, scope):
        raise ValidationError(_("You cannot open this record this way."))
    if not explanation.strip():
        raise ValidationError({"explanation": _("Say why you need to open this record.")})
    now = timezone.now()
    grant = AccessGrant.objects.create(
        user=acting_user,
        organisation_id=scope.organisation_id,
        target_type=scope.target_type,
        target_code=scope.target_code,
        reason=reason,
        explanation=explanation.strip(),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    record(
        "access.glass_broken",
        actor=acting_user,
        target_type=scope.target_type,
        target_code=scope.target_code,
        purpose=reason,
        data={"grant": str(grant.code), "minutes": settings.BREAK_GLASS_MINUTES},
    )
    text = _(
        "%(name)s opened %(record)s, outside their usual access (%(reason)s), until %(until)s."
    ) % {
        "name": str(acting_user),
        "record": scope.reference or _("a person's record"),
        "reason": reason.label,
        "until": f"{timezone.localtime(grant.expires_at):%Y-%m-%d %H:%M}",
    }
    # The record's case managers, who can look at the record, and the DPOs, who can see who
    # opened what.
    managers = User.objects.filter(pk__in=scope.case_managers()).exclude(pk=acting_user.pk)
    dpos = User.objects.filter(
        membership__organisation_id=scope.organisation_id, membership__role=Role.DPO
    ).exclude(pk=acting_user.pk)
    seen = reverse("privacy:seen_by", args=[scope.target_type, scope.target_code])
    for recipients, url in ((managers, scope.url), (dpos, seen)):
        notice_send(
            recipients=recipients,
            kind=Notice.Kind.BREAK_GLASS,
            text=text,
            url=url,
            target_type=scope.target_type,
            target_code=scope.target_code,
            key=str(grant.code),
        )
    return grant


# The unread count in the top bar, kept in the cache (a query per page saved): dropped when
# a notice is sent or read, and short-lived anyway (the task worker's process has its own
# cache in the embedded default).
UNREAD_KEY = "ostoja:notices:unread:{user}"
UNREAD_SECONDS = 60


def unread_count(user: User) -> int:
    """How many of the user's notices are unread (cached, see ``UNREAD_KEY``)."""
    key = UNREAD_KEY.format(user=user.pk)
    count = cache.get(key)
    if count is None:
        count = Notice.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return int(count)


@transaction.atomic
def notice_send(
    *,
    recipients: Iterable[User],
    kind: Notice.Kind,
    text: str,
    url: str,
    target_type: str = "",
    target_code: str = "",
    key: str = "",
) -> list[Notice]:
    """Tell ``recipients`` something they must know or do (the notification centre), and
    e-mail it to those who want this kind by e-mail — after commit, and never with a
    client's identity: ``text`` names records by their references. The same notice
    (recipient, kind, record, key) is sent once."""
    sent = []
    for recipient in {r.pk: r for r in recipients if r.is_active}.values():
        notice, created = Notice.objects.get_or_create(
            recipient=recipient,
            kind=kind,
            target_type=target_type,
            target_code=target_code,
            key=key,
            defaults={"text": text[:300], "url": url},
        )
        if created:
            sent.append(notice)
            cache.delete(UNREAD_KEY.format(user=recipient.pk))
    if sent:  # the worker mails those the recipient wants by e-mail (as they wish then)
        transaction.on_commit(lambda: send_notices([n.pk for n in sent]))
    return sent


@transaction.atomic
def notices_read(*, user: User, notices: Iterable[Notice] | None = None) -> int:
    """Mark the user's notices read (all of them, or ``notices``); how many were unread."""
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notices is not None:
        unread = unread.filter(pk__in=[n.pk for n in notices])
    count = unread.update(read_at=timezone.now())
    cache.delete(UNREAD_KEY.format(user=user.pk))
    return count


@transaction.atomic
def notice_preferences_set(*, user: User, kinds: list[str], acting_user: User) -> None:
    """Which kinds of notice the user also wants by e-mail."""
    user.notices_by_email = sorted(set(kinds) & set(Notice.Kind.values))
    user.save(update_fields=["notices_by_email"])
    record("user.notice_preferences_changed", actor=acting_user, target=user)
