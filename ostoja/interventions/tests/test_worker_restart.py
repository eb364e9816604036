"""A task worker killed mid-escalation and restarted neither loses nor repeats a
notification (issue "24/7 intervention"; SECURITY.md §8: "test crashes (SIGKILL)").

Everything here is real: a ``run_huey`` worker process on the embedded SQLite store and a
SQLite database of its own (as ``make run`` has them), a local SMTP server and a local SMS
gateway (``test_notify``). The test plays the service and the clock: it opens the
emergency and enqueues ``escalate_intervention`` as the service does, and moves the
intervention's opening into the past to make the next step due.

1. The primary is told (e-mail and SMS).
2. The backup falls due; its e-mail goes out and the gateway holds its SMS unanswered —
   the worker is killed with SIGKILL right then, the SMS neither taken nor recorded.
3. The coordinator falls due, a new worker starts and the every-minute check runs: the
   coordinator is told, and the backup's SMS — pending, a minute old — is sent again.
4. Another check and escalation change nothing. Each (step, recipient, channel) has one
   row, sent; the SMTP server and the gateway each received every message exactly once.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from ostoja.interventions.tests.test_notify import SECRET, Gateway, Inbox, free_port

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
DEADLINE = 60.0

PRELUDE = """
import datetime as dt, json, os, sys
import django
django.setup()
from django.db.models import F
from django.utils import timezone
from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.duty.models import DutyPhone, DutySettings, Shift
from ostoja.interventions.models import Intervention, Notification
from ostoja.interventions.tasks import escalate_intervention, escalation_check
from ostoja.test import make_user
args = json.loads(sys.argv[1])
"""

# The centre, its duty shift and an emergency opened now, outside office hours (this
# organisation has none, so the test does not depend on the hour it runs at).
SEED = """
now = timezone.now()
org = Organisation.objects.create(short_code="KCIK", name="Centrum", office_hours={})
DutySettings.objects.create(organisation=org, acknowledge_minutes=10, idle_minutes=600)
primary = make_user(org, Role.COUNSELLOR).user
backup = make_user(org, Role.CASE_MANAGER).user
coordinator = make_user(org, Role.COORDINATOR).user
for user, number in ((primary, "600 700 800"), (backup, "600 700 801"),
                     (coordinator, "600 700 802")):
    DutyPhone.objects.create(user=user, number=number)
Shift.objects.create(organisation=org, start=now - dt.timedelta(hours=2),
                     end=now + dt.timedelta(hours=2), primary=primary, backup=backup,
                     created_by=coordinator)
intervention = Intervention.objects.create(
    organisation=org, reference="KCIK/I/2026/0001", situation="danger",
    location="ul. Ukryta 5", first_contact_at=now, opened_at=now, office_hours=False,
    opened_by=primary)
escalate_intervention(intervention.pk)
print(json.dumps({"intervention": intervention.pk, "primary": primary.email,
                  "backup": backup.email, "coordinator": coordinator.email}))
"""

# The clock moves on: the intervention was opened ``minutes`` earlier than recorded.
ADVANCE = """
minutes = dt.timedelta(minutes=args["minutes"])
Intervention.objects.filter(pk=args["intervention"]).update(opened_at=F("opened_at") - minutes)
Notification.objects.update(created_at=F("created_at") - minutes)
"""


def django_run(env: dict[str, str], code: str, **args: Any) -> str:
    done = subprocess.run(  # noqa: S603  # our own code
        [sys.executable, "-c", PRELUDE + code, json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def wait_for(what: str, condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class Worker:
    """A ``run_huey`` process: one worker thread, no periodic scheduling (the test runs the
    every-minute check itself, when it wants it)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log: IO[str] = log.open("a", encoding="utf-8")
        self.process = subprocess.Popen(  # noqa: S603  # our own manage.py
            [sys.executable, MANAGE, "run_huey", "--workers", "1", "--no-periodic"],
            env=env,
            stdout=self.log,
            stderr=self.log,
        )

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=30) == -signal.SIGKILL
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


