"""The record of processing activities (GDPR Art. 30(1)), generated — never kept by hand.

What the centre declares about each activity (one per module of Ostoja: its purposes, the
people it is about, who may receive its data, its legal basis, the measures particular to
it) is data here, in ``ACTIVITIES``, keyed by the app it is done in. What data it
processes is not declared: it is read from the field inventory of the models of its
sources (``ostoja.lib.inventory``), so a field marked in a model is in the record the next
time it is shown, with its Art. 9/10 flag. Retention comes from the retention schedules
where they exist (``retention_of``); else the record says where it is set today.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ostoja.accounts.models import Organisation
from ostoja.lib.inventory import (
    SPECIAL_CATEGORIES,
    Category,
    Inventory,
    inventoried,
    inventory_of,
)
from ostoja.network.vocabulary import PartnerKind
from ostoja.privacy.retention import schedules_of


class Subject(models.TextChoices):
    """Categories of data subjects (Art. 30(1)(c))."""

    CLIENTS = "clients", _("Clients (presumed and identified victims of trafficking)")
    RELATED = "related", _("Related persons (family members, companions, named perpetrators)")
    CALLERS = "callers", _("Callers and correspondents of the helpline, anonymous senders")
    STAFF = "staff", _("The centre's staff and volunteers")
    PARTNERS = "partners", _("Partners' staff and interpreters")


# Measures every activity shares (Art. 30(1)(g), Art. 32): ARCHITECTURE.md §4.
COMMON_SECURITY: tuple[Promise, ...] = (
    _(
        "Field encryption (AES-256-GCM) of identifying and sensitive fields, bound to their "
        "table, column and row, with keys held outside the database"
    ),
    _("Keyed, truncated blind indexes instead of plaintext for searching"),
    _(
        "Append-only, hash-chained audit trail of every read and write of personal data, "
        "reviewed by the DPO"
    ),
    _(
        "Multi-factor authentication for every staff account; re-authentication for "
        "exports and downloads"
    ),
    _(
        "Role- and record-level access (team, restricted cases, break-the-glass with a "
        "reason, reported to the DPO)"
    ),
    _("No third-party requests from any page or PDF; no caching of personal pages"),
    _("Nightly backups with a restore drill"),
)


@dataclass(frozen=True)
class Activity:
    """One processing activity as the centre declares it."""

    key: str  # the app label it is done in (also the DPIA register's key)
    name: Promise
    # App labels, or model labels ("helpline.Contact"), whose inventory says what data the
    # activity processes.
    sources: tuple[str, ...]
    purposes: tuple[Promise, ...]
    subjects: tuple[Subject, ...]
    legal_basis: tuple[Promise, ...]
    recipients: tuple[str | Promise, ...] = ()
    security: tuple[Promise, ...] = ()
    # The kinds of record of the retention schedules (``privacy.RecordKind``) the
    # activity's records go with: a case's records go when the case is anonymised…
    retention_kinds: tuple[str, ...] = ()
    # Where retention is decided for this activity when no schedule names it.
    retention: Promise = _("No retention schedule covers these records yet: they are kept.")
    note: Promise | None = None


_CONSENT = _("Art. 6(1)(a) and 9(2)(a) GDPR: the client's explicit consent, where asked")
_PUBLIC_TASK = _(
    "Art. 6(1)(e) GDPR: a task in the public interest (the government's programme of "
    "support and protection of victims of trafficking, KPWiOO)"
)
_VITAL = _("Art. 6(1)(d) and 9(2)(c) GDPR: vital interests of the person in danger")
_CLAIMS = _("Art. 9(2)(f) GDPR: establishing, exercising or defending legal claims")
_SOCIAL = _("Art. 9(2)(g) and (h) GDPR: substantial public interest, social care")
_EMPLOYMENT = _("Art. 6(1)(b) and (c) GDPR: employment contracts and labour law")
_LEGAL_OBLIGATION = _("Art. 6(1)(c) and 5(2) GDPR: accountability and security (Art. 32)")

ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        key="helpline",
        retention_kinds=("contact",),
        name=_("Helpline: calls, e-mails and messages"),
        sources=("helpline",),
        purposes=(
            _("Answering people who call or write, advice and crisis support"),
            _("Follow-ups promised to a caller"),
        ),
        subjects=(Subject.CALLERS, Subject.CLIENTS, Subject.RELATED, Subject.STAFF),
        legal_basis=(_PUBLIC_TASK, _VITAL, _CONSENT),
        recipients=(_("Nobody outside the centre (a referral or report belongs to a case)"),),
        security=(_("Caller numbers sealed and found by blind index only"),),
    ),
    Activity(
        key="people",
        retention_kinds=("person", "case"),
        name=_("People: clients and related persons"),
        sources=("people",),
        purposes=(_("Knowing whom the centre helps, reaching them safely, avoiding duplicates"),),
        subjects=(Subject.CLIENTS, Subject.RELATED),
        legal_basis=(_PUBLIC_TASK, _CONSENT, _VITAL),
        recipients=(_("Only with a case's consent or legal basis (see cases and partners)"),),
        security=(_("Matching by phonetic keys and blind indexes, never by plaintext"),),
    ),
    Activity(
        key="cases",
        retention_kinds=("case",),
        name=_("Case work: plans, services, consents, deadlines, documents"),
        sources=("cases",),
        purposes=(
            _("Support of victims: individual plan, services, legal deadlines"),
            _("Recording the client's consents and decisions"),
        ),
        subjects=(Subject.CLIENTS, Subject.RELATED, Subject.STAFF),
        legal_basis=(_CONSENT, _PUBLIC_TASK, _SOCIAL, _CLAIMS),
        recipients=(
            PartnerKind.NGO.label,
            PartnerKind.LEGAL_AID.label,
            PartnerKind.HEALTH.label,
            PartnerKind.PSYCHOLOGICAL.label,
            PartnerKind.SOCIAL_ASSISTANCE.label,
            _("Only what the client's consent names (the disclosure ledger records each)"),
        ),
        security=(
            _("Health and legal details read only by the specialists of the case"),
            _("Documents stored sealed, outside any URL"),
        ),
    ),
    Activity(
        key="identification",
        retention_kinds=("case", "person"),
        name=_("Identification of victims of trafficking"),
        sources=("identification",),
        purposes=(_("Assessing indicators and recording identification decisions"),),
        subjects=(Subject.CLIENTS,),
        legal_basis=(_PUBLIC_TASK, _CLAIMS, _CONSENT),
        recipients=(
            PartnerKind.POLICE.label,
            PartnerKind.POLICE_THB.label,
            PartnerKind.BORDER_GUARD.label,
            PartnerKind.PROSECUTOR.label,
        ),
    ),
    Activity(
        key="interventions",
        retention_kinds=("case", "person"),
        name=_("Emergency interventions (24/7)"),
        sources=("interventions",),
        purposes=(_("Getting a person in danger to safety, alerting the staff on duty"),),
        subjects=(Subject.CLIENTS, Subject.CALLERS, Subject.STAFF),
        legal_basis=(_VITAL, _PUBLIC_TASK),
        recipients=(
            PartnerKind.POLICE.label,
            PartnerKind.BORDER_GUARD.label,
            PartnerKind.CRISIS_CENTRE.label,
        ),
        security=(_("Alerts name the intervention's reference, never the person"),),
    ),
    Activity(
        key="shelter",
        retention_kinds=("case", "person"),
        name=_("Shelter: stays, beds, shift book"),
        sources=("shelter",),
        purposes=(_("Safe accommodation and its day-to-day running"),),
        subjects=(Subject.CLIENTS, Subject.STAFF),
        legal_basis=(_PUBLIC_TASK, _VITAL, _SOCIAL),
        recipients=(PartnerKind.SHELTER.label,),
        security=(
            _("The shelter's address sealed and never in a client's export"),
            _("Revealing an address outside the case needs a second person's approval"),
        ),
    ),
    Activity(
        key="network",
        retention_kinds=("case",),
        name=_("Partner network: referrals, consultations, interpreters"),
        sources=("network",),
        purposes=(
            _("Referring clients to partners, answering institutions' consultations"),
            _("Booking interpreters without conflicts of interest"),
        ),
        subjects=(Subject.CLIENTS, Subject.PARTNERS, Subject.STAFF),
        legal_basis=(_CONSENT, _PUBLIC_TASK),
        recipients=tuple(kind.label for kind in PartnerKind if kind not in {PartnerKind.REGISTER}),
        security=(_("Every disclosure recorded in the ledger: what, to whom, on which basis"),),
    ),
    Activity(
        key="prevention",
        retention_kinds=("contact",),
        name=_("Prevention: counselling before going abroad, check-ins"),
        sources=("prevention",),
        purposes=(_("Safe-migration counselling, a safety plan and agreed check-ins"),),
        subjects=(Subject.CALLERS,),
        legal_basis=(_CONSENT, _PUBLIC_TASK),
        recipients=(PartnerKind.CONSULATE.label,),
    ),
    Activity(
        key="portal",
        retention_kinds=("portal",),
        name=_("Public portal: anonymous reports and messages"),
        sources=("portal", "helpline.Contact", "helpline.Attachment"),
        purposes=(_("Letting anyone ask for help or report anonymously"),),
        subjects=(Subject.CALLERS,),
        legal_basis=(_PUBLIC_TASK, _CONSENT),
        security=(
            _("No IP address, user agent or referrer stored or logged"),
            _("Receipt codes kept as slow hashes only"),
            _("Photos and PDFs stripped of their metadata"),
        ),
        retention=_(
            "Reports with no message either way for 90 days are erased every night with "
            "their files, unless linked to another record."
        ),
    ),
    Activity(
        key="statistics",
        name=_("Statistics and official reports"),
        sources=("reports",),
        purposes=(_("Yearly and official statistics of the programme"),),
        subjects=(Subject.CLIENTS,),
        legal_basis=(_PUBLIC_TASK,),
        recipients=(_("The ministry and the programme's partners: anonymous aggregates only"),),
        security=(_("Small groups suppressed; analysts see aggregates only, never identities"),),
        retention=_(
            "The figures hold no personal data; the records they are counted from follow "
            "their own schedules, and anonymisation keeps the coded fields they count."
        ),
        note=_(
            "Reads the coded statistical fields of cases (gender, citizenships, forms of "
            "exploitation, dates) and publishes aggregates: no field of the inventory."
        ),
    ),
    Activity(
        key="accounts",
        name=_("Staff accounts, roles and the duty roster"),
        sources=("accounts", "duty"),
        purposes=(
            _("Signing in, roles, notices to staff"),
            _("Organising duty shifts and reaching the staff on duty"),
        ),
        subjects=(Subject.STAFF,),
        legal_basis=(_EMPLOYMENT, _LEGAL_OBLIGATION),
        recipients=(_("The telephony and SMS provider (duty phone numbers, for routing)"),),
    ),
    Activity(
        key="audit",
        retention_kinds=("audit",),
        name=_("Audit trail and the DPO's records"),
        sources=("audit", "privacy"),
        purposes=(
            _("Showing who saw and did what (accountability, Art. 5(2) and 32)"),
            _("The DPO's records: impact assessments and the breach log"),
        ),
        subjects=(Subject.STAFF, Subject.CLIENTS),
        legal_basis=(_LEGAL_OBLIGATION,),
        recipients=(_("The supervisory authority (UODO), on request or on a breach"),),
        retention=_(
            "Entries are kept; their data part is redacted by the DPO or the retention job, "
            "and the chain stays verifiable."
        ),
    ),
)
ACTIVITY_NAMES: dict[str, Promise] = {a.key: a.name for a in ACTIVITIES}


@dataclass(frozen=True)
class DataCategory:
    """One category of data an activity processes, from the inventory."""

    category: Category
    article: str  # "9", "10", or "" for ordinary personal data
    fields: list[str]  # "Model: field", in the reader's language


@dataclass(frozen=True)
class ActivityRecord:
    activity: Activity
    categories: list[DataCategory]
    retention: list[str] = field(default_factory=list)


def _models_of(sources: Iterable[str]) -> list[tuple[type[models.Model], Inventory]]:
    found: list[tuple[type[models.Model], Inventory]] = []
    for source in sources:
        if "." in source:
            model = apps.get_model(source)
            inventory = inventory_of(model)
            if inventory is not None:
                found.append((model, inventory))
        else:
            found += [(m, i) for m, i in inventoried() if m._meta.app_label == source]
    return found


def categories_of(activity: Activity) -> list[DataCategory]:
    """The categories of data of the activity's models as their inventory marks them, in
    the order of ``Category``, each with the fields that hold it."""
    fields: dict[Category, list[str]] = {}
    for model, inventory in _models_of(activity.sources):
        for name, category in inventory.fields.items():
            marked = model._meta.get_field(name)
            label = capfirst(str(getattr(marked, "verbose_name", name)))
            fields.setdefault(category, []).append(
                f"{capfirst(str(model._meta.verbose_name))}: {label}"
            )
    return [
        DataCategory(category, SPECIAL_CATEGORIES.get(category, ""), fields[category])
        for category in Category
        if category in fields
    ]


def retention_of(activity: Activity, organisation: Organisation) -> list[str]:
    """How long the activity's records are kept: the retention schedules that apply to the
    organisation for the kinds of record the activity's records go with (its own, else
    the instance's default, said so until the DPO confirms it); else where it is set."""
    schedules = {s.kind: s for s in schedules_of(organisation)}
    lines = []
    for kind in activity.retention_kinds:
        schedule = schedules.get(kind)
        if schedule is None:
            continue
        line = gettext("%(kind)s: %(length)s %(unit)s (%(basis)s)") % {
            "kind": schedule.get_kind_display(),
            "length": schedule.length,
            "unit": schedule.get_unit_display(),
            "basis": schedule.basis,
        }
        if schedule.is_default:
            line = gettext("%(schedule)s — the default, not yet confirmed by the DPO") % {
                "schedule": line
            }
        lines.append(line)
    return lines or [str(activity.retention)]


def record_of_processing(organisation: Organisation) -> list[ActivityRecord]:
    """Every activity with its categories of data (from the inventory) and retention."""
    return [ActivityRecord(a, categories_of(a), retention_of(a, organisation)) for a in ACTIVITIES]
