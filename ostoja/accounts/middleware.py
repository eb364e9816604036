"""Session rules that hold on every staff request, before any view runs."""

import time
from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.mfa import mfa_confirmed
from ostoja.lib.http import hx_redirect

# Session keys.
STARTED = "ostoja.started"
LAST_SEEN = "ostoja.last_seen"
# Refresh "last seen" at most this often: one session write per request is not needed to
# keep an idle limit measured in minutes.
_TOUCH_EVERY = 15


def idle_passive[V: Callable[..., HttpResponse]](view: V) -> V:
    """Mark a view whose requests are not the user's activity (a poll every few seconds):
    they do not reset the idle clock, or a forgotten open tab would never time out."""
    view.idle_passive = True  # type: ignore[attr-defined]
    return view


def _passive(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return bool(getattr(match.func, "idle_passive", False))


def _seen(request: HttpRequest) -> None:
    """The Sessions page's "last seen" and where from (allauth's ``UserSession``)."""
    UserSession.objects.filter(session_key=request.session.session_key).update(
        last_seen_at=timezone.now(),
        ip=get_adapter().get_client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[
            : UserSession._meta.get_field("user_agent").max_length
        ],
    )


class SessionTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_TIMEOUT`` idle seconds or ``SESSION_COOKIE_AGE``
    seconds in all (ASVS 7.3.1, 7.3.2), server-side, whatever the cookie says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(STARTED, now)
            last_seen = request.session.get(LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            if idle or now - started > settings.SESSION_COOKIE_AGE:
                return self._expire(request, idle=idle)
            if LAST_SEEN not in request.session or (
                now - last_seen >= _TOUCH_EVERY and not _passive(request)
            ):
                request.session[LAST_SEEN] = now
                _seen(request)
        return self.get_response(request)

    def _expire(self, request: HttpRequest, *, idle: bool) -> HttpResponse:
        path = request.get_full_path() if request.method == "GET" else "/"
        logout(request)
        if idle:
            minutes = settings.SESSION_IDLE_TIMEOUT // 60
            text = _(
                "You were signed out after {minutes} minutes without activity. "
                "Please sign in again."
            ).format(minutes=minutes)
        else:
            text = _("Your session reached its maximum length. Please sign in again.")
        messages.warning(request, text)
        login = redirect_to_login(path)
        return hx_redirect(request, login.url) or login


# Views a signed-in user without a second factor may still reach: enrolment itself, the
# re-authentication it may ask for, signing out, and switching the language.
MFA_EXEMPT_VIEWS = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
        "account_logout",
        "set_language",
        "home:health",
    }
)


class MfaRequiredMiddleware:
    """Every staff account has a second factor (ASVS 6.3.3): until one is enrolled, the
    user is sent to enrolment and can reach nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or mfa_confirmed(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in MFA_EXEMPT_VIEWS:
            return None
        messages.info(request, _("Set up two-factor authentication to continue."))
        return hx_redirect(request, "mfa_index") or redirect("mfa_index")
