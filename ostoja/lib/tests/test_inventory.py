"""The personal-data inventory's system check (ostoja.E010, ostoja.E011), on throwaway
models that exist only inside the test (issue #19)."""

from django.apps.registry import Apps
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.inventory import Category, Inventory, check_inventory, inventory_of


def _ids(registry: Apps | None, model: type[models.Model]) -> list[tuple[str, str]]:
    """The inventory's errors about this one model of the throwaway app registry, as (id,
    message): the check as ``manage.py check`` runs it for the apps it is given."""
    assert registry is not None
    found = check_inventory(app_configs=[registry.get_app_config("lib")])
    return [(e.id or "", e.msg) for e in found if e.obj is model]


def test_it_fails_for_an_unmarked_encrypted_field() -> None:
    with isolate_apps("ostoja.lib") as registry:

        class Secretive(models.Model):  # noqa: DJ008  # a throwaway model, never shown
            notes = EncryptedTextField(blank=True)

            class Meta:
                app_label = "lib"

        found = _ids(registry, Secretive)
        assert [i for i, _m in found] == ["ostoja.E010"]
        assert "lib.Secretive.notes" in found[0][1]


def test_it_fails_for_an_unmarked_plain_text_field() -> None:
    with isolate_apps("ostoja.lib") as registry:

        class Chatty(models.Model):  # noqa: DJ008  # a throwaway model, never shown
            remarks = models.TextField(blank=True)
            count = models.IntegerField(default=0)  # not text: nothing to mark

            class Meta:
                app_label = "lib"

        assert [i for i, _m in _ids(registry, Chatty)] == ["ostoja.E010"]


def test_it_passes_a_marked_model() -> None:
    with isolate_apps("ostoja.lib") as registry:

        class Marked(models.Model):  # noqa: DJ008  # a throwaway model, never shown
            notes = EncryptedTextField(blank=True)
            remarks = models.TextField(blank=True)

            personal_data = Inventory(
                about=(), fields={"notes": Category.FREE_TEXT}, not_personal=("remarks",)
            )

            class Meta:
                app_label = "lib"

        assert _ids(registry, Marked) == []
        inventory = inventory_of(Marked)
        assert inventory is not None and inventory.categories() == {Category.FREE_TEXT}


def test_it_fails_for_a_marked_name_that_is_no_field() -> None:
    with isolate_apps("ostoja.lib") as registry:

        class Misnamed(models.Model):  # noqa: DJ008  # a throwaway model, never shown
            notes = EncryptedTextField(blank=True)

            personal_data = Inventory(
                fields={"notes": Category.FREE_TEXT, "nickname": Category.IDENTITY},
                not_personal=("motto",),
            )

            class Meta:
                app_label = "lib"

        found = _ids(registry, Misnamed)
        assert [i for i, _m in found] == ["ostoja.E011", "ostoja.E011"]
        assert "'motto'" in found[0][1] and "'nickname'" in found[1][1]


def test_it_leaves_models_that_are_not_ours_alone() -> None:
    with isolate_apps("ostoja.lib") as registry:

        class Foreign(models.Model):  # noqa: DJ008  # a throwaway model, never shown
            notes = models.TextField(blank=True)

            class Meta:
                app_label = "lib"

        Foreign.__module__ = "someone_else.models"
        assert _ids(registry, Foreign) == []


def test_the_check_is_registered_and_the_project_passes_it() -> None:
    registered = {getattr(check, "__name__", "") for check in checks.registry.registry.get_checks()}
    assert "check_inventory" in registered
    assert [e for e in checks.run_checks() if e.id in {"ostoja.E010", "ostoja.E011"}] == []
