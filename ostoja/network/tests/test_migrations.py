"""The disclosure ledger's generalisation keeps the referrals already recorded: each
becomes an entry of kind *referral* under its consent, by e-mail when an address was
recorded, else handed over."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ostoja.network.models import Disclosure

BEFORE = [("network", "0003_partner_country")]
AFTER = [("network", "0004_disclosure_ledger_general")]


@pytest.mark.django_db(transaction=True)
def test_recorded_referrals_become_ledger_entries(audit_flushable: None) -> None:
    try:
        _recorded_referrals_become_ledger_entries()
    finally:  # whatever happened, the next tests find today's schema
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _recorded_referrals_become_ledger_entries() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # Every other app as it is today, the network as it was.
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "network"]
    old = executor.loader.project_state(others + BEFORE).apps
    organisation = old.get_model("accounts", "Organisation").objects.create(
        name="Centrum", short_code="MIG"
    )
    user = old.get_model("accounts", "User").objects.create(email="m@staff.test", full_name="M")
    person = old.get_model("people", "Person").objects.create(
        organisation=organisation, name="Osoba", created_by=user
    )
    case = old.get_model("cases", "Case").objects.create(
        organisation=organisation, year=2026, number=1, reference="MIG/2026/0001", created_by=user
    )
    consent = old.get_model("cases", "Consent").objects.create(
        case=case,
        client=person,
        scope="share_org",
        recipient="OIK",
        method="written",
        given_on=dt.date(2026, 11, 1),
        created_by=user,
    )
    partner = old.get_model("network", "Partner").objects.create(
        organisation=organisation, name="OIK", kind="crisis_centre"
    )
    rows = old.get_model("network", "Disclosure").objects
    common = {"organisation": organisation, "client": person, "case": case, "partner": partner}
    common |= {"consent": consent, "shares": ["identity"], "document": "referral_summary"}
    rows.create(**common, sent_to="oik@example.org", by=user)
    rows.create(**common, sent_to="", by=user)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # and on to today's schema
    emailed, handed = Disclosure.objects.order_by("pk")
    for entry in (emailed, handed):
        assert (entry.kind, entry.basis, entry.parts) == ("referral", "consent", ["identity"])
        assert entry.person_id == person.pk and entry.consent_id == consent.pk
        assert entry.recipient_name == "OIK"
    assert (emailed.channel, handed.channel) == ("email", "handed_over")
