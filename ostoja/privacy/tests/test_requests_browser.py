"""A subject-access request clicked through on a phone (360 px): the case manager
registers it, verifies the person's identity and approves; the DPO finds it by its case
number and approves; the copy is then offered to the case manager. No page is wider than
the screen."""

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.cases.services import case_open
from ostoja.people.services import person_create
from ostoja.privacy.models import SubjectRequest
from ostoja.test import Axe, browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 360, "height": 740}


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_request_on_a_phone(page: Page, browser: Browser, live_server: object) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    manager = make_user(organisation, Role.CASE_MANAGER)
    dpo = make_user(organisation, Role.DPO)
    person = person_create(
        organisation=organisation, data={"name": "Olena Testowa"}, acting_user=manager.user
    )
    case = case_open(
        organisation=organisation,
        clients=[person],
        manager=manager.user,
        data={},
        acting_user=manager.user,
    )
    page.set_viewport_size(PHONE)
    browser_sign_in(page, base, manager)
    page.goto(f"{base}/people/{person.code}/")
    page.get_by_role("link", name="Żądania dotyczące danych osobowych").click()
    _fits(page)
    page.locator("select[name=kind]").select_option("access")
    page.locator("select[name=channel]").select_option("in_person")
    page.get_by_role("button", name="Zarejestruj", exact=True).click()
    expect(page.get_by_text("Żądanie zarejestrowano.")).to_be_visible()
    _fits(page)
    page.locator("input[name=evidence][value=passport]").check()
    page.locator("input[name=confirm]").check()
    page.get_by_role("button", name="Zapisz potwierdzenie tożsamości").click()
    page.get_by_role("button", name="Zatwierdź", exact=True).click()
    expect(page.get_by_text("Zapisano Twoje zatwierdzenie.")).to_be_visible()
    _fits(page)
    # The DPO, on a phone of their own.
    context = browser.new_context(viewport=PHONE, locale="pl-PL", reduced_motion="reduce")
    other = context.new_page()
    axe = Axe(other, on_load=True)
    browser_sign_in(other, base, dpo)
    other.goto(f"{base}/privacy/requests/")
    _fits(other)
    expect(other.get_by_test_id("request")).to_contain_text(case.reference)
    expect(other.get_by_test_id("request")).not_to_contain_text("Olena")
    other.get_by_test_id("request").get_by_role("link").first.click()
    _fits(other)
    other.get_by_role("button", name="Zatwierdź", exact=True).click()
    expect(other.get_by_text("Zapisano Twoje zatwierdzenie.")).to_be_visible()
    axe.check()
    assert axe.report() == ""
    context.close()
    assert SubjectRequest.objects.get().status == SubjectRequest.Status.APPROVED
    page.reload()
    expect(page.get_by_role("link", name="Pobierz PDF")).to_be_visible()
    _fits(page)
