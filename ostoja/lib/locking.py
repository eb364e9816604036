"""Optimistic locking: two people editing the same record never silently overwrite each
other (issue #20).

A record people edit has a ``version`` (``version_field``), raised by one on every save of
the fields its edit form shows. The form carries the version it was opened at as a hidden
field (``versioned``), and each of its fields carries the value it was opened with
(Django's *hidden initial*), so the form knows what this user changed. The service locks the
row (``select_for_update``) and compares (``check_version``): a version moved on means
someone saved in between, and ``Conflict`` is raised with the record as it is now.

The view then shows the conflict page (``merge``): field by field, what the other person
saved and what this user typed, where they differ; and the form again, holding the stored
record with this user's changes on top and the new version, to save again or to leave.
Sealed fields compare as their opened values (the model's attributes are plaintext).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def version_field() -> "models.PositiveIntegerField[int, int]":
    """The record's edit count. ``db_default`` keeps the column's default in the database,
    so a process still running the previous release inserts rows without knowing it."""
    return models.PositiveIntegerField(
        gettext_lazy("version"), default=1, db_default=1, editable=False
    )


class Conflict(Exception):
    """The record was saved by someone else since this user's form was opened."""

    def __init__(self, stored: models.Model) -> None:
        super().__init__("The record changed since the form was opened.")
        self.stored = stored


def check_version[M: models.Model](instance: M, version: int | None) -> M:
    """Lock ``instance``'s row for the transaction and return it as stored. Raise
    ``Conflict`` when a ``version`` is given and the stored one differs; otherwise set
    ``instance.version`` to the next one (the caller saves it). Call inside a transaction."""
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    current: int = stored.version  # type: ignore[attr-defined]  # every versioned model has one
    if version is not None and current != version:
        raise Conflict(stored)
    instance.version = current + 1  # type: ignore[attr-defined]
    return stored


VERSION = "version"


def versioned(form: forms.BaseForm, version: int) -> None:
    """Make ``form`` carry the version it was opened at, and each field's opening value."""
    # Not required: a client that sends none (a script, a test of the form alone) saves
    # without the check, as before versions existed.
    form.fields[VERSION] = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        initial=version,
        required=False,
        label=gettext_lazy("version"),
    )
    for name, field in form.fields.items():
        if name != VERSION:
            field.show_hidden_initial = True


def changed_fields(form: forms.BaseForm) -> list[str]:
    """The fields this user changed since opening the form (not the version)."""
    return [name for name in form.changed_data if name != VERSION]


@dataclass(frozen=True)
class Difference:
    """One field where the stored record and what this user typed differ."""

    label: str
    theirs: str
    mine: str
    # This user changed the field: saving again puts theirs over the stored value. Otherwise
    # it is the other person's change, which the form keeps.
    mine_changed: bool


def merge[F: forms.BaseForm](
    form_class: type[F], posted: F, stored: models.Model, **kwargs: Any
) -> tuple[F, list[Difference]]:
    """After a ``Conflict``: the form to save again — the stored record, with the fields this
    user changed (``posted``) on top, at the stored version — and the differences to show.
    ``kwargs`` go to ``form_class`` besides the instance."""
    fresh = form_class(instance=stored, **kwargs)  # type: ignore[call-arg]  # a ModelForm
    versioned(fresh, stored.version)  # type: ignore[attr-defined]
    mine = set(changed_fields(posted))
    data: dict[str, Any] = {}
    differences = []
    for name, field in posted.fields.items():
        if name == VERSION or name not in fresh.fields:
            continue
        theirs = fresh[name].value()
        typed = posted[name].data
        data[posted.add_prefix(name)] = typed if name in mine else theirs
        # The next save's "what I changed" is measured from the stored record.
        data[posted.add_initial_prefix(name)] = theirs
        if field.has_changed(theirs, typed):
            differences.append(
                Difference(
                    label=str(field.label or name),
                    theirs=shown(field, _python(field, theirs)),
                    mine=shown(field, posted.cleaned_data.get(name)),
                    mine_changed=name in mine,
                )
            )
    data[posted.add_prefix(VERSION)] = stored.version  # type: ignore[attr-defined]
    again = form_class(data, instance=stored, **kwargs)  # type: ignore[call-arg]
    versioned(again, stored.version)  # type: ignore[attr-defined]
    return again, differences


def _python(field: forms.Field, value: Any) -> Any:
    """A stored value as the field's Python value (for showing it)."""
    try:
        return field.clean(value)
    except forms.ValidationError:
        return value


def shown(field: forms.Field, value: Any) -> str:
    """``value`` as the person reading the conflict page knows it: choices by their label,
    yes or no, dates in the user's format; a dash for nothing."""
    if value is None or value == "" or value == [] or value == ():
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, dt.datetime | dt.date):
        return str(formats.localize(value))
    choices = _labels(field)
    if choices:
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(str(choices.get(str(item), item)) for item in values)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _labels(field: forms.Field) -> dict[str, Any]:
    """A choice field's labels by value (groups flattened)."""
    labels: dict[str, Any] = {}
    for key, label in getattr(field, "choices", None) or []:
        if isinstance(label, list | tuple):
            labels.update((str(inner), text) for inner, text in label)
        else:
            labels[str(key)] = label
    return labels


@dataclass(frozen=True)
class ConflictPage:
    """What the conflict page shows above the form: who saved in between and when (if the
    audit trail says), and the fields where theirs and this user's differ."""

    differences: list[Difference]
    by: str = ""
    at: dt.datetime | None = None
    # What happens now, if not the edit form's "the form holds theirs with yours on top".
    note: str = ""
    # The form saves again on top of theirs (an edit form); not for a step already taken.
    again: bool = True
