"""The actions the audit trail records, in words: one registry.

An entry's ``action`` is a short code (``case.viewed``: STYLE.md, ``<entity>.<past verb>``)
— stable, greppable, never translated. People read the trail in their own language, so
each app registers the actions it writes, with a translated label, when Django starts
(``register_actions`` in a small ``audit_labels`` module its ``AppConfig.ready`` imports):
the trail sits below every other app (ARCHITECTURE.md §2) and imports none of them; they
come to it.

Each action also says whether it means that someone *saw* personal data (``reads``): a
record opened, listed, searched, exported, downloaded. "Who has seen this record" counts
those, not the changes.

The registry is kept complete by a test (``ostoja/audit/tests/test_actions.py``): it reads
every call of ``trail.record``/``record_many`` in the code and fails for an action nobody
registered — and for a registered action nothing writes any more.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from operator import itemgetter

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class Action:
    """One kind of entry: its code, its label (lazily translated), the app that writes it
    (whose name groups it in the DPO's filter), and whether it is a read."""

    name: str
    label: str | Promise
    app_label: str
    read: bool


ACTIONS: dict[str, Action] = {}


def register_actions(
    app_label: str, labels: Mapping[str, str | Promise], *, reads: Collection[str] = ()
) -> None:
    """Register the actions an app writes: ``labels`` maps each action to its words
    (``gettext_lazy``), ``reads`` names those among them that mean personal data was seen.
    An action belongs to one app: registering another app's is a mistake, and so is a read
    that has no label."""
    unlabelled = set(reads) - set(labels)
    if unlabelled:
        raise ImproperlyConfigured(f"Reads without a label: {sorted(unlabelled)}")
    for name, label in labels.items():
        held = ACTIONS.get(name)
        if held is not None and held.app_label != app_label:
            raise ImproperlyConfigured(f"{name} is registered by {held.app_label} already")
        ACTIONS[name] = Action(name, label, app_label, name in reads)


def label_of(action: str) -> str:
    """The action in the current language; one nobody registered as it is written (the
    trail stays readable whatever it holds — the registry's test keeps this rare)."""
    found = ACTIONS.get(action)
    return str(found.label) if found is not None else action


def is_read(action: str) -> bool:
    found = ACTIONS.get(action)
    return found is not None and found.read


def reads() -> list[str]:
    """Every registered action that means personal data was seen."""
    return sorted(name for name, action in ACTIONS.items() if action.read)


def actions_of(app_label: str) -> list[str]:
    """The actions one app registered."""
    return sorted(name for name, action in ACTIONS.items() if action.app_label == app_label)


def group_of(app_label: str) -> str:
    """The name of the app that writes an action, as people know it ("Cases")."""
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def grouped_choices() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The actions for a select, grouped by the app that writes them: ``(app label, its
    name, [(action, label)])``, groups and actions sorted by their words in the current
    language."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for action in ACTIONS.values():
        groups.setdefault(action.app_label, []).append((action.name, str(action.label)))
    return sorted(
        (
            (app_label, group_of(app_label), sorted(choices, key=itemgetter(1)))
            for app_label, choices in groups.items()
        ),
        key=itemgetter(1),
    )
