"""A database dump alone reveals no client: names, numbers, addresses and notes are sealed
(SECURITY.md §(b) 5). Each app that holds client data writes its canaries here through
its services."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ostoja.accounts.models import AccessGrant, Organisation
from ostoja.accounts.roles import Role
from ostoja.accounts.services import glass_break
from ostoja.audit.trail import record
from ostoja.cases.access import case_scope
from ostoja.cases.models import Note, RouteEvent
from ostoja.cases.services import case_open, case_record_add
from ostoja.helpline.services import contact_save, contact_start, follow_up_add
from ostoja.lib.crypto.files import EncryptedStorage, validate_upload
from ostoja.lib.crypto.tests.sample import Sample
from ostoja.people.services import person_create
from ostoja.test import make_user

CANARIES = {
    "name": "Kanarek Żółtodziób",
    "name_cyrillic": "Канарейка Жовтодзьоб",
    "phone": "+48 501 777 931",
    "email": "kanarek.zoltodziob@example.test",
    "note": "Widziany przy ul. Kanarkowej 7, mieszkanie 13",
}


def _dump(tmp_path: Path) -> bytes:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        target = tmp_path / "dump.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
        return target.read_bytes()
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed for this test (Debian: postgresql-client)"
    command = [
        pg_dump,
        "--host",
        settings["HOST"] or "127.0.0.1",
        "--port",
        str(settings["PORT"] or 5432),
        "--username",
        settings["USER"] or "postgres",
        "--no-owner",
        settings["NAME"],
    ]
    return subprocess.run(command, check=True, capture_output=True, timeout=120).stdout  # noqa: S603


def _variants(value: str) -> list[bytes]:
    """The canary as text in the encodings a dump could hold it in."""
    return [value.encode("utf-8"), value.encode("utf-16-le"), value.encode("utf-8").hex().encode()]


@pytest.mark.django_db(transaction=True)
def test_no_canary_is_in_a_database_dump(
    tmp_path: Path, settings: object, audit_flushable: None
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path / "files"  # type: ignore[attr-defined]
    sample = Sample.objects.create(
        name=CANARIES["name"],
        note=CANARIES["note"],
        born=dt.date(1999, 9, 9),
        facts={"alias": CANARIES["name_cyrillic"]},
        phone=CANARIES["phone"],
        email=CANARIES["email"],
    )
    record("sample.viewed", actor=None, target=sample, data={"fields": ["name", "note"]})
    # Through the helpline's services, as a counsellor would.
    organisation = Organisation.objects.create(short_code="DUMP", name="Centrum")
    counsellor = make_user(organisation, Role.COUNSELLOR).user
    contact = contact_start(
        organisation=organisation, acting_user=counsellor, caller_number=CANARIES["phone"]
    )
    contact_save(
        contact=contact,
        acting_user=counsellor,
        data={"summary": f"{CANARIES['name']}: {CANARIES['note']}"},
    )
    follow_up_add(
        contact=contact,
        task=f"Oddzwonić do {CANARIES['name_cyrillic']}",
        due=dt.date(2026, 12, 1),
        assignee=counsellor,
        acting_user=counsellor,
    )
    # Through the people and cases services, as a case manager would.
    manager = make_user(organisation, Role.CASE_MANAGER).user
    person = person_create(
        organisation=organisation,
        data={
            "name": CANARIES["name_cyrillic"],
            "name_latin": CANARIES["name"],
            "aliases": CANARIES["name"],
            "birth_date": dt.date(1999, 9, 9),
            "phone": CANARIES["phone"],
            "email": CANARIES["email"],
            "code_word": CANARIES["note"],
            "safety_notes": CANARIES["note"],
        },
        acting_user=manager,
    )
    case = case_open(
        organisation=organisation,
        clients=[person],
        manager=manager,
        data={"summary": CANARIES["note"], "perpetrator_notes": CANARIES["name"]},
        acting_user=manager,
    )
    case_record_add(
        case=case,
        instance=Note(text=f"{CANARIES['name']} — {CANARIES['note']}"),
        acting_user=manager,
    )
    case_record_add(
        case=case,
        instance=RouteEvent(kind="Exploitation", country="PL", place=CANARIES["note"]),
        acting_user=manager,
    )
    # Breaking the glass, with a reason that names the client (staff will write that).
    glass_break(
        scope=case_scope(case),
        reason=AccessGrant.Reason.OTHER,
        explanation=f"{CANARIES['name']} dzwoniła w nocy, {CANARIES['note']}",
        acting_user=counsellor,
    )
    storage = EncryptedStorage()
    name = storage.save_upload(
        validate_upload(SimpleUploadedFile("x.txt", CANARIES["note"].encode())), "docs"
    )
    dump = _dump(tmp_path)
    for row in (sample, person, case):  # the rows are there
        assert str(row.code).encode() in dump or row.code.hex.encode() in dump
    files = (tmp_path / "files" / name).read_bytes()
    for label, value in CANARIES.items():
        for encoded in _variants(value):
            assert encoded not in dump, label
            assert encoded not in files, label
    assert b"501777931" not in dump and b"48501777931" not in dump
