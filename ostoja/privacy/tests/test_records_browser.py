"""The DPO's records on a phone (360 px): a breach recorded through the real pages, its
clock shown, nothing wider than the screen (axe-core checks every page: the ``page``
fixture)."""

from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.privacy.models import Breach
from ostoja.test import browser_sign_in, make_user

# Whether anything on the page is wider than the window (a table must scroll in its own
# region, not the page).
OVERFLOW = "document.documentElement.scrollWidth > window.innerWidth"


def test_the_dpo_records_a_breach_on_a_phone(page: Page, live_server: object) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    dpo = make_user(organisation, Role.DPO)
    page.set_viewport_size({"width": 360, "height": 740})
    browser_sign_in(page, base, dpo)
    for path in ("/privacy/record/", "/privacy/dpia/", "/privacy/breaches/"):
        page.goto(base + path)
        assert not page.evaluate(OVERFLOW), path
    page.get_by_role("link", name="Zapisz naruszenie").click()
    page.get_by_label("Centrum dowiedziało się o naruszeniu").fill("2026-12-01T10:00")
    page.get_by_label("Co się stało").fill("Zgubiony pendrive z listą obecności")
    page.get_by_label("Tożsamość").check()
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_test_id("clock")).to_be_visible()
    assert not page.evaluate(OVERFLOW)
    breach = Breach.objects.get()
    assert breach.description == "Zgubiony pendrive z listą obecności"
    assert breach.categories == ["identity"]
    page.goto(f"{base}/privacy/breaches/")
    expect(page.get_by_test_id("breach")).to_have_count(1)
    assert not page.evaluate(OVERFLOW)
