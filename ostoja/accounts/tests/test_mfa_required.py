"""A member of staff without a second factor can reach nothing but enrolment."""

import pytest
from django.test import Client

from ostoja.accounts.mfa import has_mfa, totp_now
from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.test import PASSWORD, make_user, staff_paths, text

pytestmark = pytest.mark.django_db


def test_it_knows_the_staff_urls() -> None:
    assert {"/", "/users/", "/users/invite/"} <= set(staff_paths())


def test_it_sends_a_user_without_mfa_to_enrolment_from_every_url(client: Client) -> None:
    persona = make_user(Organisation.objects.create(short_code="X"), Role.COORDINATOR, mfa=False)
    response = client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    assert response.status_code == 302  # signed in with the password alone …
    for path in staff_paths():
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


def test_removing_the_last_factor_is_noticed_at_once(client: Client) -> None:
    """The second factor is asked of the database once a session; removing it asks again."""
    from ostoja.test import force_sign_in

    persona = make_user(Organisation.objects.create(short_code="X"), Role.COUNSELLOR)
    force_sign_in(client, persona.user)
    assert client.get("/").status_code == 200
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302 and not has_mfa(persona.user)
    assert client.get("/")["Location"] == "/accounts/2fa/"
