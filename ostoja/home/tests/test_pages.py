"""Every page: security headers, a strict CSP, nothing from another host, both languages."""

import re

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.home.checks import check_csrf_middleware
from ostoja.test import Persona, sign_in, staff_paths, text

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/password/reset/", "/no-such-page/"]
STAFF_PAGES = [
    "/",
    "/accounts/2fa/",
    "/accounts/password/change/",
    "/accounts/sessions/",
    "/accounts/reauthenticate/",
    "/users/",
    "/users/invite/",
]
# src/href/action/srcset values that would make the browser contact another host.
EXTERNAL = re.compile(
    r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:[a-z]+:)?//""", re.I
)


def assert_secure_headers(response) -> None:  # type: ignore[no-untyped-def]
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp)  # a nonce when one is used
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_it_secures_public_pages(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert_secure_headers(response)
    assert not EXTERNAL.search(text(response))


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.COUNSELLOR])
def test_it_secures_every_staff_page(
    client: Client, centre: dict[Role, Persona], role: Role
) -> None:
    sign_in(client, centre[role])
    for path in sorted(set(STAFF_PAGES) | set(staff_paths())):
        response = client.get(path)
        assert response.status_code in (200, 403, 404, 405), path
        assert_secure_headers(response)
        body = text(response)
        assert not EXTERNAL.search(body), path
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
            assert nonce and f'nonce="{nonce.group(1)}"' in body, path


def test_it_uses_a_fresh_nonce_for_each_response(client: Client) -> None:
    first = client.get("/accounts/login/")["Content-Security-Policy"]
    second = client.get("/accounts/login/")["Content-Security-Policy"]
    assert first != second


def test_it_speaks_polish_by_default_and_english_on_request(client: Client) -> None:
    assert "Zaloguj się do Ostoi" in text(client.get("/accounts/login/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in to Ostoja" in text(client.get("/accounts/login/"))


def test_health_reports_the_database(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_csrf_is_enforced_with_origin_null(client: Client, db: None) -> None:
    """Browsers send ``Origin: null`` under ``no-referrer``: the token still decides."""
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/accounts/login/",
        {"login": "a@b.test", "password": "x"},
        HTTP_ORIGIN="null",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert "This form has expired" in text(response)
    page = strict.get("/accounts/login/")
    token = page.cookies["ostoja-csrf"].value
    response = strict.post(
        "/accounts/login/",
        {"login": "a@b.test", "password": "x", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
    )
    assert response.status_code == 200  # the form answers (wrong password), not a 403
    evil = strict.post(
        "/accounts/login/",
        {"login": "a@b.test", "password": "x", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://evil.example",
    )
    assert evil.status_code == 403


def test_the_csrf_check_stands_in_for_djangos(settings: Settings) -> None:
    assert check_csrf_middleware(None) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "Csrf" not in m]
    assert [message.id for message in check_csrf_middleware(None)] == ["ostoja.E001"]
