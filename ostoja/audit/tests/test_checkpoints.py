"""Checkpoints: the chain's head, signed, outside the database — and what they catch that
the chain alone cannot: a tail cut together with a rewritten head."""

import datetime as dt
import json
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from huey.contrib.djhuey import HUEY
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.audit import checkpoints, guards
from ostoja.audit.checks import check_checkpoints
from ostoja.audit.models import AuditEntry, AuditHead
from ostoja.audit.tasks import checkpoint_hourly
from ostoja.audit.trail import record
from ostoja.people.models import Person
from ostoja.privacy.tasks import checkpoint_daily
from ostoja.test import Persona, make_user

pytestmark = pytest.mark.django_db


def _verify(*args: str) -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except CommandError as error:
        return f"FAILED {error} {err.getvalue()}"
    return out.getvalue() + err.getvalue()


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _entries(count: int) -> None:
    for number in range(count):
        record("test.done", actor=None, data={"n": number})


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _cut_tail_and_rewrite_head(keep: int) -> None:
    """What the database owner can do unseen by the chain: delete the last entries and set
    the head to the new last one (recomputing nothing: the kept links are genuine)."""
    guards.suspend(connection)
    last = AuditEntry.objects.get(seq=keep)
    _sql("DELETE FROM audit_auditentry WHERE seq > %s", [keep])
    _sql("UPDATE audit_audithead SET seq = %s, link = %s WHERE id = 1", [keep, last.link])


def test_the_hourly_task_appends_a_signed_checkpoint_to_a_private_file(
    checkpoint_dir: Path, centre: dict[Role, Persona], settings: Settings
) -> None:
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = True  # the hourly one never mails
    _entries(3)
    assert checkpoint_hourly.call_local() == 3
    _entries(2)
    assert checkpoint_hourly.call_local() == 5
    file = checkpoint_dir / "checkpoints.jsonl"
    assert _mode(checkpoint_dir) == 0o700 and _mode(file) == 0o600
    lines = file.read_text().splitlines()
    first, second = (checkpoints.parse(line) for line in lines)
    head = AuditHead.objects.get(pk=1)
    assert (second.seq, second.link) == (head.seq, head.link) and second.authentic
    assert (first.seq, first.link) == (3, AuditEntry.objects.get(seq=3).link) and first.authentic
    assert dt.datetime.fromisoformat(second.at).utcoffset() == dt.timedelta(0)
    assert not mail.outbox
    assert "It matches 2 checkpoint(s), the newest of" in _verify()


def test_the_tasks_run_hourly_and_daily() -> None:
    def due(hour: int, minute: int) -> set[str]:
        at = dt.datetime(2026, 12, 1, hour, minute)  # noqa: DTZ001  # huey: naive UTC
        return {type(task).__name__ for task in HUEY.read_periodic(at)}

    assert "checkpoint_hourly" in due(3, 41) and "checkpoint_hourly" in due(14, 41)
    assert "checkpoint_hourly" not in due(3, 42)
    assert "checkpoint_daily" in due(5, 53) and "checkpoint_daily" not in due(6, 53)


def test_the_daily_checkpoint_is_mailed_to_each_dpo_and_holds_no_personal_data(
    checkpoint_dir: Path,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    client_person: Person,
    settings: Settings,
) -> None:
    other_dpo = make_user(other_centre[Role.ADMINISTRATOR].user.organisation, Role.DPO)
    record("person.viewed", actor=centre[Role.COUNSELLOR].user, target=client_person)
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = False
    assert checkpoint_daily.call_local() == 0  # off: the file only
    assert not mail.outbox
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = True
    assert checkpoint_daily.call_local() == 2
    lines = (checkpoint_dir / "checkpoints.jsonl").read_text().splitlines()
    assert len(lines) == 2
    # One message for each DPO, who do not see each other's address.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([centre[Role.DPO].email, other_dpo.email])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    message = mail.outbox[0]
    assert lines[-1] in message.body  # the line to paste into audit_verify --checkpoint
    assert "audit_verify --checkpoint" in message.body
    assert message.subject.startswith("[Ostoja] ")
    # Nothing of the client, of the staff or of the entries: a number, a link and a time.
    secrets = [
        str(client_person.code),
        "Олена",
        "Shevchenko",
        "600 100 200",
        "person.viewed",
        "people.person",
        centre[Role.COUNSELLOR].user.full_name,
        centre[Role.DPO].user.full_name,
        centre[Role.DPO].email,
        other_dpo.email,
        "Centrum testowe",  # the organisation
    ]
    stored = (checkpoint_dir / "checkpoints.jsonl").read_text()
    for mailed in mail.outbox:
        for secret in secrets:
            assert secret not in mailed.body and secret not in mailed.subject, secret
    for secret in secrets:
        assert secret not in stored, secret
    for line in lines:
        assert set(json.loads(line)) == {"seq", "link", "at", "sig"}


