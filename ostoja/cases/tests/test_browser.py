"""One case from a helpline contact to closure, clicked through in a real browser (Debian's
chromium at phone size): the person registered from the contact (with the duplicate
warning), the case opened, a goal, a legal consultation, the decision to cooperate with the
police, the reflection-period deadline and its reminder, closing the case."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case, Deadline, Decision, LegalPeriod, Service
from ostoja.cases.tasks import remind_deadlines
from ostoja.helpline.models import Contact, ContactLink
from ostoja.people.models import Person
from ostoja.people.services import person_create
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add(page: Page, section: str, fields: dict[str, str], selects: dict[str, str]) -> None:
    """Open a section's add form on the case page, fill it and save."""
    page.locator(f"#{section} > details > summary").click()
    form = page.locator(f"#{section} > details form")
    for name, value in selects.items():
        form.locator(f"[name='{name}']").select_option(value)
    for name, value in fields.items():
        form.locator(f"[name='{name}']").fill(value)
    form.locator("button[type=submit]").click()
    expect(page.get_by_text("Zapisano.")).to_be_visible()


def test_a_case_from_a_helpline_contact_to_closure(page: Page, live_server: object) -> None:
    base = str(live_server)
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    manager = make_user(organisation, Role.CASE_MANAGER, full_name="Marta Wiśniewska")
    make_user(organisation, Role.COORDINATOR)
    # The reference data a flushed test database lacks (a data migration loads it).
    LegalPeriod.objects.get_or_create(
        kind="reflection",
        defaults={
            "months_adult": 3,
            "months_minor": 4,
            "source": "Ustawa o cudzoziemcach, art. 172 ust. 2",
            "valid_from": dt.date(2014, 5, 1),
        },
    )
    # Someone who may be the same person was registered last year, in Polish spelling.
    person_create(
        organisation=organisation,
        data={"name": "Aleksander Kowalenko", "birth_date": dt.date(1990, 3, 4)},
        acting_user=manager.user,
    )
    browser_sign_in(page, base, manager)

    # The phone rings; the case manager (who also takes calls) answers.
    page.goto(f"{base}/helpline/")
    page.get_by_role("button", name="Nowe połączenie").click()
    expect(page.get_by_role("heading", name="Bieżący kontakt")).to_be_visible()
    page.get_by_label("Numer dzwoniącego").fill("+380 67 123 45 67")
    expect(page.locator("#autosave")).to_contain_text("Szkic zapisano", timeout=10000)
    page.get_by_role("link", name="Zarejestruj osobę, której dotyczy ten kontakt").click()

    # The person, in Cyrillic and in Latin letters: the duplicate warning shows the record
    # in another spelling, which the case manager judges to be someone else.
    page.locator("#id_name").fill("Олександр Коваленко")
    page.locator("#id_birth_date").fill("1990-03-04")
    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_contain_text("Aleksander Kowalenko", timeout=10000)
    page.locator("#id_name_latin").fill("Oleksandr Kovalenko")
    expect(page.locator("#id_phone")).to_have_value("+380 67 123 45 67")
    page.locator("#id_phone_controlled").check()
    page.locator("#id_code_word").fill("kasztan")
    page.locator("#person-form button[type=submit]").click()
    expect(page.get_by_text("Zarejestrowano osobę.")).to_be_visible()
    expect(page.get_by_test_id("safe-contact")).to_contain_text("kasztan")
    person = next(p for p in Person.objects.all() if p.name == "Олександр Коваленко")
    contact = Contact.objects.get()
    assert ContactLink.objects.filter(contact=contact, target_code=str(person.code)).exists()

    # The case.
    page.get_by_role("link", name="Otwórz sprawę").click()
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_text("Otwarto sprawę KCIK/")).to_be_visible()
    case = Case.objects.get()

    # The plan, a legal consultation, the decision to cooperate with the police.
    _add(page, "goal", {"goal-text": "Bezpieczne zakwaterowanie"}, {"goal-domain": "accommodation"})
    today = timezone.localdate().isoformat()
    _add(
        page,
        "service",
        {
            "service-delivered_on": today,
            "service-partner": "Kancelaria pro bono",
            "service-details": "Prawa pokrzywdzonego w postępowaniu karnym",
        },
        {
            "service-client": str(person.pk),
            "service-kind": "legal",
            "service-legal_area": "criminal",
        },
    )
    page.locator("#decision > details > summary").click()
    page.locator("#id_decision-information_0").check()
    form = page.locator("#decision > details form")
    form.locator("[name='decision-client']").select_option(str(person.pk))
    form.locator("[name='decision-kind']").select_option("cooperation")
    form.locator("[name='decision-choice']").select_option("yes")
    form.locator("[name='decision-decided_on']").fill(today)
    form.locator("button[type=submit]").click()
    expect(page.get_by_text("Zapisano.")).to_be_visible()

    # The presumed-victim certificate issued today: the reflection period is computed.
    _add(
        page,
        "deadline",
        {"deadline-starts_on": today},
        {"deadline-kind": "reflection", "deadline-client": str(person.pk)},
    )
    deadline = Deadline.objects.get()
    expect(page.get_by_test_id("deadline")).to_contain_text(deadline.due.isoformat())
    assert (deadline.due - timezone.localdate()).days in range(89, 93)  # three calendar months

    # Ten days before its end, the reminder goes to the case manager. (The page is left
    # meanwhile: its polling would reach the live server months ahead, and find the session
    # long expired — and so would a section still loading: the page is left once the
    # network is idle.)
    case_page = page.url
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    with time_machine.travel(deadline.due - dt.timedelta(days=10)):
        assert remind_deadlines()["reminded"] == 1
    assert mail.outbox[-1].to == [manager.email]
    assert case.reference in mail.outbox[-1].subject
    page.goto(case_page)
    expect(page.get_by_test_id("deadline")).to_contain_text("wysłano przypomnienie")

    # Closing, with a reason.
    page.locator("#status summary").click()  # the form loads when opened
    page.locator("#id_case-status").select_option("closed")
    page.locator("#id_case-reason").select_option("goals_met")
    page.locator("#status form button[type=submit]").click()
    expect(page.get_by_text("Zmieniono status.")).to_be_visible()
    case.refresh_from_db()
    assert case.status == "closed" and case.close_reason == "goals_met"
    assert Service.objects.get().legal_area == "criminal"
    assert Decision.objects.get().information == ["rights"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    expected = {"person.created", "case.opened", "case.goal_added", "case.service_added"}
    expected |= {"case.decision_added", "case.deadline_added", "case.status_changed"}
    assert expected <= actions
