"""Blind indexes: equal things match across formats and scripts; only candidates are read."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.lib.crypto.blind import (
    blind_index,
    name_tokens,
    normalise_email,
    normalise_name,
    normalise_phone,
    planner_bits,
)
from ostoja.lib.crypto.fields import blind_candidates, blind_lookup
from ostoja.lib.crypto.tests.sample import Sample


@pytest.mark.parametrize(
    "written",
    [
        "+48 22 123 45 67",
        "0048 22 123 45 67",
        "22 123 45 67",
        "(22) 123-45-67",
        "+48221234567",
        "0048221234567",
    ],
)
def test_polish_numbers_in_any_format_are_one_number(written: str) -> None:
    assert normalise_phone(written) == "+48221234567"


def test_foreign_and_odd_numbers() -> None:
    assert normalise_phone("+380 44 123 4567") == "+380441234567"
    assert normalise_phone("00380441234567") == "+380441234567"
    assert normalise_phone("112") == "112"  # too short for a number: its digits
    assert normalise_phone("not a number") == ""


def test_names_match_across_order_case_diacritics_and_script() -> None:
    assert normalise_name("Nowak Anna") == normalise_name("anna NOWAK") == "anna nowak"
    assert normalise_name("Nguyễn Văn Đạt") == normalise_name("Nguyen Van Dat")
    assert normalise_name("Олександр Шевченко") == normalise_name("Oleksandr Shevchenko")
    assert name_tokens("Jean-Luc  O'Brien") == ["jean", "luc", "o", "brien"]
    assert normalise_email("  Anna.Nowak@Example.TEST ") == "anna.nowak@example.test"


def test_an_index_is_truncated() -> None:
    values = {blind_index(f"+4860000{n:04d}", domain="people.phone", bits=8) for n in range(2000)}
    assert values <= set(range(2**8)) and len(values) > 200
    with pytest.raises(ValueError, match="1 to 32 bits"):
        blind_index("x", domain="d", bits=40)


def test_the_key_decides_the_index(settings: Any) -> None:
    before = blind_index("+48221234567", domain="people.phone", bits=32)
    settings.INDEX_KEY = b"another index key, 32 bytes long"
    assert blind_index("+48221234567", domain="people.phone", bits=32) != before
    assert blind_index("+48221234567", domain="contacts.phone", bits=32) != blind_index(
        "+48221234567", domain="people.phone", bits=32
    )


@pytest.mark.parametrize(("rows", "bits"), [(16, 3), (1_000, 8), (10_000, 12), (100_000, 15)])
def test_the_planner_keeps_between_two_and_sqrt_r_coincidences(rows: int, bits: int) -> None:
    assert planner_bits(rows) == bits
    coincidences = rows / 2**bits
    assert 2 <= coincidences <= rows**0.5


def test_the_planner_refuses_tiny_tables_and_respects_entropy() -> None:
    with pytest.raises(ValueError, match="too few rows"):
        planner_bits(10)
    assert planner_bits(1_000_000, entropy_bits=10) == 10


@pytest.mark.django_db
def test_lookup_decrypts_only_candidates() -> None:
    wanted = Sample.objects.create(phone="+48 22 123 45 67")
    for number in range(60):
        Sample.objects.create(phone=f"+48 600 {number:03d} 000")
    with CaptureQueriesContext(connection) as queries:
        found = blind_lookup(Sample.objects.all(), "phone_index", "0048 22 123 45 67")
    assert [s.pk for s in found] == [wanted.pk]
    assert len(queries) == 1
    candidates = blind_candidates(Sample.objects.all(), "phone_index", "22 123 45 67")
    assert wanted in candidates and candidates.count() <= 5
    assert blind_lookup(Sample.objects.all(), "phone_index", "") == []
    assert not blind_candidates(Sample.objects.all(), "phone_index", None).exists()


@pytest.mark.django_db
def test_lookup_by_name_and_email() -> None:
    anna = Sample.objects.create(name="Anna Nowak", email="Anna@Example.test")
    Sample.objects.create(name="Anna Kowalska", email="kowalska@example.test")
    assert blind_lookup(Sample.objects.all(), "name_index", "NOWAK anna") == [anna]
    assert blind_lookup(Sample.objects.all(), "email_index", "anna@example.TEST") == [anna]
    anna.name = "Anna Wiśniewska"
    anna.save()
    assert blind_lookup(Sample.objects.all(), "name_index", "Anna Nowak") == []
    assert blind_lookup(Sample.objects.all(), "name_index", "anna wisniewska") == [anna]


@pytest.mark.django_db
def test_a_limited_lookup_reads_the_first_rows_in_order_and_stops() -> None:
    """A regular caller's number matches hundreds of rows; the newest few are wanted."""
    same = [Sample.objects.create(phone="+48 22 123 45 67") for _ in range(25)]
    Sample.objects.create(phone="+48 600 000 000")
    newest = Sample.objects.order_by("-pk")
    assert blind_lookup(newest, "phone_index", "22 123 45 67", limit=3) == same[::-1][:3]
    assert len(blind_lookup(newest, "phone_index", "22 123 45 67")) == 25
    assert blind_lookup(newest, "phone_index", "22 123 45 67", limit=30) == same[::-1]
