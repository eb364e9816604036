"""Signing in: password, then a second factor that cannot be skipped or replayed."""

import re

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.test import PASSWORD, Persona, sign_in, text

pytestmark = pytest.mark.django_db


def test_it_signs_in_with_password_and_totp(client: Client, centre: dict[Role, Persona]) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    response = client.get("/")
    assert response.status_code == 200
    assert centre[Role.COUNSELLOR].user.full_name in text(response)


def test_it_rejects_a_wrong_code_with_a_clear_message(
    client: Client, centre: dict[Role, Persona]
) -> None:
    persona = centre[Role.COUNSELLOR]
    client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    wrong = "000000" if persona.code() != "000000" else "111111"
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Incorrect code" in text(response)
    assert client.get("/").status_code == 302


def test_it_refuses_a_totp_code_used_once_already(
    client: Client, centre: dict[Role, Persona]
) -> None:
    persona = centre[Role.COUNSELLOR]
    sign_in(client, persona)
    other = Client()
    other.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    response = other.post("/accounts/2fa/authenticate/", {"code": persona.code()})
    assert response.status_code == 200  # the form again, not a redirect into Ostoja
    assert other.get("/").status_code == 302


def test_it_locks_an_account_after_repeated_failures(
    client: Client, centre: dict[Role, Persona], settings: Settings
) -> None:
    persona = centre[Role.COUNSELLOR]
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": persona.email, "password": "nope"})
        assert response.status_code == 200
    # Even the right password is refused now, with a message that says why.
    response = client.post(
        "/accounts/login/",
        {"login": persona.email, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in text(response)
    assert client.get("/").status_code == 302


def _login_answer(client: Client, email: str) -> tuple[int, str]:
    response = client.post("/accounts/login/", {"login": email, "password": "wrong password!"})
    body = text(response).split('<main id="content"', 1)[1]  # without per-request nonces
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return response.status_code, body


def test_it_answers_the_same_for_unknown_and_known_addresses(
    client: Client, centre: dict[Role, Persona]
) -> None:
    known = centre[Role.COUNSELLOR].email
    status_known, body_known = _login_answer(client, known)
    status_unknown, body_unknown = _login_answer(Client(), "nobody@staff.test")
    assert status_known == status_unknown == 200
    assert body_known.replace(known, "X") == body_unknown.replace("nobody@staff.test", "X")


def test_it_locks_unknown_addresses_just_like_known_ones(client: Client, db: None) -> None:
    for _ in range(5):
        client.post("/accounts/login/", {"login": "ghost@staff.test", "password": "nope"})
    response = client.post(
        "/accounts/login/",
        {"login": "ghost@staff.test", "password": "nope"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Too many failed login attempts" in text(response)


def test_it_spends_the_same_hashing_work_on_unknown_addresses(
    client: Client, centre: dict[Role, Persona]
) -> None:
    """Timing: the costly step is hashing the password; an unknown address costs one hash
    too, so response times do not tell known from unknown (ASVS 6.3.8)."""
    from django.contrib.auth import hashers

    real_hasher = hashers.get_hasher("default")
    calls: list[str] = []
    original = type(real_hasher).encode

    def counting_encode(self, password, salt, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(salt)
        return original(self, password, salt, *args, **kwargs)

    type(real_hasher).encode = counting_encode  # type: ignore[method-assign]
    try:
        _login_answer(client, centre[Role.COUNSELLOR].email)
        known = len(calls)
        calls.clear()
        _login_answer(Client(), "nobody@staff.test")
        unknown = len(calls)
    finally:
        type(real_hasher).encode = original  # type: ignore[method-assign]
    assert known == unknown == 1


def test_a_half_signed_in_user_reaches_nothing(client: Client, centre: dict[Role, Persona]) -> None:
    persona = centre[Role.ADMINISTRATOR]
    client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    for path in ("/", "/users/", "/users/invite/", "/accounts/2fa/", "/accounts/sessions/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path
