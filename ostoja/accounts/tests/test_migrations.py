"""Migrations that change how data is kept."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ostoja.accounts.models import AccessGrant

BEFORE = [("accounts", "0003_office_hours")]
AFTER = [("accounts", "0004_seal_grant_explanation")]


@pytest.mark.django_db(transaction=True)
def test_existing_break_the_glass_explanations_are_sealed(audit_flushable: None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organisation = old.get_model("accounts", "Organisation").objects.create(
        name="Centrum", short_code="MIG"
    )
    user = old.get_model("accounts", "User").objects.create(email="m@staff.test", full_name="M")
    now = timezone.now()
    old.get_model("accounts", "AccessGrant").objects.create(
        user=user,
        organisation=organisation,
        target_type="cases.case",
        target_code="c0de",
        reason="other",
        explanation="Klientka Kanarek dzwoniła z ul. Polnej",
        created_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # and on to today's schema
    grant = AccessGrant.objects.get()
    assert grant.explanation == "Klientka Kanarek dzwoniła z ul. Polnej"
    with connection.cursor() as cursor:
        cursor.execute("SELECT explanation FROM accounts_accessgrant")
        stored = bytes(cursor.fetchone()[0])
    assert b"Kanarek" not in stored and b"Polnej" not in stored
