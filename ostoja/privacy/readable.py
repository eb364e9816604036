"""Audit entries as people read them: the action in words (the registry,
``ostoja.audit.actions``), the record named, and the ``data`` as labelled fields.

An entry's ``data`` is codes and field names, never a client's name (``AuditEntry``); here
it becomes words. Known keys get a translated label (``KEYS``; the test
``test_readable.py`` fails for a key written anywhere in the code that has none); field
names are their model's ``verbose_name``; codes become what the reader may know of the
record: a member of staff by name, a case or an intervention by its number, a person or a
contact by a short code — and, for the DPO, a link to who has seen it. Codes are resolved
in one query per kind of record for a whole page, within the reader's organisation only:
a code of anything else stays a code.
"""

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Choices, Model
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ostoja.accounts.models import AccessGrant, User
from ostoja.audit import actions
from ostoja.audit.models import ENTRY_TARGET, AuditEntry
from ostoja.cases.access import TARGET as CASE
from ostoja.cases.models import Case
from ostoja.helpline.access import TARGET as CONTACT
from ostoja.helpline.models import Contact
from ostoja.interventions.access import TARGET as INTERVENTION
from ostoja.interventions.models import Intervention
from ostoja.people.access import TARGET as PERSON
from ostoja.people.models import Person
from ostoja.privacy.forms import SearchPurpose

STAFF = "accounts.user"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SHORT = 8  # a code shown shortened: enough to tell records apart on a page

# What the keys of entries' ``data`` mean. A key not here is shown as it is written.
KEYS: dict[str, str | Promise] = {
    "accepted": gettext_lazy("Accepted"),
    "action": gettext_lazy("Action"),
    "activity": gettext_lazy("Processing activity"),
    "actor": gettext_lazy("Who"),
    "added": gettext_lazy("Added"),
    "apply_standards": gettext_lazy("Standards applied"),
    "asked": gettext_lazy("Asked"),
    "assessment": gettext_lazy("Indicator assessment"),
    "attachment": gettext_lazy("Attachment"),
    "attachments": gettext_lazy("Attachments"),
    "basis": gettext_lazy("Legal basis"),
    "bed": gettext_lazy("Bed"),
    "beds": gettext_lazy("Beds"),
    "brought_by": gettext_lazy("Brought by"),
    "capacity": gettext_lazy("Approved as"),
    "by": gettext_lazy("Searched by"),
    "candidates": gettext_lazy("Candidates"),
    "case": gettext_lazy("Case"),
    "certificate": gettext_lazy("Certificate issued"),
    "changed": gettext_lazy("Brought up to date"),
    "channel": gettext_lazy("Channel"),
    "client": gettext_lazy("Client"),
    "clients": gettext_lazy("Clients"),
    "conflicts": gettext_lazy("Conflicts of interest"),
    "consent": gettext_lazy("Consent"),
    "contact": gettext_lazy("Contact"),
    "decided_by": gettext_lazy("Decided by"),
    "destination": gettext_lazy("Where the person went"),
    "disclosure": gettext_lazy("Disclosure"),
    "domain": gettext_lazy("Domain"),
    "due": gettext_lazy("Due"),
    "duplicate": gettext_lazy("Duplicate"),
    "end": gettext_lazy("End"),
    "evidence": gettext_lazy("How the identity was verified"),
    "facility": gettext_lazy("Facility"),
    "fields": gettext_lazy("Fields"),
    "figures": gettext_lazy("Figures"),
    "files": gettext_lazy("Files destroyed"),
    "follow_up": gettext_lazy("Follow-up"),
    "format": gettext_lazy("Format"),
    "for": gettext_lazy("Shown for"),
    "for_case_manager": gettext_lazy("For the case manager"),
    "found": gettext_lazy("Records found"),
    "from": gettext_lazy("From"),
    "full_name": gettext_lazy("Full name"),
    "goal": gettext_lazy("Goal"),
    "grant": gettext_lazy("Grant"),
    "hours": gettext_lazy("Office hours"),
    "indicator": gettext_lazy("Indicator"),
    "indicators": gettext_lazy("Indicators"),
    "interpreter": gettext_lazy("Interpreter"),
    "intervention": gettext_lazy("Intervention"),
    "into": gettext_lazy("Merged into"),
    "is_active": gettext_lazy("May sign in"),
    "items": gettext_lazy("Items"),
    "job": gettext_lazy("Prepared export"),
    "k": gettext_lazy("Smallest group published"),
    "kind": gettext_lazy("Kind"),
    "known_account": gettext_lazy("Known account"),
    "lang": gettext_lazy("Language"),
    "language": gettext_lazy("Language"),
    "late": gettext_lazy("Came back after the alarm"),
    "lists": gettext_lazy("Indicator lists"),
    "location": gettext_lazy("Location"),
    "manager": gettext_lazy("Case manager"),
    "minutes": gettext_lazy("Minutes"),
    "mode": gettext_lazy("Mode"),
    "moved": gettext_lazy("Moved"),
    "number": gettext_lazy("Case number"),
    "offered": gettext_lazy("Offered instead"),
    "office_hours": gettext_lazy("In office hours"),
    "on": gettext_lazy("On"),
    "organizations": gettext_lazy("Organisations"),
    "other": gettext_lazy("Other person"),
    "out_of_use": gettext_lazy("Out of use"),
    "outcome": gettext_lazy("Outcome"),
    "page": gettext_lazy("Page"),
    "parts": gettext_lazy("What was shared"),
    "partner": gettext_lazy("Partner"),
    "person": gettext_lazy("Person"),
    "phone": gettext_lazy("Phone"),
    "placement": gettext_lazy("Shelter placement"),
    "primary": gettext_lazy("On duty"),
    "priority": gettext_lazy("Priority"),
    "problems": gettext_lazy("Problems found"),
    "reads": gettext_lazy("Only who has seen"),
    "reason": gettext_lazy("Reason"),
    "reasons": gettext_lazy("Reasons"),
    "recipient": gettext_lazy("Recipient"),
    "record": gettext_lazy("Record"),
    "records": gettext_lazy("Records"),
    "referral": gettext_lazy("Referral"),
    "refused": gettext_lazy("Refused"),
    "reply": gettext_lazy("Reply"),
    "request": gettext_lazy("Data protection request"),
    "returned": gettext_lazy("Returned"),
    "role": gettext_lazy("Role"),
    "route": gettext_lazy("Route"),
    "series": gettext_lazy("Check-in series"),
    "rows": gettext_lazy("Rows"),
    "service": gettext_lazy("Service"),
    "services": gettext_lazy("Services"),
    "sessions": gettext_lazy("Sessions"),
    "shares": gettext_lazy("Shares"),
    "since": gettext_lazy("From"),
    "situation": gettext_lazy("Situation"),
    "start": gettext_lazy("Start"),
    "status": gettext_lazy("Status"),
    "target": gettext_lazy("Record code"),
    "to": gettext_lazy("To"),
    "topic": gettext_lazy("Topic"),
    "type": gettext_lazy("Record type"),
    "until": gettext_lazy("To"),
    "user": gettext_lazy("Staff member"),
    "value": gettext_lazy("Answer"),
    "version": gettext_lazy("Version"),
    "withheld": gettext_lazy("Rows withheld"),
}
# Purposes the DPO's own pages write (``audit.reviewed``), in words.
REVIEWS: dict[str, str | Promise] = {
    "entry": gettext_lazy("An entry's page"),
    "seen-by": gettext_lazy("Who has seen a record"),
    "seen-by-person": gettext_lazy("Who has seen a person's records"),
}


