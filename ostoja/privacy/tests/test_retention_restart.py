"""The retention job killed half-way and run again leaves no record half anonymised
(issue #19, "Done means"; SECURITY.md §8: "test crashes (SIGKILL)").

Everything is real, as in ``interventions/tests/test_worker_restart.py`` (whose worker and
helpers this uses): a ``run_huey`` worker process on the embedded SQLite queue and a SQLite
database of its own. Sixty records are due — contacts linked to nothing and people with no
case. The job is queued; as soon as the first record is anonymised the test freezes the
worker (SIGSTOP) wherever it is — in a record's transaction, or between two — and kills it
with SIGKILL. Every record is then either wholly anonymised, with its mark, or wholly
untouched, and the run is left unfinished. A new worker runs the job again: every record is
anonymised, once."""

import os
import signal
import sqlite3
import uuid
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

COUNT = 30  # of each kind

SEED = """
from ostoja.helpline.models import Contact
from ostoja.helpline.services import contact_save, contact_start
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.privacy.models import RecordKind
from ostoja.privacy.services import schedule_save
org = Organisation.objects.create(short_code="KCIK", name="Centrum", office_hours={})
dpo = make_user(org, Role.DPO).user
counsellor = make_user(org, Role.COUNSELLOR).user
for kind in (RecordKind.CONTACT, RecordKind.PERSON):
    schedule_save(organisation=org, kind=kind, length=1, unit="months", warn_days=0,
                  basis="Test.", acting_user=dpo)
for n in range(args["count"]):
    contact = contact_start(organisation=org, acting_user=counsellor,
                            caller_number=f"+48 600 100 {n:03d}")
    contact_save(contact=contact, data={"summary": f"Rozmowa {n}"}, complete=True,
                 acting_user=counsellor)
    person_create(organisation=org, data={"name": f"Osoba Testowa {n}", "phone":
                  f"+48 700 100 {n:03d}", "birth_date": dt.date(1990, 1, 1)},
                  acting_user=counsellor)
earlier = timezone.now() - dt.timedelta(days=70)
Contact.objects.update(started_at=earlier)
Person.objects.update(created_at=earlier)
"""

ENQUEUE = """
from ostoja.privacy.tasks import retention_nightly
retention_nightly()
"""


def test_a_killed_run_leaves_no_record_half_anonymised(
    tmp_path: Path, peers: tuple[Inbox, Gateway, int]
) -> None:
    _inbox, gateway, _smtp_port = peers
    env = worker_env(tmp_path, gateway)
    database = sqlite3.connect(tmp_path / "ostoja.sqlite3", timeout=30, isolation_level=None)

    def marks() -> int:
        return int(database.execute("SELECT count(*) FROM privacy_anonymisation").fetchone()[0])

    def states() -> dict[str, set[tuple[bool, bool]]]:
        """Per kind of record, the (anonymised?, marked?) pairs found."""
        marked = {
            row[0] for row in database.execute("SELECT target_code FROM privacy_anonymisation")
        }
        contacts = database.execute(
            "SELECT code, summary IS NULL AND caller_number IS NULL"
            " AND caller_number_index IS NULL, summary IS NULL OR caller_number IS NULL"
            " FROM helpline_contact"
        ).fetchall()
        people = database.execute(
            "SELECT p.code, p.name IS NULL AND p.phone IS NULL AND p.phone_index IS NULL"
            " AND p.birth_date IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM people_personkey k WHERE k.person_id = p.id),"
            " p.name IS NULL OR p.phone IS NULL OR p.birth_date IS NULL"
            " OR NOT EXISTS (SELECT 1 FROM people_personkey k WHERE k.person_id = p.id)"
            " FROM people_person p"
        ).fetchall()
        found: dict[str, set[tuple[bool, bool]]] = {}
        for kind, rows in (("contact", contacts), ("person", people)):
            for code, wholly, partly in rows:
                # Half anonymised: some of it cleared, not all of it.
                assert bool(wholly) == bool(partly), f"{kind} {code} half anonymised"
                dashed = str(uuid.UUID(hex=str(code)))  # SQLite keeps a UUID as 32 digits
                found.setdefault(kind, set()).add((bool(wholly), dashed in marked))
        return found

    def all_marked() -> Callable[[], bool]:
        return lambda: marks() == 2 * COUNT

    log = tmp_path / "worker.log"
    django_run(env, SEED, count=COUNT)

    # 1. The job starts; after its first record the write lock is taken and it is killed.
    first = Worker(env, log)
    try:
        django_run(env, ENQUEUE)
        wait_for("the first record anonymised", lambda: marks() >= 1)
        os.kill(first.process.pid, signal.SIGSTOP)  # frozen wherever it is, then killed
        first.kill()
    finally:
        first.stop()
    done = marks()
    assert 1 <= done < 2 * COUNT
    # Each record wholly anonymised with its mark, or wholly untouched without one.
    for pairs in states().values():
        assert pairs <= {(True, True), (False, False)}
    assert database.execute(
        "SELECT count(*) FROM privacy_retentionrun WHERE finished_at IS NULL"
    ).fetchone() == (1,)

    # 2. Run again: it carries on, and every record is anonymised once.
    second = Worker(env, log)
    try:
        django_run(env, ENQUEUE)
        wait_for("every record anonymised", all_marked())
        wait_for(
            "the run to finish",
            lambda: (
                database.execute(
                    "SELECT count(*) FROM privacy_retentionrun WHERE finished_at IS NOT NULL"
                ).fetchone()
                == (1,)
            ),
        )
    finally:
        second.stop()
    assert states() == {"contact": {(True, True)}, "person": {(True, True)}}
    audit = database.execute(
        "SELECT action, count(*), count(DISTINCT target_code) FROM audit_auditentry"
        " WHERE action LIKE '%.anonymised' GROUP BY action ORDER BY action"
    ).fetchall()
    assert audit == [("contact.anonymised", COUNT, COUNT), ("person.anonymised", COUNT, COUNT)]
    database.close()
    assert "Traceback" not in log.read_text(encoding="utf-8")
