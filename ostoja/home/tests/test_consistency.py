"""The consistency check (``ostoja.home.consistency``): each kind of inconsistency, made
behind the application's back, is reported by ``manage.py consistency_check`` and by the
nightly task's mail to the administrators — by model and code, never a value."""

import datetime as dt
import os
import time
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from ostoja.accounts.roles import Role
from ostoja.cases.models import Case, Document
from ostoja.cases.services import document_add
from ostoja.home.tasks import consistency_nightly
from ostoja.people.models import Person, PersonKey
from ostoja.people.services import person_create
from ostoja.shelter.models import Bed, Facility, Placement
from ostoja.shelter.services import facility_create
from ostoja.test import Persona

PHONE = "+48 600 100 200"


@pytest.fixture(autouse=True)
def _english() -> None:
    translation.activate("en")


@pytest.fixture
def files_root(settings: object, tmp_path: Path) -> Path:
    settings.PRIVATE_FILES_ROOT = tmp_path / "files"  # type: ignore[attr-defined]
    return tmp_path / "files"


def _check() -> tuple[int, list[str]]:
    out = StringIO()
    try:
        call_command("consistency_check", stdout=out, stderr=StringIO())
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue().splitlines()
    return 0, out.getvalue().splitlines()


def _document(case: Case, centre: dict[Role, Persona]) -> Document:
    return document_add(
        case=case,
        upload=SimpleUploadedFile("umowa.txt", "Umowa o pracę, Olena Shevchenko".encode()),
        title="Umowa",
        client=None,
        acting_user=centre[Role.CASE_MANAGER].user,
    )


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_consistent_database_passes(
    files_root: Path, case: Case, centre: dict[Role, Persona]
) -> None:
    document = _document(case, centre)
    _age(files_root / document.stored_name, 2)
    assert _check() == (0, ["Consistent."])
    assert consistency_nightly.call_local() == 0
    assert mail.outbox == []


def test_a_file_removed_behind_the_apps_back_is_reported(
    files_root: Path, case: Case, centre: dict[Role, Persona]
) -> None:
    document = _document(case, centre)
    (files_root / document.stored_name).unlink()
    status, lines = _check()
    assert status == 1
    assert lines == [f"cases.Document {document.code}: its sealed file is missing"]


def test_a_stray_file_is_reported_once_it_is_older_than_an_upload(
    files_root: Path, case: Case, centre: dict[Role, Persona]
) -> None:
    _document(case, centre)
    stray = files_root / "cases" / "0123456789abcdef.pdf"
    stray.write_bytes(b"sealed bytes nobody names")
    # Young: perhaps an upload whose row is not committed yet.
    assert _check() == (0, ["Consistent."])
    _age(stray, 2)
    status, lines = _check()
    assert status == 1
    assert lines == ["files cases/0123456789abcdef.pdf: a sealed file no record names"]


def test_a_tampered_blind_index_is_reported(client_person: Person) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET phone_index = phone_index + 1 WHERE id = %s",
            [client_person.pk],
        )
    status, lines = _check()
    assert status == 1
    assert lines == [
        f"people.Person {client_person.code}: the blind index phone_index does not match its value"
    ]
    assert PHONE.replace(" ", "") not in "".join(lines)


def test_missing_or_foreign_matching_keys_are_reported(
    client_person: Person, centre: dict[Role, Persona]
) -> None:
    other = person_create(
        organisation=client_person.organisation,
        data={"name": "Jan Nowak"},
        acting_user=centre[Role.COUNSELLOR].user,
    )
    with connection.cursor() as cursor:
        # One key of the first person lost; a key of the first written to the second.
        key = PersonKey.objects.filter(person=client_person).order_by("key").first()
        assert key is not None
        cursor.execute("DELETE FROM people_personkey WHERE id = %s", [key.pk])
        if not PersonKey.objects.filter(person=other, key=key.key).exists():
            cursor.execute(
                "INSERT INTO people_personkey (organisation_id, person_id, key) "
                "VALUES (%s, %s, %s)",
                [other.organisation_id, other.pk, key.key],
            )
    status, lines = _check()
    assert status == 1
    assert sorted(lines) == sorted(
        f"people.Person {person.code}: its matching keys do not match its name"
        for person in (client_person, other)
    )


