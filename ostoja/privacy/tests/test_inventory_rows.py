"""The inventory against the real database: every ``about`` lookup and ``linked`` path of
every inventoried model runs, every marked name is a field, and ``rows_about`` finds a
client's records in every app and nobody else's (issue #19)."""

from django.db import models

from ostoja.cases.models import Case, CaseClient
from ostoja.helpline.models import Contact
from ostoja.identification.models import Assessment
from ostoja.interventions.models import Intervention
from ostoja.lib.inventory import (
    SPECIAL_CATEGORIES,
    Category,
    inventoried,
    inventoried_in,
    rows_about,
)
from ostoja.people.models import Person
from ostoja.privacy.tests.conftest import World
from ostoja.shelter.models import Facility


def test_every_lookup_of_every_inventory_runs(world: World) -> None:
    for model, inventory in inventoried():
        for lookup in inventory.about:
            list(model._default_manager.filter(**{lookup: world.person.pk}).values("pk"))
        for path in inventory.linked:
            rows = model._default_manager.filter(
                **{f"{path}__target_type": "people.person", f"{path}__target_code": "x"}
            )
            list(rows.values("pk"))


def test_every_marked_name_is_a_field_of_its_model() -> None:
    for model, inventory in inventoried():
        names = {f.name for f in model._meta.concrete_fields}
        marked = set(inventory.fields) | set(inventory.not_personal)
        assert marked <= names, model._meta.label
        assert set(inventory.fields).isdisjoint(inventory.not_personal), model._meta.label


def test_every_app_that_holds_personal_data_is_inventoried() -> None:
    apps = {model._meta.app_label for model, _inventory in inventoried()}
    assert {
        "accounts",
        "audit",
        "helpline",
        "people",
        "duty",
        "cases",
        "identification",
        "interventions",
        "prevention",
        "network",
        "shelter",
    } <= apps
    assert inventoried_in("shelter")[0][0]._meta.app_label == "shelter"


def _found(person: Person) -> dict[type[models.Model], set[int]]:
    return {model: set(rows.values_list("pk", flat=True)) for model, _i, rows in rows_about(person)}


def test_rows_about_finds_the_client_in_every_app_and_no_one_else(world: World) -> None:
    found = _found(world.person)
    assert found[Person] == {world.person.pk}
    assert found[Case] == {world.case.pk, world.restricted.pk}
    # The contacts linked to the person and to their case, through the generic link.
    assert found[Contact] == {world.contact.pk, world.case_contact.pk}
    assert found[Intervention] == {world.intervention.pk}
    assert found[Assessment] == {world.assessment.pk}
    assert world.stranger_case.pk not in found[Case]
    # The join table has no personal field of its own, and the shelter's address is about
    # no client: neither is listed.
    assert CaseClient not in found and Facility not in found


def test_rows_about_a_stranger_holds_only_their_own(world: World) -> None:
    found = _found(world.stranger)
    assert found[Person] == {world.stranger.pk}
    assert found[Case] == {world.stranger_case.pk}
    assert found[Contact] == set()
    assert found[Intervention] == set()


def test_the_special_categories_are_those_of_art_9_and_10() -> None:
    assert SPECIAL_CATEGORIES == {
        Category.HEALTH: "9",
        Category.LEGAL: "10",
        Category.PERPETRATOR: "10",
    }
    person = dict(inventoried())[Person]
    assert person.fields_in([Category.HEALTH]) == ("vulnerabilities",)
    assert Category.IDENTITY in person.categories()
