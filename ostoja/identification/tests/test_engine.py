"""The indicator rule (DOMAIN.md §1.2) pinned on every boundary, and the catalogue format.

The rule itself comes from the shipped catalogue's ``rules``; these tests read it from
``reference/ilo_2009.json`` so a change to the data that changes the rule fails here."""

import copy
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from ostoja.identification.engine import (
    DimensionStatus,
    Item,
    ListResult,
    Suggestion,
    dimension_present,
    evaluate,
    item_key,
)
from ostoja.identification.models import Catalogue, Indicator
from ostoja.identification.reference import (
    catalogue_as_data,
    load_catalogue,
    read_shipped,
    validate_catalogue,
)
from ostoja.identification.tests.scenarios import SCENARIOS

DATA = read_shipped()
RULES: dict[str, Any] = DATA["rules"]
COMBINATIONS = RULES["dimension"]
LISTS = ("adult_labour", "adult_sexual", "child_labour", "child_sexual")

DR = "deceptive_recruitment"
CR = "coercive_recruitment"
RA = "recruitment_abuse_vulnerability"
EX = "exploitation"
CD = "coercion_destination"
AD = "abuse_vulnerability_destination"

P = DimensionStatus.PRESENT
N = DimensionStatus.NOT_PRESENT
INS = DimensionStatus.INSUFFICIENT

# (strong, medium, weak) answered "yes" → present?
BOUNDARIES = [
    ((0, 0, 0), False),
    ((1, 0, 0), False),  # one strong alone
    ((2, 0, 0), True),
    ((1, 0, 1), True),  # strong + weak
    ((1, 1, 0), True),  # strong + medium
    ((0, 3, 0), True),
    ((0, 2, 1), True),
    ((0, 2, 0), False),  # two medium alone
    ((0, 1, 0), False),
    ((0, 0, 1), False),  # weak only, any number
    ((0, 0, 2), False),
    ((0, 0, 3), False),
    ((0, 0, 7), False),
    ((0, 1, 1), False),
    ((0, 1, 2), False),  # one medium + two weak
    ((0, 1, 5), False),
]


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


def synthetic(strong: int, medium: int, weak: int, dimension: str = EX) -> list[Item]:
    """A dimension with exactly these indicators, labelled s1, m1, w1…"""
    return [
        Item(code=f"{tier.lower()}{n}", dimension=dimension, strength=tier, label=f"{tier}{n}")
        for tier, count in (("S", strong), ("M", medium), ("W", weak))
        for n in range(1, count + 1)
    ]


def answer(items: list[Item], **values: str) -> dict[str, str]:
    """Answers by code for items of one dimension; the rest "no"."""
    return {item.key: values.get(item.code, "no") for item in items}


@pytest.mark.parametrize(("counts", "present"), BOUNDARIES, ids=str)
def test_it_pins_the_dimension_rule_on_counts(counts: tuple[int, int, int], present: bool) -> None:
    assert dimension_present(*counts, COMBINATIONS) is present


def _per_list_cases() -> list[Any]:
    """Each boundary on each list, in a dimension of that list that has the indicators
    (the child lists have no weak tier, so weak cases do not arise there)."""
    cases = []
    for list_code, ((s, m, w), present) in itertools.product(LISTS, BOUNDARIES):
        for dimension in (DR, CR, RA, EX, CD, AD):
            rows = [row for row in DATA["lists"][list_code] if row["dimension"] == dimension]
            tiers = {t: [r for r in rows if r["strength"] == t] for t in "SMW"}
            if len(tiers["S"]) >= s and len(tiers["M"]) >= m and len(tiers["W"]) >= w:
                chosen = tiers["S"][:s] + tiers["M"][:m] + tiers["W"][:w]
                codes = tuple(row["code"] for row in chosen)
                cases.append(
                    pytest.param(
                        list_code,
                        dimension,
                        codes,
                        present,
                        id=f"{list_code}-{dimension}-{s}{m}{w}",
                    )
                )
                break
    return cases


