"""The disclosure ledger on the data protection officer's pages: every referral's
disclosure (what went to whom, when, under which consent, by whom), by recipient and
period; for the DPO alone, after a recent sign-in, and its reading audited."""

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.access import access_case
from ostoja.cases.models import Case, Consent
from ostoja.cases.services import case_record_add
from ostoja.network.models import Disclosure, Partner
from ostoja.network.services import partner_add, referral_send
from ostoja.people.models import Person
from ostoja.privacy.access import disclosures_visible_to
from ostoja.test import Persona, force_sign_in, make_user, text

pytestmark = pytest.mark.django_db
URL = "/privacy/disclosures/"


def _refer(centre: dict[Role, Persona], case: Case, person: Person, name: str) -> Partner:
    manager = centre[Role.CASE_MANAGER].user
    assert manager.organisation is not None
    partner = partner_add(
        organisation=manager.organisation,
        data={"name": name, "kind": "ngo", "email": "biuro@ngo.example"},
        acting_user=manager,
    )
    consent = Consent(
        client=person,
        scope="share_org",
        recipient=name,
        shares=["identity", "contact"],
        method="written",
        given_on=dt.date(2026, 11, 2),
    )
    case_record_add(case=case, instance=consent, acting_user=manager)
    referral_send(
        access=access_case(manager, case.code, write=True),
        client=person,
        partner=partner,
        service=None,
        reason="",
        answer_due=dt.date(2026, 12, 10),
        acting_user=manager,
    )
    return partner


def test_the_dpo_reads_the_ledger_by_recipient_and_period(
    centre: dict[Role, Persona],
    case: Case,
    client_person: Person,
    settings: Settings,
    tmp_path: Path,
    other_centre: dict[Role, Persona],
) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path
    strada = _refer(centre, case, client_person, "La Strada")
    caritas = _refer(centre, case, client_person, "Caritas")
    Disclosure.objects.filter(partner=caritas).update(at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC))
    dpo = Client()
    force_sign_in(dpo, centre[Role.DPO].user)
    page = text(dpo.get(URL))
    assert page.count('data-testid="disclosure"') == 2
    assert "biuro@ngo.example" in page and case.reference in page
    assert client_person.name not in page  # the client by their record's code only
    page = text(dpo.get(URL, {"partner": strada.pk}))
    assert page.count('data-testid="disclosure"') == 1 and "La Strada" in page
    page = text(dpo.get(URL, {"since": "2026-01-01", "until": "2026-01-31"}))
    assert page.count('data-testid="disclosure"') == 1 and "Caritas" in page
    entry = AuditEntry.objects.filter(action="disclosure.listed").order_by("seq").last()
    assert entry is not None and entry.data == {"since": "2026-01-01", "until": "2026-01-31"}
    # A wrong period is said so, nothing typed lost.
    page = text(dpo.get(URL, {"since": "2026-02-01", "until": "2026-01-01"}))
    assert "Data początkowa jest późniejsza niż data końcowa." in page and "2026-02-01" in page
    # Another centre's DPO sees none of it.
    other = Client()
    force_sign_in(
        other, make_user(other_centre[Role.ADMINISTRATOR].user.organisation, Role.DPO).user
    )
    assert 'data-testid="disclosure"' not in text(other.get(URL))


def test_only_the_dpo_after_a_recent_sign_in(centre: dict[Role, Persona]) -> None:
    for role in Role:
        if role != Role.DPO:
            # The selector itself answers nobody else, whatever view would call it.
            assert disclosures_visible_to(centre[role].user).query.is_empty(), role
        client = Client()
        force_sign_in(client, centre[role].user)
        status = client.get(URL).status_code
        assert status == (200 if role == Role.DPO else 403), role
    # Without a recent sign-in the DPO is asked to sign in again first.
    client = Client()
    client.force_login(centre[Role.DPO].user)
    response = client.get(URL)
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
