"""The duty worker's screens on a phone (Debian's chromium at 390×844): the board, the
intervention, "I have it", an action with its time, closing with the hand-over — nothing
wider than the screen."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_duty_worker_runs_an_intervention_on_a_phone(page: Page, live_server: object) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    worker = make_user(organisation, Role.COUNSELLOR, full_name="Anna Kowalczyk")
    manager = make_user(organisation, Role.CASE_MANAGER, full_name="Marta Wiśniewska")
    intervention = intervention_open(
        organisation=organisation,
        data={
            "situation": "captivity",
            "location": "Grójec, kontener przy szklarni",
            "first_contact_at": timezone.now() - dt.timedelta(minutes=4),
        },
        acting_user=manager.user,
    )
    browser_sign_in(page, base, worker)
    page.goto(f"{base}/interventions/")
    card = page.get_by_test_id("open-intervention")
    expect(card).to_contain_text(intervention.reference)
    assert _fits(page)
    card.click()
    expect(page.get_by_test_id("clock")).to_be_visible()
    assert _fits(page)
    page.get_by_role("button", name="Przejmuję").click()
    expect(page.get_by_text("Masz to zgłoszenie: nikt inny nie zostanie wezwany.")).to_be_visible()
    page.locator("#id_kind").select_option("police")
    page.locator("#id_note").fill("KPP Grójec, patrol w drodze")
    page.get_by_role("button", name="Zapisz działanie").click()
    expect(page.get_by_text("Zapisano działanie.")).to_be_visible()
    page.locator("#id_outcome").select_option("shelter")
    page.locator("#id_handover_to").select_option(str(manager.user.pk))
    page.get_by_role("button", name="Zamknij interwencję").click()
    expect(page.get_by_text("Interwencję zamknięto.")).to_be_visible()
    assert _fits(page)
    intervention.refresh_from_db()
    assert intervention.status == "closed" and intervention.acknowledged_by == worker.user
    assert intervention.actions.get().kind == "police"
    assert intervention.handover_to == manager.user
    assert Intervention.objects.count() == 1
