"""Consistency checks (SecureDrop's model): what the database and the sealed files say
about each other, and what the database says about itself, when a constraint cannot.

* **Files**: every row that names a sealed file (``ostoja.lib.crypto.files``) has its file,
  and every file in ``PRIVATE_FILES_ROOT`` belongs to a row. A file younger than
  ``FILE_GRACE`` is left alone: an upload stores its file before its row commits.
* **Blind indexes**: every ``BlindIndexField`` equals the index of its (decrypted) source,
  and every person's matching keys (``PersonKey``) are those ``person_keys`` computes. A
  stale index hides a record from the search that should find it.
* **Placements**: no bed and no person has two stays on one night (the morning rule of
  ``ostoja.shelter.models``); the partial unique indexes only cover the active placements.

Findings name the model, the row's code (or a stored file's random name) and what is wrong
— never a value. Rows are read in batches (``BATCH``), as ``rotate_keys`` does.
The audit chain has its own check (``audit_verify``)."""

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.aead import DecryptionError
from ostoja.lib.crypto.fields import ROW_FIELD, BlindIndexField
from ostoja.people.matching import person_keys
from ostoja.people.models import Person, PersonKey
from ostoja.shelter.models import Placement, first_night, last_night

BATCH = 500
# A stored file this young may belong to a row not yet committed (the upload stores the
# file first): not yet a stray.
FILE_GRACE = dt.timedelta(hours=1)

# Every column that names a sealed file in EncryptedStorage: (model label, field). A feature
# that stores files adds its column here; otherwise its files are reported as strays.
FILE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("cases.Document", "stored_name"),
    ("helpline.Attachment", "stored_name"),
    ("network.Referral", "document"),
    ("reports.ExportJob", "stored_name"),
)


@dataclass(frozen=True)
class Finding:
    """One inconsistency: the model, the row's code or the file's stored name, what."""

    model: str
    code: str
    problem: str | Promise

    def line(self) -> str:
        return f"{self.model} {self.code}: {self.problem}"


def _code(row: Any) -> str:
    code = getattr(row, "code", None)
    return str(code) if code is not None else f"#{row.pk}"


def _batches(queryset: "models.QuerySet[Any]") -> Iterator[list[Any]]:
    """The rows of ``queryset`` by primary key, ``BATCH`` at a time (keyset pagination)."""
    last: Any = None
    while True:
        rows = queryset.order_by("pk")
        batch = list(rows.filter(pk__gt=last)[:BATCH] if last is not None else rows[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def files() -> Iterator[Finding]:
    root = Path(settings.PRIVATE_FILES_ROOT)
    referenced: set[str] = set()
    for label, column in FILE_COLUMNS:
        model = apps.get_model(label)
        rows = model._default_manager.exclude(**{column: ""}).only("pk", column)
        if any(field.name == "code" for field in model._meta.fields):
            rows = rows.only("pk", "code", column)
        for batch in _batches(rows):
            for row in batch:
                name = getattr(row, column)
                referenced.add(name)
                if not (root / name).is_file():
                    yield Finding(label, _code(row), _("its sealed file is missing"))
    young = time.time() - FILE_GRACE.total_seconds()
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if not path.is_file() or path.name.endswith(".tmp"):  # a re-seal in progress
            continue
        name = str(path.relative_to(root))
        if name not in referenced and path.stat().st_mtime < young:
            yield Finding("files", name, _("a sealed file no record names"))


def blind_indexes() -> Iterator[Finding]:
    for model in apps.get_models():
        indexes = [f for f in model._meta.fields if isinstance(f, BlindIndexField)]
        if not indexes:
            continue
        # The sealed source opens with the row's code (its associated data).
        wanted = {ROW_FIELD} | {f.name for f in indexes} | {f.source for f in indexes}
        rows = model._default_manager.only(*sorted(wanted))
        for batch in _batches(rows):
            for row in batch:
                for field in indexes:
                    try:
                        expected = field.index_of(getattr(row, field.source))
                    except DecryptionError:
                        yield Finding(
                            model._meta.label, _code(row), _("a sealed value does not open")
                        )
                        continue
                    if getattr(row, field.attname) != expected:
                        yield Finding(
                            model._meta.label,
                            _code(row),
                            _("the blind index {field} does not match its value").format(
                                field=field.name
                            ),
                        )


def matching_keys() -> Iterator[Finding]:
    for batch in _batches(Person.objects.all()):
        stored: dict[int, set[int]] = defaultdict(set)
        for person_id, key in PersonKey.objects.filter(person__in=batch).values_list(
            "person_id", "key"
        ):
            stored[person_id].add(key)
        for person in batch:
            try:
                expected = person_keys(person)
            except DecryptionError:
                yield Finding("people.Person", _code(person), _("a sealed value does not open"))
                continue
            if stored[person.pk] != expected:
                yield Finding(
                    "people.Person", _code(person), _("its matching keys do not match its name")
                )


@dataclass(frozen=True)
class _Stay:
    code: str
    bed: int
    person: int
    first: dt.date  # its first night and its last (the morning rule)
    last: dt.date


def _stays() -> Iterator[_Stay]:
    rows = (
        Placement.objects.filter(admitted_at__isnull=False)
        .exclude(status=Placement.Status.CANCELLED)
        .values_list(
            "code", "bed_id", "person_id", "admitted_at", "discharged_at", "organisation__time_zone"
        )
        .order_by("pk")
    )
    for code, bed, person, admitted, discharged, zone in rows.iterator(chunk_size=BATCH):
        first = first_night(cast(dt.datetime, admitted), zone)  # admitted: the filter
        last = dt.date.max if discharged is None else last_night(discharged, zone)
        if last >= first:  # a stay of no night shares none
            yield _Stay(str(code), bed, person, first, last)


def placements() -> Iterator[Finding]:
    """Two stays sharing a night: in one bed, or of one person."""
    stays = list(_stays())
    for owner, problem in (
        ("bed", _("shares a night in its bed with placement {other}")),
        ("person", _("shares a night with the same person's placement {other}")),
    ):
        groups: dict[int, list[_Stay]] = defaultdict(list)
        for stay in stays:
            groups[getattr(stay, owner)].append(stay)
        for group in groups.values():
            group.sort(key=lambda stay: (stay.first, stay.code))
            furthest = group[0]  # of the stays so far, the one whose last night is latest
            for stay in group[1:]:
                if stay.first <= furthest.last:
                    yield Finding(
                        "shelter.Placement", stay.code, problem.format(other=furthest.code)
                    )
                if stay.last > furthest.last:
                    furthest = stay


CHECKS = (files, blind_indexes, matching_keys, placements)


def run() -> list[Finding]:
    """Every check's findings, in order."""
    return [finding for check in CHECKS for finding in check()]
