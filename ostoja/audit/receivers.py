"""Authentication events into the audit trail (ASVS 16.3.1: every success and failure).

These come from Django's and django-allauth's signals — the only hook those frameworks
offer; the entries themselves are written by ``trail.record`` like any other."""

from typing import TYPE_CHECKING, Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ostoja.audit.trail import record

if TYPE_CHECKING:  # the trail sits below the accounts (ARCHITECTURE.md §2)
    from ostoja.accounts.models import User


@receiver(user_logged_in)
def signed_in(sender: Any, user: "User", **kwargs: Any) -> None:
    record("auth.signed_in", actor=user, target=user)


@receiver(user_logged_out)
def signed_out(sender: Any, user: "User | None", **kwargs: Any) -> None:
    if user is not None:
        record("auth.signed_out", actor=user, target=user)


@receiver(user_login_failed)
def sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    """The typed address is not kept: only whether it belongs to a member of staff."""
    email = str(credentials.get("email") or credentials.get("username") or "")
    users = get_user_model().objects
    user = users.filter(email__iexact=email.strip()).first() if email else None
    record(
        "auth.sign_in_failed",
        actor=None,
        target=user,
        organisation=getattr(user, "organisation", None),
        data={"known_account": user is not None},
    )


@receiver(password_changed)
@receiver(password_reset)
def password_set(sender: Any, request: Any, user: "User", **kwargs: Any) -> None:
    record("user.password_changed", actor=user, target=user)


@receiver(authenticator_added)
def factor_added(
    sender: Any, request: Any, user: "User", authenticator: Any, **kwargs: Any
) -> None:
    record("user.factor_added", actor=user, target=user, data={"type": authenticator.type})


@receiver(authenticator_removed)
def factor_removed(
    sender: Any, request: Any, user: "User", authenticator: Any, **kwargs: Any
) -> None:
    record("user.factor_removed", actor=user, target=user, data={"type": authenticator.type})
