"""The administrator's user pages: invite, change role, deactivate, end sessions, reset MFA."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ostoja.accounts.mfa import has_mfa
from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.test import PASSWORD, Persona, make_user, sign_in, text

pytestmark = pytest.mark.django_db
NOT_ADMINS = [role for role in Role if role != Role.ADMINISTRATOR]
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _invite(client: Client, **data: str) -> Any:
    form = {"email": "new.worker@staff.test", "full_name": "Nowa Osoba", "role": "counsellor"}
    return client.post("/users/invite/", form | data, HTTP_ACCEPT_LANGUAGE="en")


def _user_pages(target: User) -> list[tuple[str, str]]:
    base = f"/users/{target.code}/"
    return [
        ("get", "/users/"),
        ("get", "/users/invite/"),
        ("get", base),
        ("post", base),
        ("post", base + "end-sessions/"),
        ("post", base + "reset-mfa/"),
        ("post", base + "resend-invitation/"),
    ]


def test_it_lists_the_organisations_users_only(
    client: Client,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    client.get("/users/")
    with CaptureQueriesContext(connection) as few:
        client.get("/users/")
    organisation = centre[Role.DPO].user.organisation
    for number in range(30):
        make_user(organisation, Role.COUNSELLOR, email=f"c{number}@staff.test", mfa=False)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get("/users/"))
    assert len(many) == len(few) <= 17  # one page costs the same, however many users
    assert centre[Role.DPO].email in page
    assert "c29@staff.test" in page
    assert other_centre[Role.COORDINATOR].email not in page


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_other_roles_cannot_use_any_user_page(
    client: Client, centre: dict[Role, Persona], role: Role
) -> None:
    sign_in(client, centre[role])
    target = centre[Role.COUNSELLOR].user
    for method, path in _user_pages(target):
        response = getattr(client, method)(path)
        assert response.status_code == 403, (method, path)
    target.refresh_from_db()
    assert target.is_active and has_mfa(target)


def test_an_administrator_of_another_centre_gets_404(
    client: Client, centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    sign_in(client, other_centre[Role.ADMINISTRATOR])
    target = centre[Role.COUNSELLOR].user
    for method, path in _user_pages(target)[2:]:
        response = getattr(client, method)(path)
        assert response.status_code == 404, (method, path)
    target.refresh_from_db()
    assert target.is_active and has_mfa(target)


def test_an_unknown_action_is_404(client: Client, centre: dict[Role, Persona]) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    target = centre[Role.COUNSELLOR].user
    assert client.post(f"/users/{target.code}/delete-everything/").status_code == 404


def test_it_invites_a_user_who_sets_a_password_then_must_enrol(
    client: Client, centre: dict[Role, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client)
    new = User.objects.get(email="new.worker@staff.test")
    assert response.status_code == 302
    assert response["Location"] == f"/users/{new.code}/"
    assert new.role == Role.COUNSELLOR and not new.has_usable_password()
    assert new.organisation == centre[Role.ADMINISTRATOR].user.organisation
    # The invitation goes out (through the task queue) with a one-time link.
    (message,) = mail.outbox
    assert message.to == ["new.worker@staff.test"]
    link = re.search(
        r"http://127\.0\.0\.1:8000(/accounts/password/reset/key/\S+)", str(message.body)
    )
    assert link, message.body
    invited = Client()
    form = invited.get(link.group(1), follow=True)
    assert form.status_code == 200
    new_password = "a long and unguessable passphrase 42"
    done = invited.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    new.refresh_from_db()
    assert new.check_password(new_password)
    # Signing in works with the new password, and leads straight to enrolment.
    invited.post("/accounts/login/", {"login": new.email, "password": new_password})
    assert invited.get("/")["Location"] == "/accounts/2fa/"
    # The link worked once.
    assert "Bad Token" in text(Client().get(link.group(1), follow=True, HTTP_ACCEPT_LANGUAGE="en"))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"full_name": ""}, "This field is required."),
        ({"role": "superuser"}, "Select a valid choice."),
        ({"email": "counsellor.kcik@staff.test"}, "already exists"),
    ],
)
def test_it_explains_bad_invitations_and_keeps_what_was_typed(
    client: Client, centre: dict[Role, Persona], data: dict[str, str], error: str
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    count = User.objects.count()
    response = _invite(client, **data)
    assert response.status_code == 200
    assert error in text(response)
    assert "Nowa Osoba" in text(response) or data.get("full_name") == ""
    assert User.objects.count() == count
    assert not mail.outbox


def test_it_changes_a_role_with_immediate_effect(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    worker = centre[Role.COUNSELLOR]
    colleague = Client()
    sign_in(colleague, worker)
    assert colleague.get("/users/").status_code == 403
    response = client.post(
        f"/users/{worker.user.code}/",
        {"full_name": "Anna Nowak", "role": "administrator", "is_active": "on"},
    )
    assert response.status_code == 302
    worker.user.refresh_from_db()
    assert worker.user.full_name == "Anna Nowak" and worker.user.role == Role.ADMINISTRATOR
    assert colleague.get("/users/").status_code == 200  # no new sign-in needed


def test_deactivating_a_user_ends_their_sessions(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    worker = centre[Role.CASE_MANAGER]
    colleague = Client()
    sign_in(colleague, worker)
    response = client.post(
        f"/users/{worker.user.code}/", {"full_name": worker.user.full_name, "role": "case_manager"}
    )
    assert response.status_code == 302
    assert colleague.get("/").status_code == 302
    again = Client().post("/accounts/login/", {"login": worker.email, "password": PASSWORD})
    assert again.status_code == 302 and "inactive" in again["Location"]


def test_an_administrator_cannot_demote_or_lock_out_themselves(
    client: Client, centre: dict[Role, Persona]
) -> None:
    admin = centre[Role.ADMINISTRATOR]
    sign_in(client, admin)
    response = client.post(
        f"/users/{admin.user.code}/",
        {"full_name": "X", "role": "analyst", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "cannot change your own role" in text(response)
    admin.user.refresh_from_db()
    assert admin.user.role == Role.ADMINISTRATOR and admin.user.full_name != "X"


def test_it_ends_a_users_sessions_and_resets_their_second_factor(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    worker = centre[Role.SPECIALIST]
    colleague = Client()
    sign_in(colleague, worker)
    client.post(f"/users/{worker.user.code}/end-sessions/")
    assert colleague.get("/").status_code == 302
    response = client.post(f"/users/{worker.user.code}/reset-mfa/")
    assert response.status_code == 302
    assert not has_mfa(worker.user)
    colleague.post("/accounts/login/", {"login": worker.email, "password": PASSWORD})
    assert colleague.get("/")["Location"] == "/accounts/2fa/"


def test_it_resends_an_invitation_only_while_no_password_is_set(
    client: Client, centre: dict[Role, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client)
    new = User.objects.get(email="new.worker@staff.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/users/{new.code}/resend-invitation/")
    assert len(mail.outbox) == 2
    worker = centre[Role.COUNSELLOR].user
    response = client.post(
        f"/users/{worker.code}/resend-invitation/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "already set a password" in text(response)
    assert len(mail.outbox) == 2


def test_sudo_mode_asks_again_for_the_password_and_loses_nothing(
    client: Client, centre: dict[Role, Persona]
) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, centre[Role.ADMINISTRATOR])
        traveller.shift(dt.timedelta(minutes=6))  # sudo mode (5 minutes) has lapsed
        response = _invite(client)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/reauthenticate/?next=%2Fusers%2Finvite%2F"
        assert not User.objects.filter(email="new.worker@staff.test").exists()
        wrong = client.post(response["Location"], {"password": "wrong"})
        assert wrong.status_code == 200
        assert not User.objects.filter(email="new.worker@staff.test").exists()
        resumed = client.post(response["Location"], {"password": PASSWORD})
        # The suspended invitation goes through as typed before the question.
        assert resumed.status_code == 302
        assert User.objects.filter(email="new.worker@staff.test", full_name="Nowa Osoba").exists()
        traveller.shift(dt.timedelta(minutes=2))  # still in sudo mode: no question
        assert _invite(client, email="second@staff.test").status_code == 302
        assert User.objects.filter(email="second@staff.test").exists()
