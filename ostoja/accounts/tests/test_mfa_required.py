"""A member of staff without a second factor can reach nothing but enrolment."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ostoja.accounts.mfa import has_mfa, totp_now
from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.test import PASSWORD, make_user, text

pytestmark = pytest.mark.django_db


def _staff_paths() -> list[str]:
    """A concrete path for every URL pattern of Ostoja's own apps."""
    sample = {"code": "00000000-0000-4000-8000-000000000000", "action": "end-sessions"}
    paths: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if getattr(pattern.urlconf_module, "__name__", "").startswith("ostoja."):
                    walk(pattern.url_patterns, route)
            else:
                for name, value in sample.items():
                    route = route.replace(f"<uuid:{name}>", value).replace(f"<slug:{name}>", value)
                paths.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return [p for p in paths if p not in ("/health/", "/i18n/setlang/")]


def test_it_knows_the_staff_urls() -> None:
    assert {"/", "/users/", "/users/invite/"} <= set(_staff_paths())


def test_it_sends_a_user_without_mfa_to_enrolment_from_every_url(client: Client) -> None:
    persona = make_user(Organisation.objects.create(short_code="X"), Role.COORDINATOR, mfa=False)
    response = client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    assert response.status_code == 302  # signed in with the password alone …
    for path in _staff_paths():
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, path
            assert response["Location"] == "/accounts/2fa/", path  # … but sent to enrol
    response = client.get("/accounts/2fa/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


def test_it_lets_the_user_in_once_an_authenticator_is_enrolled(client: Client) -> None:
    persona = make_user(Organisation.objects.create(short_code="X"), Role.COUNSELLOR, mfa=False)
    client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert has_mfa(persona.user)
    assert client.get("/").status_code == 200


def test_htmx_requests_get_a_client_redirect(client: Client) -> None:
    persona = make_user(Organisation.objects.create(short_code="X"), Role.COUNSELLOR, mfa=False)
    client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    response = client.get("/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response["HX-Redirect"] == "/accounts/2fa/"
    assert "Set up two-factor" in text(client.get("/accounts/2fa/", HTTP_ACCEPT_LANGUAGE="en"))
