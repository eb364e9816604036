"""axe-core on every staff page, as each role sees it: the demo's centre (so no page is
empty; the test lives with the demo, as no app may use it), each role signed in through
the real pages in a browser of its own (Debian's chromium at desktop size, where the top
bar shows the organisation and the whole menu), every page of ``staff_paths()`` the role
may open, with its folded sections opened (htmx loads their forms) — no serious or
critical violation anywhere."""

import importlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import Client
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings

from ostoja.accounts.models import User
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.cases.models import Case, LegalPeriod
from ostoja.demo.management.commands.demo import DEMO_PASSWORD, demo_email, totp_secret
from ostoja.duty.models import Shift, SwapRequest
from ostoja.helpline.models import Contact
from ostoja.identification.models import Assessment, Catalogue
from ostoja.identification.reference import load_catalogue, read_shipped
from ostoja.interventions.models import Intervention
from ostoja.people.models import Person
from ostoja.test import Axe, Persona, browser_sign_in, force_sign_in, staff_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = "00000000-0000-4000-8000-000000000000"
# The account's own pages (allauth's, in our templates), a refusal (403) and a missing page
# (404): the same for every role, checked once.
ACCOUNT_PAGES = [
    "/accounts/2fa/",
    "/accounts/password/change/",
    "/accounts/sessions/",
    "/accounts/reauthenticate/",
    "/users/",
    "/no-such-page/",
]
# Open every folded section and scroll each lazily loaded one into view, then wait while
# htmx loads them (it marks an element with ``htmx-request`` while its request runs); back
# to the top for axe.
OPEN_AND_SETTLE = """async () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
  document.querySelectorAll("details:not([open])").forEach((d) => { d.open = true; });
  for (const lazy of document.querySelectorAll("[hx-trigger='revealed']")) {
    lazy.scrollIntoView();
    await pause();
  }
  await pause();
  for (let i = 0; i < 200 && document.querySelector(".htmx-request"); i++) await pause();
  window.scrollTo(0, 0);
}"""


def _reference_data() -> None:
    """What the data migrations load, which a flushed test database has lost."""
    if not Catalogue.objects.exists():
        load_catalogue(read_shipped())
    periods = importlib.import_module("ostoja.cases.migrations.0003_legal_periods").PERIODS
    for period in periods:
        LegalPeriod.objects.get_or_create(**period)


def _user(role: Role) -> User:
    return User.objects.get(email=demo_email(role))


def _first(records: QuerySet[Any]) -> Any:
    found = records.first()
    assert found is not None, records.model
    return found


def _case_and_client() -> tuple[Case, Person]:
    """An open case of the demo's case manager with its specialist on the team, and its
    first client."""
    manager, specialist = _user(Role.CASE_MANAGER), _user(Role.SPECIALIST)
    case = _first(
        Case.objects.filter(status=Case.Status.OPEN, team__user=manager)
        .filter(team__user=specialist)
        .order_by("opened_on")
    )
    return case, _first(case.clients.order_by("pk")).person


def _real_codes() -> list[tuple[str, str]]:
    """The demo record that stands in for the sample code, by the beginning of the path
    (the first that matches): the case, its client, the client's assessment, and so on."""
    manager = _user(Role.CASE_MANAGER)
    case, person = _case_and_client()
    assessment = Assessment.objects.filter(person=person).first() or Assessment.objects.first()
    swap = SwapRequest.objects.first()
    codes = [
        ("/users/", manager.code),
        ("/privacy/audit/entries/", _first(AuditEntry.objects.order_by("-pk")).pk),
        ("/privacy/audit/seen/accounts.user/", manager.code),
        ("/privacy/audit/people/", person.code),
        ("/helpline/", _first(Contact.objects.order_by("-started_at")).code),
        ("/people/", person.code),
        ("/cases/", case.code),
        ("/identification/people/", person.code),
        ("/identification/assessments/", assessment.code if assessment else SAMPLE),
        ("/duty/shifts/", _first(Shift.objects.order_by("-start")).code),
        ("/duty/swaps/", swap.code if swap else SAMPLE),
        ("/interventions/", _first(Intervention.objects.order_by("-first_contact_at")).code),
        ("/access/accounts.user/", manager.code),
    ]
    return [(prefix, str(code)) for prefix, code in codes]


def _pages(role: Role) -> list[str]:
    """Every staff page this role may open: the paths of ``staff_paths()`` with real codes
    that answer a GET with a whole HTML page (not a fragment, a download or a refusal)."""
    codes = _real_codes()
    client = Client()
    force_sign_in(client, _user(role))
    pages = []
    for sample_path in staff_paths():
        path = sample_path
        for prefix, code in codes:
            if path.startswith(prefix):
                path = path.replace(SAMPLE, code)
                break
        response = client.get(path)
        if (
            response.status_code == 200
            and response["Content-Type"].startswith("text/html")
            and response.content.lstrip().startswith(b"<!DOCTYPE html>")
        ):
            pages.append(path)
    return pages


def _search(page: Page, base: str, role: Role, axe: Axe) -> None:
    """The pages a search answers (posted, so not in ``staff_paths()``): the top bar's
    search for a case number and a name, as a coordinator; the DPO's find page, sent
    empty (its errors) and with a name."""
    case, person = _case_and_client()
    if role == Role.COORDINATOR:
        for query, found in ((case.reference, case.reference), (person.name, person.name)):
            page.goto(f"{base}/")
            with page.expect_navigation():
                page.locator("[data-search]").fill(query)
                page.locator("[data-search]").press("Enter")
            expect(page.locator("main")).to_contain_text(found)
            axe.check()
    if role == Role.DPO:
        page.goto(f"{base}/privacy/find/")
        with page.expect_navigation():
            page.locator("form[action$='/find/case/'] button[type=submit]").click()
        expect(page.get_by_text("Wpisz numer sprawy.")).to_be_visible()
        axe.check()
        page.locator("#id_person-name").fill(person.name)
        page.locator("#id_person-purpose").select_option(index=1)
        with page.expect_navigation():
            page.locator("form[action$='/find/person/'] button[type=submit]").click()
        expect(page.get_by_test_id("people").locator("li").first).to_be_visible()
        axe.check()


def test_every_staff_page_has_no_serious_accessibility_violation(
    browser: Browser, live_server: object, audit_flushable: None, settings: Settings
) -> None:
    settings.OSTOJA_INCOMING_POLL_SECONDS = 0  # one request at a time (see the page fixture)
    base = str(live_server)
    _reference_data()
    call_command("demo", stdout=StringIO())
    report = []
    for role in Role:
        pages = _pages(role)
        assert pages, role
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="pl-PL", reduced_motion="reduce"
        )
        page = context.new_page()
        axe = Axe(page)
        user = _user(role)
        if role == Role.COUNSELLOR:  # the doors, once: sign-in and the second factor
            page.goto(f"{base}/accounts/login/")
            axe.check()
        browser_sign_in(page, base, Persona(user, totp_secret(user)), password=DEMO_PASSWORD)
        if role == Role.COUNSELLOR:
            for path in ACCOUNT_PAGES:
                page.goto(base + path)
                axe.check()
        for path in pages:
            page.goto(base + path)
            page.evaluate(OPEN_AND_SETTLE)
            axe.check()
        _search(page, base, role, axe)
        context.close()
        assert {base + path for path in pages} <= set(axe.checked), role
        if axe.found or axe.errors:
            report.append(f"{role}:\n{axe.report()}")
    assert not report, "axe-core found:\n" + "\n".join(report)
