"""A year of retention with the clock frozen (issue #19, "Done means"): a contact and a
closed case pass their retention dates, the case manager is warned once, the nightly job
anonymises them, the matcher and the repeat-caller lookup find the person no more, the
database file holds no trace of the values removed — not even their ciphertext — the
document's file is gone, and the year's statistics are what they were; a case under a
legal hold is untouched until the hold ends, and goes the day after.

On a committed database (``transaction=True``): the file is read as it is on disk."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from pytest_django.fixtures import Settings

from ostoja.accounts.models import Notice, Organisation
from ostoja.accounts.roles import Role
from ostoja.accounts.services import notice_preferences_set
from ostoja.cases.models import Case, Document
from ostoja.cases.services import case_open, case_status, document_add
from ostoja.helpline.models import Contact
from ostoja.helpline.selectors import previous_contacts
from ostoja.helpline.services import contact_link, contact_save, contact_start
from ostoja.lib.crypto.fields import blind_lookup
from ostoja.people.matching import find_matches
from ostoja.people.models import Person, PersonKey
from ostoja.people.services import person_create
from ostoja.privacy import retention
from ostoja.privacy.models import Anonymisation, LegalHold, RecordKind, RetentionRun
from ostoja.privacy.services import hold_set, schedule_save
from ostoja.reports.exports.victims import assisted
from ostoja.reports.figures import FIGURES, Period
from ostoja.test import Persona

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2026
SECRETS = [
    "Ганна Коваленко",
    "Hanna Kovalenko",
    "kalina-7",
    "601 222 333",
    "+48601222333",
    "Marzena Wiśniewska",
    "Strykowie",
    "Ogrodowa 12",
    "Umowa Kovalenko",
]


def day(month: int, day_: int) -> Any:
    return time_machine.travel(dt.datetime(YEAR, month, day_, 9, tzinfo=dt.UTC), tick=False)


def statistics(organisation: Organisation) -> tuple[dict[str, Any], list[Any]]:
    period = Period.year(YEAR)
    figures = {key: FIGURES[key](organisation, period).as_dict() for key in FIGURES}
    return figures, assisted(organisation, period.start, period.end)


def sealed(table: str, column: str, pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608  # names are ours
        value = cursor.fetchone()[0]
    return bytes(value) if value is not None else b""


def as_stored(ciphertext: bytes) -> bytes:
    """A ciphertext as ``database_bytes`` shows it."""
    return ciphertext.hex().encode() if connection.vendor == "postgresql" else ciphertext


def database_bytes() -> bytes:
    """What the database holds: on SQLite its file (and write-ahead log) as bytes; on
    PostgreSQL every row of every table as text (``bytea`` written as hex: ``as_stored``)."""
    if connection.vendor == "postgresql":
        rows: list[str] = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608  # our tables
                rows += [row[0] for row in cursor.fetchall()]
        return "\n".join(rows).encode()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(connection.settings_dict["NAME"])
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.usefixtures("audit_flushable")
def test_a_year_of_retention(
    centre: dict[Role, Persona], settings: Settings, tmp_path: Path
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    manager = centre[Role.CASE_MANAGER].user
    counsellor = centre[Role.COUNSELLOR].user
    dpo = centre[Role.DPO].user
    organisation = manager.organisation
    assert organisation is not None
    notice_preferences_set(user=manager, kinds=[Notice.Kind.RETENTION], acting_user=manager)

    # January: the DPO's schedules; a client with a case and a document; an anonymous
    # caller; a call from the client linked to the case; a second client whose case
    # proceedings keep under a legal hold until the end of October.
    with day(1, 12):
        schedule_save(
            organisation=organisation, kind=RecordKind.CASE, length=6, unit="months",
            warn_days=30, basis="Test.", acting_user=dpo,
        )  # fmt: skip
        schedule_save(
            organisation=organisation, kind=RecordKind.CONTACT, length=3, unit="months",
            warn_days=0, basis="Test.", acting_user=dpo,
        )  # fmt: skip
        person = person_create(
            organisation=organisation,
            data={
                "name": "Ганна Коваленко",
                "name_latin": "Hanna Kovalenko",
                "birth_date": dt.date(1990, 8, 20),
                "phone": "+48 601 222 333",
                "code_word": "kalina-7",
                "gender": "Feminine",
                "citizenships": ["UA"],
            },
            acting_user=manager,
        )
        case = case_open(
            organisation=organisation,
            clients=[person],
            manager=manager,
            data={"summary": "Magazyn w Strykowie, paszport u brygadzisty."},
            acting_user=manager,
        )
        document = document_add(
            case=case,
            upload=SimpleUploadedFile("umowa.txt", b"Umowa: Hanna, ul. Ogrodowa 12"),
            title="Umowa Kovalenko",
            client=person,
            acting_user=manager,
        )
        anonymous = contact_start(
            organisation=organisation, acting_user=counsellor, caller_number="+48 602 444 555"
        )
        contact_save(
            contact=anonymous,
            data={
                "summary": "Dzwoniła Marzena Wiśniewska: praca w Holandii?",
                "caller_type": "going_abroad",
                "purposes": ["prevention"],
                "languages": ["pol"],
            },
            complete=True,
            acting_user=counsellor,
        )
        call = contact_start(
            organisation=organisation, acting_user=manager, caller_number="+48 601 222 333"
        )
        contact_save(
            contact=call, data={"summary": "Hanna dzwoni z magazynu."}, complete=True,
            acting_user=manager,
        )  # fmt: skip
        contact_link(
            contact=call, target_type="cases.case", target_code=str(case.code), acting_user=manager
        )
        held_person = person_create(
            organisation=organisation,
            data={"name": "Iryna Bondarenko", "birth_date": dt.date(1985, 3, 3)},
            acting_user=manager,
        )
        held_case = case_open(
            organisation=organisation, clients=[held_person], manager=manager,
            data={"summary": "Sprawa w sądzie."}, acting_user=manager,
        )  # fmt: skip
        hold_set(
            organisation=organisation, case=held_case, reason=LegalHold.Reason.PROCEEDINGS,
            note="II K 123/26", ends_on=dt.date(YEAR, 10, 31), acting_user=dpo,
        )  # fmt: skip
    stored = Path(tmp_path) / document.stored_name
    assert stored.exists()

    # February: both cases closed.
    with day(2, 16):
        for closing in (case, held_case):
            case_status(
                case=closing, status=Case.Status.CLOSED, reason="goals_met", acting_user=manager
            )
    before = statistics(organisation)
    ciphertexts = [
        sealed("people_person", "name", person.pk),
        sealed("people_person", "phone", person.pk),
        sealed("people_person", "birth_date", person.pk),
        sealed("cases_case", "summary", case.pk),
        sealed("helpline_contact", "summary", anonymous.pk),
        sealed("helpline_contact", "caller_number", anonymous.pk),
        sealed("helpline_contact", "summary", call.pk),
        sealed("cases_document", "title", document.pk),
    ]
    assert all(len(c) > 16 for c in ciphertexts)
    assert all(as_stored(c) in database_bytes() for c in ciphertexts)

    # July 17: the anonymous contact (due April 12) goes; the case (due August 16) is
    # 30 days ahead: its case manager is warned — once, however often the job runs.
    with day(7, 17):
        retention.run()
        retention.run()
    assert Anonymisation.objects.filter(target_code=str(anonymous.code)).exists()
    assert Contact.objects.filter(pk=anonymous.pk, summary__isnull=True).exists()
    notices = Notice.objects.filter(kind=Notice.Kind.RETENTION)
    assert [(n.recipient_id, n.target_code) for n in notices] == [(manager.pk, str(case.code))]
    assert len(mail.outbox) == 1 and case.reference in mail.outbox[0].body
    assert not any(secret in mail.outbox[0].body for secret in SECRETS)
    assert Case.objects.get(pk=case.pk).summary  # not yet
    with day(8, 16):
        dry = {item.code: item.state for item in retention.plan(organisation)}
    assert (
        dry[str(case.code)] == retention.State.DUE
        and dry[str(held_case.code)] == retention.State.HELD
    )

    # August 17: the case and its client go; the held case and its client stay.
    with day(8, 17):
        retention.run()
        retention.run()  # nothing more to do
    assert (
        Anonymisation.objects.filter(target_code__in=[str(case.code), str(person.code)]).count()
        == 2
    )
    person.refresh_from_db()
    assert (person.name, person.name_latin, person.birth_date, person.phone) == (
        "",  # emptied (NULL) texts read as ""
        "",
        None,
        "",
    )
    assert person.phone_index is None and not PersonKey.objects.filter(person=person).exists()
    assert Case.objects.filter(pk=case.pk, summary__isnull=True).exists()
    assert Contact.objects.filter(pk=call.pk, summary__isnull=True).exists()
    assert not Document.objects.filter(pk=document.pk).exists() and not stored.exists()
    # Searches find her no more: by name, by name and date of birth, by phone, by a new
    # call from her number.
    for names in (["Hanna Kovalenko"], ["Ганна Коваленко"]):
        for born in (None, dt.date(1990, 8, 20)):
            found = find_matches(organisation, names=names, birth_date=born)
            assert person.pk not in [m.person.pk for m in found]
    assert blind_lookup(Person.objects.all(), "phone_index", "+48 601 222 333") == []
    with day(8, 18):
        again = contact_start(
            organisation=organisation, acting_user=counsellor, caller_number="+48 601 222 333"
        )
        other = contact_start(
            organisation=organisation, acting_user=counsellor, caller_number="+48 602 444 555"
        )
    assert previous_contacts(again, Contact.objects.all()) == []
    assert previous_contacts(other, Contact.objects.all()) == []
    # No trace in the file: neither the values nor the ciphertexts that held them.
    data = database_bytes()
    for secret in SECRETS:
        assert secret.encode() not in data, secret
    for ciphertext in ciphertexts:
        assert as_stored(ciphertext) not in data
    # The year's statistics are what they were.
    assert statistics(organisation) == before
    # The held case and its client are untouched.
    assert Case.objects.get(pk=held_case.pk).summary == "Sprawa w sądzie."
    assert Person.objects.get(pk=held_person.pk).name == "Iryna Bondarenko"

    # November 1: the hold ended on October 31; the next run takes them.
    with day(11, 1):
        retention.run()
    assert Case.objects.filter(pk=held_case.pk, summary__isnull=True).exists()
    assert Person.objects.filter(pk=held_person.pk, name__isnull=True).exists()
    assert statistics(organisation) == before
    runs = RetentionRun.objects.filter(organisation=organisation)
    assert runs.count() == 5 and all(run.finished_at for run in runs)
