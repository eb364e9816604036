"""``rotate_keys``: everything ends up sealed with the newest key, even when interrupted."""

import base64
import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.lib.crypto.aead import key_id_of
from ostoja.lib.crypto.fields import blind_lookup
from ostoja.lib.crypto.files import EncryptedStorage, validate_upload
from ostoja.lib.crypto.tests.sample import Sample
from ostoja.test import make_user

pytestmark = pytest.mark.django_db
NEW_KEY = base64.b64decode("bmV3IGtleSBmb3IgdGhlIHJvdGF0aW9uIHRlc3RzLi4uLg==")


def _key_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, note, born, facts, phone FROM test_sample")
        return {key_id_of(bytes(v)) for row in cursor.fetchall() for v in row if v is not None}


def _rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(tmp_path: Path, settings: Any) -> dict[str, Any]:
    settings.PRIVATE_FILES_ROOT = tmp_path
    rows = [
        Sample.objects.create(
            name=f"Osoba {n}",
            note="",
            born=dt.date(1990, 1, 1 + n % 28),
            facts={"n": n},
            phone=f"+48 600 000 {n:03d}",
        )
        for n in range(40)
    ]
    storage = EncryptedStorage()
    files = [storage.save_upload(validate_upload(SimpleUploadedFile("a.txt", b"dokument")), "d")]
    person = make_user(Organisation.objects.create(short_code="R"), Role.COUNSELLOR)
    return {"rows": rows, "storage": storage, "files": files, "persona": person}


def test_it_reseals_everything_with_the_newest_key(data: dict[str, Any], settings: Any) -> None:
    assert _key_ids() == {1}
    settings.FIELD_KEYS = settings.FIELD_KEYS | {2: NEW_KEY}
    out = _rotate("--batch-size", "7")
    assert "Re-sealed 42 rows and 1 files with key 2" in out  # 40 samples + TOTP + codes
    assert _key_ids() == {2}
    assert not data["storage"].needs_reseal(data["files"][0])
    settings.FIELD_KEYS = {2: NEW_KEY}  # the old key can now be dropped
    assert Sample.objects.get(pk=data["rows"][5].pk).name == "Osoba 5"
    assert blind_lookup(Sample.objects.all(), "phone_index", "600000005") == [data["rows"][5]]
    with data["storage"].open(data["files"][0]) as file:
        assert file.read() == b"dokument"
    totp = Authenticator.objects.get(user=data["persona"].user, type="totp")
    assert key_id_of(base64.b64decode(totp.data["secret"])) == 2
    assert "Re-sealed 0 rows and 0 files" in _rotate()  # nothing left to do


def test_an_interrupted_rotation_continues_where_it_stopped(
    data: dict[str, Any], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.FIELD_KEYS = settings.FIELD_KEYS | {2: NEW_KEY}
    assert "Stopped after 15 rows" in _rotate("--batch-size", "10", "--max-rows", "15")
    assert _key_ids() == {1, 2}
    # A crash in the middle of a batch: that batch rolls back, nothing is half-written.
    original = Sample.save
    calls = {"n": 0}

    def crash(self: Sample, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("power cut")
        original(self, *args, **kwargs)

    monkeypatch.setattr(Sample, "save", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        _rotate("--batch-size", "10")
    monkeypatch.setattr(Sample, "save", original)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM test_sample ORDER BY id")
        ids = [key_id_of(bytes(row[0])) for row in cursor.fetchall()]
    assert ids[:15] == [2] * 15 and ids[15:] == [1] * 25  # the crashed batch rolled back
    _rotate("--batch-size", "10")
    assert _key_ids() == {2}
    assert [s.name for s in Sample.objects.order_by("pk")] == [f"Osoba {n}" for n in range(40)]


def test_reindex_rebuilds_blind_indexes_after_an_index_key_change(
    data: dict[str, Any], settings: Any
) -> None:
    settings.INDEX_KEY = b"a brand new index key, 32 bytes!"
    assert blind_lookup(Sample.objects.all(), "phone_index", "600000007") == []
    _rotate("--reindex")
    assert blind_lookup(Sample.objects.all(), "phone_index", "600000007") == [data["rows"][7]]