@pytest.mark.parametrize(("list_code", "dimension", "codes", "present"), _per_list_cases())
def test_it_pins_the_dimension_rule_on_each_list(
    list_code: str, dimension: str, codes: tuple[str, ...], present: bool
) -> None:
    items = items_of(list_code)
    answers = {item.key: "no" for item in items}
    answers.update({item_key(dimension, code): "yes" for code in codes})
    result = evaluate(items, answers, RULES, child=list_code.startswith("child"))
    assert result.dimensions[dimension].status == (P if present else N)


def test_every_list_has_the_boundaries_it_can_have() -> None:
    cases = _per_list_cases()
    for list_code in LISTS:
        covered = {case.id.rsplit("-", 1)[1] for case in cases if case.values[0] == list_code}
        # Every case without weak indicators; on the adult lists also those with up to two
        # weak (no dimension has more). The child lists have no weak tier.
        most_weak = 2 if list_code.startswith("adult") else 0
        wanted = {f"{s}{m}{w}" for (s, m, w), _ in BOUNDARIES if w <= most_weak}
        assert wanted <= covered, (list_code, wanted - covered)


@pytest.mark.parametrize(
    ("yes_counts", "unknown_counts", "status"),
    [
        ((1, 0, 0), (0, 1, 0), INS),  # one more medium would make strong + medium
        ((1, 0, 0), (0, 0, 1), INS),
        ((1, 0, 0), (0, 0, 0), N),
        ((0, 2, 0), (0, 0, 1), INS),  # a weak would make 2 medium + 1 weak
        ((0, 2, 0), (0, 1, 0), INS),
        ((0, 1, 0), (0, 0, 2), N),  # 1 medium + 2 weak can never be present
        ((0, 0, 1), (0, 0, 5), N),  # weak only can never be present
        ((0, 0, 0), (1, 0, 0), N),  # a single strong alone is never enough
        ((0, 0, 0), (2, 0, 0), INS),
        ((0, 1, 0), (0, 1, 0), N),
        ((0, 1, 0), (0, 2, 0), INS),
        ((0, 1, 1), (0, 1, 0), INS),
        ((2, 0, 0), (3, 3, 3), P),  # present whatever the unknowns turn out to be
    ],
    ids=str,
)
def test_it_is_insufficient_exactly_when_unknowns_could_tip_it(
    yes_counts: tuple[int, int, int],
    unknown_counts: tuple[int, int, int],
    status: DimensionStatus,
) -> None:
    yes_items = synthetic(*yes_counts)
    unknown_items = [
        Item(code=f"u-{item.code}", dimension=EX, strength=item.strength, label=item.label)
        for item in synthetic(*unknown_counts)
    ]
    answers = {item.key: "yes" for item in yes_items}
    answers.update({item.key: "unknown" for item in unknown_items})
    result = evaluate(yes_items + unknown_items, answers, RULES, child=False)
    assert result.dimensions[EX].status == status
    assert result.dimensions[EX].unknown == sum(unknown_counts)


def test_it_treats_unanswered_like_unknown() -> None:
    items = synthetic(1, 2, 0)
    unanswered = evaluate(items, {items[0].key: "yes"}, RULES, child=False)
    unknown = evaluate(
        items, answer(items, s1="yes", m1="unknown", m2="unknown"), RULES, child=False
    )
    assert unanswered.dimensions[EX] == unknown.dimensions[EX]
    assert unanswered.dimensions[EX].status == INS


