"""A task worker killed while it sends a check-in, and restarted, neither loses nor repeats
it (issue 17: "everything on the task queue, surviving restarts"; like the 24/7
intervention's ``test_worker_restart``, whose worker and peers this test reuses).

Everything is real: ``run_huey`` processes on the embedded SQLite store and a SQLite
database of their own, and a local SMS gateway that holds the first message unanswered
while the worker is killed with SIGKILL. The row was written before the message was sent;
the attempt cut short is rolled back with its transaction, and the next run sends it.
"""

import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ostoja.interventions.tests.test_notify import Gateway
from ostoja.interventions.tests.test_worker_restart import Worker, wait_for, worker_env

PRELUDE = """
import datetime as dt, json, sys
import django
django.setup()
from django.utils import timezone
from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.prevention.models import FlagCatalogue
from ostoja.prevention.services import check_in_series_start, counselling_save
from ostoja.prevention.tasks import check_ins_run
from ostoja.test import make_user
"""

# A counselling with check-ins by SMS that began yesterday: one is due now.
SEED = """
org = Organisation.objects.create(short_code="KCIK", name="Centrum")
counsellor = make_user(org, Role.COUNSELLOR).user
counselling = counselling_save(data={"country": "NL"}, flags=[], organisation=org,
    catalogue=FlagCatalogue.current(), acting_user=counsellor)
today = timezone.localdate()
check_in_series_start(counselling=counselling, acting_user=counsellor, data={
    "channel": "sms", "phone": "+31612345678", "email": "", "language": "pl",
    "consent_by": "the person", "consent_on": today, "starts_on": today - dt.timedelta(days=1),
    "interval_days": 7, "count": 3, "answer_hours": 48})
"""


def django_run(env: dict[str, str], code: str) -> str:
    done = subprocess.run(  # noqa: S603  # our own code
        [sys.executable, "-c", PRELUDE + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    gateway = Gateway()
    gateway.start()
    yield gateway
    gateway.stop()


def test_a_killed_worker_neither_loses_nor_repeats_a_check_in(
    tmp_path: Path, gateway: Gateway
) -> None:
    env = worker_env(tmp_path, gateway)
    django_run(env, SEED)
    database = sqlite3.connect(tmp_path / "ostoja.sqlite3", timeout=10)

    def rows() -> list[tuple[str, str, int]]:
        return database.execute(
            "SELECT code, status, attempts FROM prevention_checkin ORDER BY id"
        ).fetchall()

    log = tmp_path / "worker.log"

    def runs_done() -> int:
        """How many runs the workers finished (a periodic task keeps no result to wait on)."""
        lines = log.read_text(encoding="utf-8").splitlines()
        return sum(
            " INFO huey " in x and "ostoja.prevention.tasks.check_ins_run" in x and "executed" in x
            for x in lines
        )

    # 1. The run writes the check-in and sends it; the gateway holds it, the worker dies.
    gateway.hold_next = True
    first = Worker(env, log)
    try:
        django_run(env, "check_ins_run()")
        wait_for("the check-in to reach the gateway", gateway.holding.is_set)
        first.kill()
    finally:
        first.stop()
    gateway.release()
    # The row was committed before the sending; the attempt cut short left nothing.
    [(code, status, attempts)] = rows()
    assert (status, attempts) == ("pending", 0) and gateway.accepted == []

    # 2. A new worker, the next run: the check-in is sent; another run sends nothing.
    second = Worker(env, log)
    try:
        django_run(env, "check_ins_run()")
        wait_for("the check-in to be sent", lambda: rows()[0][1] == "sent")
        done = runs_done()
        django_run(env, "check_ins_run()")
        wait_for("another run", lambda: runs_done() > done)
    finally:
        second.stop()
    assert rows() == [(code, "sent", 1)]
    assert [(m["reference"], m["to"]) for m in gateway.accepted] == [
        (str(uuid.UUID(code)), "+31612345678")
    ]
    # Two requests: the one held and dropped when the worker died, and the one taken.
    assert gateway.requests == 2 and gateway.bad_signatures == 0
    database.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")
