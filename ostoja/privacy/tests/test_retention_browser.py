"""The DPO's retention pages on a small phone (360×740) in a real browser: no page wider
than the screen, a legal hold set on a case by its number, the preview read — and
axe-core on every page (the ``page`` fixture)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.cases.services import case_open
from ostoja.people.services import person_create
from ostoja.privacy.models import LegalHold
from ostoja.test import browser_sign_in, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_schedules"),
]


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def test_the_dpo_sets_a_hold_on_a_small_phone(page: Page, live_server: object) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    manager = make_user(organisation, Role.CASE_MANAGER)
    dpo = make_user(organisation, Role.DPO)
    person = person_create(
        organisation=organisation, data={"name": "Osoba testowa"}, acting_user=manager.user
    )
    case = case_open(
        organisation=organisation, clients=[person], manager=manager.user, data={},
        acting_user=manager.user,
    )  # fmt: skip
    page.set_viewport_size({"width": 360, "height": 740})
    browser_sign_in(page, base, dpo)
    page.goto(f"{base}/privacy/retention/")
    expect(page.get_by_role("heading", name="Retencja danych", level=1)).to_be_visible()
    _fits(page)
    page.get_by_role("link", name="Podgląd najbliższego przebiegu").click()
    expect(page.get_by_text("Nic nie jest do zrobienia.")).to_be_visible()
    _fits(page)
    page.goto(f"{base}/privacy/holds/")
    _fits(page)
    page.locator("#id_number").fill(case.reference)
    page.get_by_label("Toczące się postępowanie karne").check()
    until = timezone.localdate() + dt.timedelta(days=30)
    page.locator("#id_ends_on").fill(until.isoformat())
    page.get_by_role("button", name="Załóż blokadę").click()
    expect(page.get_by_test_id("hold")).to_contain_text(case.reference)
    _fits(page)
    assert LegalHold.objects.get().case_id == case.pk