@pytest.mark.parametrize("yes", range(4))
@pytest.mark.parametrize("unknown", range(4))
@pytest.mark.parametrize("tier", ["S", "M", "W"])
def test_insufficient_means_the_unknowns_decide(yes: int, unknown: int, tier: str) -> None:
    counts = dict.fromkeys("SMW", 0)
    items = [
        Item(code=f"x{n}", dimension=EX, strength=tier, label=f"x{n}") for n in range(yes + unknown)
    ]
    answers = {item.key: ("yes" if n < yes else "unknown") for n, item in enumerate(items)}
    counts[tier] = yes
    now = dimension_present(counts["S"], counts["M"], counts["W"], COMBINATIONS)
    counts[tier] = yes + unknown
    could = dimension_present(counts["S"], counts["M"], counts["W"], COMBINATIONS)
    status = evaluate(items, answers, RULES, child=False).dimensions[EX].status
    assert status == (P if now else INS if could else N)


# --- Step 2: combining dimensions, on the real adult and child labour lists.

ACT = {f"{DR}:deceived-nature-of-job": "yes", f"{DR}:deceived-wages": "yes"}
ACT_BY_COERCION = {
    f"{CR}:debt-bondage": "yes",
    f"{CR}:confiscation-of-documents": "yes",
    f"{CR}:withholding-of-money": "yes",
}
EXPLOITATION = {f"{EX}:excessive-hours": "yes", f"{EX}:low-or-no-salary": "yes"}
COERCION = {f"{CD}:confiscation-of-documents": "yes", f"{CD}:debt-bondage": "yes"}
ABUSE_AT_DESTINATION = {
    f"{AD}:dependency-on-exploiters": "yes",
    f"{AD}:economic-reasons": "yes",
    f"{AD}:difficulty-unknown-area": "yes",
}


def full(list_code: str, *parts: dict[str, str], child: bool | None = None) -> ListResult:
    """A full assessment: the given "yes" answers, every other indicator "no"."""
    items = items_of(list_code)
    answers = {item.key: "no" for item in items}
    for part in parts:
        answers.update(part)
    if child is None:
        child = list_code.startswith("child")
    return evaluate(items, answers, RULES, child=child, list_code=list_code)


@pytest.mark.parametrize("list_code", LISTS)
def test_act_exploitation_and_means_suggest_trafficking(list_code: str) -> None:
    result = full(list_code, ACT, EXPLOITATION, {f"{EX}:bad-living-conditions": "yes"}, COERCION)
    assert result.suggestion == Suggestion.SUGGESTS
    assert "screening result" in result.reason


@pytest.mark.parametrize("list_code", ["adult_labour", "adult_sexual"])
def test_missing_means_does_not_suggest_for_an_adult(list_code: str) -> None:
    result = full(list_code, ACT, EXPLOITATION, {f"{EX}:bad-living-conditions": "yes"})
    assert result.dimensions[DR].status == P
    assert result.dimensions[EX].status == P
    assert result.suggestion == Suggestion.DOES_NOT_SUGGEST
    assert "Coercion at destination" in result.reason


def test_means_at_recruitment_meet_the_recruitment_element() -> None:
    # No deception: coercive recruitment alone stands for the act.
    result = full("adult_labour", ACT_BY_COERCION, EXPLOITATION, COERCION)
    assert result.dimensions[DR].status == N
    assert result.dimensions[CR].status == P
    assert result.suggestion == Suggestion.SUGGESTS


def test_recruitment_means_do_not_replace_the_destination_means() -> None:
    # The shipped adult rule (DOMAIN.md §1.2, reading of the ILO brochure) has three groups,
    # all needed: coercion at recruitment stands for the act, not for the means at
    # destination. A different reading would be a new catalogue version, not a code change.
    result = full("adult_labour", ACT_BY_COERCION, EXPLOITATION)
    assert result.suggestion == Suggestion.DOES_NOT_SUGGEST


def test_abuse_of_vulnerability_at_destination_is_enough_as_means() -> None:
    result = full("adult_labour", ACT, EXPLOITATION, ABUSE_AT_DESTINATION)
    assert result.dimensions[CD].status == N
    assert result.suggestion == Suggestion.SUGGESTS


