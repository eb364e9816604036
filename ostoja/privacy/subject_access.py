"""What the centre holds about one person, for their subject access request (GDPR Art. 15):
generated from the personal-data inventory (``ostoja.lib.inventory``), never from a hand
list — every inventoried model's rows whose ``about`` lookups reach the person (or a
duplicate merged into them), every field of them — with the disclosure ledger's entries
about them (who received what) and the dates and kinds of the consultations of their
records from the audit trail, without the names of the staff who consulted them (CJEU
C-579/21 *Pankki S*).

**What is withheld** (Art. 15(4): the copy must not adversely affect the rights of
others; and a trafficker may be the one who obtains it):

* other people — who they are: a row about the person and someone else (a relation, a
  group case) says "another person"; the names of everyone else those rows are about, and of
  the centre's staff, are cut out of every text (as recorded: a name spelt another way
  survives, which is why the case manager reads the copy before handing it over);
* the staff: "a member of staff", never who;
* perpetrators: the fields the inventory marks as about perpetrators;
* where anyone stays: a shelter place (facility, room, bed) is never named, the shelter's
  location fields are withheld, and the addresses, names and phones of the centre's places
  are cut out of every text.

A withheld value is shown as withheld, with why, so the person knows it exists.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ostoja.accounts.disclosures import recipient_label
from ostoja.accounts.models import AccessGrant, User
from ostoja.audit import actions
from ostoja.audit.models import AuditEntry
from ostoja.cases.pdf import render_pdf
from ostoja.lib.crypto.fields import BlindIndexField
from ostoja.lib.inventory import Category, about_q, inventoried
from ostoja.network.vocabulary import disclosure_labels
from ostoja.people.models import Person
from ostoja.privacy import selectors
from ostoja.privacy.forms import SearchPurpose
from ostoja.privacy.related import merged_into, person_records
from ostoja.shelter.models import Facility

# Languages the copy is written in; any other falls back to English, and says so.
LANGUAGES = {"pol": "pl", "eng": "en"}
FALLBACK = "en"
# The disclosure ledger: its own part of the copy ("who received your data").
LEDGER = "network.disclosure"
# Where people stay: never named in a copy.
SHELTER_PLACES = frozenset({"shelter.facility", "shelter.room", "shelter.bed"})
# Recipients named by their name (an institution, not a person).
RECIPIENTS = frozenset({"network.partner"})
CUT = "[…]"
MIN_TOKEN = 3  # shorter pieces of a name are not cut out (they would cut words apart)


class Withheld:
    OTHER_PERSON = gettext_lazy("withheld: another person")
    PERPETRATOR = gettext_lazy("withheld: about third parties (perpetrators)")
    PLACE = gettext_lazy("withheld: where people stay, for everyone's safety")


@dataclass(frozen=True)
class Value:
    name: str
    label: str
    value: Any = None
    withheld: str = ""

    @property
    def text(self) -> str:
        """The value for people to read (the PDF): "—" for nothing."""
        return _text(self.value)


def _text(value: Any) -> str:
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


@dataclass
class Row:
    key: str  # the record's code (or number)
    values: list[Value]


@dataclass
class Section:
    model: str  # the model's label, e.g. "cases.case"
    title: str
    rows: list[Row]

    def keys(self) -> set[str]:
        return {row.key for row in self.rows}


@dataclass
class Consultation:
    at: dt.datetime
    what: str
    purpose: str


@dataclass
class Export:
    person: str  # the person's code
    language: str  # "pl" or "en"
    fallback: bool  # the person's language has no templates: English instead
    generated_at: dt.datetime
    sections: list[Section]
    ledger: Section
    consultations: list[Consultation] = field(default_factory=list)

    def section(self, model: str) -> Section | None:
        return next((s for s in [*self.sections, self.ledger] if s.model == model), None)

    def counts(self) -> dict[str, int]:
        return {s.model: len(s.rows) for s in [*self.sections, self.ledger] if s.rows}

    def as_dict(self) -> dict[str, Any]:
        def part(section: Section) -> dict[str, Any]:
            return {
                "model": section.model,
                "title": section.title,
                "records": [
                    {
                        "record": row.key,
                        "fields": {
                            v.name: {"label": v.label, "value": v.value}
                            | ({"withheld": v.withheld} if v.withheld else {})
                            for v in row.values
                        },
                    }
                    for row in section.rows
                ],
            }

        return {
            "person": self.person,
            "language": self.language,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "records": [part(s) for s in self.sections if s.rows],
            "disclosures": part(self.ledger),
            "consultations": [
                {"at": c.at.isoformat(timespec="minutes"), "what": c.what, "purpose": c.purpose}
                for c in self.consultations
            ],
        }


def language_for(person: Person) -> tuple[str, bool]:
    """The language of the copy: the person's own where templates exist (Polish, English),
    else English, with ``True`` for the fallback; no language recorded: the centre's own."""
    spoken = person.preferred_language or next(iter(person.languages or []), "")
    if not spoken:
        return settings.LANGUAGE_CODE, False
    if spoken in LANGUAGES:
        return LANGUAGES[spoken], False
    return FALLBACK, True