WARSAW = ZoneInfo("Europe/Warsaw")


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, tzinfo=WARSAW)


@pytest.fixture
def beds(centre: dict[Role, Persona]) -> list[Bed]:
    coordinator = centre[Role.COORDINATOR].user
    assert coordinator.organisation is not None
    facility = facility_create(
        organisation=coordinator.organisation,
        data={
            "name": "Schronisko",
            "kind": Facility.Kind.SHELTER,
            "takes_women": True,
            "phone": "+48 22 100 20 30",
            "address": "ul. Tajna 7",
        },
        rooms=[("1", 2)],
        acting_user=coordinator,
    )
    return list(Bed.objects.filter(room__facility=facility).order_by("label"))


def _stay(person: Person, bed: Bed, start: dt.datetime, end: dt.datetime) -> Placement:
    return Placement.objects.create(
        organisation=person.organisation,
        person=person,
        bed=bed,
        status=Placement.Status.DISCHARGED,
        reserved_at=start,
        admitted_at=start,
        discharged_at=end,
        reason=Placement.Reason.PLAN_COMPLETED,
        placed_by=person.created_by,
    )


def test_placements_sharing_a_night_are_reported(
    beds: list[Bed], client_person: Person, centre: dict[Role, Persona]
) -> None:
    other = person_create(
        organisation=client_person.organisation,
        data={"name": "Jan Nowak"},
        acting_user=centre[Role.COUNSELLOR].user,
    )
    # Consecutive stays in a bed: one leaves at 10:00, the next comes at 14:00; a person
    # moved to the other bed at the moment the first stay ends, and back four days later
    # (the morning rule: no night counted twice).
    first = _stay(client_person, beds[0], _at(1, 12), _at(5, 10))
    second = _stay(other, beds[0], _at(5, 14), _at(9, 10))
    moved = _stay(client_person, beds[1], _at(5, 10), _at(9, 10))
    _stay(client_person, beds[0], _at(9, 10), _at(12, 6))
    assert _check() == (0, ["Consistent."])
    # Written behind the services' back: the second stay begins two nights earlier (the
    # bed's nights overlap), and the move begins a night earlier (the person's do).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE shelter_placement SET admitted_at = %s WHERE id = %s",
            [_at(3, 14), second.pk],
        )
        cursor.execute(
            "UPDATE shelter_placement SET admitted_at = %s WHERE id = %s",
            [_at(4, 14), moved.pk],
        )
    status, lines = _check()
    assert status == 1
    assert lines == [
        f"shelter.Placement {second.code}: shares a night in its bed with placement {first.code}",
        f"shelter.Placement {moved.code}: shares a night with the same person's placement "
        f"{first.code}",
    ]


def test_the_nightly_task_mails_the_findings_to_the_administrators(
    files_root: Path,
    case: Case,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
) -> None:
    document = _document(case, centre)
    (files_root / document.stored_name).unlink()
    assert consistency_nightly.call_local() == 1
    administrators = {centre[Role.ADMINISTRATOR].email, other_centre[Role.ADMINISTRATOR].email}
    assert {message.to[0] for message in mail.outbox} == administrators
    assert all(len(message.to) == 1 for message in mail.outbox)
    message = mail.outbox[0]
    assert "1" in message.subject
    # In the installation's language, by code: no title, file name or person.
    assert settings.LANGUAGE_CODE == "pl"
    assert f"cases.Document {document.code}: brak zaszyfrowanego pliku" in message.body
    for value in ("Umowa", "umowa.txt", "Shevchenko", "Олена"):
        assert value not in message.body