@dataclass(frozen=True)
class Value:
    """One value as shown: words, and where the reader may follow it (or "")."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class Detail:
    """One field of an entry's data: its label, its values, and its key as written (to
    tell it in the code and in exports of the trail)."""

    label: str
    values: list[Value]
    key: str = ""


@dataclass(frozen=True)
class Row:
    """One entry, readable."""

    entry: AuditEntry
    label: str  # the action in words
    read: bool  # someone saw personal data
    record: Value | None  # the target, named
    purpose: str
    details: list[Detail] = field(default_factory=list)


@dataclass
class Names:
    """What the reader may know of the records a page's entries name: by (type, code)."""

    known: dict[tuple[str, str], str]
    by_code: dict[str, tuple[str, str]]  # a code in data -> (type, words)
    links: bool

    def target(self, target_type: str, code: str) -> Value:
        words = self.known.get((target_type, code)) or _named(target_type, code)
        if target_type == STAFF and (target_type, code) in self.known:
            words = _("{name} (staff)").format(name=words)  # never read as a client's name
        return Value(words, self.url(target_type, code))

    def code(self, code: str) -> Value:
        """A code found in data: named if it is one of the organisation's records."""
        if code not in self.by_code:
            return Value(code[:SHORT])
        target_type, words = self.by_code[code]
        return Value(words, self.url(target_type, code))

    def url(self, target_type: str, code: str) -> str:
        if not self.links:
            return ""
        if target_type == PERSON:
            return reverse("privacy:person_seen", args=[code])
        if target_type == ENTRY_TARGET:
            return reverse("privacy:entry_detail", args=[code])
        return reverse("privacy:seen_by", args=[target_type, code])


def type_label(target_type: str) -> str:
    """A record type in words ("Case"), from its model; unknown ones as they are written."""
    try:
        model: type[Model] = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name).capitalize()


def _named(target_type: str, code: str) -> str:
    if target_type == ENTRY_TARGET:
        return _("Entry {seq}").format(seq=code)
    return f"{type_label(target_type)} {code[:SHORT]}"


