"""The public zone records nothing about who visits (SECURITY.md §2.4, ARCHITECTURE.md §4).

``PortalMiddleware`` runs first, before any other middleware or view can read the request:
for the portal's paths it removes the visitor's address, user agent and referrer from the
request, and every cookie but the CSRF token (so a staff session in the same browser never
reaches the portal, nor the portal's requests the staff side); on the way out it lets no
cookie but the CSRF token through. What is never in the request cannot be stored, logged
or audited by anything downstream.

``PortalLogFilter`` is the second line for the logs: a log record of a portal request
carries no request object (a mail handler would otherwise print its headers).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.shortcuts import render

from ostoja.portal.abuse import BUCKET, bucket_of

PREFIX = "/portal/"
# Errors answered with the portal's own page (a form's 400 is the form's own page).
_OWN_ERRORS = frozenset({403, 404, 405, 500})
# What identifies a visitor or where they came from; none of it reaches the portal's code.
IDENTIFYING = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_VIA",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MOBILE",
)


def is_portal(path: str) -> bool:
    return path.startswith(PREFIX)


def _csrf_only(header: str) -> str:
    value = parse_cookie(header).get(settings.CSRF_COOKIE_NAME)
    return f"{settings.CSRF_COOKIE_NAME}={value}" if value else ""


class PortalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_portal(request.path_info):
            return self.get_response(request)
        # The only thing kept of the address: today's abuse bucket (``abuse.bucket_of``).
        request.META[BUCKET] = bucket_of(request.META.get("REMOTE_ADDR", ""))
        for key in IDENTIFYING:
            request.META.pop(key, None)
        # Django's own code reads the address here and there: an unroutable placeholder.
        request.META["REMOTE_ADDR"] = "0.0.0.0"  # noqa: S104 — not a bind address
        request.META["HTTP_COOKIE"] = _csrf_only(request.META.get("HTTP_COOKIE", ""))
        request.__dict__.pop("COOKIES", None)  # a cached property: re-read from the header
        response = self.get_response(request)
        if response.status_code in _OWN_ERRORS:
            # The staff side's error page (its language switch, its CSRF cookie) is not the
            # portal's: a page of its own, in the five languages.
            response = render(
                request,
                "portal/error.html",
                {"status": response.status_code},
                status=response.status_code,
            )
        for name in list(response.cookies):
            if name != settings.CSRF_COOKIE_NAME:
                del response.cookies[name]
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class PortalLogFilter(logging.Filter):
    """Strip the request from log records of portal requests (a mail or debug handler
    would print its headers); the message itself names only the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if request is not None and is_portal(getattr(request, "path_info", "")):
            record.request = None
        return True
