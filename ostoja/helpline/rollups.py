"""The statistics' roll-up of completed contacts (``ContactTally``), kept exact.

A contact's *footprint* is what it adds to the roll-up: nothing while it is a draft (the
figures count completed contacts only); once completed, one for its organisation's local
day of ``started_at`` under ``total``, its channel, line, caller and local hour, and under
each of its purposes and languages (``""`` when it has none). Every service that creates,
completes, changes or deletes a contact runs its writes inside ``tallied``: the footprint
of those contacts is read from the database before and after, and the difference is added
to the roll-up in the same transaction — so whatever the service changed (the start, the
channel, the purposes, the status, the row itself), the counts follow, and a rolled-back
service leaves them as they were (the contacts' rows are locked before the first read, so
two services changing one contact at once cannot both count its old state). ``rebuild``
recounts an organisation from its contacts with the same ``footprint``; ``differences``
says where the roll-up and a recount part.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from zoneinfo import ZoneInfo

from django.db import connection

from ostoja.accounts.models import Organisation
from ostoja.helpline.models import Contact, ContactLanguage, ContactPurpose, ContactTally

D = ContactTally.Dimension
# (organisation id, dimension, local day, value)
Key = tuple[int, str, dt.date, str]
_BATCH = 5000


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def footprint(contact_ids: Iterable[int]) -> Counter[Key]:
    """What these contacts, as the database holds them now, add to the roll-up."""
    ids = list(contact_ids)
    counts: Counter[Key] = Counter()
    for start in range(0, len(ids), _BATCH):  # SQLite's limit on a query's parameters
        counts.update(_footprint(ids[start : start + _BATCH]))
    return counts


def _footprint(ids: list[int]) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    days: dict[int, tuple[int, dt.date]] = {}
    rows = Contact.objects.filter(pk__in=ids, status=Contact.Status.COMPLETED).values_list(
        "pk", "organisation_id", "organisation__time_zone", "started_at", "channel", "line",
        "caller_type",
    )  # fmt: skip
    for pk, org, zone, started, channel, line, caller in rows:
        local = started.astimezone(_zone(zone))
        day = local.date()
        days[pk] = (org, day)
        for dimension, value in (
            (D.TOTAL, ""),
            (D.CHANNEL, channel),
            (D.LINE, line),
            (D.CALLER, caller),
            (D.HOUR, f"{local.hour:02d}"),
        ):
            counts[(org, dimension, day, value)] += 1
    if not days:
        return counts
    for model, field, dimension in (
        (ContactPurpose, "purpose", D.PURPOSE),
        (ContactLanguage, "language", D.LANGUAGE),
    ):
        without = set(days)
        for pk, value in model.objects.filter(contact_id__in=days).values_list("contact_id", field):
            org, day = days[pk]
            counts[(org, dimension, day, value)] += 1
            without.discard(pk)
        for pk in without:
            org, day = days[pk]
            counts[(org, dimension, day, "")] += 1
    return counts


def apply(delta: dict[Key, int]) -> None:
    """Add ``delta`` to the roll-up (rows in a fixed order, so two transactions touching
    the same days take their row locks in the same order)."""
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    quote = connection.ops.quote_name
    table, count = quote(ContactTally._meta.db_table), quote("count")
    sql = (
        f"INSERT INTO {table} (organisation_id, dimension, day, value, {count}) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (organisation_id, dimension, day, value) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    params = [
        (org, dimension, connection.ops.adapt_datefield_value(day), value, n)
        for (org, dimension, day, value), n in changes
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@contextmanager
def tallied(contact_ids: Iterable[int] = ()) -> Iterator[list[int]]:
    """Keep the roll-up exact across the writes in the block: the contacts whose ids are
    given (and those the block appends to the list it gets, e.g. one it creates) are
    counted again after it. Used inside a service's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("the roll-up is kept in the service's transaction")
    ids = list(contact_ids)
    # The contacts' rows are locked first: another transaction changing one of them at the
    # same time waits, so the "before" read here is what this block changes.
    for start in range(0, len(ids), _BATCH):
        list(Contact.objects.select_for_update().filter(pk__in=ids[start : start + _BATCH]))
    before = footprint(ids)
    yield ids
    after = footprint(ids)
    apply({key: after[key] - before[key] for key in before.keys() | after.keys()})


def recount(organisation: Organisation) -> Counter[Key]:
    """The organisation's roll-up counted afresh from its contacts."""
    ids = Contact.objects.filter(
        organisation=organisation, status=Contact.Status.COMPLETED
    ).values_list("pk", flat=True)
    return footprint(ids.order_by("pk"))


def stored(organisation: Organisation) -> Counter[Key]:
    """The organisation's roll-up as kept (rows counting nothing left out)."""
    rows = ContactTally.objects.filter(organisation=organisation).exclude(count=0)
    return Counter(
        {
            (organisation.pk, dimension, day, value): n
            for dimension, day, value, n in rows.values_list("dimension", "day", "value", "count")
        }
    )


def differences(organisation: Organisation) -> dict[Key, tuple[int, int]]:
    """``{key: (kept, recounted)}`` where the roll-up and a recount disagree."""
    kept, counted = stored(organisation), recount(organisation)
    return {
        key: (kept[key], counted[key])
        for key in sorted(kept.keys() | counted.keys())
        if kept[key] != counted[key]
    }


def rebuild(organisation: Organisation) -> int:
    """Replace the organisation's roll-up with a recount; the number of rows written.
    Called in a transaction (``services.contact_tallies_rebuild``, the demo's bulk load)
    while the helpline is quiet: a contact saved during the recount would be counted by the
    recount and by its service."""
    if not connection.in_atomic_block:
        raise RuntimeError("the roll-up is rebuilt in one transaction")
    counts = recount(organisation)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(ContactTally._meta.db_table)} "  # noqa: S608
            "WHERE organisation_id = %s",
            [organisation.pk],
        )
    ContactTally.objects.bulk_create(
        (
            ContactTally(organisation=organisation, dimension=dim, day=day, value=value, count=n)
            for (_org, dim, day, value), n in counts.items()
        ),
        batch_size=2000,
    )
    return len(counts)
