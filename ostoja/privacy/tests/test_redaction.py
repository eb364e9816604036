"""Redaction of an entry's data: a service that leaves its own entry, checked by the
verifier, and the DPO's page that uses it."""

import datetime as dt
import inspect
import uuid
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.audit import guards
from ostoja.audit.chain import verify
from ostoja.audit.models import REDACTED, AuditEntry
from ostoja.audit.services import entries_redact, entry_redact
from ostoja.audit.trail import record
from ostoja.test import PASSWORD, Persona, assert_access, force_sign_in, make_user, sign_in, text

pytestmark = pytest.mark.django_db
Reason = AuditEntry.RedactionReason
START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _verify() -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", "--all", stdout=out, stderr=err)
    except CommandError as error:
        return f"FAILED {error} {err.getvalue()}"
    return out.getvalue()


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _read(user: User, fields: list[str] | None = None) -> AuditEntry:
    """An entry of ``user``'s organisation: a read of a client record."""
    return record(
        "person.viewed",
        actor=user,
        target_type="people.person",
        target_code=str(uuid.uuid4()),
        data={"fields": fields or ["name", "phone"]},
    )


def _dpo(centre: dict[Role, Persona]) -> User:
    return centre[Role.DPO].user


def _other_dpo(other_centre: dict[Role, Persona]) -> Persona:
    return make_user(other_centre[Role.ADMINISTRATOR].user.organisation, Role.DPO)


# --- The service ------------------------------------------------------------------------------


