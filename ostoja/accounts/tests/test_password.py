"""Changing one's password: the old one is asked for, the user is told by e-mail."""

import pytest
from django.core import mail
from django.test import Client

from ostoja.accounts.roles import Role
from ostoja.test import PASSWORD, Persona, sign_in, text

pytestmark = pytest.mark.django_db
NEW = "another long passphrase, 2026"


def test_a_user_changes_their_password_and_is_notified(
    client: Client, centre: dict[Role, Persona]
) -> None:
    persona = centre[Role.COUNSELLOR]
    sign_in(client, persona)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    persona.user.refresh_from_db()
    assert persona.user.check_password(NEW)
    assert [m.to for m in mail.outbox] == [[persona.email]]  # ASVS 6.3.7


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"oldpassword": "wrong", "password1": NEW, "password2": NEW}, "current password"),
        ({"oldpassword": PASSWORD, "password1": "short1", "password2": "short1"}, "too short"),
        (
            {"oldpassword": PASSWORD, "password1": "password123456", "password2": "password123456"},
            "too common",
        ),
        ({"oldpassword": PASSWORD, "password1": NEW, "password2": NEW + "x"}, "same password"),
    ],
)
def test_it_explains_a_rejected_password(
    client: Client, centre: dict[Role, Persona], data: dict[str, str], error: str
) -> None:
    persona = centre[Role.COUNSELLOR]
    sign_in(client, persona)
    response = client.post("/accounts/password/change/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert error in text(response)
    persona.user.refresh_from_db()
    assert persona.user.check_password(PASSWORD)
