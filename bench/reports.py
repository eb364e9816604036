"""Benchmark B9 (PERFORMANCE.md §5): the annual report's contact aggregates — the figures of
``ostoja.reports.figures`` by channel, line, caller, language, purpose, month and hour for
the year ending today — at BENCH_CONTACTS synthetic contacts (default 1,000,000: the demo's
year of contacts, scaled, so the period holds nearly all of them), and the same aggregates
on the same rows in DuckDB, in the same run.

    make bench-reports                                  # SQLite, var/bench-reports.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ostoja_bench make bench-reports

Median of 3 after a warm-up; the ratio to DuckDB is the figure that matters (targets: ≤ 1 s
at 1 M on SQLite, ≤ 2 s at 10 M on PostgreSQL, ≤ 10× DuckDB). Our figures read the
maintained roll-up (``ostoja.helpline.rollups``); DuckDB aggregates the raw rows, read from
a CSV export (its database scanners download extensions at run time, which this network
cannot do), and its numbers are checked equal to ours — so the run also proves the roll-up
exact at that size. The roll-up is recounted first if it is empty or BENCH_REBUILD is set
(timed and printed: what a bulk load costs; the fill itself keeps it, as the demo does).
"""

import csv
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.helpline import fill  # sets Django up
from ostoja.helpline.models import Contact, ContactLanguage, ContactPurpose, ContactTally
from ostoja.helpline.services import contact_tallies_rebuild
from ostoja.reports.figures import FIGURES, Period, contacts

KEYS = [
    "contacts_by_channel",
    "contacts_by_line",
    "contacts_by_caller",
    "contacts_by_language",
    "contacts_by_purpose",
    "contacts_by_month",
    "contacts_by_hour",
]


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    run()  # warm-up
    times, result = [], None
    for _ in range(3):
        began = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def _duck(db: Any, sql: str, bounds: dict[str, Any]) -> dict[Any, int]:
    return dict(db.execute(sql, bounds).fetchall())


def export(folder: Path, organisation_id: int) -> None:
    """The rows the figures read, as CSV for DuckDB."""
    contacts = Contact.objects.filter(organisation_id=organisation_id)
    tables = {
        "contacts": (
            contacts.values_list("pk", "status", "channel", "line", "caller_type", "started_at"),
            ["id", "status", "channel", "line", "caller_type", "started_at"],
        ),
        "purposes": (
            ContactPurpose.objects.filter(contact__in=contacts).values_list(
                "contact_id", "purpose"
            ),
            ["contact_id", "purpose"],
        ),
        "languages": (
            ContactLanguage.objects.filter(contact__in=contacts).values_list(
                "contact_id", "language"
            ),
            ["contact_id", "language"],
        ),
    }
    for name, (rows, header) in tables.items():
        with (folder / f"{name}.csv").open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows.iterator(chunk_size=20_000))


# Our figures' queries written for DuckDB, the period's bounds as parameters.
DUCKDB = {
    "contacts_by_channel": (
        "SELECT channel, count(*) FROM contacts WHERE status = 'completed' AND started_at"
        " >= $start AND started_at < $end GROUP BY 1"
    ),
    "contacts_by_line": (
        "SELECT line, count(*) FROM contacts WHERE status = 'completed' AND started_at >="
        " $start AND started_at < $end GROUP BY 1"
    ),
    "contacts_by_caller": (
        "SELECT caller_type, count(*) FROM contacts WHERE status = 'completed' AND "
        "started_at >= $start AND started_at < $end GROUP BY 1"
    ),
    "contacts_by_language": (
        "SELECT coalesce(l.language, ''), count(DISTINCT c.id) FROM contacts c LEFT JOIN "
        "languages l ON l.contact_id = c.id WHERE c.status = 'completed' AND c.started_at >="
        " $start AND c.started_at < $end GROUP BY 1"
    ),
    "contacts_by_purpose": (
        "SELECT coalesce(p.purpose, ''), count(DISTINCT c.id) FROM contacts c LEFT JOIN "
        "purposes p ON p.contact_id = c.id WHERE c.status = 'completed' AND c.started_at >="
        " $start AND c.started_at < $end GROUP BY 1"
    ),
    "contacts_by_month": (
        "SELECT strftime(timezone('Europe/Warsaw', started_at), '%Y-%m'), count(*) FROM "
        "contacts WHERE status = 'completed' AND started_at >= $start AND started_at < "
        "$end GROUP BY 1"
    ),
    "contacts_by_hour": (
        "SELECT strftime(timezone('Europe/Warsaw', started_at), '%H'), count(*) FROM "
        "contacts WHERE status = 'completed' AND started_at >= $start AND started_at < "
        "$end GROUP BY 1"
    ),
}
TABLES = {
    "contacts": "CREATE TABLE contacts AS SELECT * FROM read_csv_auto(?)",
    "purposes": "CREATE TABLE purposes AS SELECT * FROM read_csv_auto(?)",
    "languages": "CREATE TABLE languages AS SELECT * FROM read_csv_auto(?)",
}


def main() -> None:
    call_command("migrate", verbosity=0)
    organisation, _user = fill()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Contact.objects.filter(organisation=organisation).count()
    tallies = ContactTally.objects.filter(organisation=organisation)
    if os.environ.get("BENCH_REBUILD") or not tallies.exists():
        began = time.perf_counter()
        contact_tallies_rebuild(organisation=organisation, acting_user=None)
        print(f"roll-up recounted in {time.perf_counter() - began:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The year ending today: every contact the fill made (it builds years ending today).
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=364), today)
    counted = contacts(organisation, period).count()
    print(f"{total} contacts on {connection.vendor}, roll-up {tallies.count()} rows;")
    print(f"the report for {period} ({counted} completed contacts):")
    ours = {key: timed(partial(FIGURES[key], organisation, period)) for key in KEYS}
    with tempfile.TemporaryDirectory() as folder:
        export(Path(folder), organisation.pk)
        db = duckdb.connect()
        for name, sql in TABLES.items():
            db.execute(sql, [f"{folder}/{name}.csv"])
    start, end = period.bounds(organisation.time_zone)
    bounds = {"start": start, "end": end}
    theirs = {key: timed(partial(_duck, db, sql, bounds)) for key, sql in DUCKDB.items()}
    sum_ours = sum(ms for ms, _ in ours.values())
    sum_theirs = sum(ms for ms, _ in theirs.values())
    for key in KEYS:
        (ms, table), (duck_ms, counts) = ours[key], theirs[key]
        same = table.values() == {
            ("-" if k in ("", None) else k): n for k, n in counts.items() if n
        }
        print(
            f"  {key:24} ours {ms:8.1f} ms   DuckDB {duck_ms:7.1f} ms   "
            f"{ms / duck_ms:5.1f}×   {'same' if same else 'DIFFERENT'}"
        )
    print(
        f"  {'all seven':24} ours {sum_ours:8.1f} ms   DuckDB {sum_theirs:7.1f} ms   "
        f"{sum_ours / sum_theirs:5.1f}×   (targets: ≤ 10×; ≤ 1 s on SQLite at 1 M, ≤ 2 s on "
        "PostgreSQL at 10 M)"
    )


if __name__ == "__main__":
    main()
