"""Writing the audit trail. ``record`` is called by services, in their transaction, and by
views before they return personal data. It fails closed: if the entry cannot be written,
``AuditUnavailable`` is raised, the surrounding transaction rolls back, and the request
ends with a 503 page that shows nothing (``ostoja.audit.middleware``)."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, connection, models, transaction
from django.db.models import Field
from django.utils import timezone

from ostoja.audit.chain import data_hash, link_of
from ostoja.audit.guards import HEAD
from ostoja.audit.models import AuditEntry

if TYPE_CHECKING:  # the trail sits below the accounts (ARCHITECTURE.md §2)
    from ostoja.accounts.models import Organisation, User

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


class AuditUnavailable(Exception):
    """The audit entry could not be written, so the action must not happen."""


def target_of(obj: models.Model) -> tuple[str, str]:
    """How an entry names ``obj``: its model label and its public code (never a name)."""
    return obj._meta.label_lower, str(getattr(obj, "code", obj.pk))


def record(
    action: str,
    *,
    actor: User | None,
    target: models.Model | None = None,
    target_type: str = "",
    target_code: str = "",
    purpose: str = "",
    data: dict[str, Any] | None = None,
    organisation: Organisation | None = None,
) -> AuditEntry:
    """Append one entry: ``action`` is ``<entity>.<past verb>`` (``person.viewed``)."""
    if target is not None:
        target_type, target_code = target_of(target)
    entry = _entry(action, actor, target_type, target_code, purpose, data, organisation)
    return _append([entry])[0]


def record_many(
    action: str,
    *,
    actor: User | None,
    targets: Sequence[tuple[str, str]],
    purpose: str = "",
    organisation: Organisation | None = None,
) -> list[AuditEntry]:
    """Append one entry per ``(target_type, target_code)``, all alike but for the target:
    for an action done to many records at once (a redaction run), under one lock of the
    head, with multi-row INSERTs and the head's updates sent as one batch."""
    entries = [
        _entry(action, actor, target_type, target_code, purpose, None, organisation)
        for target_type, target_code in targets
    ]
    return _append(entries) if entries else []


def _entry(
    action: str,
    actor: User | None,
    target_type: str,
    target_code: str,
    purpose: str,
    data: dict[str, Any] | None,
    organisation: Organisation | None,
) -> AuditEntry:
    if organisation is None and actor is not None and actor.is_authenticated:
        organisation = actor.organisation
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        action=action,
        target_type=target_type,
        target_code=target_code,
        purpose=purpose[:200],
        data=data or {},
        request_id=request_id.get(),
    )
    entry.data_hash = data_hash(entry.data)
    return entry


@cache
def _insert_sql() -> tuple[str, list[Field[Any, Any]]]:
    """One entry's INSERT, written out once: every request that shows personal data writes
    an entry, and the ORM's compiling of ``save()`` was most of its cost (bench/cases.py)."""
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.attname) for f in fields)  # no field renames its column
    marks = ", ".join(["%s"] * len(fields))
    pk, table = quote("id"), quote(AuditEntry._meta.db_table)
    # The model's own names, quoted: no value is written into the text.
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}", fields  # noqa: S608


def _append(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Number and chain ``entries`` after the head, and store them with the new head."""
    # The head locked until the transaction ends (SQLite's write transactions are
    # IMMEDIATE: the whole database is).
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT seq, link FROM {HEAD} WHERE id = 1{lock}")  # noqa: S608  # constants
            head = cursor.fetchone()
            if head is None:
                raise AuditUnavailable("the audit trail has no head")
            seq, link = head
            for entry in entries:
                entry.seq = seq = seq + 1
                entry.link = link = link_of(entry, link)
            if len(entries) == 1:
                sql, fields = _insert_sql()
                entry = entries[0]
                cursor.execute(
                    sql, [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
                )
                entry.pk = cursor.fetchone()[0]
                entry._state.adding, entry._state.db = False, connection.alias
                cursor.execute(
                    f"UPDATE {HEAD} SET seq = %s, link = %s WHERE id = 1",  # noqa: S608  # constant name
                    [seq, link],
                )
            else:
                AuditEntry.objects.bulk_create(entries, batch_size=500)
                # The head's guard lets it move on by one entry at a time (guards.py): an
                # UPDATE per entry, sent as one batch.
                with connection.cursor() as cursor:
                    cursor.executemany(
                        f"UPDATE {HEAD} SET seq = %s, link = %s WHERE id = 1",  # noqa: S608  # constant name
                        [(entry.seq, entry.link) for entry in entries],
                    )
    except DatabaseError as error:
        raise AuditUnavailable(str(error)) from error
    return entries


def new_request_id() -> str:
    return uuid.uuid4().hex