def _codes(value: Any) -> Iterable[str]:
    if isinstance(value, str) and _UUID.fullmatch(value):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _codes(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _codes(item)


def names(
    entries: Iterable[AuditEntry], user: User, *, links: bool, codes: Iterable[str] = ()
) -> Names:
    """Name every record ``entries`` refer to (and ``codes``), as far as ``user`` may know
    it: a query per kind of record (staff, cases, interventions, people, contacts)."""
    codes = set(codes) | {entry.target_code for entry in entries if entry.target_code}
    for entry in entries:
        if not entry.is_redacted:
            codes.update(_codes(entry.data))
    wanted = sorted(code for code in codes if _UUID.fullmatch(code))
    by_code: dict[str, tuple[str, str]] = {}
    organisation = user.organisation
    if wanted and organisation is not None:
        staff = User.objects.filter(code__in=wanted, membership__organisation=organisation)
        for code, name in staff.values_list("code", "full_name"):
            by_code[str(code)] = (STAFF, name)
        numbered = [
            (CASE, Case.objects.filter(code__in=wanted, organisation=organisation)),
            (INTERVENTION, Intervention.objects.filter(code__in=wanted, organisation=organisation)),
        ]
        for target_type, found in numbered:
            for code, reference in found.values_list("code", "reference"):
                by_code[str(code)] = (target_type, f"{type_label(target_type)} {reference}")
        coded = [
            (PERSON, Person.objects.filter(code__in=wanted, organisation=organisation)),
            (CONTACT, Contact.objects.filter(code__in=wanted, organisation=organisation)),
        ]
        for target_type, of_type in coded:
            for code in of_type.values_list("code", flat=True):
                by_code[str(code)] = (target_type, _named(target_type, str(code)))
    known = {(target_type, code): words for code, (target_type, words) in by_code.items()}
    return Names(known, by_code, links)


def purpose_of(entry: AuditEntry) -> str:
    """Why, in words, where the purpose is one of the known categories."""
    if entry.is_redaction:
        return entry.redaction_reason
    choices: Mapping[str, Any] = {}
    if entry.action == "access.glass_broken":
        choices = dict(AccessGrant.Reason.choices)
    elif entry.action == "audit.reviewed":
        choices = REVIEWS
    elif entry.action.startswith("audit."):
        choices = dict(SearchPurpose.choices)
    return str(choices.get(entry.purpose, entry.purpose))


def _field_name(model: type[Model] | None, name: str) -> str:
    """A field of the record's model in words (``person.updated``'s ``["name"]``)."""
    if model is None:
        return name
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if getattr(found, "verbose_name", None):
        return str(found.verbose_name)  # type: ignore[union-attr]  # a field, not a relation
    related = found.related_model  # a reverse relation (a contact's ``purposes``): its rows
    return str(related._meta.verbose_name_plural) if related is not None else name


def _scalar(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "; ".join(f"{KEYS.get(k, k)}: {_scalar(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_scalar(item) for item in value)
    return str(value)


def _subclasses(kind: type[Choices]) -> Iterable[type[Choices]]:
    sub: type[Choices]
    for sub in kind.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@functools.cache
def _choices() -> dict[str, Promise | str]:
    """Every choice of Ostoja's own vocabularies, by its stored value: an entry's data
    holds values ("goals_met", "border_guard") where a person reads their labels."""
    labels: dict[str, Promise | str] = {}
    for kind in _subclasses(Choices):
        if kind.__module__.startswith("ostoja."):
            for value, label in kind.choices:
                labels.setdefault(str(value), label)
    return labels


def _choice(model: type[Model] | None, key: str, value: str) -> str | None:
    """``value``'s label: from the record's field ``key`` when it has choices (the same
    value may be named differently by another vocabulary), else from any of ours."""
    field = None
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
    own = dict(getattr(field, "flatchoices", None) or ())
    label = own.get(value) or _choices().get(value)
    return None if label is None else str(label)


def _values(key: str, value: Any, model: type[Model] | None, known: Names) -> list[Value]:
    items = value if isinstance(value, list) else [value]
    shown = []
    for item in items:
        if key == "fields" and isinstance(item, str):
            shown.append(Value(_field_name(model, item)))
        elif key == "type" and isinstance(item, str):
            shown.append(Value(type_label(item)))
        elif isinstance(item, str) and _UUID.fullmatch(item):
            shown.append(known.code(item))
        elif isinstance(item, str) and _choice(model, key, item) is not None:
            shown.append(Value(_choice(model, key, item) or item))
        else:
            shown.append(Value(_scalar(item)))
    return shown or [Value("—")]


def details(entry: AuditEntry, known: Names) -> list[Detail]:
    """The entry's data as labelled fields (none when redacted: the page says so)."""
    if entry.is_redacted or not isinstance(entry.data, dict):
        return []
    try:
        model: type[Model] | None = apps.get_model(entry.target_type) if entry.target_type else None
    except (LookupError, ValueError):
        model = None
    return [
        Detail(str(KEYS.get(key, key.replace("_", " "))), _values(key, value, model, known), key)
        for key, value in entry.data.items()
    ]


def rows(entries: Iterable[AuditEntry], user: User, *, links: bool = True) -> list[Row]:
    """``entries`` readable, for ``user``; ``links``: to the DPO's pages (only the DPO)."""
    entries = list(entries)
    known = names(entries, user, links=links)
    return [
        Row(
            entry=entry,
            label=actions.label_of(entry.action),
            read=actions.is_read(entry.action),
            record=known.target(entry.target_type, entry.target_code)
            if entry.target_code
            else None,
            purpose=purpose_of(entry),
            details=details(entry, known),
        )
        for entry in entries
    ]