def test_the_adult_rule_needs_exploitation() -> None:
    result = full("adult_labour", ACT, COERCION)
    assert result.suggestion == Suggestion.DOES_NOT_SUGGEST


@pytest.mark.parametrize("list_code", ["child_labour", "child_sexual"])
def test_for_a_child_act_and_exploitation_suffice(list_code: str) -> None:
    result = full(list_code, ACT, EXPLOITATION)
    assert result.dimensions[CD].status == N
    assert result.dimensions[AD].status == N
    assert result.suggestion == Suggestion.SUGGESTS
    assert "115" in result.reason


@pytest.mark.parametrize("list_code", ["child_labour", "child_sexual"])
def test_for_a_child_act_and_exploitation_are_both_needed(list_code: str) -> None:
    assert full(list_code, ACT, COERCION).suggestion == Suggestion.DOES_NOT_SUGGEST
    assert full(list_code, EXPLOITATION, COERCION).suggestion == Suggestion.DOES_NOT_SUGGEST


def test_the_same_answers_differ_between_adult_and_child_rule() -> None:
    assert full("child_labour", ACT, EXPLOITATION, child=False).suggestion == "does_not_suggest"
    assert full("child_labour", ACT, EXPLOITATION, child=True).suggestion == "suggests"


def test_open_means_make_the_result_insufficient() -> None:
    items = items_of("adult_labour")
    answers = {item.key: "no" for item in items if item.dimension not in (CD, AD)}
    answers.update(ACT | EXPLOITATION | {f"{CD}:confiscation-of-documents": "yes"})
    result = evaluate(items, answers, RULES, child=False)
    assert result.dimensions[CD].status == INS
    assert result.suggestion == Suggestion.INSUFFICIENT


def test_a_group_that_cannot_be_met_outweighs_an_open_one() -> None:
    items = items_of("adult_labour")
    answers = {item.key: "no" for item in items if item.dimension != CD}
    result = evaluate(items, answers | ACT, RULES, child=False)
    assert result.dimensions[CD].status == INS
    assert result.dimensions[EX].status == N
    assert result.suggestion == Suggestion.DOES_NOT_SUGGEST


# --- Reasons


def test_it_explains_a_dimension_in_words() -> None:
    with translation.override("en"):
        result = full("adult_labour", COERCION)
    assert result.dimensions[CD].reason == (
        "Coercion at destination: present — 2 strong (Confiscation of documents, Debt bondage)."
    )
    assert result.dimensions[CD].strong == ("Confiscation of documents", "Debt bondage")
    assert result.dimensions[DR].reason == (
        "Deceptive recruitment: not present — no indicator answered yes."
    )


def test_it_says_what_could_change_an_insufficient_dimension() -> None:
    items = synthetic(1, 1, 0)
    with translation.override("en"):
        result = evaluate(items, answer(items, s1="yes", m1="unknown"), RULES, child=False)
    assert result.dimensions[EX].reason == (
        "Exploitative conditions: insufficient information — 1 strong (S1); "
        "1 unknown or unanswered indicator could change it."
    )


def test_it_uses_the_callers_labels() -> None:
    items = synthetic(2, 0, 0)
    result = evaluate(
        items,
        answer(items, s1="yes", s2="yes"),
        RULES,
        child=False,
        dimension_labels={EX: "Warunki wyzysku"},
    )
    assert result.dimensions[EX].reason.startswith("Warunki wyzysku: ")


def _all_results() -> list[ListResult]:
    results = [
        full(list_code, *parts)
        for list_code in LISTS
        for parts in [(), (ACT,), (ACT, EXPLOITATION), (ACT, EXPLOITATION, COERCION)]
    ]
    results.append(evaluate(items_of("adult_labour"), {}, RULES, child=False))
    results.append(evaluate(items_of("child_sexual"), {}, RULES, child=True))
    for scenario in SCENARIOS:
        for list_code in scenario.expected:
            keys = {item.key for item in items_of(list_code)}
            answers = {k: v for k, v in scenario.answers.items() if k in keys}
            results.append(evaluate(items_of(list_code), answers, RULES, child=scenario.child))
    return results