def test_a_tail_cut_with_a_rewritten_head_is_caught_by_the_checkpoint(
    checkpoint_dir: Path,
) -> None:
    _entries(10)
    call_command("audit_checkpoint", stdout=StringIO(), stderr=StringIO())
    mailed = (checkpoint_dir / "checkpoints.jsonl").read_text().strip()
    _cut_tail_and_rewrite_head(keep=7)
    # Without its checkpoint, the shortened chain verifies: this is the gap they close.
    (checkpoint_dir / "checkpoints.jsonl").rename(checkpoint_dir / "elsewhere.jsonl")
    alone = _verify()
    assert "The audit chain verifies: 7 entries." in alone
    assert "Warning: there is no checkpoint file" in alone
    # With it — from the file, or pasted from the DPO's e-mail — the cut is named.
    (checkpoint_dir / "elsewhere.jsonl").rename(checkpoint_dir / "checkpoints.jsonl")
    at = checkpoints.parse(mailed).at
    expected = f"the chain ends at entry 7, but the checkpoint of {at} names entry 10"
    assert "FAILED The audit chain is broken at entry 8." in _verify()
    assert expected in _verify() and "its tail was cut" in _verify()
    (checkpoint_dir / "checkpoints.jsonl").unlink()
    assert expected in _verify("--checkpoint", mailed)


def test_entries_appended_after_a_cut_do_not_match_the_checkpoint(checkpoint_dir: Path) -> None:
    _entries(10)
    call_command("audit_checkpoint", stdout=StringIO(), stderr=StringIO())
    _cut_tail_and_rewrite_head(keep=7)
    guards.install(connection)
    _entries(4)  # the application carries on from the rewritten head, links and all
    result = _verify()
    assert "FAILED The audit chain is broken at entry 10." in result
    assert "Audit entry 10 is broken: it differs from the checkpoint of" in result


def test_a_checkpoint_file_on_a_copy_elsewhere_is_read_too(
    checkpoint_dir: Path, tmp_path: Path
) -> None:
    _entries(4)
    call_command("audit_checkpoint", stdout=StringIO(), stderr=StringIO())
    copy = tmp_path / "copy.jsonl"
    copy.write_text((checkpoint_dir / "checkpoints.jsonl").read_text())
    (checkpoint_dir / "checkpoints.jsonl").unlink()
    _cut_tail_and_rewrite_head(keep=2)
    result = _verify("--checkpoint-file", str(copy))
    assert "the chain ends at entry 2, but the checkpoint of" in result


def test_a_forged_or_damaged_checkpoint_is_reported(
    checkpoint_dir: Path, settings: Settings
) -> None:
    _entries(5)
    call_command("audit_checkpoint", stdout=StringIO(), stderr=StringIO())
    genuine = json.loads((checkpoint_dir / "checkpoints.jsonl").read_text())
    # Someone without the audit key moves a checkpoint back, to hide a cut …
    moved = json.dumps(genuine | {"seq": 3})
    # … or signs one with a key of their own.
    good = settings.AUDIT_KEY
    settings.AUDIT_KEY = b"an attacker's own key, 32 bytes."
    own = checkpoints.take().line()
    settings.AUDIT_KEY = good
    with (checkpoint_dir / "checkpoints.jsonl").open("a") as file:
        file.write(moved + "\n" + own + "\nnot a checkpoint\n{}\n")
    result = _verify()
    assert "FAILED 4 checkpoint(s) are not signed with the audit key." in result
    assert f"checkpoints.jsonl:2 is forged or damaged: the checkpoint of {genuine['at']}" in result
    assert "checkpoints.jsonl:3 is forged or damaged: the checkpoint of" in result
    assert "checkpoints.jsonl:4 is forged or damaged: not JSON." in result
    assert "checkpoints.jsonl:5 is forged or damaged: not a checkpoint" in result
    pasted = _verify("--checkpoint", moved)
    assert "Checkpoint --checkpoint 1 is forged or damaged" in pasted
    # The genuine one still counts: the chain itself is sound.
    (checkpoint_dir / "checkpoints.jsonl").write_text(json.dumps(genuine) + "\n")
    assert "It matches 1 checkpoint(s)" in _verify()


