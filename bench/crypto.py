"""Benchmark of the data protection layer (issue #3).

1. Seal and open 10,000 typical fields (names, phone numbers, notes) with the real model
   field code: per-column key derivation (cached), AES-256-GCM, row binding.
2. Look up one phone number among 100,000 people by blind index: candidates from the
   index, only those decrypted and compared (``blind_lookup``). p50/p95 over 300 lookups.

Run: ``make bench-crypto`` (SQLite in a temporary file) or with ``DATABASE_URL`` set to a
PostgreSQL database. Creates and drops its own table.
"""

import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")

import django

django.setup()

from django.db import connection, models

from ostoja.lib.crypto.blind import planner_bits
from ostoja.lib.crypto.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedField,
    EncryptedTextField,
    blind_lookup,
)

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
FIELDS = 10_000
LOOKUPS = 300
GIVEN = ["Anna", "Maria", "Olena", "Iryna", "Nguyen", "Piotr", "Jan", "Oleksandr", "Thi", "Ewa"]
FAMILY = ["Nowak", "Kowalska", "Shevchenko", "Tran", "Wiśniewska", "Коваль", "Bondarenko"]


class BenchPerson(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True)
    name = EncryptedCharField()
    phone = EncryptedCharField(max_length=40)
    note = EncryptedTextField()
    phone_index = BlindIndexField(source="phone", kind="phone", bits=planner_bits(100_000))

    objects: ClassVar[models.Manager["BenchPerson"]] = models.Manager()

    class Meta:
        app_label = "home"
        db_table = "bench_person"

    def __str__(self) -> str:
        return str(self.code)


def _person(n: int) -> BenchPerson:
    return BenchPerson(
        name=f"{random.choice(GIVEN)} {random.choice(FAMILY)}",
        phone=f"+48 {500 + n // 1_000_000} {n % 1_000_000:06d}",
        note="Rozmowa telefoniczna; prosi o kontakt po 18:00, nie zostawiać wiadomości. " * 3,
    )


def bench_fields() -> None:
    people = [_person(n) for n in range(FIELDS // 3 + 1)]
    fields = [
        field
        for name in ("name", "phone", "note")
        if isinstance(field := BenchPerson._meta.get_field(name), EncryptedField)
    ]
    start = time.perf_counter()
    sealed = [(p, f, f.pre_save(p, True)) for p in people for f in fields][:FIELDS]
    middle = time.perf_counter()
    for person, field, value in sealed:
        field.open(person, value or b"")
    end = time.perf_counter()
    print(
        f"seal {FIELDS} fields: {(middle - start) * 1000:.0f} ms "
        f"({(middle - start) / FIELDS * 1e6:.1f} µs/field)"
    )
    print(
        f"open {FIELDS} fields: {(end - middle) * 1000:.0f} ms "
        f"({(end - middle) / FIELDS * 1e6:.1f} µs/field)"
    )


def bench_lookup() -> None:
    with connection.schema_editor() as editor:
        editor.create_model(BenchPerson)
    try:
        start = time.perf_counter()
        for first in range(0, PEOPLE, 5000):
            BenchPerson.objects.bulk_create(
                [_person(n) for n in range(first, min(first + 5000, PEOPLE))]
            )
        print(f"inserted {PEOPLE} people (sealed + indexed) in {time.perf_counter() - start:.1f} s")
        timings, candidates = [], []
        for _ in range(LOOKUPS):
            n = random.randrange(PEOPLE)
            typed = f"0048 {500 + n // 1_000_000} {n % 1_000_000:06d}"
            began = time.perf_counter()
            found = blind_lookup(BenchPerson.objects.all(), "phone_index", typed)
            timings.append((time.perf_counter() - began) * 1000)
            assert len(found) == 1, (typed, found)
            candidates.append(BenchPerson.objects.filter(phone_index=found[0].phone_index).count())
        timings.sort()
        bits = getattr(BenchPerson._meta.get_field("phone_index"), "bits", "?")
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(
            f"phone lookup among {PEOPLE} ({connection.vendor}, "
            f"{bits} bits): "
            f"p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, "
            f"candidates decrypted per lookup: mean {statistics.mean(candidates):.1f}, "
            f"max {max(candidates)}"
        )
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(BenchPerson)


if __name__ == "__main__":
    random.seed(2026)
    bench_fields()
    bench_lookup()
