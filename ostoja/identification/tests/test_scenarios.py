"""The written-out cases of ``scenarios.py`` through the rule, with catalogue version 1 read
straight from the shipped JSON (no database), and one check that the migration loaded it."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from ostoja.identification.engine import Item, ListResult, evaluate
from ostoja.identification.models import Catalogue, Indicator
from ostoja.identification.reference import catalogue_as_data, read_shipped
from ostoja.identification.tests.scenarios import SCENARIOS, Scenario

DATA = read_shipped()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Reasons are asserted in English here (Polish where a test says so)."""
    with translation.override("en"):
        yield


def items_of(list_code: str) -> list[Item]:
    return [
        Item(
            code=row["code"],
            dimension=row["dimension"],
            strength=row["strength"],
            label=row["text_en"],
        )
        for row in DATA["lists"][list_code]
    ]


def run(scenario: Scenario, list_code: str) -> ListResult:
    items = items_of(list_code)
    keys = {item.key for item in items}
    # "unknown" for the rest means the call ended early: leave them unanswered, which the
    # rule must treat exactly like "unknown".
    answers = {} if scenario.unlisted == "unknown" else dict.fromkeys(keys, scenario.unlisted)
    answers.update({key: value for key, value in scenario.answers.items() if key in keys})
    return evaluate(items, answers, DATA["rules"], child=scenario.child, list_code=list_code)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.slug)
def test_it_gives_each_scenario_its_expected_result(scenario: Scenario) -> None:
    for list_code, expected in scenario.expected.items():
        result = run(scenario, list_code)
        statuses = {dimension: r.status for dimension, r in result.dimensions.items()}
        assert statuses == expected.dimensions, (list_code, result.reason)
        assert result.suggestion == expected.suggestion, (list_code, result.reason)
        assert result.list_code == list_code


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.slug)
def test_it_names_only_real_indicators(scenario: Scenario) -> None:
    keys = {item.key for list_code in scenario.expected for item in items_of(list_code)}
    assert set(scenario.answers) <= keys, set(scenario.answers) - keys
    assert scenario.unlisted in {"no", "unknown"}
    assert all(value in {"yes", "no", "unknown"} for value in scenario.answers.values())


def test_scenarios_cover_the_cases_the_centre_meets() -> None:
    slugs = [scenario.slug for scenario in SCENARIOS]
    assert len(slugs) == len(set(slugs)) >= 12
    assert len([s for s in SCENARIOS if s.browser]) == 2
    assert all(
        expected.suggestion == "suggests"
        for scenario in SCENARIOS
        if scenario.browser
        for expected in scenario.expected.values()
    )
    used = {list_code for scenario in SCENARIOS for list_code in scenario.expected}
    assert used == set(DATA["lists"])
    outcomes = {e.suggestion for s in SCENARIOS for e in s.expected.values()}
    assert outcomes == {"suggests", "insufficient", "does_not_suggest"}
    assert any(s.child for s in SCENARIOS)
    for scenario in SCENARIOS:
        sentences = scenario.narrative.count(". ") + 1
        assert 2 <= sentences <= 4, scenario.slug


@pytest.mark.django_db
def test_the_migration_loaded_version_1() -> None:
    catalogue = Catalogue.objects.get(version=1)
    adult_labour = Indicator.objects.filter(catalogue=catalogue, list_code="adult_labour")
    assert adult_labour.count() == 67
    assert catalogue_as_data(catalogue) == DATA
