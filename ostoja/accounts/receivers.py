"""What happens at sign-in, wired in ``AccountsConfig.ready``."""

import time
from typing import Any

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.signals import authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from ostoja.accounts.mfa import MFA_CONFIRMED
from ostoja.accounts.middleware import LAST_SEEN, STARTED


@receiver(user_logged_in)
def start_session(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Start the idle and absolute clocks, and open "sudo mode": the full sign-in just
    made (password and second factor) is as fresh a proof as a re-authentication, so the
    user is not asked for their password twice in a row (e.g. to enrol a first factor)."""
    if request is None:
        return
    now = int(time.time())
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if records:
        records[-1]["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


@receiver(authenticator_removed)
def forget_second_factor(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A removed factor may have been the last: ask the database again on the next request."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_CONFIRMED, None)
