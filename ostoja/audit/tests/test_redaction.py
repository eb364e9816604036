"""Redaction of an entry's data: a service that leaves its own entry, checked by the
verifier."""

import inspect
import uuid
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.audit import guards
from ostoja.audit.chain import verify
from ostoja.audit.models import REDACTED, AuditEntry
from ostoja.audit.services import entries_redact, entry_redact
from ostoja.audit.trail import record
from ostoja.test import Persona, make_user

pytestmark = pytest.mark.django_db
Reason = AuditEntry.RedactionReason


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
        (mine, centre[Role.ADMINISTRATOR].user, "Only the data protection officer"),
        (mine, centre[Role.COORDINATOR].user, "Only the data protection officer"),
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
