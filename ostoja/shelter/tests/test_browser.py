"""The night walk of issue 15 in Debian's chromium, on a phone (390×844) for the duty
worker: an emergency outside office hours → a free bed found, no address shown → reserved
→ admitted by the shelter staff → two shift-book entries → a resident out and not back in
time → the alarm reaches the case manager and the duty worker (captured) → back → discharged
home. Every step audited."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.services import case_open
from ostoja.duty.models import Shift
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.shelter.models import Absence, Placement
from ostoja.shelter.services import facility_create
from ostoja.shelter.tasks import absence_check
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ADDRESS = "ul. Tajna 7, 00-950 Warszawa"


def _fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_night_from_the_emergency_to_the_discharge(page: Page, live_server: object) -> None:
    base = str(live_server)
    # Nights and weekends are all the same here: outside office hours, as at 2 a.m. on a
    # Saturday, and the counsellor is on duty.
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum", office_hours={})
    duty = make_user(organisation, Role.COUNSELLOR, full_name="Anna Kowalczyk")
    manager = make_user(organisation, Role.CASE_MANAGER, full_name="Marta Wiśniewska")
    staff = make_user(organisation, Role.SHELTER_STAFF, full_name="Ewa Zielińska")
    coordinator = make_user(organisation, Role.COORDINATOR)
    now = timezone.now()
    Shift.objects.create(
        organisation=organisation,
        start=now - dt.timedelta(hours=2),
        end=now + dt.timedelta(hours=10),
        primary=duty.user,
        created_by=coordinator.user,
    )
    facility_create(
        organisation=organisation,
        data={
            "name": "Schronisko Lipa",
            "kind": "shelter",
            "takes_women": True,
            "phone": "+48 22 100 20 30",
            "address": ADDRESS,
        },
        rooms=[("1", 2)],
        staff=[staff.user],
        acting_user=coordinator.user,
    )
    person = person_create(
        organisation=organisation,
        data={"name": "Halyna Melnyk", "gender": Person.Gender.FEMININE},
        acting_user=manager.user,
    )
    case_open(
        organisation=organisation,
        clients=[person],
        manager=manager.user,
        data={"summary": ""},
        acting_user=manager.user,
    )
    intervention = intervention_open(
        organisation=organisation,
        data={"situation": "safe_place"},
        acting_user=duty.user,
        people=[person],
    )

    # The duty worker, on the phone: the intervention, "place tonight", a free bed.
    browser_sign_in(page, base, duty)
    page.goto(f"{base}/interventions/{intervention.code}/")
    page.get_by_test_id("place-tonight").click()
    expect(page.get_by_test_id("facilities")).to_contain_text("+48 22 100 20 30")
    assert ADDRESS not in page.content() and _fits(page)
    page.locator("#id_bed-person").select_option(label="Halyna Melnyk")
    page.locator("#id_bed-facility").select_option(label="Schronisko Lipa")
    page.locator("#id_bed-bed").select_option(label="Schronisko Lipa · 1 / 1")
    page.get_by_role("button", name="Zarezerwuj łóżko").click()
    expect(page.get_by_text("Łóżko zarezerwowane.")).to_be_visible()
    expect(page.get_by_test_id("safe-contact")).to_be_visible()
    assert ADDRESS not in page.content() and _fits(page)
    page.get_by_role("link", name="Schronisko Lipa").first.click()
    expect(page.get_by_test_id("address")).to_contain_text("Zastrzeżony")
    assert ADDRESS not in page.content() and _fits(page)
    placement = Placement.objects.get()

    # The shelter staff: admission, the shift book, going out.
    page.context.clear_cookies()
    browser_sign_in(page, base, staff)
    page.goto(f"{base}/shelter/placements/{placement.code}/")
    page.locator("#id_admit-brought_by").select_option("staff")
    page.locator("#id_admit-arrived_with").fill("Telefon, bez dokumentów.")
    page.get_by_role("button", name="Przyjmij").last.click()
    expect(page.get_by_text("Przyjęto.")).to_be_visible()
    page.goto(f"{base}/shelter/facilities/{placement.bed.room.facility.code}/")
    expect(page.get_by_test_id("address")).to_contain_text(ADDRESS)
    for text, resident in (("Przyjęcie o 2:10, spokojna.", False), ("Pyta o paszport.", True)):
        page.goto(f"{base}/shelter/facilities/{placement.bed.room.facility.code}/book/")
        page.locator("#id_shift").select_option("night")
        page.locator("#id_text").fill(text)
        if resident:
            page.locator("#id_placement").select_option(str(placement.pk))
            page.locator("#id_for_case_manager").check()
        page.get_by_role("button", name="Zapisz").click()
        expect(page.get_by_text("Zapisano w dzienniku zmian.")).to_be_visible()
    page.goto(f"{base}/shelter/placements/{placement.code}/")
    page.get_by_text("Zapisz wyjście").first.click()
    page.locator("#id_out-where").fill("Do sklepu")
    page.get_by_role("button", name="Zapisz wyjście").click()
    expect(page.get_by_text("Zapisano wyjście.")).to_be_visible()

    # The clock moves on: she was expected back an hour ago. The every-minute check.
    Absence.objects.update(expected_back=timezone.now() - dt.timedelta(hours=1))
    absence_check.call_local()
    told = {message.to[0] for message in mail.outbox}
    assert {manager.email, duty.email, staff.email} <= told
    for message in mail.outbox:
        assert "Halyna" not in message.body and ADDRESS not in message.body

    # She is back; the stay ends with a return home.
    page.reload()
    expect(page.get_by_test_id("absences")).to_contain_text("brak powrotu")
    page.get_by_role("button", name="Zapisz powrót").click()
    expect(page.get_by_text("Zapisano powrót.")).to_be_visible()
    page.locator("#id_discharge-reason").select_option("own_decision")
    page.locator("#id_discharge-destination").select_option("return_home")
    page.get_by_role("button", name="Wypisz").last.click()
    expect(page.get_by_text("Wypisano.")).to_be_visible()
    placement.refresh_from_db()
    assert placement.destination == "return_home"
    assert placement.intervention == intervention
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "placement.reserved",
        "placement.admitted",
        "shift_entry.written",
        "absence.started",
        "absence.alarm_raised",
        "absence.ended",
        "placement.discharged",
        "facility.address_viewed",
    } <= actions
    assert AuditEntry.objects.filter(action="shift_entry.written").count() == 2