def test_entry_redact_writes_who_why_and_which_and_the_chain_verifies(
    centre: dict[Role, Persona],
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    read = _read(counsellor)
    later = _read(counsellor)
    redaction = entry_redact(entry=read, reason=Reason.ERASURE, acting_user=_dpo(centre))
    read.refresh_from_db()
    assert read.data == REDACTED and read.is_redacted
    assert AuditEntry.objects.get(seq=later.seq).data == {"fields": ["name", "phone"]}
    assert redaction.action == "audit.entry_redacted" and redaction.seq == later.seq + 1
    assert redaction.actor == _dpo(centre) and redaction.organisation == counsellor.organisation
    assert (redaction.target_type, redaction.target_code) == ("audit.auditentry", str(read.seq))
    assert redaction.purpose == "erasure" and redaction.data == {}
    assert str(redaction.redaction_reason) == str(Reason.ERASURE.label)
    assert "The audit chain verifies: 3 entries." in _verify()


def test_the_redaction_entry_holds_no_free_text() -> None:
    """The reason is a category: the service takes no note (services.py says why)."""
    assert set(inspect.signature(entries_redact).parameters) == {"entries", "reason", "acting_user"}
    assert set(inspect.signature(entry_redact).parameters) == {"entry", "reason", "acting_user"}


def test_it_refuses_and_changes_nothing(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    dpo = _dpo(centre)
    read = _read(centre[Role.COUNSELLOR].user)
    redaction = entry_redact(entry=read, reason=Reason.MISTAKE, acting_user=dpo)
    theirs = _read(other_centre[Role.COORDINATOR].user)
    nobodys = record("auth.sign_in_failed", actor=None, data={"known_account": False})
    mine = _read(centre[Role.CASE_MANAGER].user)
    count = AuditEntry.objects.count()
    refusals = [
        (AuditEntry(seq=99999), dpo, "Entry 99999 does not exist"),
        (redaction, dpo, "records a redaction; it cannot be redacted itself"),
        (read, dpo, "is already redacted"),
        (theirs, dpo, "is not your organisation's"),
        (nobodys, dpo, "is not your organisation's"),
    ]
    for entry, user, message in refusals:
        with pytest.raises(ValidationError, match=message), translation.override("en"):
            entry_redact(entry=entry, reason=Reason.RETENTION, acting_user=user)
    assert AuditEntry.objects.count() == count
    assert AuditEntry.objects.get(seq=theirs.seq).data == {"fields": ["name", "phone"]}
    assert AuditEntry.objects.get(seq=mine.seq).data == {"fields": ["name", "phone"]}
    # The other organisation's DPO may redact its own entry.
    entry_redact(entry=theirs, reason=Reason.RETENTION, acting_user=_other_dpo(other_centre).user)
    assert "verifies" in _verify()


def test_a_batch_is_all_or_nothing(centre: dict[Role, Persona]) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    entries = [_read(counsellor) for _ in range(5)]
    entry_redact(entry=entries[3], reason=Reason.RETENTION, acting_user=_dpo(centre))
    count = AuditEntry.objects.count()
    already = f"Entry {entries[3].seq} is already redacted"
    with pytest.raises(ValidationError, match=already), translation.override("en"):
        entries_redact(entries=entries, reason=Reason.RETENTION, acting_user=_dpo(centre))
    assert AuditEntry.objects.count() == count
    assert [e.seq for e in AuditEntry.objects.filter(data=REDACTED)] == [entries[3].seq]


def test_a_batch_costs_a_few_queries_per_chunk_and_verifies(centre: dict[Role, Persona]) -> None:
    """The retention job's form: one entry per redacted entry, appended under one lock of
    the head; the queries grow with the chunks of 500, not with the entries."""
    counsellor = centre[Role.COUNSELLOR].user
    for _ in range(1201):
        _read(counsellor)
    keep = _read(counsellor)
    targets = list(AuditEntry.objects.filter(action="person.viewed").exclude(seq=keep.seq))
    with CaptureQueriesContext(connection) as queries:
        redactions = entries_redact(
            entries=targets, reason=Reason.RETENTION, acting_user=_dpo(centre)
        )
    assert len(queries) <= 20  # 3 chunks x (lock-read + update) + head + inserts + savepoints
    assert [r.target_code for r in redactions] == [
        str(seq) for seq in sorted(t.seq for t in targets)
    ]
    assert all(t.data == REDACTED for t in targets)
    assert AuditEntry.objects.filter(data=REDACTED).count() == 1201
    assert AuditEntry.objects.get(seq=keep.seq).data == {"fields": ["name", "phone"]}
    assert "The audit chain verifies: 2403 entries." in _verify()
    assert list(verify(batch=7)) == []  # redacted and redaction entries in different batches


# --- What the verifier catches --------------------------------------------------------------


def test_a_redaction_in_the_database_is_named(centre: dict[Role, Persona]) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    entries = [_read(counsellor) for _ in range(4)]
    entry_redact(entry=entries[0], reason=Reason.RETENTION, acting_user=_dpo(centre))
    # The database role may do this (the guards permit exactly this update) …
    _sql("UPDATE audit_auditentry SET data = %s WHERE seq = %s", ['{"redacted": true}', 3])
    result = _verify()
    # … but no entry says who or why: the redaction by the service passes, this one does not.
    assert "FAILED The audit chain is broken at entry 3." in result
    assert "Audit entry 3 is broken: its data was redacted, but no redaction entry" in result
    assert "entry 1 " not in result


def test_undoing_a_redaction_or_redacting_its_record_is_caught(
    centre: dict[Role, Persona],
) -> None:
    counsellor = centre[Role.COUNSELLOR].user
    first, second = _read(counsellor), _read(counsellor, ["address"])
    one = entry_redact(entry=first, reason=Reason.ERASURE, acting_user=_dpo(centre))
    two = entry_redact(entry=second, reason=Reason.ERASURE, acting_user=_dpo(centre))
    assert "verifies" in _verify()
    # The database owner puts the erased data back (its hash still matches) …
    guards.suspend(connection)
    _sql("UPDATE audit_auditentry SET data = %s WHERE seq = %s", ['{"fields": ["address"]}', 2])
    # … and wipes the evidence of the other redaction (allowed by the guards, had they been on).
    _sql("UPDATE audit_auditentry SET data = %s WHERE seq = %s", ['{"redacted": true}', one.seq])
    result = _verify()
    assert (
        f"Audit entry {two.seq} is broken: it records the redaction of entry 2, which is not "
        "a redacted entry before it." in result
    )
    assert f"Audit entry {one.seq} is broken: its data was redacted, but no redaction" in result


# --- The DPO's pages --------------------------------------------------------------------------


def test_the_dpo_redacts_an_entry_from_its_page(
    client: Client, centre: dict[Role, Persona]
) -> None:
    dpo = _dpo(centre)
    read = _read(centre[Role.COUNSELLOR].user)
    force_sign_in(client, dpo)
    page = client.get(f"/privacy/audit/entries/{read.seq}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Redact the data of this entry" in text(page) and "<code>fields</code>" in text(page)
    viewed = AuditEntry.objects.filter(action="audit.reviewed").latest("seq")
    assert (viewed.actor, viewed.target_code, viewed.purpose) == (dpo, str(read.seq), "entry")
    response = client.post(f"/privacy/audit/entries/{read.seq}/redact/", {"reason": "erasure"})
    assert response.status_code == 302
    assert response["Location"] == f"/privacy/audit/entries/{read.seq}/"
    read.refresh_from_db()
    assert read.is_redacted
    redaction = AuditEntry.objects.get(action="audit.entry_redacted")
    assert redaction.actor == dpo and redaction.target_code == str(read.seq)
    assert redaction.purpose == "erasure" and redaction.request_id
    shown = text(client.get(f"/privacy/audit/entries/{read.seq}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert f"redacted by {dpo.full_name} on " in shown
    assert "The person asked for erasure (GDPR Art. 17)" in shown
    assert f'href="/privacy/audit/entries/{redaction.seq}/"' in shown  # who/why/when, linked
    assert "<code>fields</code>" not in shown and "Redact the data of this entry" not in shown
    listing = text(client.get("/privacy/audit/", HTTP_ACCEPT_LANGUAGE="en"))
    assert f'href="/privacy/audit/entries/{read.seq}/">redacted</a>' in listing
    record_page = text(
        client.get(f"/privacy/audit/entries/{redaction.seq}/", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert "This entry records a redaction" in record_page
    assert f'href="/privacy/audit/entries/{read.seq}/"' in record_page
    assert "verifies" in _verify()


def test_a_redaction_outside_ostoja_shows_on_the_page(
    client: Client, centre: dict[Role, Persona]
) -> None:
    read = _read(centre[Role.COUNSELLOR].user)
    _sql("UPDATE audit_auditentry SET data = %s WHERE seq = %s", ['{"redacted": true}', read.seq])
    force_sign_in(client, _dpo(centre))
    page = text(client.get(f"/privacy/audit/entries/{read.seq}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "no entry records who did it: it was done outside Ostoja" in page


def test_only_the_dpo_of_the_entry_opens_and_redacts_it(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    read = _read(centre[Role.COUNSELLOR].user)
    for path, method in (
        (f"/privacy/audit/entries/{read.seq}/", "get"),
        (f"/privacy/audit/entries/{read.seq}/redact/", "post"),  # no reason: refused, see below
    ):
        assert_access(path, centre, other_centre, allowed={Role.DPO}, method=method)
    outsider = Client()
    force_sign_in(outsider, _other_dpo(other_centre).user)
    assert outsider.get(f"/privacy/audit/entries/{read.seq}/").status_code == 404
    response = outsider.post(f"/privacy/audit/entries/{read.seq}/redact/", {"reason": "retention"})
    assert response.status_code == 404
    wrong_role = Client()
    force_sign_in(wrong_role, centre[Role.ADMINISTRATOR].user)
    response = wrong_role.post(
        f"/privacy/audit/entries/{read.seq}/redact/", {"reason": "retention"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.get(seq=read.seq).data == {"fields": ["name", "phone"]}
    assert not AuditEntry.objects.filter(action="audit.entry_redacted").exists()


def test_no_organisations_entry_is_seen_but_not_redacted(
    client: Client, centre: dict[Role, Persona]
) -> None:
    failure = record("auth.sign_in_failed", actor=None, data={"known_account": False})
    force_sign_in(client, _dpo(centre))
    page = client.get(f"/privacy/audit/entries/{failure.seq}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Redact the data" not in text(page)
    response = client.post(f"/privacy/audit/entries/{failure.seq}/redact/", {"reason": "retention"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(seq=failure.seq).data == {"known_account": False}
    for code in ("0", "99999", "+1", "1_0", "00000000-0000-4000-8000-000000000000"):
        assert client.get(f"/privacy/audit/entries/{code}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose why the data is redacted."),
        ({"reason": ""}, "Choose why the data is redacted."),
        ({"reason": "boredom"}, "Select a valid choice. boredom is not one of the available"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client: Client, centre: dict[Role, Persona], data: dict[str, str], message: str
) -> None:
    read = _read(centre[Role.COUNSELLOR].user)
    force_sign_in(client, _dpo(centre))
    count = AuditEntry.objects.count()
    response = client.post(
        f"/privacy/audit/entries/{read.seq}/redact/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message in text(response)
    assert AuditEntry.objects.get(seq=read.seq).data == {"fields": ["name", "phone"]}
    # Nothing but the reading of the page it showed again.
    assert list(AuditEntry.objects.filter(seq__gt=count).values_list("action", flat=True)) == [
        "audit.reviewed"
    ]
    polish = client.post(
        f"/privacy/audit/entries/{read.seq}/redact/", data, HTTP_ACCEPT_LANGUAGE="pl"
    )
    assert message not in text(polish) and polish.status_code == 400


def test_a_refusal_of_the_service_is_shown_on_the_form(
    client: Client, centre: dict[Role, Persona]
) -> None:
    read = _read(centre[Role.COUNSELLOR].user)
    force_sign_in(client, _dpo(centre))
    client.post(f"/privacy/audit/entries/{read.seq}/redact/", {"reason": "mistake"})
    again = client.post(
        f"/privacy/audit/entries/{read.seq}/redact/",
        {"reason": "mistake"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 400
    assert f"Entry {read.seq} is already redacted." in text(again)
    assert AuditEntry.objects.filter(action="audit.entry_redacted").count() == 1


def test_redacting_asks_for_the_password_again_and_loses_nothing(
    client: Client, centre: dict[Role, Persona]
) -> None:
    read = _read(centre[Role.COUNSELLOR].user)
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, centre[Role.DPO])
        traveller.shift(dt.timedelta(minutes=6))  # sudo mode (5 minutes) has lapsed
        path = f"/privacy/audit/entries/{read.seq}/redact/"
        response = client.post(path, {"reason": "retention"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/?next=")
        assert not AuditEntry.objects.get(seq=read.seq).is_redacted
        resumed = client.post(response["Location"], {"password": PASSWORD})
        assert resumed.status_code == 302
    assert AuditEntry.objects.get(seq=read.seq).is_redacted
    assert AuditEntry.objects.get(action="audit.entry_redacted").purpose == "retention"