class _Cutter:
    """Cuts other people's names and the centre's places out of a text."""

    def __init__(self, names: Iterable[str], whole: Iterable[str], own: Iterable[str]) -> None:
        own_tokens = {t.casefold() for name in own for t in re.findall(r"\w+", name)}
        pieces = {n.strip() for n in whole if n and len(n.strip()) >= MIN_TOKEN}
        for name in names:
            if not name or not name.strip():
                continue
            pieces.add(name.strip())
            for token in re.findall(r"\w+", name):
                if len(token) >= MIN_TOKEN and token.casefold() not in own_tokens:
                    pieces.add(token)
        ordered = sorted(pieces, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)",
                re.IGNORECASE,
            )
            if ordered
            else None
        )

    def __call__(self, text: str) -> str:
        return self.pattern.sub(CUT, text) if self.pattern is not None else text


def _label(text: str | Promise | None) -> str:
    return str(text or "")


def _about(model: type[models.Model], lookups: tuple[str, ...], people: list[Person]) -> Q:
    found = Q(pk__in=[])
    for lookup in lookups:
        found |= Q(**{f"{lookup}__in": [p.pk for p in people]})
    return found


class _Renderer:
    def __init__(self, people: list[Person], cut: Callable[[str], str]) -> None:
        self.people = {p.pk for p in people}
        self.cut = cut
        self.user_model = apps.get_model(settings.AUTH_USER_MODEL)

    def row(self, obj: models.Model, categories: dict[str, Category]) -> Row:
        values = [
            self.value(obj, model_field, categories.get(model_field.name))
            for model_field in obj._meta.concrete_fields
            if not model_field.primary_key and model_field.name not in ("code", "organisation")
        ]
        return Row(str(getattr(obj, "code", obj.pk)), values)

    def value(
        self, obj: models.Model, model_field: models.Field[Any, Any], category: Category | None
    ) -> Value:
        name, label = model_field.name, _label(model_field.verbose_name)
        if model_field.is_relation:
            return self._related(obj, model_field, name, label)
        if category == Category.PERPETRATOR:
            return Value(name, label, withheld=str(Withheld.PERPETRATOR))
        if category == Category.LOCATION and obj._meta.app_label == "shelter":
            return Value(name, label, withheld=str(Withheld.PLACE))
        if isinstance(model_field, BlindIndexField):
            return Value(name, label, _("a keyed code to find the record; nothing readable"))
        raw = getattr(obj, name)
        if model_field.choices and raw not in (None, ""):
            raw = getattr(obj, f"get_{name}_display")()
        return Value(name, label, self.plain(raw))

    def _related(
        self, obj: models.Model, model_field: models.Field[Any, Any], name: str, label: str
    ) -> Value:
        target = model_field.related_model
        assert target is not None and not isinstance(target, str)  # noqa: S101  # concrete FKs
        key = getattr(obj, model_field.attname)
        if key is None:
            return Value(name, label, None)
        if target is Person:
            if key in self.people:
                return Value(name, label, _("you"))
            return Value(name, label, withheld=str(Withheld.OTHER_PERSON))
        if target is self.user_model:
            return Value(name, label, _("a member of staff"))
        if target._meta.label_lower in SHELTER_PLACES:
            return Value(name, label, withheld=str(Withheld.PLACE))
        related = getattr(obj, name)
        if target._meta.label_lower in RECIPIENTS:
            return Value(name, label, self.cut(str(related)))
        reference = getattr(related, "reference", "") or str(getattr(related, "code", key))
        return Value(name, label, f"{_label(target._meta.verbose_name)} {reference}")

    def plain(self, raw: Any) -> Any:
        """A value as JSON holds it, with names and places cut out of every text."""
        if isinstance(raw, str | Promise):
            return self.cut(str(raw))
        if isinstance(raw, dt.datetime):
            return timezone.localtime(raw).isoformat(timespec="minutes")
        if isinstance(raw, dt.date):
            return raw.isoformat()
        if isinstance(raw, list | tuple):
            return [self.plain(item) for item in raw]
        if isinstance(raw, dict):
            return {str(k): self.plain(v) for k, v in raw.items()}
        if raw is None or isinstance(raw, bool | int | float):
            return raw
        return self.cut(str(raw))