@pytest.mark.parametrize("language", ["en", "pl"])
def test_no_reason_claims_an_identification(language: str) -> None:
    with translation.override(language):
        results = _all_results()
    assert {r.suggestion for r in results} == set(Suggestion)
    assert {d.status for r in results for d in r.dimensions.values()} == set(DimensionStatus)
    for result in results:
        texts = [result.reason] + [d.reason for d in result.dimensions.values()]
        for text in texts:
            assert "identif" not in text.lower(), text
            assert "identyfik" not in text.lower(), text


def test_it_refuses_answers_it_cannot_place() -> None:
    items = synthetic(1, 0, 0)
    with pytest.raises(ValueError, match="No indicator"):
        evaluate(items, {"exploitation:nonexistent": "yes"}, RULES, child=False)
    with pytest.raises(ValueError, match="not yes, no or unknown"):
        evaluate(items, {items[0].key: "maybe"}, RULES, child=False)
    with pytest.raises(ValueError, match="same dimension and code"):
        evaluate(items + items, {}, RULES, child=False)


def test_an_item_key_is_dimension_and_code() -> None:
    item = Item(code="debt-bondage", dimension=CD, strength="S", label="Debt bondage")
    assert item.key == "coercion_destination:debt-bondage" == item_key(CD, "debt-bondage")


def test_a_stronger_indicator_stands_in_for_a_weaker_one() -> None:
    assert dimension_present(1, 0, 0, [{"M": 1}])
    assert dimension_present(0, 1, 0, [{"W": 1}])
    assert dimension_present(1, 0, 0, [{"MW": 1}])
    assert not dimension_present(0, 1, 0, [{"S": 1}])
    assert not dimension_present(0, 0, 1, [{"M": 1}])


# --- The catalogue data


def test_the_shipped_catalogue_is_valid() -> None:
    assert validate_catalogue(DATA) == []


def test_the_shipped_lists_have_their_documented_shape() -> None:
    lists = DATA["lists"]
    counts = {code: len(rows) for code, rows in lists.items()}
    assert counts == {
        "adult_labour": 67,
        "adult_sexual": 67,
        "child_labour": 65,
        "child_sexual": 65,
    }
    per_dimension = {
        d: sum(r["dimension"] == d for r in lists["adult_labour"]) for d in (DR, CR, RA, EX, CD, AD)
    }
    assert per_dimension == {DR: 10, CR: 10, RA: 16, EX: 9, CD: 15, AD: 7}
    for list_code in ("child_labour", "child_sexual"):
        assert all(r["strength"] != "W" for r in lists[list_code])
    assert all(r["verification"] == "U" for r in lists["child_sexual"])
    for list_code, rows in lists.items():
        assert 8 <= sum(r["screening"] for r in rows) <= 10, list_code
    strengths = {(r["dimension"], r["code"]): r["strength"] for r in lists["adult_labour"]}
    assert strengths[(CR, "confiscation-of-documents")] == "M"
    assert strengths[(CD, "confiscation-of-documents")] == "S"
    assert strengths[(RA, "difficulties-in-the-past")] == "M"  # the [S] value, disagreement noted


