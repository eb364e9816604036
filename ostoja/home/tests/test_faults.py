"""Faults under load (issue #20): the production stack on this machine (``stack.py``: a
PostgreSQL cluster of the test's own, Redis, gunicorn with ``deploy/gunicorn_conf.py``, a task
worker and the scheduler, Caddy with ``deploy/Caddyfile``) serves members of staff at work and
portal visitors (``traffic.py``) while, one after the other,

1. a member of staff opens an emergency intervention outside office hours (its escalation is
   enqueued for the task worker), and the task worker and the scheduler are killed with
   SIGKILL at once — whatever task they held is lost with them — and started again;
2. the web server is killed with SIGKILL (gunicorn's master and every worker, in whatever
   request they were) and started again;
3. PostgreSQL is stopped with ``pg_ctl -m immediate`` (every backend ends, nothing flushed
   but what the WAL already holds) and started again after a few seconds (crash recovery).

Then the load stops, and once the queue is empty:

* **no committed write is lost**: every contact the staff saw started (the redirect to its
  screen) exists, every one they saw completed (the redirect after "complete") is completed,
  every receipt code a portal visitor was shown opens its report, the intervention exists;
* **no partial record**: every contact has exactly one entry that created it (``contact.
  started`` by staff, ``contact.received`` from the portal) naming it as target
  (``helpline.contact``, its code), and every entry of a write to a contact (started,
  received, saved, completed) names a contact that exists; a contact is completed if and
  only if a ``contact.completed`` entry names it; the intervention has its
  ``intervention.opened`` entry;
* **no escalation lost or doubled**: the duty worker's notification of the intervention is
  sent, every notification row is sent, and the SMTP server received each one's message
  (its Message-ID) exactly once and no other;
* ``audit_verify`` passes, and the last seconds of the load, after every restart, had no
  error.

PostgreSQL only (skipped on SQLite like the other tests of several processes); it runs
Debian's PostgreSQL 15 programs from /usr/lib/postgresql/15/bin (as the postgres user when
run as root) and Debian's Caddy. A few minutes on two shared cores.
"""

import json
import shutil
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from ostoja.home.tests import traffic
from ostoja.home.tests.stack import SEED, Stack, wait_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the production stack needs PostgreSQL"
    ),
    # The stack has a database of its own; this one only has to exist for the session's
    # fixtures (conftest's sample table), as it does whenever other tests run with this one.
    pytest.mark.django_db,
]

PASSWORD = "fault-test-password-2026"
ROLES = ["counsellor"] * 6 + ["coordinator"] * 2 + ["shelter_staff"] * 2

# What the database holds after the faults (run with the stack's settings).
CHECK = """
from collections import Counter
from ostoja.audit.models import AuditEntry
from ostoja.helpline.models import Contact
from ostoja.interventions.models import Intervention, Notification
from ostoja.portal.models import Report
from ostoja.portal.receipt import lookup

contacts = dict(Contact.objects.values_list("code", "status"))
contacts = {str(code): status for code, status in contacts.items()}
entries = list(AuditEntry.objects.filter(target_type="helpline.contact").values_list(
    "action", "target_code"))
made = Counter(code for action, code in entries
               if action in ("contact.started", "contact.received"))
written = {code for action, code in entries if action in (
    "contact.started", "contact.received", "contact.saved", "contact.completed")}
completed_entries = {code for action, code in entries if action == "contact.completed"}
lookups = set(Report.objects.values_list("lookup", flat=True))
opened = set(AuditEntry.objects.filter(
    action="intervention.opened", target_type="interventions.intervention"
).values_list("target_code", flat=True))
print(json.dumps({
    "contacts": contacts,
    "made": made,
    "written_without_contact": sorted(written - set(contacts)),
    "completed_entries": sorted(completed_entries),
    "receipts_missing": [c for c in args["receipts"] if lookup(c) not in lookups],
    "interventions": [str(c) for c in Intervention.objects.values_list("code", flat=True)],
    "opened_entries": sorted(opened),
    "notifications": [
        {"intervention": str(n.intervention.code), "step": n.step, "channel": n.channel,
         "status": n.status, "message_id": n.provider_id}
        for n in Notification.objects.select_related("intervention")
    ],
}))
"""

QUEUE_EMPTY = """
from huey.contrib.djhuey import HUEY
print(HUEY.pending_count())
"""


