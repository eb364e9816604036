"""Encrypted fields: exact round trips, binding to row and column, failing closed."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ostoja.lib.crypto.aead import DecryptionError, MissingKeyError, Place, open_sealed, seal
from ostoja.lib.crypto.fields import EncryptedJSONField, EncryptedTextField
from ostoja.lib.crypto.keys import Keyring, keyring
from ostoja.lib.crypto.tests.sample import Sample

pytestmark = pytest.mark.django_db


def _raw(sample: Sample, column: str) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM test_sample WHERE id = %s", [sample.pk])  # noqa: S608
        return bytes(cursor.fetchone()[0])


def _write_raw(sample: Sample, column: str, value: bytes) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE test_sample SET {column} = %s WHERE id = %s", [value, sample.pk])  # noqa: S608


def test_values_round_trip_through_the_database() -> None:
    facts = {"children": 2, "abroad": False, "countries": ["UA", "PL"], "note": "Łódź – Київ"}
    sample = Sample.objects.create(
        name="Олена Коваль",
        note="Met at the station",
        born=dt.date(1990, 2, 3),
        facts=facts,
        phone="+48 22 123 45 67",
        email="olena@example.test",
    )
    again = Sample.objects.get(pk=sample.pk)
    assert again.name == "Олена Коваль"
    assert again.note == "Met at the station"
    assert again.born == dt.date(1990, 2, 3)
    assert again.facts == facts
    assert b"Olena" not in _raw(sample, "name") and "Коваль".encode() not in _raw(sample, "name")


@pytest.mark.parametrize("facts", [0, False, "", [], {}, 0.0, True])
def test_falsy_values_round_trip_exactly(facts: Any) -> None:
    sample = Sample.objects.create(note="", facts=facts)
    again = Sample.objects.get(pk=sample.pk)
    assert again.note == "" and again.facts == facts and type(again.facts) is type(facts)
    assert Sample.objects.filter(pk=sample.pk, note__isnull=False, name__isnull=True).exists()


def test_a_ciphertext_moved_to_another_row_does_not_open() -> None:
    first = Sample.objects.create(name="Anna")
    second = Sample.objects.create(name="Boris")
    _write_raw(second, "name", _raw(first, "name"))
    with pytest.raises(DecryptionError):
        _ = Sample.objects.get(pk=second.pk).name
    assert Sample.objects.get(pk=first.pk).name == "Anna"


def test_a_ciphertext_moved_to_another_column_does_not_open() -> None:
    sample = Sample.objects.create(name="Anna", note="a note")
    _write_raw(sample, "note", _raw(sample, "name"))
    with pytest.raises(DecryptionError):
        _ = Sample.objects.get(pk=sample.pk).note


@pytest.mark.parametrize("position", [0, 1, 2, 5, 20, -1])
def test_a_corrupted_ciphertext_raises(position: int) -> None:
    sample = Sample.objects.create(name="Anna")
    damaged = bytearray(_raw(sample, "name"))
    damaged[position] ^= 0x01
    _write_raw(sample, "name", bytes(damaged))
    with pytest.raises(DecryptionError):
        _ = Sample.objects.get(pk=sample.pk).name


def test_a_missing_key_fails_loudly(settings: Any) -> None:
    sample = Sample.objects.create(name="Anna")
    settings.FIELD_KEYS = {7: b"k" * 32}
    with pytest.raises(MissingKeyError, match="key 1 is not configured"):
        _ = Sample.objects.get(pk=sample.pk).name


def test_values_are_opened_only_when_read() -> None:
    Sample.objects.create(name="Anna")
    damaged = Sample.objects.create(name="Boris")
    _write_raw(damaged, "name", b"\x01\x00\x01" + b"x" * 40)
    rows = list(Sample.objects.order_by("pk"))  # loading does not decrypt …
    assert rows[0].name == "Anna"
    with pytest.raises(DecryptionError):  # … reading does
        _ = rows[1].name


def test_it_refuses_plain_writes_and_lookups() -> None:
    sample = Sample.objects.create(name="Anna")
    with pytest.raises(TypeError, match="never write it with update"):
        Sample.objects.filter(pk=sample.pk).update(name="Boris")
    with pytest.raises(FieldError):
        list(Sample.objects.filter(name="Anna"))
    with pytest.raises(TypeError, match="takes str, not int"):
        Sample.objects.create(name=5)
    with pytest.raises(TypeError, match="takes date"):
        Sample.objects.create(born="1990-01-01")
    with pytest.raises(TypeError, match="not a datetime"):
        Sample.objects.create(born=dt.datetime(1990, 1, 1, tzinfo=dt.UTC))


def test_deferred_fields_load_on_access() -> None:
    Sample.objects.create(name="Anna", note="long text")
    sample = Sample.objects.only("code").get()
    assert sample.note == "long text"


def test_unchanged_values_keep_their_ciphertext() -> None:
    sample = Sample.objects.create(name="Anna")
    before = _raw(sample, "name")
    Sample.objects.get(pk=sample.pk).save()
    assert _raw(sample, "name") == before
    changed = Sample.objects.get(pk=sample.pk)
    changed.name = "Anna"
    changed.save()
    assert _raw(sample, "name") != before  # re-sealed with a fresh nonce


text_values = st.text(max_size=3000)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@settings(max_examples=2000, deadline=None)
@given(value=text_values)
def test_any_text_round_trips(value: str) -> None:
    field = EncryptedTextField()
    field.set_attributes_from_name("note")
    place: Place = {"table": "t", "column": "note", "row": "r"}
    assert field.from_bytes(open_sealed(seal(field.to_bytes(value), **place), **place)) == value


@settings(max_examples=2000, deadline=None)
@given(value=json_values)
def test_any_json_round_trips(value: Any) -> None:
    field = EncryptedJSONField()
    place: Place = {"table": "t", "column": "facts", "row": "r"}
    assert field.from_bytes(open_sealed(seal(field.to_bytes(value), **place), **place)) == value


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=text_values, facts=json_values.filter(lambda v: v is not None))
def test_any_value_round_trips_through_the_database(name: str, facts: Any) -> None:
    name = name.replace("\x00", "")
    sample = Sample.objects.create(name=name, facts=facts)
    again = Sample.objects.get(pk=sample.pk)
    assert again.name == name and again.facts == facts


def test_an_older_key_still_opens_and_the_newest_seals(settings: Any) -> None:
    old = Sample.objects.create(name="Anna")
    settings.FIELD_KEYS = {1: settings.FIELD_KEYS[1], 2: b"n" * 32}
    assert keyring().newest == 2
    assert Sample.objects.get(pk=old.pk).name == "Anna"
    new = Sample.objects.create(name="Boris")
    assert _raw(new, "name")[1:3] == b"\x00\x02"
    with pytest.raises(DecryptionError):  # relabelling the key id does not help
        open_sealed(
            b"\x01\x00\x01" + _raw(new, "name")[3:],
            table="test_sample",
            column="name",
            row=str(new.code),
            keys=Keyring({1: settings.FIELD_KEYS[1], 2: b"n" * 32}, b"", b""),
        )
