from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.urls import reverse
from django.utils.cache import add_never_cache_headers


class PrivateResponseMiddleware:
    """Staff pages are never stored by a browser or proxy (ASVS 14.3.2), and signing out
    tells the browser to drop what it kept for the site (ASVS 14.3.1)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.logout_path = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Cache-Control"] += ", no-store"
        if not self.logout_path:
            self.logout_path = reverse("account_logout")
        if request.method == "POST" and request.path == self.logout_path:
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class CsrfViewMiddleware(csrf.CsrfViewMiddleware):
    """Django's CSRF protection, accepting ``Origin: null``.

    With ``Referrer-Policy: no-referrer`` (ASVS 3.4.5 — a URL holding a case code must
    never reach anyone), Chromium sends ``Origin: null`` on our own form posts, which
    Django's origin check refuses. Such a request is still held to the full CSRF token
    check, and our cookies are ``SameSite=Lax``, so a cross-site post carries no session.
    """

    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null":
            return True
        return bool(super()._origin_verified(request))  # type: ignore[misc]