@pytest.mark.parametrize(
    "line",
    [
        '{"seq": -1, "link": "", "at": "", "sig": ""}',
        '{"seq": "1", "link": "", "at": "", "sig": ""}',
        '{"seq": true, "link": "", "at": "", "sig": ""}',
        '{"seq": 1, "link": 2, "at": "", "sig": ""}',
        '{"seq": 1, "link": "", "at": "", "sig": "", "more": 1}',
        "[1, 2, 3, 4]",
    ],
)
def test_a_line_that_is_not_a_checkpoint_is_refused(line: str) -> None:
    with pytest.raises(ValueError, match="not a checkpoint"):
        checkpoints.parse(line)


def test_a_missing_checkpoint_file_is_a_warning_and_the_deploy_check_names_the_risks(
    checkpoint_dir: Path, settings: Settings
) -> None:
    _entries(2)
    result = _verify()
    assert "The audit chain verifies: 2 entries." in result
    assert f"Warning: there is no checkpoint file {checkpoint_dir / 'checkpoints.jsonl'}" in result
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = True
    assert check_checkpoints(None) == []  # a new instance: no file yet, not an issue
    call_command("audit_checkpoint", stdout=StringIO(), stderr=StringIO())
    assert check_checkpoints(None) == []
    checkpoint_dir.chmod(0o755)
    assert [m.id for m in check_checkpoints(None)] == ["ostoja.audit.W002"]
    checkpoint_dir.chmod(0o700)
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = False
    assert [m.id for m in check_checkpoints(None)] == ["ostoja.audit.W001"]


def test_the_command_prints_and_mails_a_checkpoint_on_demand(
    checkpoint_dir: Path, centre: dict[Role, Persona], settings: Settings
) -> None:
    settings.OSTOJA_AUDIT_CHECKPOINT_MAIL = True
    _entries(3)
    out, err = StringIO(), StringIO()
    call_command("audit_checkpoint", stdout=out, stderr=err)
    printed = checkpoints.parse(out.getvalue().strip())
    assert printed.authentic and printed.seq == 3
    assert (checkpoint_dir / "checkpoints.jsonl").read_text() == out.getvalue()
    assert "Mailed to 1 data protection officer(s)." in err.getvalue()
    assert [m.to for m in mail.outbox] == [[centre[Role.DPO].email]]


def test_an_empty_chain_has_a_checkpoint_that_anchors_nothing(checkpoint_dir: Path) -> None:
    call_command("audit_checkpoint", stdout=StringIO(), stderr=StringIO())
    assert "The audit chain verifies: 0 entries." in _verify()


def test_an_entry_deleted_under_a_checkpoint_is_named_by_it(checkpoint_dir: Path) -> None:
    _entries(5)
    call_command("audit_checkpoint", stdout=StringIO(), stderr=StringIO())
    _entries(2)
    with (checkpoint_dir / "checkpoints.jsonl").open("a") as file:
        file.write("\n")  # blank lines are skipped
    guards.suspend(connection)
    _sql("DELETE FROM audit_auditentry WHERE seq = 5")
    result = _verify("--all", "--checkpoint", "{not json")
    assert "Audit entry 5 is broken: entry 5 is missing (next is 6)." in result
    assert "Audit entry 5 is broken: it is missing, and the checkpoint of" in result
    assert "Checkpoint --checkpoint 1 is forged or damaged: not JSON." in result
