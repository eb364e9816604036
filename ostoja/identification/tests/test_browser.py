"""The written-out scenarios marked ``browser=True``, answered through the assessment form in
a real browser (Debian's chromium): each dimension and the overall suggestion on the page
are what the scenario expects, and the page never calls the result an identification."""

import pytest
from playwright.sync_api import Page, expect

from ostoja.accounts.models import Organisation
from ostoja.accounts.roles import Role
from ostoja.identification.models import Answer, Catalogue
from ostoja.identification.reference import load_catalogue, read_shipped
from ostoja.identification.services import assessment_start
from ostoja.identification.tests.scenarios import SCENARIOS, Scenario
from ostoja.people.services import person_create
from ostoja.test import browser_sign_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if s.browser], ids=lambda scenario: scenario.slug
)
def test_a_scenario_through_the_assessment_form(
    page: Page, live_server: object, scenario: Scenario
) -> None:
    base = str(live_server)
    if not Catalogue.objects.exists():  # a flushed test database lacks the data migration's
        load_catalogue(read_shipped())
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    manager = make_user(organisation, Role.CASE_MANAGER)
    person = person_create(
        organisation=organisation, data={"name": "Osoba testowa"}, acting_user=manager.user
    )
    (list_code, expected), *_ = scenario.expected.items()
    browser_sign_in(page, base, manager)
    page.goto(f"{base}/identification/people/{person.code}/")
    page.locator("#id_mode").select_option("full")
    page.locator(f"#assessments input[value='{list_code.split('_')[1]}']").check()
    page.locator("#id_age_at_exploitation").fill("12" if scenario.child else "30")
    page.locator("#assessments button[type=submit]").click()
    expect(page.get_by_test_id("results")).to_be_visible()

    forms = page.locator("form[data-indicator]")
    count = forms.count()
    for n in range(count):
        form = forms.nth(n)
        dimension = form.locator("xpath=ancestor::fieldset").get_attribute("data-dimension")
        key = f"{dimension}:{form.get_attribute('data-indicator')}"
        value = scenario.answers.get(key, scenario.unlisted)
        form.locator(f"input[name=value][value={value}]").check()
    # Every answer stored (htmx saves each as it is given, in order), then the page again.
    expect(page.get_by_test_id("answered")).to_contain_text(
        f"Odpowiedzi: {count} z {count}", timeout=30000
    )
    page.reload()
    panel = page.locator(f"[data-list='{list_code}']")
    for dimension, status in expected.dimensions.items():
        expect(panel.locator(f"li[data-dimension='{dimension}']")).to_have_attribute(
            "data-status", status.value
        )
    badge = page.get_by_test_id(f"suggestion-{list_code}")
    expect(badge).to_have_attribute("data-suggestion", expected.suggestion.value)
    assert "identyfik" not in (badge.text_content() or "").lower()
    assert Answer.objects.count() == count


def test_on_a_phone_the_result_stays_in_view_below_the_questions(
    page: Page, live_server: object
) -> None:
    """Both adult lists (over a hundred questions) at 360×740: scrolled to the last
    question, the compact result is still at the top of the screen, and an answer given
    down there updates it."""
    base = str(live_server)
    if not Catalogue.objects.exists():
        load_catalogue(read_shipped())
    organisation = Organisation.objects.create(short_code="KCIK", name="Centrum")
    manager = make_user(organisation, Role.CASE_MANAGER)
    person = person_create(
        organisation=organisation, data={"name": "Osoba testowa"}, acting_user=manager.user
    )
    assessment = assessment_start(
        person=person,
        mode="full",
        exploitation=["labour", "sexual"],
        age_at_exploitation=30,
        acting_user=manager.user,
    )
    browser_sign_in(page, base, manager)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/identification/assessments/{assessment.code}/")
    compact = page.get_by_test_id("results-compact")
    questions = page.locator("form[data-indicator]")
    total = questions.count()
    assert total > 60
    expect(compact).to_contain_text(f"Odpowiedzi: 0 z {total}")
    last = questions.last
    last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 5000  # far below where the bar began
    expect(compact).to_be_in_viewport()
    box = compact.bounding_box()
    assert box is not None and box["y"] <= 1  # stuck to the top of the screen
    last.locator("input[name=value][value=yes]").check()
    expect(compact).to_contain_text(f"Odpowiedzi: 1 z {total}")
    expect(compact).to_be_in_viewport()
    expect(last).to_be_in_viewport()
