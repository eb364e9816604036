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
the Person itself, ``"client"``, ``"case__clients__person"``… (``Model.objects.filter(**{lookup:
person.pk})``); empty when the rows are about no client (staff, partners' people: still
personal data, listed in the record of processing, not in a client's subject-access
export). ``linked`` names the way to a generic link (``target_type``, ``target_code``, as
the access policy names records — helpline's ``ContactLink``): a contact is about the
people it is linked to and the clients of the records it is linked to (a case).
``rows_about(person)`` answers both. Subject access, anonymisation on retention and the
DPO's record of processing are all generated from these declarations, never from
hand-kept lists; ``check_inventory`` (system check ``ostoja.E010``) fails for a model
with an encrypted, blind-indexed or free-text field that is neither marked nor declared
not personal.

This module imports no app: it reads the models Django has loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core import checks
from django.db import models
from django.db.models import Q, QuerySet
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
    # Paths to a generic link (``target_type``/``target_code``): "links", "contact__links".
    linked: tuple[str, ...] = ()

    def categories(self) -> frozenset[Category]:
        return frozenset(self.fields.values())

    def fields_in(self, categories: Iterable[Category]) -> tuple[str, ...]:
        """The marked fields of these categories, in declaration order."""
        wanted = frozenset(categories)
        return tuple(name for name, category in self.fields.items() if category in wanted)


# GDPR Art. 9 (special categories) and Art. 10 (criminal convictions and offences): what the
# record of processing and the DPIA flag, and what only the specialists of a case read.
SPECIAL_CATEGORIES: Mapping[Category, str] = {
    Category.HEALTH: "9",
    Category.LEGAL: "10",
    Category.PERPETRATOR: "10",
}


def inventory_of(model: type[models.Model]) -> Inventory | None:
    found = getattr(model, ATTRIBUTE, None)
    return found if isinstance(found, Inventory) else None


def inventoried() -> Iterator[tuple[type[models.Model], Inventory]]:
    """Every loaded model of ours with an inventory, in a stable order."""
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        inventory = inventory_of(model)
        if inventory is not None:
            yield model, inventory


def inventoried_in(app_label: str) -> list[tuple[type[models.Model], Inventory]]:
    """The inventoried models of one app (the record of processing's activity)."""
    return [(m, inv) for m, inv in inventoried() if m._meta.app_label == app_label]


def _link_targets(person: models.Model) -> dict[str, list[str]]:
    """What a generic link may name that is about the person: the person, and every record
    with a ``code`` whose inventory names them directly (their cases…), as the access
    policy names records (``people.person``, ``cases.case``) — one query per such model."""
    targets: dict[str, list[str]] = {}
    for model, inventory in inventoried():
        if not inventory.about or "code" not in {f.name for f in model._meta.concrete_fields}:
            continue
        rows = model._default_manager.filter(_direct_q(inventory, person))
        codes = [str(code) for code in rows.values_list("code", flat=True).distinct()]
        if codes:
            targets[model._meta.label_lower] = codes
    return targets


def _direct_q(inventory: Inventory, person: models.Model) -> Q:
    q = Q(pk__in=[])  # matches nothing: a model with no lookup is about no one
    for lookup in inventory.about:
        q |= Q(**{lookup: person.pk})  # the pk, which "pk" and a relation both take
    return q


def about_q(
    inventory: Inventory, person: models.Model, targets: Mapping[str, list[str]] | None = None
) -> Q:
    """The filter for the rows of a model with this inventory that are about the person."""
    q = _direct_q(inventory, person)
    if inventory.linked:
        for path in inventory.linked:
            for target_type, codes in (targets or _link_targets(person)).items():
                q |= Q(**{f"{path}__target_type": target_type, f"{path}__target_code__in": codes})
    return q


def rows_about(
    person: models.Model,
) -> Iterator[tuple[type[models.Model], Inventory, QuerySet[models.Model]]]:
    """Every inventoried model's rows about a person (each row once): what subject access
    exports and what anonymisation of one person walks. Models about no client (staff,
    partners, the shelters' addresses) are left out."""
    targets = _link_targets(person)
    for model, inventory in inventoried():
        if not inventory.about and not inventory.linked:
            continue
        rows = model._default_manager.filter(about_q(inventory, person, targets)).distinct()
        yield model, inventory, rows


def needs_marking(model_field: models.Field[Any, Any]) -> bool:
    """An encrypted or blind-indexed field, or free text: what may hold personal data."""
    return isinstance(model_field, EncryptedField | BlindIndexField | models.TextField)


def _ours(model: type[models.Model]) -> bool:
    return model.__module__.startswith("ostoja.")


def check_inventory(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every model of ours (or of the apps Django names, ``check --tag models app``) whose
    encrypted, blind-indexed or free-text field is not in its inventory (E010), or whose
    inventory names what is not a field (E011)."""
    errors: list[checks.CheckMessage] = []
    if app_configs is None:
        to_check = apps.get_models()
    else:
        to_check = [model for config in app_configs for model in config.get_models()]
    for model in to_check:
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


# Registered where it is defined: every models module of ours imports this one, so the
# check runs whenever Django loads the apps (``manage.py check``, the test run, start-up).
checks.register(check_inventory, checks.Tags.models)
