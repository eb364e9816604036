"""The audit trail: entries for reads and changes, a chain that proves them, guards that
keep them, and requests that fail when they cannot be recorded."""

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.accounts.services import user_update
from ostoja.audit import guards
from ostoja.audit.chain import link_of
from ostoja.audit.models import AuditEntry, AuditHead
from ostoja.audit.trail import AuditUnavailable, record
from ostoja.test import PASSWORD, Persona, sign_in, text

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def _verify() -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError as error:
        return f"FAILED {error} {err.getvalue()}"
    return out.getvalue()


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_sign_ins_and_failures_are_recorded(client: Client, centre: dict[Role, Persona]) -> None:
    persona = centre[Role.COUNSELLOR]
    client.post("/accounts/login/", {"login": persona.email, "password": "wrong"})
    client.post("/accounts/login/", {"login": "nobody@staff.test", "password": "wrong"})
    sign_in(client, persona)
    client.post("/accounts/logout/")
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.action for e in entries] == [
        "auth.sign_in_failed",
        "auth.sign_in_failed",
        "auth.signed_in",
        "auth.signed_out",
    ]
    assert entries[0].data == {"known_account": True}
    assert entries[0].target_code == str(persona.user.code)
    assert entries[1].data == {"known_account": False} and entries[1].target_code == ""
    assert "nobody" not in str(entries[1].__dict__)  # the typed address is not kept
    assert entries[2].actor == persona.user and entries[2].organisation == persona.user.organisation


def test_changes_and_reads_of_staff_records_are_recorded(
    client: Client, centre: dict[Role, Persona]
) -> None:
    admin = centre[Role.ADMINISTRATOR]
    sign_in(client, admin)
    target = centre[Role.COUNSELLOR].user
    response = client.get(f"/users/{target.code}/")
    client.post(
        f"/users/{target.code}/",
        {"full_name": "Nowe Imię", "role": "case_manager", "is_active": "on"},
    )
    viewed = AuditEntry.objects.get(action="user.viewed")
    assert viewed.actor == admin.user and viewed.target_code == str(target.code)
    assert viewed.request_id == response["X-Request-ID"]
    updated = AuditEntry.objects.get(action="user.updated")
    assert updated.data == {"role": ["counsellor", "case_manager"], "full_name": ["…", "…"]}
    assert "Nowe" not in str(updated.data)


def test_the_chain_verifies_and_names_an_edited_entry(db: None) -> None:
    for number in range(1, 11):
        record("test.done", actor=None, data={"n": number})
    assert "The audit chain verifies: 10 entries." in _verify()
    guards.suspend(connection)  # behind the application's back (a superuser, or a DBA)
    _sql("UPDATE audit_auditentry SET action = 'test.hidden' WHERE seq = 6")
    assert "FAILED The audit chain is broken at entry 6" in _verify()


def test_it_names_changed_data_a_deleted_entry_and_a_cut_tail(db: None) -> None:
    for number in range(1, 11):
        record("test.done", actor=None, data={"n": number})
    guards.suspend(connection)
    _sql("UPDATE audit_auditentry SET data = %s WHERE seq = 3", ['{"n": 33}'])
    assert "broken at entry 3" in _verify() and "data was changed" in _verify()
    _sql("UPDATE audit_auditentry SET data = %s WHERE seq = 3", ['{"n": 3}'])
    _sql("DELETE FROM audit_auditentry WHERE seq = 7")
    assert "broken at entry 7" in _verify() and "missing" in _verify()
    _sql("DELETE FROM audit_auditentry WHERE seq >= 7")
    assert "broken at entry 7" in _verify() and "head says 10" in _verify()