def _cutter(person: Person, people: list[Person], others: set[int]) -> _Cutter:
    """Everyone else the person's records are about, the centre's staff, the centre's
    places."""
    names: list[str] = []
    for other in Person.objects.filter(pk__in=others - {p.pk for p in people}):
        names += other.all_names()
    staff = User.objects.filter(membership__organisation_id=person.organisation_id)
    for member in staff:
        names += [member.full_name]
    whole = [member.email for member in staff]
    for place in Facility.objects.filter(organisation_id=person.organisation_id):
        address = str(place.address or "")
        whole += [place.name, place.phone, address, *address.splitlines()]
    own = [n for p in people for n in p.all_names()]
    return _Cutter(names, whole, own)


PURPOSES: dict[str, Promise] = {
    **{str(value): label for value, label in SearchPurpose.choices},
    **{str(value): label for value, label in AccessGrant.Reason.choices},
}


def consultations(person: Person) -> list[Consultation]:
    """When the person's records were consulted and how (what was done, why where it was
    recorded as a category), oldest first — never by whom."""
    records = person_records(person)
    entries = selectors.about(
        AuditEntry.objects.filter(organisation_id=person.organisation_id), records
    ).filter(selectors.reads())
    rows = entries.order_by("seq").values_list("at", "action", "purpose")
    return [
        Consultation(
            timezone.localtime(at), actions.label_of(action), str(PURPOSES.get(purpose, ""))
        )
        for at, action, purpose in rows
    ]


def build(person: Person, language: str | None = None) -> Export:
    """Everything about ``person`` in ``language`` (default: ``language_for``)."""
    chosen, fallback = language_for(person)
    if language is not None:
        chosen, fallback = language, False
    with translation.override(chosen):
        return _build(person, chosen, fallback)


def _build(person: Person, language: str, fallback: bool) -> Export:
    people = merged_into(person)
    found: list[tuple[type[models.Model], dict[str, Category], list[models.Model]]] = []
    others: set[int] = set()
    for model, inventory in inventoried():
        if not inventory.about and not inventory.linked:
            continue
        # What names the person (or a duplicate merged into them), and what is linked to
        # them or their cases (a helpline contact: ``inventory.linked``).
        about = _about(model, inventory.about, people)
        for one in people if inventory.linked else []:
            about |= about_q(inventory, one)
        query = model._base_manager.filter(about).distinct()
        rows = list(query.order_by("pk"))
        if not rows:
            continue
        found.append((model, dict(inventory.fields), rows))
        for lookup in inventory.about:
            if lookup != "pk":
                reached = model._base_manager.filter(pk__in=[r.pk for r in rows])
                others |= set(reached.values_list(lookup, flat=True))
    others.discard(None)
    renderer = _Renderer(people, _cutter(person, people, others))
    sections = [
        Section(
            model._meta.label_lower,
            _label(model._meta.verbose_name_plural),
            [renderer.row(obj, categories) for obj in rows],
        )
        for model, categories, rows in found
        if model._meta.label_lower != LEDGER
    ]
    ledger_model = apps.get_model(LEDGER)
    ledger_rows = ledger_model._base_manager.filter(_ledger_about(ledger_model, people))
    ledger = Section(
        LEDGER,
        _("Who received your data"),
        [_in_words(renderer.row(obj, {})) for obj in ledger_rows.order_by("at", "pk")],
    )
    return Export(
        person=str(person.code),
        language=language,
        fallback=fallback,
        generated_at=timezone.localtime(),
        sections=sections,
        ledger=ledger,
        consultations=consultations(person),
    )


def _in_words(row: Row) -> Row:
    """A ledger entry's recipient and parts in words, not as the keys it stores."""
    parts = disclosure_labels()
    words = []
    for value in row.values:
        if value.name == "recipient" and isinstance(value.value, str):
            value = Value(value.name, value.label, recipient_label(value.value))
        elif value.name == "parts" and isinstance(value.value, list):
            shown = [str(parts.get(part, part)) for part in value.value]
            value = Value(value.name, value.label, shown)
        words.append(value)
    return Row(row.key, words)


def _ledger_about(ledger_model: type[models.Model], people: list[Person]) -> Q:
    """The ledger's entries about the person: every field of it that names a person."""
    found = Q(pk__in=[])
    for model_field in ledger_model._meta.concrete_fields:
        if model_field.is_relation and model_field.related_model is Person:
            found |= Q(**{f"{model_field.name}__in": [p.pk for p in people]})
    return found


def as_json(export: Export) -> bytes:
    return json.dumps(export.as_dict(), ensure_ascii=False, indent=2).encode()


def as_pdf(export: Export) -> bytes:
    """The copy as a PDF in its language (WeasyPrint, fetching nothing)."""
    with translation.override(export.language):
        html = render_to_string("privacy/subject_access_pdf.html", {"export": export, "cut": CUT})
    return render_pdf(html)