def test_killed_servers_and_a_crashed_database_lose_no_confirmed_write() -> None:
    folder = Path(tempfile.mkdtemp(prefix="ostoja-faults-"))
    stack = Stack(folder, web_workers=3)
    stop = threading.Event()
    load: threading.Thread | None = None
    passed = False
    try:
        seeded = json.loads(stack.prepare(SEED, roles=ROLES, password=PASSWORD, demo=False))
        staff = [
            traffic.Person(s["email"], s["password"], s["secret"], s["role"])
            for s in seeded["staff"]
        ]
        # staff[0] is on duty (the seed's shift); staff[1] opens the emergency.
        world = traffic.World(staff=[staff[0], *staff[2:]], cases=[], people=[])
        stack.start()
        recorder = traffic.Recorder()
        load = threading.Thread(
            target=traffic.run,
            args=(world, recorder, stack.https_port, stack.tls()),
            kwargs={"seconds": 600, "think": 2.0, "ramp": 10.0, "portal_rate": 2.0, "stop": stop},
        )
        load.start()
        begin = recorder.began

        def at(second: float) -> None:
            time.sleep(max(0.0, begin + second - time.monotonic()))

        # 1. An emergency (the duty worker is told at once), then the task side crashes.
        at(15)
        duty = traffic.Browser(recorder, "ostoja.localhost", stack.https_port, stack.tls())
        assert traffic.sign_in(duty, staff[1])
        intervention = traffic.open_emergency(duty)
        duty.close()
        assert intervention, recorder.failures
        for service in (stack.worker, stack.scheduler):
            service.kill()
        time.sleep(3)  # systemd's RestartSec
        for service in (stack.worker, stack.scheduler):
            service.start()

        # 2. The web server crashes mid-request.
        at(30)
        stack.web.kill()
        time.sleep(3)
        stack.web.start()
        wait_for("the web server again", stack.web_up)

        # 3. PostgreSQL crashes; its crash recovery replays the WAL.
        at(45)
        stack.postgres.stop_immediate()
        time.sleep(5)
        stack.postgres.start()
        wait_for("PostgreSQL again", stack.postgres_up)
        recovered = time.monotonic() + 5  # the requests it held (and failed) are answered

        at(max(80, recovered - begin + 30))  # half a minute of work after the last restart
        stop.set()
        load.join(300)
        assert not load.is_alive()
        ended = time.monotonic()
        # Everyone at work after the last restart was served without an error.
        after = recorder.table(since=recovered, until=ended)
        assert after and after[-1]["requests"] > 50, after
        assert after[-1]["errors"] == 0, "\n".join(recorder.failures) + stack.tracebacks()

        # The escalation is done: the queue empty, the duty worker's e-mail sent.
        def settled() -> bool:
            return int(stack.django(QUEUE_EMPTY).strip()) == 0 and bool(stack.inbox.messages)

        wait_for("the escalation", settled, timeout=180)
        time.sleep(3)  # anything still running on the worker would show now
        found = json.loads(stack.django(CHECK, receipts=recorder.confirmed["receipt"]))

        # No committed write lost.
        contacts = found["contacts"]
        assert recorder.confirmed["contact started"]
        assert not set(recorder.confirmed["contact started"]) - set(contacts)
        assert recorder.confirmed["contact completed"]
        assert all(contacts[c] == "completed" for c in recorder.confirmed["contact completed"])
        assert recorder.confirmed["receipt"]
        assert found["receipts_missing"] == []
        assert intervention in found["interventions"]

        # No partial record.
        assert found["made"] == dict.fromkeys(contacts, 1)
        assert found["written_without_contact"] == []
        done = {code for code, status in contacts.items() if status == "completed"}
        assert set(found["completed_entries"]) == done
        assert set(found["interventions"]) == set(found["opened_entries"])

        # No escalation lost or doubled.
        notifications = found["notifications"]
        assert any(
            n["intervention"] == intervention and n["step"] == "primary" for n in notifications
        ), notifications
        assert all(n["status"] == "sent" for n in notifications), notifications
        received = Counter(str(m["Message-ID"]) for m in stack.inbox.messages)
        assert received == Counter(n["message_id"] for n in notifications)

        verified = stack.manage("audit_verify")
        assert verified.returncode == 0, verified.stderr
        passed = True
    finally:
        stop.set()
        if load is not None:
            load.join(300)
        stack.stop()
        if passed:  # else its logs are kept for a look
            shutil.rmtree(folder, ignore_errors=True)
