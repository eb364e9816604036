"""A task worker killed in the middle of a resident's alarm, and restarted, neither loses
nor repeats an alert (issue 15: "the alert must not be lost when a worker restarts").

Everything here is real, as in ``interventions/tests/test_worker_restart.py`` (whose
worker, peers and helpers it uses): a ``run_huey`` worker process on the embedded SQLite
store and a SQLite database of its own, a local SMTP server and a local SMS gateway. The
test plays the clock and the every-minute check (the worker runs no periodic tasks).

1. A resident went out three hours ago and was expected back an hour ago, at night: the
   check raises the alarm — e-mails to the house's staff and the duty worker, an SMS to
   the duty worker's phone. The gateway holds the SMS unanswered and the worker is killed
   with SIGKILL right then: the SMS neither taken nor recorded.
2. A new worker starts; two minutes on, the check finds the SMS's row pending and
   overdue and sends it again; whatever the dead worker left in the queue is sent too.
3. Another check changes nothing. Each (recipient, channel) has one row, sent once; the
   SMTP server and the gateway each received every message exactly once, and the
   notification centre holds one notice per person (not e-mailed a second time).
"""

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ostoja.interventions.tests.test_notify import Gateway, Inbox
from ostoja.interventions.tests.test_worker_restart import (
    Worker,
    django_run,
    peers,
    wait_for,
    worker_env,
)

__all__ = ["peers"]  # the fixture, used by name

PRELUDE_SHELTER = """
from django.db.models import F
from ostoja.shelter.models import AbsenceAlert, Bed
from ostoja.shelter.tasks import absence_check
"""

# The centre (no office hours: the duty worker is called whatever the hour the test runs
# at), its duty shift, a shelter with its staff member, and a resident out since three
# hours ago, expected back an hour ago.
SEED = """
from ostoja.people.services import person_create
from ostoja.shelter.services import (
    absence_start, facility_create, placement_admit, placement_reserve)
now = timezone.now()
org = Organisation.objects.create(short_code="KCIK", name="Centrum", office_hours={})
staff = make_user(org, Role.SHELTER_STAFF).user
duty = make_user(org, Role.COUNSELLOR).user
coordinator = make_user(org, Role.COORDINATOR).user
DutyPhone.objects.create(user=duty, number="600 700 800")
Shift.objects.create(organisation=org, start=now - dt.timedelta(hours=6),
                     end=now + dt.timedelta(hours=6), primary=duty, created_by=coordinator)
facility = facility_create(
    organisation=org,
    data={"name": "Lipa", "kind": "shelter", "takes_women": True, "address": "ul. Tajna 7"},
    rooms=[("1", 1)], staff=[staff], acting_user=coordinator)
person = person_create(organisation=org, data={"name": "Olena", "gender": "Feminine"},
                       acting_user=duty)
placement = placement_reserve(person=person, bed=Bed.objects.get(), acting_user=staff)
placement_admit(placement=placement, at=now - dt.timedelta(days=1), brought_by="staff",
                arrived_with="", expected_departure=None, acting_user=staff)
absence_start(placement=placement, expected_back=now - dt.timedelta(hours=1), where="",
              acting_user=staff, at=now - dt.timedelta(hours=3))
print(json.dumps({"staff": staff.email, "duty": duty.email}))
"""

# The every-minute check, ``minutes`` later than the alerts were written.
CHECK = """
AbsenceAlert.objects.update(created_at=F("created_at") - dt.timedelta(minutes=args["minutes"]))
print(absence_check.call_local())
"""


def test_a_worker_killed_mid_alarm_neither_loses_nor_repeats_an_alert(
    tmp_path: Path, peers: tuple[Inbox, Gateway, int]
) -> None:
    inbox, gateway, smtp_port = peers
    env = worker_env(tmp_path, gateway, smtp_port)
    database = sqlite3.connect(tmp_path / "ostoja.sqlite3", timeout=10)

    def rows() -> list[tuple[str, str, str, int]]:
        return database.execute(
            "SELECT u.email, a.channel, a.status, a.attempts"
            " FROM shelter_absencealert a JOIN accounts_user u ON u.id = a.recipient_id"
            " ORDER BY a.id"
        ).fetchall()

    def settled(count: int) -> Callable[[], bool]:
        return lambda: len(found := rows()) == count and all(r[2] == "sent" for r in found)

    def check(minutes: int) -> int:
        return int(django_run(env, PRELUDE_SHELTER + CHECK, minutes=minutes).strip())

    log = tmp_path / "worker.log"
    people = json.loads(django_run(env, PRELUDE_SHELTER + SEED))

    # 1. The alarm: the SMS is held by the gateway, and the worker is killed meanwhile.
    gateway.hold_next = True
    first = Worker(env, log)
    try:
        assert check(0) == 3
        wait_for("the duty worker's SMS to reach the gateway", gateway.holding.is_set)
        first.kill()
    finally:
        first.stop()
    gateway.release()
    assert gateway.accepted == []
    state = {(email, channel): (status, attempts) for email, channel, status, attempts in rows()}
    # The attempt cut short left nothing behind: still pending, no attempt counted.
    assert state[(people["duty"], "sms")] == ("pending", 0)

    # 2. A new worker; two minutes on, the check sends again what is pending and overdue.
    second = Worker(env, log)
    try:
        check(2)
        wait_for("every alert to be sent", settled(3))
        # 3. Once more: nothing new is written or sent.
        assert check(2) == 0
    finally:
        second.stop()

    final = rows()
    assert Counter((email, channel) for email, channel, _, _ in final) == Counter(
        [(people["staff"], "email"), (people["duty"], "email"), (people["duty"], "sms")]
    )
    assert {(status, attempts) for *_, status, attempts in final} == {("sent", 1)}
    # Each message reached its peer exactly once, naming no one and no place.
    assert Counter(m["To"] for m in inbox.messages) == Counter([people["staff"], people["duty"]])
    assert [m["to"] for m in gateway.accepted] == ["+48600700800"]
    # Two requests: the one held and dropped when the worker died, the one taken.
    assert gateway.requests == 2 and gateway.bad_signatures == 0
    for message in inbox.messages:
        body = str(message)
        assert "Olena" not in body and "Tajna" not in body and "Lipa" not in body
    assert "Olena" not in gateway.accepted[0]["text"]
    notices = database.execute(
        "SELECT u.email, n.mailed_at IS NOT NULL FROM accounts_notice n"
        " JOIN accounts_user u ON u.id = n.recipient_id WHERE n.kind = 'absence'"
    ).fetchall()
    assert sorted(notices) == sorted([(people["staff"], 1), (people["duty"], 1)])
    database.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")