def worker_env(tmp_path: Path, gateway: Gateway, smtp_port: int | None = None) -> dict[str, str]:
    """The environment of workers on a database of their own in ``tmp_path`` (migrated
    here), the embedded queue, SMS to ``gateway`` and, if given, e-mail to ``smtp_port``."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DJANGO_SETTINGS_MODULE": "ostoja.settings",
        "OSTOJA_ENV": "development",
        "OSTOJA_VAR_DIR": str(tmp_path),
        "OSTOJA_TASK_QUEUE": "embedded",
        "OSTOJA_SMS_GATEWAY_URL": gateway.url,
        "OSTOJA_SMS_GATEWAY_SECRET": SECRET,
        "OSTOJA_LOG_LEVEL": "WARNING",
    }
    if smtp_port is not None:
        env |= {
            "OSTOJA_EMAIL_HOST": "127.0.0.1",
            "OSTOJA_EMAIL_PORT": str(smtp_port),
            "OSTOJA_EMAIL_STARTTLS": "false",
        }
    migrate = subprocess.run(  # noqa: S603  # our own manage.py
        [sys.executable, MANAGE, "migrate", "--no-input", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    return env


@pytest.fixture
def peers() -> Iterator[tuple[Inbox, Gateway, int]]:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    gateway = Gateway()
    gateway.start()
    yield inbox, gateway, smtp.port
    gateway.stop()
    smtp.stop()


def test_a_killed_worker_neither_loses_nor_repeats_a_notification(
    tmp_path: Path, peers: tuple[Inbox, Gateway, int]
) -> None:
    inbox, gateway, smtp_port = peers
    env = worker_env(tmp_path, gateway, smtp_port)
    database = sqlite3.connect(tmp_path / "ostoja.sqlite3", timeout=10)

    def rows() -> list[tuple[str, str, str, str, int]]:
        return database.execute(
            "SELECT n.step, u.email, n.channel, n.status, n.attempts"
            " FROM interventions_notification n JOIN accounts_user u ON u.id = n.recipient_id"
            " ORDER BY n.id"
        ).fetchall()

    def settled(count: int) -> Callable[[], bool]:
        return lambda: len(found := rows()) == count and all(r[3] == "sent" for r in found)

    log = tmp_path / "worker.log"
    people = json.loads(django_run(env, SEED))
    intervention = people["intervention"]

    # 1. The primary is told at once.
    first = Worker(env, log)
    try:
        wait_for("the primary's notifications", settled(2))
        assert len(inbox.messages) == 1 and len(gateway.accepted) == 1

        # 2. The backup is due; its SMS is held by the gateway and the worker is killed.
        gateway.hold_next = True
        django_run(
            env,
            ADVANCE + "escalate_intervention(args['intervention'])",
            intervention=intervention,
            minutes=11,
        )
        wait_for("the backup's SMS to reach the gateway", gateway.holding.is_set)
        first.kill()
    finally:
        first.stop()
    gateway.release()
    assert len(inbox.messages) == 2 and len(gateway.accepted) == 1
    state = {
        (step, email, channel): (status, attempts)
        for step, email, channel, status, attempts in rows()
    }
    # The attempt cut short left nothing behind: still pending, no attempt counted.
    assert state[("backup", people["backup"], "sms")] == ("pending", 0)
    assert state[("backup", people["backup"], "email")] == ("sent", 1)

    # 3. Ten minutes on (the coordinator is due), a new worker, the every-minute check.
    second = Worker(env, log)
    try:
        django_run(env, ADVANCE + "escalation_check()", intervention=intervention, minutes=10)
        wait_for("every notification to be sent", settled(6))
        # 4. Once more: nothing new is written or sent.
        again = ADVANCE + (
            "escalation_check()\n"
            "print(escalate_intervention(args['intervention']).get(blocking=True, timeout=60))"
        )
        assert django_run(env, again, intervention=intervention, minutes=1).strip() == "0"
    finally:
        second.stop()

    final = rows()
    expected = {
        (step, people[person], channel)
        for step, person in (
            ("primary", "primary"),
            ("backup", "backup"),
            ("coordinator", "coordinator"),
        )
        for channel in ("email", "sms")
    }
    assert Counter((step, email, channel) for step, email, channel, _, _ in final) == Counter(
        expected
    )
    assert {(status, attempts) for *_, status, attempts in final} == {("sent", 1)}
    # Each message reached its peer exactly once.
    assert Counter(m["To"] for m in inbox.messages) == Counter(
        [people["primary"], people["backup"], people["coordinator"]]
    )
    assert Counter(m["to"] for m in gateway.accepted) == Counter(
        ["+48600700800", "+48600700801", "+48600700802"]
    )
    references = [m["reference"] for m in gateway.accepted]
    assert len(set(references)) == 3
    # Four requests: three taken, one held and dropped when the worker died.
    assert gateway.requests == 4 and gateway.bad_signatures == 0
    database.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")
