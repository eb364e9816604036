from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ostoja.audit.trail import AuditUnavailable, new_request_id, request_id


class AuditMiddleware:
    """Gives each request an id (kept in its audit entries and sent back as
    ``X-Request-ID``), and turns a failed audit write into a 503 that shows nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_id.set(new_request_id())
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            return response
        finally:
            request_id.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AuditUnavailable):
            return None
        # What cannot be audited does not happen — a sign-in included: the session ends
        # (flushed directly: signing out would try to write to the trail again).
        if hasattr(request, "session"):
            request.session.flush()
            request.user = AnonymousUser()
        context = {
            "title": _("Temporarily unavailable"),
            "message": _(
                "This could not be recorded in the audit trail, so it was not done and "
                "nothing is shown. Please try again in a moment; if it persists, tell the "
                "administrator."
            ),
        }
        return render(request, "home/error.html", context, status=503)
