"""The personal-data inventory: every model field that holds personal data is marked in its
model, with what kind of data it is and whom it is about (GDPR Art. 30; issue #19).

A model declares it as a class attribute::

    class Contact(models.Model):
        personal_data = Inventory(
            about=("people",),                 # lookups from this model to people.Person
            fields={"summary": Category.FREE_TEXT, "caller_number": Category.CONTACT},
            not_personal=("template",),        # free text that holds nothing about anyone
        )

``about`` names the Person(s) a row is about as ORM lookups: ``"pk"`` when the model is
the Person itself, ``"client"``, ``"case__clients"``… (``Model.objects.filter(**{lookup:
person})``); empty when the rows are about no client (staff, partners' people: still
personal data, listed in the record of processing, not in a client's subject-access
export). Subject access, anonymisation on retention and the DPO's record of processing are
all generated from these declarations, never from hand-kept lists; ``check_inventory``
(system check ``ostoja.E010``) fails for a model with an encrypted, blind-indexed or
free-text field that is neither marked nor declared not personal.

This module imports no app: it reads the models Django has loaded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core import checks
from django.db import models
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import BlindIndexField, EncryptedField

ATTRIBUTE = "personal_data"


class Category(models.TextChoices):
    """What a field holds (GDPR Art. 9 and 10 categories kept apart: health, sex life and
    criminal matters are special; ARCHITECTURE.md's field classes)."""

    IDENTITY = "identity", _("Identity")  # names, date of birth, documents, matching keys
    CONTACT = "contact", _("Contact details")  # phone, e-mail, messenger, code word
    LOCATION = "location", _("Location")  # addresses, where someone is or was
    HEALTH = "health", _("Health")  # Art. 9
    LEGAL = "legal", _("Legal and criminal matters")  # Art. 10
    PERPETRATOR = "perpetrator", _("About perpetrators")  # third parties, Art. 10
    FREE_TEXT = "free_text", _("Free text")  # notes, summaries: may hold anything


# What anonymisation removes: everything but the coded statistical fields, which are never
# marked (gender, citizenships, forms of exploitation, dates that put a record in a period).
REMOVED_ON_ANONYMISATION = frozenset(Category)


@dataclass(frozen=True)
class Inventory:
    about: tuple[str, ...] = ()
    fields: Mapping[str, Category] = field(default_factory=dict)
    not_personal: tuple[str, ...] = ()


def inventory_of(model: type[models.Model]) -> Inventory | None:
    found = getattr(model, ATTRIBUTE, None)
    return found if isinstance(found, Inventory) else None


def inventoried() -> Iterator[tuple[type[models.Model], Inventory]]:
    """Every loaded model of ours with an inventory, in a stable order."""
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        inventory = inventory_of(model)
        if inventory is not None:
            yield model, inventory


def needs_marking(model_field: models.Field[Any, Any]) -> bool:
    """An encrypted or blind-indexed field, or free text: what may hold personal data."""
    return isinstance(model_field, EncryptedField | BlindIndexField | models.TextField)


def _ours(model: type[models.Model]) -> bool:
    return model.__module__.startswith("ostoja.")


def check_inventory(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not _ours(model):
            continue
        inventory = inventory_of(model)
        marked = set(inventory.fields) | set(inventory.not_personal) if inventory else set()
        names = {f.name for f in model._meta.concrete_fields}
        for model_field in model._meta.concrete_fields:
            if needs_marking(model_field) and model_field.name not in marked:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{model_field.name} may hold personal data and "
                        "is not in the model's personal_data inventory",
                        hint="Mark it in personal_data.fields with its Category, or list it "
                        "in personal_data.not_personal (ostoja.lib.inventory).",
                        obj=model,
                        id="ostoja.E010",
                    )
                )
        for name in sorted(marked - names):
            errors.append(
                checks.Error(
                    f"{model._meta.label}.personal_data names '{name}', which is not a field",
                    obj=model,
                    id="ostoja.E011",
                )
            )
    return errors
