"""Check-ins abroad in the browser (Debian's chromium, axe on every page): the counsellor
records the consent and starts the series on the counselling page, a check-in goes out
and is answered, the history shows it, and the counsellor stops the series."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.helpline.intake import Incoming
from ostoja.prevention.models import CheckInSeries, FlagCatalogue
from ostoja.prevention.services import (
    check_in_reply,
    check_in_send,
    check_ins_schedule,
    counselling_save,
)
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_counsellor_starts_reads_and_stops_check_ins(
    page: Page, live_server: object, audit_flushable: None, red_flags: FlagCatalogue
) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    counsellor = make_user(organisation, Role.COUNSELLOR, full_name="Ewa Nowak")
    counselling = counselling_save(
        data={"country": "NL", "city": "Venlo", "plan_language": "uk"},
        flags=[],
        organisation=organisation,
        catalogue=red_flags,
        acting_user=counsellor.user,
    )
    browser_sign_in(page, base, counsellor)
    page.goto(f"{base}/prevention/{counselling.code}/")
    section = page.get_by_test_id("check-ins")
    expect(section.get_by_role("heading", name="Wiadomości kontrolne za granicą")).to_be_visible()
    today = timezone.localdate()
    section.get_by_label("Osoba zgodziła się na wiadomości kontrolne tym kanałem").check()
    section.get_by_label("Zgodę wyraził(a)").fill("Olena, przez telefon")
    section.get_by_label("Data zgody").fill(today.isoformat())
    section.locator("#check-in-channel").select_option("email")
    section.get_by_label("Adres e-mail").fill("olena@example.test")
    section.get_by_label("Pierwsza wiadomość kontrolna dnia").fill(
        (today - dt.timedelta(days=1)).isoformat()
    )
    section.get_by_label("Liczba wiadomości kontrolnych").fill("4")
    section.get_by_role("button", name="Rozpocznij wiadomości kontrolne").click()
    expect(page.get_by_text("Wiadomości kontrolne rozpoczęte.")).to_be_visible()
    series = CheckInSeries.objects.get()
    assert series.language == "uk" and series.email == "olena@example.test"

    # The task queue sends the first one (the mail goes to Django's test outbox) and the
    # person answers OK by e-mail.
    [check_in] = check_ins_schedule(now=timezone.now())
    assert check_in_send(check_in_id=check_in.pk)
    assert check_in_reply(
        Incoming(
            organisation=organisation,
            channel="email",
            sender="olena@example.test",
            subject="Re: Як ви?",
            text="OK, все добре",
            received_at=timezone.now(),
            identity="reply-1",
        )
    )
    page.reload()
    history = page.get_by_test_id("check-in-history")
    expect(history).to_contain_text("Odpowiedź OK")
    expect(history).to_contain_text("OK, все добре")
    page.get_by_role("button", name="Zatrzymaj wiadomości kontrolne").click()
    expect(page.get_by_text("Wiadomości kontrolne zatrzymane.")).to_be_visible()
    expect(page.get_by_test_id("series")).to_contain_text("Zatrzymane przez pracownika")
    page.goto("about:blank")
