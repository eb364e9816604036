from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
