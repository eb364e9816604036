"""From the Saturday 02:00 call to the Monday case, clicked through in a real browser: one
continuous path of links in both directions — the contact opens the intervention, the
intervention names its contact and people, is handed over; on Monday the case manager finds
the hand-over on the dashboard and in the notification centre, takes it, and opens the case
from the intervention, which then links to it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.cases.models import Case
from ostoja.duty.models import Shift
from ostoja.helpline.models import Contact
from ostoja.interventions.models import Intervention
from ostoja.people.models import Person
from ostoja.test import browser_sign_in, make_user, open_top_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WARSAW = ZoneInfo("Europe/Warsaw")
SATURDAY_2AM = dt.datetime(2026, 12, 5, 2, 0, tzinfo=WARSAW)
MONDAY_9AM = dt.datetime(2026, 12, 7, 9, 0, tzinfo=WARSAW)


def test_from_the_saturday_night_call_to_the_monday_case(page: Page, live_server: object) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    worker = make_user(organisation, Role.COUNSELLOR, full_name="Anna Kowalczyk")
    manager = make_user(organisation, Role.CASE_MANAGER, full_name="Marta Wiśniewska")
    make_user(organisation, Role.COORDINATOR, full_name="Ewa Nowak")
    Shift.objects.create(
        organisation=organisation,
        start=SATURDAY_2AM - dt.timedelta(hours=12),
        end=SATURDAY_2AM + dt.timedelta(hours=30),
        primary=worker.user,
        created_by=worker.user,
    )

    with time_machine.travel(SATURDAY_2AM, tick=True):
        browser_sign_in(page, base, worker)
        # The duty phone rings: a live contact, then the emergency.
        page.goto(f"{base}/helpline/")
        page.get_by_role("button", name="Nowe połączenie").click()
        expect(page.get_by_role("heading", name="Bieżący kontakt")).to_be_visible()
        # The page's scripts (htmx) have run: typing earlier, on a busy machine, set off no
        # autosave at all.
        page.wait_for_load_state("load")
        page.get_by_label("Numer dzwoniącego").fill("+48 601 222 333")
        expect(page.locator("#autosave")).to_contain_text("Szkic zapisano", timeout=10000)
        contact = Contact.objects.get()
        page.get_by_role("link", name="Otwórz interwencję kryzysową").click()
        page.locator("#id_situation").select_option("captivity")
        page.locator("#id_location").fill("Grójec, kontener przy szklarni")
        page.locator("form button[type=submit]").last.click()
        intervention = Intervention.objects.get()
        expect(page.get_by_role("heading", name=intervention.reference)).to_be_visible()
        # The intervention names its contact; the contact names the intervention.
        links = page.get_by_test_id("intervention-links")
        expect(links.get_by_role("link", name=str(contact))).to_be_visible()
        links.get_by_role("link", name=str(contact)).click()
        expect(page.get_by_test_id("contact-links")).to_contain_text(intervention.reference)
        expect(page.get_by_role("link", name="Otwórz interwencję kryzysową")).to_have_count(0)
        page.get_by_test_id("contact-links").get_by_role(
            "link", name=f"{intervention.reference}", exact=False
        ).click()
        # Someone involved, registered from the intervention's contact.
        page.get_by_role("link", name="Zarejestruj nową osobę").click()
        page.locator("#id_name").fill("Ірина Бондар")
        page.locator("#id_name_latin").fill("Iryna Bondar")
        page.locator("#person-form button[type=submit]").click()
        expect(page.get_by_text("Zarejestrowano osobę.")).to_be_visible()
        person = Person.objects.get()
        page.goto(f"{base}/interventions/{intervention.code}/")
        page.locator("details:has(#intervention-person-form), details").filter(
            has_text="Dodaj osobę, której to dotyczy"
        ).locator("summary").click()
        page.locator("select[name=person]").select_option(str(person.code))
        page.get_by_role("button", name="Dodaj", exact=True).click()
        expect(page.get_by_role("link", name="Iryna Bondar", exact=False)).to_be_visible()
        # An action, then closing with the hand-over to the case manager.
        page.locator("#id_kind").select_option("police")
        page.get_by_role("button", name="Zapisz działanie").click()
        expect(page.get_by_text("Zapisano działanie.")).to_be_visible()
        page.locator("#id_outcome").select_option("shelter")
        page.locator("#id_handover_to").select_option(str(manager.user.pk))
        page.get_by_role("button", name="Zamknij interwencję").click()
        expect(page.get_by_text("Interwencję zamknięto.")).to_be_visible()
        page.context.clear_cookies()

    with time_machine.travel(MONDAY_9AM, tick=True):
        browser_sign_in(page, base, manager)
        # Monday: the hand-over waits on the dashboard and in the notification centre.
        todo = page.get_by_test_id("todo")
        expect(todo).to_contain_text(intervention.reference)
        open_top_menu(page)  # phone-sized top bar
        page.get_by_test_id("notices").click()
        expect(page.get_by_test_id("notice-list")).to_contain_text(intervention.reference)
        page.get_by_test_id("notice-list").get_by_role("button", name="Otwórz").first.click()
        expect(page.get_by_role("heading", name=intervention.reference)).to_be_visible()
        page.get_by_role("button", name="Przejmuję").click()
        expect(page.get_by_text("Potwierdzono przejęcie.")).to_be_visible()
        # The case, opened from the intervention, for the person involved.
        page.get_by_role("link", name="Otwórz sprawę").click()
        expect(page.get_by_test_id("case-new-known")).to_contain_text(intervention.reference)
        page.locator("form button[type=submit]").last.click()
        expect(page.get_by_text("Otwarto sprawę KCIK/")).to_be_visible()
        case = Case.objects.get()
        # Back from the case to the person, whose history holds the whole story …
        page.get_by_role("link", name="Iryna Bondar", exact=False).first.click()
        history = page.get_by_test_id("person-history")
        for step in (str(contact), intervention.reference, case.reference):
            expect(history).to_contain_text(step)
        # … and the intervention now links the case it led to.
        history.get_by_role("link", name=intervention.reference, exact=False).click()
        expect(page.get_by_test_id("intervention-links")).to_contain_text(case.reference)
    intervention.refresh_from_db()
    assert intervention.case == case and intervention.handover_acknowledged_at is not None
