"""Printing a case, a person and an intervention (Debian's chromium, print media): the
record and who printed it, without the top bar, menu, search, buttons or forms, black on
white, and no link's address after its text."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ostoja.accounts.roles import Role
from ostoja.cases.models import Case
from ostoja.interventions.services import intervention_open
from ostoja.people.models import Person
from ostoja.test import Persona, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Controls a printout must not show: every one that is still rendered in print media.
SHOWN_CONTROLS = """() => [...document.querySelectorAll(
  "header, nav, form, button, .btn, input, select, textarea, summary, [role=search]"
)].filter((e) => e.checkVisibility()).map((e) => e.outerHTML.slice(0, 80))"""
# Links that would print something after their text (an address, say).
LINKS_WITH_AFTER = """() => [...document.querySelectorAll("main a[href]")]
  .filter((a) => !["none", "normal"].includes(getComputedStyle(a, "::after").content))
  .map((a) => a.outerHTML.slice(0, 80))"""


def _printed(page: Page, url: str, heading: str, persona: Persona) -> None:
    page.goto(url)
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name=heading, exact=False).first).to_be_visible()
    printed = page.get_by_test_id("printed")
    expect(printed).to_be_visible()
    expect(printed).to_contain_text(persona.user.full_name)
    expect(printed).to_contain_text(timezone.localdate().isoformat())
    assert page.evaluate(SHOWN_CONTROLS) == [], url
    assert page.evaluate(LINKS_WITH_AFTER) == [], url
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body)"
        ".backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"], colours
    # On the screen, the note is not there and the controls are.
    page.emulate_media(media="screen")
    expect(printed).to_be_hidden()
    expect(page.locator("header nav")).to_be_visible()


def test_a_case_a_person_and_an_intervention_print_as_records(
    page: Page, live_server: object, centre: dict[Role, Persona], case: Case, client_person: Person
) -> None:
    base = str(live_server)
    manager = centre[Role.CASE_MANAGER]
    organisation = manager.user.organisation
    assert organisation is not None
    intervention = intervention_open(
        organisation=organisation,
        data={
            "situation": "captivity",
            "location": "Grójec, kontener przy szklarni",
            "first_contact_at": timezone.now() - dt.timedelta(minutes=10),
        },
        acting_user=manager.user,
        people=[client_person],
    )
    browser_sign_in(page, base, manager)

    _printed(page, f"{base}/cases/{case.code}/", case.reference, manager)
    expect(page.locator("#goal")).to_be_visible()
    _printed(page, f"{base}/people/{client_person.code}/", "Olena Shevchenko", manager)
    expect(page.get_by_test_id("safe-contact")).to_contain_text("słonecznik")
    _printed(page, f"{base}/interventions/{intervention.code}/", intervention.reference, manager)
    expect(page.get_by_test_id("clock")).to_be_visible()
    expect(page.get_by_text("Grójec, kontener przy szklarni")).to_be_visible()
