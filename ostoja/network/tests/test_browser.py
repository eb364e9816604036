"""The issue's story in the browser (Debian's chromium): a Police officer of a voivodeship
unit calls about a group of Vietnamese workers on a farm → the consultation is logged with
the officer and the topic → a Vietnamese interpreter is booked (one candidate flagged for a
conflict of interest and skipped) → the consultation opens a case with three clients → a
referral to a partner crisis centre goes under the client's consent and is accepted → the
partner's page shows both."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.cases.models import Case, Consent
from ostoja.network.models import Booking, Consultation, Disclosure, Referral
from ostoja.network.services import interpreter_add, partner_add, partner_contact_add
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_police_officers_call_becomes_a_case_and_a_referral(
    page: Page, live_server: object, audit_flushable: None
) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    manager = make_user(organisation, Role.CASE_MANAGER, full_name="Marta Wiśniewska")
    user = manager.user
    police = partner_add(
        organisation=organisation,
        data={
            "name": "Zespół ds. handlu ludźmi KWP w Lublinie",
            "kind": "police_thb",
            "voivodeship": "06",
            "city": "Lublin",
        },
        acting_user=user,
    )
    partner_contact_add(
        partner=police,
        data={"name": "kom. Jan Wiśniewski", "title": "koordynator"},
        acting_user=user,
    )
    crisis = partner_add(
        organisation=organisation,
        data={
            "name": "Ośrodek Interwencji Kryzysowej w Chełmie",
            "alternate_name": "OIK Chełm",
            "kind": "crisis_centre",
            "voivodeship": "06",
            "city": "Chełm",
            "email": "oik@chelm.example",
        },
        acting_user=user,
    )
    for name, town in (("Nguyễn Thị Hương", "Hải Phòng"), ("Trần Văn Long", "")):
        interpreter_add(
            organisation=organisation,
            data={
                "name": name,
                "languages": ["vie"],
                "kind": "community",
                "sex": "woman",
                "modes": ["phone"],
                "cost_per_hour": Decimal("100"),
                "home_town": town,
            },
            acting_user=user,
        )
    browser_sign_in(page, base, manager)

    # The officer's call, logged with the officer and the topic.
    page.goto(f"{base}/network/partners/{police.code}/")
    page.get_by_role("link", name="Zapisz konsultację").click()
    page.locator("#id_asker").fill("kom. Jan Wiśniewski")
    page.locator("#id_asker_function").fill("koordynator zespołu")
    page.locator("#id_topic").select_option("identification")
    page.locator("#id_question").fill(
        "Trzech Wietnamczyków na fermie pod Chełmem, paszporty u pracodawcy."
    )
    page.locator("#id_minutes").fill("20")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_text("Zapisano konsultację.")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.partner == police and consultation.asker == "kom. Jan Wiśniewski"

    # A Vietnamese interpreter: the one from the same town is flagged, and skipped.
    page.get_by_role("link", name="Zarezerwuj tłumacza").click()
    page.locator("#find-language").select_option("vie")
    page.locator("#find-town").fill("Hải Phòng")
    page.get_by_role("button", name="Znajdź kandydatów").click()
    flagged = page.get_by_test_id("candidate").filter(has_text="Nguyễn Thị Hương")
    expect(flagged.get_by_test_id("conflict")).to_contain_text("pochodzi z tej samej miejscowości")
    page.locator("#id_purpose").select_option("consultation")
    page.locator("#id_starts_at").fill("2026-12-10T10:00")
    page.locator("#id_hours").fill("2")
    page.locator("#id_interpreter").select_option(label="Trần Văn Long")
    page.get_by_role("button", name="Zarezerwuj").click()
    expect(page.get_by_text("Zarezerwowano: Trần Văn Long.")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.conflicts == [] and booking.consultation == consultation

    # The consultation opens a case with three clients.
    page.get_by_role("link", name="Otwórz sprawę dla osób, których dotyczy").click()
    page.locator("#id_names").fill("Nguyễn Văn Hùng\nTrần Thị Lan\nLê Đức Nam")
    page.locator("#id_citizenship").select_option("VN")
    page.locator("#id_language").select_option("vie")
    page.get_by_role("button", name="Zapisz").click()
    case = Case.objects.get()
    expect(page.get_by_text(f"Otwarto sprawę {case.reference}.")).to_be_visible()
    assert case.clients.count() == 3
    expect(page.get_by_test_id("linked-record")).to_contain_text(
        "Zespół ds. handlu ludźmi KWP w Lublinie"
    )

    # One of them consents to her data going to the crisis centre: recorded on the case
    # page, as the case manager ticks it.
    client = case.clients.select_related("person").first()
    assert client is not None
    page.locator("#consent > details > summary").click()
    form = page.locator("#consent > details form")
    form.locator("[name='consent-client']").select_option(str(client.person.pk))
    form.locator("[name='consent-scope']").select_option("share_org")
    form.locator("[name='consent-recipient']").fill("OIK Chełm")
    form.locator("[name='consent-shares'][value='identity']").check()
    form.locator("[name='consent-shares'][value='contact']").check()
    form.locator("[name='consent-method']").select_option("written")
    form.locator("[name='consent-interpreter']").check()
    form.locator("[name='consent-given_on']").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    expect(page.get_by_text("Zapisano.")).to_be_visible()
    consent = Consent.objects.get()
    assert (consent.client, consent.recipient) == (client.person, "OIK Chełm")
    assert consent.shares == ["identity", "contact"] and consent.interpreter
    page.get_by_test_id("case-referrals").click()
    page.locator("#id_client").select_option(str(client.person.pk))
    page.locator("#id_partner").select_option(str(crisis.pk))
    page.locator("#id_reason").fill("Hostel interwencyjny na czas postępowania.")
    page.get_by_role("button", name="Wyślij skierowanie").click()
    expect(
        page.get_by_text("Wysłano skierowanie do: Ośrodek Interwencji Kryzysowej w Chełmie.")
    ).to_be_visible()
    expect(page.get_by_test_id("disclosure")).to_contain_text(
        "Imię i nazwisko, data urodzenia i obywatelstwo"
    )
    # The summary went by e-mail to the crisis centre, the case's number in its subject.
    (message,) = mail.outbox
    assert message.to == ["oik@chelm.example"] and case.reference in message.subject
    assert Disclosure.objects.get().sent_to == "oik@chelm.example"
    # The crisis centre calls back: accepted.
    page.locator("#id_status").select_option("accepted")
    page.locator("#id_feedback").fill("Miejsce od jutra.")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Przyjęte")
    assert Referral.objects.get().status == "accepted"

    # Each partner's page shows its part.
    page.goto(f"{base}/network/partners/{police.code}/")
    expect(page.get_by_test_id("partner-consultation")).to_contain_text(
        "Identyfikacja podejrzewanego przypadku"
    )
    expect(page.get_by_test_id("partner-case")).to_contain_text(case.reference)
    page.goto(f"{base}/network/partners/{crisis.code}/")
    expect(page.get_by_test_id("partner-referral")).to_contain_text("Przyjęte")
    expect(page.get_by_test_id("partner-case")).to_contain_text(case.reference)
