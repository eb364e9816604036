"""Sessions end when idle or too old, on sign-out everywhere, and on deactivation."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.test import Persona, sign_in, text

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def test_it_ends_an_idle_session_with_a_clear_message(
    client: Client, centre: dict[Role, Persona]
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, centre[Role.COUNSELLOR])
        traveller.shift(dt.timedelta(minutes=14))
        assert client.get("/").status_code == 200  # activity resets the idle clock
        traveller.shift(dt.timedelta(minutes=14))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=16))
        response = client.get("/users/?page=2", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/users/%3Fpage%3D2"
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
        assert "signed out after 15 minutes without activity" in text(page)
        assert client.get("/").status_code == 302  # the session is gone server-side


def test_the_idle_limit_is_configurable(
    client: Client, centre: dict[Role, Persona], settings: Settings
) -> None:
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, centre[Role.COUNSELLOR])
        traveller.shift(dt.timedelta(minutes=6))
        assert client.get("/").status_code == 302


def test_it_ends_a_session_at_its_maximum_age_even_when_active(
    client: Client, centre: dict[Role, Persona]
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, centre[Role.COUNSELLOR])
        for _ in range(12 * 6):  # a busy 12-hour day, a click every 10 minutes
            traveller.shift(dt.timedelta(minutes=10))
            if client.get("/").status_code != 200:
                break
        traveller.shift(dt.timedelta(minutes=10))
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
        page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
        assert "maximum length" in text(page)


def test_htmx_requests_of_an_expired_session_redirect_the_page(
    client: Client, centre: dict[Role, Persona]
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, centre[Role.COUNSELLOR])
        traveller.shift(dt.timedelta(minutes=20))
        response = client.get("/", HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"].startswith("/accounts/login/?next=/")


def test_sign_out_clears_the_browser_and_the_session(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.COUNSELLOR])
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/").status_code == 302


def test_a_user_signs_out_everywhere_else(client: Client, centre: dict[Role, Persona]) -> None:
    persona = centre[Role.CASE_MANAGER]
    elsewhere = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(elsewhere, persona)
        traveller.shift(dt.timedelta(seconds=31))  # a new TOTP code for the second device
        sign_in(client, persona)
        page = client.get("/accounts/sessions/")
        assert page.status_code == 200
        response = client.post("/accounts/sessions/", {"action": "logout"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        assert elsewhere.get("/").status_code == 302