def test_a_chain_recomputed_without_the_key_is_caught(db: None, settings: Any) -> None:
    """Someone with the database but not OSTOJA_AUDIT_KEY edits an entry and rebuilds every
    link after it with a key of their own: the real key does not accept the result."""
    for number in range(1, 4):
        record("test.done", actor=None, data={"n": number})
    guards.suspend(connection)
    good = settings.AUDIT_KEY
    settings.AUDIT_KEY = b"an attacker's own key, 32 bytes."
    previous = ""
    for entry in AuditEntry.objects.order_by("seq"):
        if entry.seq == 2:
            entry.action = "test.hidden"
        entry.link = link_of(entry, previous)
        _sql(
            "UPDATE audit_auditentry SET action = %s, link = %s WHERE seq = %s",
            [entry.action, entry.link, entry.seq],
        )
        previous = entry.link
    _sql("UPDATE audit_audithead SET link = %s", [previous])
    settings.AUDIT_KEY = good
    assert "broken at entry 1" in _verify()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET action = 'x' WHERE seq = 1",
        "UPDATE audit_auditentry SET data = '{}' WHERE seq = 1",
        "DELETE FROM audit_auditentry WHERE seq = 1",
        "DELETE FROM audit_audithead",
        "UPDATE audit_audithead SET seq = 0, link = ''",
    ],
)
def test_the_database_refuses_to_change_the_trail(db: None, statement: str) -> None:
    record("test.done", actor=None, data={"secret": "x"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(statement)
    assert "verifies: 1 entries" in _verify()


def test_data_redacted_in_the_database_is_caught(db: None) -> None:
    """The guards let the database role redact ``data`` (the application needs that); done
    with the role rather than the application, no entry says who or why, and verify says
    so (the service's way: test_redaction.py)."""
    record("test.done", actor=None, data={"fields": ["name"]})
    record("test.done", actor=None)
    _sql("UPDATE audit_auditentry SET data = %s WHERE seq = 1", ['{"redacted": true}'])
    assert AuditEntry.objects.get(seq=1).data == {"redacted": True}
    result = _verify()
    assert "FAILED The audit chain is broken at entry 1." in result
    assert "Audit entry 1 is broken: its data was redacted, but no redaction entry" in result


def _block_audit_writes() -> None:
    """Make the audit table refuse new rows, as a full disk or a revoked grant would."""
    if connection.vendor == "postgresql":
        _sql(
            "CREATE FUNCTION test_block() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'audit storage is unavailable'; END $$ LANGUAGE plpgsql"
        )
        _sql(
            "CREATE TRIGGER test_block BEFORE INSERT ON audit_auditentry "
            "FOR EACH ROW EXECUTE FUNCTION test_block()"
        )
    else:
        _sql(
            "CREATE TRIGGER test_block BEFORE INSERT ON audit_auditentry "
            "BEGIN SELECT RAISE(ABORT, 'audit storage is unavailable'); END"
        )


def test_personal_data_is_not_shown_when_the_read_cannot_be_recorded(
    client: Client, centre: dict[Role, Persona]
) -> None:
    sign_in(client, centre[Role.ADMINISTRATOR])
    other = Client()
    other.force_login(centre[Role.ADMINISTRATOR].user)
    target = centre[Role.COUNSELLOR].user
    _block_audit_writes()
    response = client.get(f"/users/{target.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert target.email not in text(response) and target.full_name not in text(response)
    assert "could not be recorded in the audit trail" in text(response)
    listing = other.get("/users/")
    assert listing.status_code == 503 and target.email not in text(listing)
    # A session whose reads cannot be recorded ends.
    assert client.get("/").status_code == other.get("/").status_code == 302


def test_a_change_that_cannot_be_recorded_does_not_happen(
    client: Client, centre: dict[Role, Persona], django_capture_on_commit_callbacks: Any
) -> None:
    admin = centre[Role.ADMINISTRATOR]
    sign_in(client, admin)
    target = centre[Role.COUNSELLOR].user
    _block_audit_writes()
    with django_capture_on_commit_callbacks(execute=True):
        invite = client.post(
            "/users/invite/", {"email": "new@staff.test", "full_name": "N", "role": "counsellor"}
        )
        with pytest.raises(AuditUnavailable):
            user_update(
                user=target,
                full_name="X",
                role=Role.ANALYST,
                is_active=False,
                acting_user=admin.user,
            )
    assert invite.status_code == 503
    assert not User.objects.filter(email="new@staff.test").exists()
    target.refresh_from_db()
    assert target.role == Role.COUNSELLOR and target.is_active and target.full_name != "X"
    assert not mail.outbox


def test_a_failed_sign_in_that_cannot_be_recorded_lets_nobody_in(
    client: Client, centre: dict[Role, Persona]
) -> None:
    _block_audit_writes()
    persona = centre[Role.COUNSELLOR]
    failed = client.post("/accounts/login/", {"login": persona.email, "password": "wrong"})
    assert failed.status_code == 503
    client.post("/accounts/login/", {"login": persona.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": persona.code()})
    assert response.status_code == 503  # the sign-in could not be recorded …
    assert client.get("/").status_code == 302  # … so it did not happen


def test_numbers_have_no_gaps_and_the_head_follows(db: None) -> None:
    for _ in range(5):
        record("test.done", actor=None)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    head = AuditHead.objects.get(pk=1)
    assert head.seq == 5 and head.link == AuditEntry.objects.get(seq=5).link