def _broken(change: Any) -> list[str]:
    data = copy.deepcopy(DATA)
    change(data)
    with translation.override("en"):
        return validate_catalogue(data)


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def change(data: Any) -> None:
        for step in path[:-1]:
            data = data[step]
        data[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set(("version",), "1"), "The version must be a whole number"),
        (_set(("version",), 1.5), "The version must be a whole number"),
        (_set(("version",), True), "The version must be a whole number"),
        (_set(("name",), ""), "needs a “name”"),
        (_set(("lists", "adult_teen"), []), "Unknown list “adult_teen”"),
        (lambda d: d["lists"].pop("child_sexual"), "“child_sexual” is missing or empty"),
        (
            _set(("lists", "adult_labour", 0, "dimension"), "transport"),
            "List “adult_labour”, indicator 1: unknown dimension “transport”",
        ),
        (
            _set(("lists", "adult_labour", 2, "strength"), "X"),
            "List “adult_labour”, indicator 3: unknown strength “X”",
        ),
        (
            _set(("lists", "child_labour", 0, "verification"), "?"),
            "List “child_labour”, indicator 1: unknown verification “?”",
        ),
        (
            _set(("lists", "adult_sexual", 1, "text_pl"), " "),
            "List “adult_sexual”, indicator 2: the Polish wording is missing",
        ),
        (
            _set(("lists", "adult_sexual", 1, "text_en"), None),
            "List “adult_sexual”, indicator 2: the English wording is missing",
        ),
        (
            _set(("lists", "adult_labour", 1, "code"), "deceived-nature-of-job"),
            "indicator 2: “deceived-nature-of-job” occurs twice in the dimension",
        ),
        (
            _set(("lists", "adult_labour", 1, "code"), "Deceived About"),
            "must be lower-case letters, digits and hyphens",
        ),
        (
            _set(("lists", "adult_labour", 0, "question_pl"), ""),
            "indicator 1: a screening indicator needs the Polish question",
        ),
        (
            _set(("lists", "adult_labour", 0, "colour"), "red"),
            "indicator 1: unknown fields colour",
        ),
        (
            _set(("rules", "adult"), [[DR], ["recruitment"]]),
            "Group 2 of the “adult” rule refers to an unknown dimension “recruitment”",
        ),
        (_set(("rules", "child"), []), "The rules need a “child” rule"),
        (_set(("rules", "child"), [DR]), "Group 1 of the “child” rule must be a list"),
        (_set(("rules", "dimension", 1), {"S": 1, "X": 1}), "Dimension combination 2 is malformed"),
        (_set(("rules", "dimension", 0), {"S": 0}), "Dimension combination 1 is malformed"),
        (_set(("rules", "dimension", 0), {}), "Dimension combination 1 is malformed"),
        (_set(("rules", "dimension"), []), "at least one dimension combination"),
        (_set(("rules",), None), "The catalogue needs “rules”"),
    ],
)
def test_it_finds_what_is_wrong_with_a_catalogue(change: Any, message: str) -> None:
    errors = _broken(change)
    assert any(message in error for error in errors), errors


def test_the_same_code_may_occur_in_two_dimensions() -> None:
    codes = [(r["dimension"], r["code"]) for r in DATA["lists"]["adult_labour"]]
    assert (CR, "debt-bondage") in codes and (CD, "debt-bondage") in codes
    assert _broken(lambda d: None) == []


def test_it_rejects_what_is_not_a_catalogue() -> None:
    assert validate_catalogue([]) == ["The catalogue must be a JSON object."]


@pytest.mark.django_db
def test_a_loaded_catalogue_round_trips() -> None:
    data = copy.deepcopy(DATA)
    data["version"] = 99
    catalogue = load_catalogue(data)
    assert catalogue.indicators.count() == 67 + 67 + 65 + 65
    first = catalogue.indicators.get(list_code="adult_labour", order=1)
    assert first.code == "deceived-nature-of-job"
    assert catalogue_as_data(catalogue) == data


@pytest.mark.django_db
def test_it_loads_nothing_from_a_broken_catalogue() -> None:
    data = copy.deepcopy(DATA)
    data["version"] = 98
    data["lists"]["adult_labour"][5]["strength"] = "X"
    with pytest.raises(ValueError, match="unknown strength"):
        load_catalogue(data)
    assert not Catalogue.objects.filter(version=98).exists()
    assert not Indicator.objects.filter(catalogue__version=98).exists()
