"""Through a real browser (Playwright driving Debian's chromium): sign in with a TOTP code,
then switch the language. Never skipped: a missing browser is a failure."""

import pytest
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.helpline.models import Contact
from ostoja.test import PASSWORD, make_user, open_top_menu, open_user_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counsellor_signs_in_with_totp_and_switches_language(
    page: Page, live_server: object
) -> None:
    persona = make_user(
        Organisation.objects.create(short_code="KCIK"), Role.COUNSELLOR, full_name="Anna Kowalczyk"
    )
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="Zaloguj się do Ostoi")).to_be_visible()
    page.get_by_label("Adres e-mail").fill(persona.email)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    code = page.get_by_label("Kod")
    expect(code).to_be_visible()
    code.fill(persona.code())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Pulpit")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    # The phone-sized top bar folds its menu; the language switch is inside it.
    open_top_menu(page)
    page.get_by_role("button", name="EN — English").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_user_enrols_a_security_key_and_signs_in_with_it(page: Page, live_server: object) -> None:
    """WebAuthn under our strict CSP, with Chromium's virtual authenticator."""
    persona = make_user(
        Organisation.objects.create(short_code="KCIK"), Role.CASE_MANAGER, mfa=False
    )
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "usb",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})

    def sign_in_with_password() -> None:
        page.goto(f"{live_server}/accounts/login/")
        page.get_by_label("Adres e-mail").fill(persona.email)
        page.get_by_label("Hasło").fill(PASSWORD)
        page.get_by_role("button", name="Zaloguj się").click()

    sign_in_with_password()
    # No second factor yet: enrolment is the only way on.
    expect(page).to_have_url(f"{live_server}/accounts/2fa/")
    page.goto(f"{live_server}/accounts/2fa/webauthn/add/")
    page.locator("#id_name").fill("Klucz biurowy")
    page.locator("#mfa_webauthn_add").click()
    expect(page.get_by_role("heading", name="Kody odzyskiwania")).to_be_visible()
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", name="Pulpit")).to_be_visible()
    # Sign out, and back in with the key as the second factor.
    open_user_menu(page)  # phone-sized top bar
    page.get_by_role("button", name="Wyloguj się").click()
    sign_in_with_password()
    page.get_by_role("button", name="Użyj klucza bezpieczeństwa").click()
    expect(page.get_by_role("heading", name="Pulpit")).to_be_visible()


def test_a_counsellor_logs_a_call_on_the_live_screen_and_a_reload_loses_nothing(
    page: Page, live_server: object
) -> None:
    persona = make_user(Organisation.objects.create(short_code="KCIK"), Role.COUNSELLOR)
    page.goto(f"{live_server}/accounts/login/")
    page.get_by_label("Adres e-mail").fill(persona.email)
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.get_by_label("Kod").fill(persona.code())
    page.get_by_label("Kod").press("Enter")
    expect(page.get_by_role("heading", name="Pulpit")).to_be_visible()
    page.goto(f"{live_server}/helpline/")
    expect(page.get_by_role("button", name="Nowe połączenie")).to_be_focused()
    page.keyboard.press("Enter")  # the phone rings: "New call" has the focus
    expect(page.get_by_role("heading", name="Bieżący kontakt")).to_be_visible()
    expect(page.get_by_role("timer")).not_to_have_text("00:00", timeout=3000)
    page.get_by_label("Numer dzwoniącego").fill("+48 22 123 45 67")
    page.get_by_label("Kto dzwoni").select_option("going_abroad")
    # A quick template writes headings to answer; the cursor waits after the first one.
    page.get_by_role("button", name="Porada profilaktyczna").click()
    page.keyboard.type(" Holandia, szklarnia.")
    answer = "Dokąd i jaka praca jest oferowana: Holandia, szklarnia."
    expect(page.locator("#autosave")).to_contain_text("Szkic zapisano", timeout=10000)
    page.reload()  # the tab is reloaded in the middle of the call
    expect(page.get_by_label("Numer dzwoniącego")).to_have_value("+48 22 123 45 67")
    expect(page.get_by_label("Podsumowanie")).to_contain_text(answer + "\nPracodawca")
    expect(page.get_by_label("Poradnictwo profilaktyczne")).to_be_checked()
    # Headings left unanswered are not a record (a contact is not completed with them,
    # test_contacts.py): the counsellor deletes those that do not apply.
    page.get_by_label("Podsumowanie").fill(answer)
    expect(page.locator("#autosave")).to_contain_text("Szkic zapisano", timeout=10000)
    page.get_by_role("button", name="Zakończ kontakt").click()
    expect(page.get_by_text("Kontakt zakończony.")).to_be_visible()
    contact = Contact.objects.get()
    assert contact.status == Contact.Status.COMPLETED and contact.caller_type == "going_abroad"
    assert contact.summary == answer
