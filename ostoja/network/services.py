"""Every change to the partner directory (STYLE.md: one transaction, one audit entry that
names the fields changed, never their values)."""

import datetime as dt
import smtplib
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ostoja.accounts import disclosures as ledger
from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.policy import Access, TeamRole
from ostoja.accounts.records import Source
from ostoja.accounts.services import notice_send
from ostoja.audit.trail import record
from ostoja.cases import pdf
from ostoja.cases.models import Case, Consent
from ostoja.cases.selectors import sharing_consents
from ostoja.cases.services import case_open
from ostoja.helpline.services import contact_link, contact_save, contact_start
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.lib.crypto.files import EncryptedStorage
from ostoja.network import hsds
from ostoja.network.models import (
    Booking,
    Consultation,
    Disclosure,
    IncomingReferral,
    Interpreter,
    Partner,
    PartnerContact,
    PartnerLocation,
    PartnerPhone,
    PartnerService,
    Referral,
    Training,
)
from ostoja.network.vocabulary import PartnerKind, referrer
from ostoja.people.models import Person
from ostoja.people.services import person_create

PARTNER_FIELDS = (
    "name",
    "alternate_name",
    "kind",
    "description",
    "country",
    "voivodeship",
    "city",
    "address",
    "postal_code",
    "phone",
    "email",
    "website",
)
SERVICE_FIELDS = (
    "name",
    "kind",
    "description",
    "status",
    "languages",
    "areas",
    "days",
    "opens_at",
    "closes_at",
    "phone",
    "email",
)
CONTACT_FIELDS = ("name", "title", "department", "phone", "email")
LOCATION_FIELDS = ("name", "voivodeship", "city", "address", "postal_code")
PHONE_FIELDS = ("number", "description", "location")


def _apply(instance: models.Model, fields: tuple[str, ...], data: dict[str, Any]) -> list[str]:
    """Set the fields of ``data`` on ``instance``; the names of those that changed."""
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


@transaction.atomic
def partner_add(*, organisation: Organisation, data: dict[str, Any], acting_user: User) -> Partner:
    """Add a partner to the organisation's directory."""
    partner = Partner(organisation=organisation, updated_by=acting_user)
    _apply(partner, PARTNER_FIELDS, data)
    partner.save()
    record("partner.added", actor=acting_user, target=partner, data={"kind": partner.kind})
    return partner


@transaction.atomic
def partner_change(*, partner: Partner, data: dict[str, Any], acting_user: User) -> list[str]:
    """Change a partner's details; the names of the fields that changed."""
    changed = _apply(partner, PARTNER_FIELDS, data)
    if changed:
        partner.updated_by = acting_user
        partner.save()
        record("partner.changed", actor=acting_user, target=partner, data={"fields": changed})
    return changed


@transaction.atomic
def partner_archive(*, partner: Partner, acting_user: User) -> None:
    """A partner that closed leaves the search and the pickers; the records that name it
    (consultations, referrals, the disclosure ledger) keep it."""
    if partner.archived_at is not None:
        raise ValidationError(_("This partner is archived already."))
    partner.archived_at, partner.archived_by = timezone.now(), acting_user
    partner.save(update_fields=["archived_at", "archived_by", "updated_at"])
    record("partner.archived", actor=acting_user, target=partner)


@transaction.atomic
def partner_restore(*, partner: Partner, acting_user: User) -> None:
    """An archived partner back in the directory (it opened again, or was archived by
    mistake)."""
    if partner.archived_at is None:
        raise ValidationError(_("This partner is not archived."))
    partner.archived_at, partner.archived_by = None, None
    partner.save(update_fields=["archived_at", "archived_by", "updated_at"])
    record("partner.restored", actor=acting_user, target=partner)


@transaction.atomic
def location_add(*, partner: Partner, data: dict[str, Any], acting_user: User) -> PartnerLocation:
    """Another place of the partner besides its seat."""
    location = PartnerLocation(partner=partner)
    _apply(location, LOCATION_FIELDS, data)
    location.save()
    record(
        "partner.location_added",
        actor=acting_user,
        target=partner,
        data={"location": str(location.code)},
    )
    return location


@transaction.atomic
def location_remove(*, location: PartnerLocation, acting_user: User) -> None:
    """A place the partner no longer has (its phones there go with it)."""
    record(
        "partner.location_removed",
        actor=acting_user,
        target=location.partner,
        data={"location": str(location.code)},
    )
    location.delete()


@transaction.atomic
def phone_add(*, partner: Partner, data: dict[str, Any], acting_user: User) -> PartnerPhone:
    """Another phone number of the partner (of one of its places, if ``location``)."""
    if data.get("location") is not None and data["location"].partner_id != partner.pk:
        raise ValidationError({"location": _("This is another partner's location.")})
    phone = PartnerPhone(partner=partner)
    _apply(phone, PHONE_FIELDS, data)
    phone.save()
    record(
        "partner.phone_added", actor=acting_user, target=partner, data={"phone": str(phone.code)}
    )
    return phone


@transaction.atomic
def phone_remove(*, phone: PartnerPhone, acting_user: User) -> None:
    record(
        "partner.phone_removed",
        actor=acting_user,
        target=phone.partner,
        data={"phone": str(phone.code)},
    )
    phone.delete()


@transaction.atomic
def service_add(*, partner: Partner, data: dict[str, Any], acting_user: User) -> PartnerService:
    service = PartnerService(partner=partner)
    _apply(service, SERVICE_FIELDS, data)
    service.save()
    record(
        "partner.service_added",
        actor=acting_user,
        target=partner,
        data={"service": str(service.code), "kind": service.kind},
    )
    return service


@transaction.atomic
def service_change(
    *, service: PartnerService, data: dict[str, Any], acting_user: User
) -> list[str]:
    changed = _apply(service, SERVICE_FIELDS, data)
    if changed:
        service.save()
        record(
            "partner.service_changed",
            actor=acting_user,
            target=service.partner,
            data={"service": str(service.code), "fields": changed},
        )
    return changed


@transaction.atomic
def service_remove(*, service: PartnerService, acting_user: User) -> None:
    record(
        "partner.service_removed",
        actor=acting_user,
        target=service.partner,
        data={"service": str(service.code)},
    )
    service.delete()


@transaction.atomic
def partner_contact_add(
    *, partner: Partner, data: dict[str, Any], acting_user: User
) -> PartnerContact:
    contact = PartnerContact(partner=partner)
    _apply(contact, CONTACT_FIELDS, data)
    contact.save()
    record(
        "partner.contact_added",
        actor=acting_user,
        target=partner,
        data={"contact": str(contact.code)},
    )
    return contact


@transaction.atomic
def partner_contact_change(
    *, contact: PartnerContact, data: dict[str, Any], acting_user: User
) -> list[str]:
    changed = _apply(contact, CONTACT_FIELDS, data)
    if changed:
        contact.save()
        record(
            "partner.contact_changed",
            actor=acting_user,
            target=contact.partner,
            data={"contact": str(contact.code), "fields": changed},
        )
    return changed


@transaction.atomic
def partner_contact_remove(*, contact: PartnerContact, acting_user: User) -> None:
    record(
        "partner.contact_removed",
        actor=acting_user,
        target=contact.partner,
        data={"contact": str(contact.code)},
    )
    contact.delete()


# --- The HSDS data package (``ostoja.network.hsds``) ---------------------------------------


class ImportRefused(Exception):
    """A data package refused whole: ``report`` says, row by row, what was wrong."""

    def __init__(self, report: list[str]) -> None:
        super().__init__("\n".join(report))
        self.report = report


def directory_export(
    *, organisation: Organisation, folder: Path, acting_user: User | None
) -> list[Path]:
    """Write the organisation's directory as an HSDS 3.0 data package into ``folder``; it
    is checked against the official schemas first, and nothing is written if a row fails."""
    # A partner that closed (archived) is no longer offered to anyone.
    partners = Partner.objects.filter(
        organisation=organisation, archived_at__isnull=True
    ).prefetch_related(
        "services", "contacts__partner", "services__partner", "locations", "phones__location"
    )
    tables = hsds.directory_package(partners)
    wrong = hsds.package_problems(tables)
    if wrong:
        raise ImportRefused(wrong)
    written = hsds.write_package(tables, folder)
    record(
        "directory.exported",
        actor=acting_user,
        organisation=organisation,
        data={"organizations": len(tables["organization"]), "services": len(tables["service"])},
    )
    return written


def _refusals(
    organisation: Organisation, package: hsds.Package
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Read every row; what would be imported, and what is refused, row by row."""
    report: list[str] = list(package.problems)
    partners: list[dict[str, Any]] = []
    seen: set[str] = set()
    ours = {
        str(code)
        for code in Partner.objects.filter(organisation=organisation).values_list("code", flat=True)
    }

    def refuse(file: str, number: int, row: Any, problems: list[str]) -> None:
        name = row.get("name", "") if isinstance(row, dict) else ""
        where = f"{file}, row {number}" + (f" ({name})" if name else "")
        report.extend(f"{where}: {problem}" for problem in problems)

    def taken(model: type[models.Model], code: str, partner: str) -> bool:
        found = model._default_manager.filter(code=code).exclude(partner__code=partner)
        return bool(found.exists())

    for number, row in package.organizations:
        data, wrong = hsds.read_organization(row)
        # (A row the schema refused has no data: its identifiers may be anything.)
        code = data.get("code", "")
        if code and code in seen:
            wrong.append(f"id {code} appears twice in the file")
        elif code and code not in ours and Partner.objects.filter(code=code).exists():
            wrong.append(f"id {code} belongs to another centre's directory")
        for contact in data.get("contacts", []):
            if taken(PartnerContact, contact["code"], code):
                wrong.append(f"contact id {contact['code']} belongs to another partner")
        for place in data.get("locations", []):
            if taken(PartnerLocation, place["code"], code):
                wrong.append(f"location id {place['code']} belongs to another partner")
        for phone in data.get("phones", []):
            if taken(PartnerPhone, phone["code"], code):
                wrong.append(f"phone id {phone['code']} belongs to another partner")
        seen.add(code)
        if wrong:
            refuse(package.files[0], number, row, wrong)
        else:
            partners.append(data)
    offered: list[dict[str, Any]] = []
    service_codes: set[str] = set()
    for number, row in package.services:
        data, wrong = hsds.read_service(row)
        code, partner = data.get("code", ""), data.get("partner", "")
        if code and code in service_codes:
            wrong.append(f"id {code} appears twice in the file")
        if partner and partner not in seen and partner not in ours:
            wrong.append(f"organization_id {partner} is neither in the file nor in the directory")
        elif partner and taken(PartnerService, code, partner):
            wrong.append(f"id {code} belongs to another partner's service")
        service_codes.add(code)
        if wrong:
            refuse(package.files[1], number, row, wrong)
        else:
            offered.append(data)
    return partners, offered, report


def _import_partner(organisation: Organisation, data: dict[str, Any], user: User | None) -> bool:
    """One partner of a package, added or brought up to date with its people, places and
    phones; whether it was added."""
    partner = Partner.objects.filter(organisation=organisation, code=data["code"]).first()
    added = partner is None
    partner = partner or Partner(organisation=organisation, code=data["code"])
    _apply(partner, PARTNER_FIELDS, data)
    partner.updated_by = user
    partner.save()
    for item in data["contacts"]:
        contact = PartnerContact.objects.filter(code=item["code"]).first()
        contact = contact or PartnerContact(partner=partner, code=item["code"])
        _apply(contact, CONTACT_FIELDS, item)
        contact.save()
    places = {}
    for item in data["locations"]:
        place = PartnerLocation.objects.filter(code=item["code"]).first()
        place = place or PartnerLocation(partner=partner, code=item["code"])
        _apply(place, LOCATION_FIELDS, item)
        place.save()
        places[item["code"]] = place
    for item in data["phones"]:
        phone = PartnerPhone.objects.filter(code=item["code"]).first()
        phone = phone or PartnerPhone(partner=partner, code=item["code"])
        _apply(phone, PHONE_FIELDS, item | {"location": places.get(item["location"] or "")})
        phone.save()
    return added


@transaction.atomic
def directory_import(
    *, organisation: Organisation, package: hsds.Package, acting_user: User | None
) -> dict[str, int]:
    """Add to (or bring up to date in) the organisation's directory the partners and
    services of an HSDS 3.0 data package (``hsds.read_package``: the JSON or the CSV
    form). All or nothing: ``ImportRefused`` with every refused row, and nothing changed,
    if any row is wrong. How many partners were added and changed, and services taken in."""
    partners, offered, report = _refusals(organisation, package)
    if report:
        raise ImportRefused(report)
    counts = {"added": 0, "changed": 0, "services": 0}
    for data in partners:
        counts["added" if _import_partner(organisation, data, acting_user) else "changed"] += 1
    for data in offered:
        partner = Partner.objects.get(organisation=organisation, code=data["partner"])
        item = PartnerService.objects.filter(code=data["code"]).first()
        item = item or PartnerService(partner=partner, code=data["code"])
        _apply(item, SERVICE_FIELDS, data)
        item.save()
        counts["services"] += 1
    record("directory.imported", actor=acting_user, organisation=organisation, data=counts)
    return counts


# --- Consultations for institutions --------------------------------------------------------

CONSULTATION_FIELDS = (
    "asker",
    "asker_function",
    "channel",
    "topic",
    "asked_at",
    "answered_at",
    "question",
    "advice",
    "minutes",
    "documents_sent",
    "follow_up",
    "follow_up_due",
    "follow_up_assignee",
)


def _follow_up_notice(consultation: Consultation, acting_user: User) -> None:
    """The colleague given a consultation's follow-up hears of it (the notification
    centre): the institution and the date, never what was asked."""
    assignee = consultation.follow_up_assignee
    if assignee is None or assignee == acting_user or consultation.follow_up_due is None:
        return
    notice_send(
        recipients=[assignee],
        kind=Notice.Kind.FOLLOW_UP,
        text=_("%(name)s gives you a follow-up of a consultation for %(partner)s, due %(due)s.")
        % {
            "name": str(acting_user),
            "partner": consultation.partner.name,
            "due": consultation.follow_up_due.isoformat(),
        },
        url=reverse("network:consultation_detail", args=[consultation.code]),
        target_type="network.consultation",
        target_code=str(consultation.code),
        key=f"given:{consultation.follow_up_due.isoformat()}",
    )


def _answered(consultation: Consultation) -> bool:
    """A consultation whose advice is recorded without the time it was given was answered
    now (its response time, for the statistics); whether that set it."""
    if (consultation.advice or "").strip() and consultation.answered_at is None:
        consultation.answered_at = timezone.now()
        return True
    return False


@transaction.atomic
def consultation_log(
    *, organisation: Organisation, data: dict[str, Any], acting_user: User
) -> Consultation:
    """Log a consultation. The institution comes from the directory (``partner``) or is
    typed and added to it (``new_partner`` with its kind, voivodeship and city); the person
    asking is added to the partner's people if they are not there yet."""
    partner = data.get("partner")
    if partner is None:
        new = {key: data.get(f"new_{key}", "") for key in ("kind", "voivodeship", "city")}
        partner = partner_add(
            organisation=organisation,
            data={"name": data["new_partner"]} | new,
            acting_user=acting_user,
        )
    consultation = Consultation(organisation=organisation, partner=partner, created_by=acting_user)
    _apply(consultation, CONSULTATION_FIELDS, data)
    _answered(consultation)
    consultation.save()
    if consultation.asker and not partner.contacts.filter(name=consultation.asker).exists():
        partner_contact_add(
            partner=partner,
            data={"name": consultation.asker, "title": consultation.asker_function},
            acting_user=acting_user,
        )
    record(
        "consultation.logged",
        actor=acting_user,
        target=consultation,
        data={"partner": str(partner.code), "topic": consultation.topic},
    )
    _follow_up_notice(consultation, acting_user)
    return consultation


@transaction.atomic
def consultation_change(
    *, consultation: Consultation, data: dict[str, Any], acting_user: User
) -> list[str]:
    """Change what was logged; the names of the fields that changed."""
    changed = _apply(consultation, CONSULTATION_FIELDS, data)
    if _answered(consultation) and "answered_at" not in changed:
        changed.append("answered_at")
    if changed:
        consultation.save()
        record(
            "consultation.changed",
            actor=acting_user,
            target=consultation,
            data={"fields": changed},
        )
        if {"follow_up_assignee", "follow_up_due"} & set(changed):
            _follow_up_notice(consultation, acting_user)
    return changed


@transaction.atomic
def consultation_follow_up_done(*, consultation: Consultation, acting_user: User) -> None:
    if consultation.follow_up_done_at is not None:
        raise ValidationError(_("This follow-up is done already."))
    consultation.follow_up_done_at = timezone.now()
    consultation.save(update_fields=["follow_up_done_at"])
    record("consultation.follow_up_done", actor=acting_user, target=consultation)


@transaction.atomic
def consultation_follow_ups_due(*, today: dt.date) -> int:
    """Tell each colleague given a consultation's follow-up when it falls due (once for
    each due date, also when it is overdue by then): a notice, on their task list."""
    due = Consultation.objects.filter(
        follow_up_done_at__isnull=True,
        follow_up_due__lte=today,
        follow_up_assignee__isnull=False,
    ).select_related("partner", "follow_up_assignee")
    for consultation in due.defer("question", "advice", "follow_up"):
        assignee, day = consultation.follow_up_assignee, consultation.follow_up_due
        if assignee is None or day is None:  # (the query's filter: never)
            continue
        notice_send(
            recipients=[assignee],
            kind=Notice.Kind.FOLLOW_UP,
            text=_("The follow-up of a consultation for %(partner)s is due (%(due)s).")
            % {
                "partner": consultation.partner.name,
                "due": day.isoformat(),
            },
            url=reverse("network:consultation_detail", args=[consultation.code]),
            target_type="network.consultation",
            target_code=str(consultation.code),
            key=f"due:{day.isoformat()}",
        )
    return len(due)


def consultation_link(
    *, consultation: Consultation, target_type: str, target_code: str, acting_user: User
) -> None:
    """Record that a case or an intervention came from the consultation (in the caller's
    transaction): each shows the other."""
    data = {"to": target_code}
    if target_type == "cases.case":
        consultation.case = Case.objects.get(code=target_code)
        consultation.save(update_fields=["case"])
        record("consultation.case_opened", actor=acting_user, target=consultation, data=data)
    else:
        consultation.intervention = Intervention.objects.get(code=target_code)
        consultation.save(update_fields=["intervention"])
        record(
            "consultation.intervention_opened", actor=acting_user, target=consultation, data=data
        )


@transaction.atomic
def consultation_case_open(
    *,
    consultation: Consultation,
    people: list[dict[str, Any]],
    manager: User,
    summary: str,
    acting_user: User,
) -> Case:
    """Open a case from a consultation about people (a group of workers on a farm): each
    person typed so far is registered and becomes a client of the case, linked to the
    consultation."""
    if consultation.case_id is not None:
        raise ValidationError(_("A case was opened from this consultation already."))
    organisation = consultation.organisation
    clients = [
        person_create(organisation=organisation, data=person, acting_user=acting_user)
        for person in people
    ]
    source = Source(
        "consultation",
        consultation.code,
        consultation,
        link=lambda target_type, target_code, user: consultation_link(
            consultation=consultation,
            target_type=target_type,
            target_code=target_code,
            acting_user=user,
        ),
    )
    return case_open(
        organisation=organisation,
        clients=clients,
        manager=manager,
        data={"summary": summary, "referred_by": referrer(consultation.partner)},
        source=source,
        acting_user=acting_user,
    )


@transaction.atomic
def consultation_intervention_open(
    *, consultation: Consultation, situation: str, acting_user: User
) -> Intervention:
    """Open an emergency intervention from a consultation, with what was asked as its
    description, linked to it."""
    if consultation.intervention_id is not None:
        raise ValidationError(_("An intervention was opened from this consultation already."))
    intervention = intervention_open(
        organisation=consultation.organisation,
        data={"situation": situation, "description": consultation.question},
        acting_user=acting_user,
    )
    consultation_link(
        consultation=consultation,
        target_type="interventions.intervention",
        target_code=str(intervention.code),
        acting_user=acting_user,
    )
    return intervention


@transaction.atomic
def training_record(
    *, organisation: Organisation, data: dict[str, Any], acting_user: User
) -> Training:
    """Record a training or presentation given to an institution."""
    training = Training(organisation=organisation, created_by=acting_user)
    _apply(training, ("partner", "kind", "held_on", "audience", "participants", "topic"), data)
    training.save()
    record("training.recorded", actor=acting_user, target=training, data={"kind": training.kind})
    return training


# --- Referrals -----------------------------------------------------------------------------

# Kinds of partner a consent to share "with police, Border Guard or prosecutor" covers.
LAW_ENFORCEMENT = frozenset(
    {PartnerKind.POLICE, PartnerKind.POLICE_THB, PartnerKind.BORDER_GUARD, PartnerKind.PROSECUTOR}
)
# The partner's answers, from each status.
NEXT_STATUS = {
    Referral.Status.SENT: {Referral.Status.ACCEPTED, Referral.Status.DECLINED},
    Referral.Status.ACCEPTED: {Referral.Status.IN_PROGRESS, Referral.Status.COMPLETED},
    Referral.Status.IN_PROGRESS: {Referral.Status.COMPLETED},
}


def _belongs(record: models.Model | None, organisation: Organisation) -> bool:
    return record is None or getattr(record, "organisation_id", None) == organisation.pk


def _as[M: models.Model](record: models.Model | None, model: type[M]) -> M | None:
    """The recorder takes any app's records: each must be of the model the ledger names."""
    if record is not None and not isinstance(record, model):
        raise TypeError(f"{model.__name__} expected, not {type(record).__name__}")
    return record


def _code(record: models.Model) -> str:
    """A record's code for the audit entry (the recorder takes any app's records)."""
    return str(getattr(record, "code", ""))


@transaction.atomic
def disclosure_create(
    *,
    organisation: Organisation,
    person: models.Model | None,
    case: models.Model | None,
    partner: models.Model | None,
    recipient: str,
    kind: str,
    parts: Any,
    basis: str,
    consent: models.Model | None,
    document: str,
    channel: str,
    by: User | None,
    sent_to: str,
    period: tuple[dt.date, dt.date] | None,
) -> Disclosure:
    """The ledger's entry and its audit entry: the recorder behind
    ``ostoja.accounts.disclosures.disclosure_record`` (call that, not this). Refuses an
    entry that names no recipient, a consent basis without the consent, a consent of
    another person, or records of another organisation."""
    recipient = recipient.strip()
    if partner is None and not recipient:
        raise ValidationError({"recipient": _("Say to whom the data are given.")})
    if kind not in ledger.Kind.values or channel not in ledger.Channel.values:
        raise ValidationError(_("Say what is disclosed and how."))
    if basis not in ledger.Basis.values:
        raise ValidationError({"basis": _("Choose the legal basis of the disclosure.")})
    if basis == ledger.Basis.CONSENT and consent is None:
        raise ValidationError({"basis": _("A disclosure under consent needs that consent.")})
    if consent is not None and (
        getattr(consent, "client_id", None) != getattr(person, "pk", None)
        or not _belongs(getattr(consent, "case", None), organisation)
    ):
        raise ValidationError(_("This consent is not the person's."))
    if not all(_belongs(r, organisation) for r in (person, case, partner)):
        raise ValidationError(_("This record is not of your organisation."))
    disclosure = Disclosure.objects.create(
        organisation=organisation,
        kind=kind,
        person=_as(person, Person),
        case=_as(case, Case),
        partner=_as(partner, Partner),
        recipient=recipient,
        basis=basis,
        consent=_as(consent, Consent),
        parts=sorted(set(parts)),
        document=document,
        channel=channel,
        sent_to=sent_to,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        by=by,
    )
    record(
        "disclosure.recorded",
        actor=by,
        organisation=organisation,
        target=person,
        data={
            "disclosure": str(disclosure.code),
            "kind": kind,
            "basis": basis,
            "parts": disclosure.parts,
        }
        | ({"case": _code(case)} if case is not None else {})
        | ({"partner": _code(partner)} if partner is not None else {}),
    )
    return disclosure


def sharing_consent(*, case: Case, client: Person, partner: Partner) -> Consent | None:
    """The client's consent in force, in this case, to share with ``partner``: a consent
    to share with a named organisation that names it (by its name or short name), or —
    for the Police, the Border Guard and prosecutors — a consent to share with them."""
    names = {partner.name.casefold().strip(), partner.alternate_name.casefold().strip()} - {""}
    for consent in sharing_consents(case.consents.filter(client=client)):
        if consent.scope == Consent.Scope.SHARE_ORGANISATION:
            if consent.recipient.casefold().strip() in names:
                return consent
        elif consent.scope == Consent.Scope.SHARE_POLICE and partner.kind in LAW_ENFORCEMENT:
            return consent
    return None


@transaction.atomic
def referral_send(
    *,
    access: Access[Case],
    client: Person,
    partner: Partner,
    service: PartnerService | None,
    reason: str,
    answer_due: dt.date,
    acting_user: User,
) -> Referral:
    """Refer a client of the case to a partner. Nothing leaves without the client's consent
    to share with that partner (``sharing_consent``): without it, the referral is refused
    and nothing is recorded. With it, the referral summary (the case's PDF: what the
    consent names and the user may read) is made and kept sealed with the referral, and
    the disclosure ledger records what went to whom, under which consent, by whom."""
    case = access.record
    if not case.clients.filter(person=client).exists():
        raise ValidationError(_("This person is not a client of the case."))
    if partner.organisation_id != case.organisation_id or partner.archived_at is not None:
        raise ValidationError(_("There is no such partner in the directory."))
    consent = sharing_consent(case=case, client=client, partner=partner)
    if consent is None:
        raise ValidationError(
            _(
                "The client has not consented to sharing their data with %(partner)s (or the "
                "consent was withdrawn). Nothing was sent. Record the client's consent to "
                "share with this organisation in the case first."
            )
            % {"partner": partner.name}
        )
    address = (service.email if service is not None else "") or partner.email
    if not address:
        raise ValidationError(
            _(
                "%(partner)s has no e-mail address in the directory: add it to the partner "
                "(or its service) first. Nothing was sent."
            )
            % {"partner": partner.name}
        )
    context = pdf.summary_context(access=access, consent=consent, user=acting_user)
    document = pdf.render_pdf(render_to_string("cases/summary_pdf.html", context))
    stored = EncryptedStorage().save(f"referrals/{uuid.uuid4()}.pdf", ContentFile(document))
    shares = sorted(context["shares"])
    # The ledger is this app's: its recorder directly (others go through the door).
    disclosure = disclosure_create(
        organisation=case.organisation,
        person=client,
        case=case,
        partner=partner,
        recipient="",
        kind=ledger.Kind.REFERRAL,
        parts=shares,
        basis=ledger.Basis.CONSENT,
        consent=consent,
        document="referral_summary",
        channel=ledger.Channel.EMAIL,
        sent_to=address,
        by=acting_user,
        period=None,
    )
    referral = Referral.objects.create(
        organisation=case.organisation,
        case=case,
        client=client,
        partner=partner,
        service=service,
        disclosure=disclosure,
        reason=reason,
        answer_due=answer_due,
        document=stored,
        created_by=acting_user,
    )
    record(
        "referral.sent",
        actor=acting_user,
        target=referral,
        data={
            "case": str(case.code),
            "client": str(client.code),
            "partner": str(partner.code),
            "consent": str(consent.code),
            "disclosure": str(disclosure.code),
            "shares": shares,
        },
    )
    # Sent last, in the transaction: if the mail server refuses it, nothing above stays —
    # the ledger records only what left.
    try:
        _referral_mail(referral, address, document)
    except (OSError, smtplib.SMTPException):
        EncryptedStorage().delete(stored)
        raise ValidationError(
            _("The referral could not be e-mailed to %(address)s. Nothing was sent; try again.")
            % {"address": address}
        ) from None
    return referral


def _referral_mail(referral: Referral, address: str, document: bytes) -> None:
    """The referral summary, e-mailed to the partner: the subject and the text name the
    centre and the case's number, never the client (they are in the attached summary)."""
    case = referral.case
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Referral from %(centre)s, case %(case)s") % {
            "centre": case.organisation.name,
            "case": case.reference,
        }
        body = render_to_string(
            "network/email/referral.txt",
            {"referral": referral, "case": case, "centre": case.organisation},
        )
    message = EmailMessage(subject=subject, body=body, to=[address])
    message.attach(
        f"{case.reference.replace('/', '-')}-skierowanie.pdf", document, "application/pdf"
    )
    message.send()


def _tell_case_managers(referral: Referral, text: str, key: str, acting_user: User | None) -> None:
    """The case's managers hear of a referral (never who the client is: the case number)."""
    managers = [
        manager
        for manager in User.objects.filter(
            case_teams__case=referral.case, case_teams__role=TeamRole.CASE_MANAGER
        )
        if manager != acting_user
    ]
    notice_send(
        recipients=managers,
        kind=Notice.Kind.FOLLOW_UP,
        text=text,
        url=reverse("network:referral_detail", args=[referral.code]),
        target_type="network.referral",
        target_code=str(referral.code),
        key=key,
    )


@transaction.atomic
def referral_answer(*, referral: Referral, status: str, feedback: str, acting_user: User) -> None:
    """Record the partner's answer or progress (sent → accepted / declined → in progress
    → completed), with its date and the partner's feedback; the case managers are told."""
    if status not in NEXT_STATUS.get(Referral.Status(referral.status), set()):
        raise ValidationError(
            _("A referral that is %(now)s cannot become %(next)s.")
            % {
                "now": referral.get_status_display().lower(),
                "next": str(Referral.Status(status).label).lower(),
            }
        )
    now = timezone.now()
    referral.status = status
    if status in (Referral.Status.ACCEPTED, Referral.Status.DECLINED):
        referral.answered_at = now
    elif status == Referral.Status.IN_PROGRESS:
        referral.started_at = now
    else:
        referral.completed_at = now
    if feedback:
        referral.feedback = feedback
    referral.save()
    record("referral.answered", actor=acting_user, target=referral, data={"status": status})
    _tell_case_managers(
        referral,
        _("The referral of case %(case)s to %(partner)s: %(status)s.")
        % {
            "case": referral.case.reference,
            "partner": referral.partner.name,
            "status": referral.get_status_display().lower(),
        },
        status,
        acting_user,
    )


@transaction.atomic
def referrals_overdue(*, today: dt.date) -> int:
    """Tell the case managers of each referral still unanswered past the date its answer
    was expected (once): it is on their task list, among what the notices ask of them."""
    overdue = Referral.objects.filter(
        status=Referral.Status.SENT, answer_due__lt=today
    ).select_related("case", "partner")
    for referral in overdue:
        _tell_case_managers(
            referral,
            _("The referral of case %(case)s to %(partner)s is unanswered since %(due)s.")
            % {
                "case": referral.case.reference,
                "partner": referral.partner.name,
                "due": referral.answer_due.isoformat(),
            },
            "overdue",
            None,
        )
    return len(overdue)


# Who is calling, for a helpline contact, by the kind of the partner.
_CALLERS = {
    PartnerKind.POLICE: "police",
    PartnerKind.POLICE_THB: "police",
    PartnerKind.BORDER_GUARD: "border_guard",
    PartnerKind.PROSECUTOR: "prosecutor",
    PartnerKind.COURT: "prosecutor",
    PartnerKind.SOCIAL_ASSISTANCE: "social_services",
    PartnerKind.CRISIS_CENTRE: "social_services",
    PartnerKind.NGO: "ngo",
    PartnerKind.SHELTER: "ngo",
    PartnerKind.CONSULATE: "consulate",
    PartnerKind.LABOUR_INSPECTION: "labour_inspectorate",
}


@transaction.atomic
def incoming_referral_receive(
    *,
    organisation: Organisation,
    partner: Partner,
    referrer: str,
    received_at: dt.datetime,
    summary: str,
    acting_user: User,
) -> IncomingReferral:
    """An institution refers a presumed victim to the centre: a helpline contact is opened
    at once (the institution as the caller), to be accepted (a case) or declined."""
    contact = contact_start(organisation=organisation, acting_user=acting_user)
    contact_save(
        contact=contact,
        data={
            "caller_type": _CALLERS.get(PartnerKind(partner.kind), "other"),
            "summary": summary,
            "started_at": received_at,
        },
        acting_user=acting_user,
    )
    incoming = IncomingReferral.objects.create(
        organisation=organisation,
        partner=partner,
        referrer=referrer,
        received_at=received_at,
        summary=summary,
        contact=contact,
        created_by=acting_user,
    )
    record(
        "incoming_referral.received",
        actor=acting_user,
        target=incoming,
        data={"partner": str(partner.code), "contact": str(contact.code)},
    )
    return incoming


@transaction.atomic
def incoming_referral_decide(
    *,
    incoming: IncomingReferral,
    accept: bool,
    people: list[dict[str, Any]],
    manager: User | None,
    acting_user: User,
) -> Case | None:
    """Accept an incoming referral — the people referred are registered and a case is
    opened for them, linked to the referral's contact — or decline it."""
    if incoming.status != IncomingReferral.Status.RECEIVED:
        raise ValidationError(_("This referral was decided already."))
    incoming.status = (
        IncomingReferral.Status.ACCEPTED if accept else IncomingReferral.Status.DECLINED
    )
    incoming.decided_at = timezone.now()
    case = None
    if accept:
        if not people or manager is None:
            raise ValidationError(_("Name the people referred and their case manager."))
        clients = [
            person_create(organisation=incoming.organisation, data=p, acting_user=acting_user)
            for p in people
        ]
        contact = incoming.contact

        def link(target_type: str, target_code: str, user: User) -> None:
            contact_link(
                contact=contact, target_type=target_type, target_code=target_code, acting_user=user
            )

        source = Source("contact", contact.code, contact, link=link)
        case = case_open(
            organisation=incoming.organisation,
            clients=clients,
            manager=manager,
            data={"summary": incoming.summary, "referred_by": referrer(incoming.partner)},
            source=source,
            acting_user=acting_user,
        )
        incoming.case = case
    incoming.save()
    record(
        "incoming_referral.decided",
        actor=acting_user,
        target=incoming,
        data={"status": incoming.status} | ({"case": str(case.code)} if case else {}),
    )
    return case


# --- Interpreters --------------------------------------------------------------------------

CONFLICTS = {
    "town": gettext_lazy("comes from the same town"),
    "community": gettext_lazy("belongs to the same community"),
    "related": gettext_lazy("is related to someone in the case"),
    "suspect": gettext_lazy("interpreted for a suspect in the same proceedings"),
}


def _same(a: str, b: str) -> bool:
    return bool(a.strip()) and a.strip().casefold() == b.strip().casefold()


def interpreter_conflicts(
    interpreter: Interpreter, *, case: Case | None, town: str, community: str, proceedings: str
) -> list[str]:
    """Why ``interpreter`` may not be impartial for the people of this booking: they come
    from the same town or community, are recorded as related to a client of the case, or
    interpreted for a suspect in the same proceedings. [] if none."""
    found = []
    if _same(town, interpreter.home_town):
        found.append("town")
    if _same(community, interpreter.community):
        found.append("community")
    if case is not None and interpreter.related_people.filter(case_links__case=case).exists():
        found.append("related")
    if any(_same(proceedings, done) for done in interpreter.suspect_proceedings):
        found.append("suspect")
    return found


INTERPRETER_FIELDS = (
    "name",
    "languages",
    "dialects",
    "kind",
    "sex",
    "modes",
    "availability",
    "cost_per_hour",
    "confidentiality_signed_on",
    "phone",
    "home_town",
    "community",
    "suspect_proceedings",
)


def _related(interpreter: Interpreter, data: dict[str, Any]) -> bool:
    """Set the people the interpreter is related to (``related_people``), if ``data``
    names them; whether they changed."""
    if "related_people" not in data:
        return False
    wanted = {person.pk for person in data["related_people"]}
    if wanted == set(interpreter.related_people.values_list("pk", flat=True)):
        return False
    interpreter.related_people.set(data["related_people"])
    return True


@transaction.atomic
def interpreter_add(
    *, organisation: Organisation, data: dict[str, Any], acting_user: User
) -> Interpreter:
    interpreter = Interpreter(organisation=organisation)
    _apply(interpreter, INTERPRETER_FIELDS, data)
    interpreter.save()
    _related(interpreter, data)
    record("interpreter.added", actor=acting_user, target=interpreter)
    return interpreter


@transaction.atomic
def interpreter_change(
    *, interpreter: Interpreter, data: dict[str, Any], acting_user: User
) -> list[str]:
    """Change an interpreter's details, and whom they are related to (what the
    conflict-of-interest check reads); the names of the fields that changed."""
    changed = _apply(interpreter, INTERPRETER_FIELDS, data)
    if changed:
        interpreter.save()
    if _related(interpreter, data):
        changed.append("related_people")
    if changed:
        record(
            "interpreter.changed", actor=acting_user, target=interpreter, data={"fields": changed}
        )
    return changed


@transaction.atomic
def interpreter_set_active(*, interpreter: Interpreter, active: bool, acting_user: User) -> None:
    """Deactivate an interpreter (no longer a candidate for bookings; their bookings stay)
    or make them active again."""
    if interpreter.active == active:
        return
    interpreter.active = active
    interpreter.save(update_fields=["active"])
    if active:
        record("interpreter.reactivated", actor=acting_user, target=interpreter)
    else:
        record("interpreter.deactivated", actor=acting_user, target=interpreter)


@transaction.atomic
def interpreter_book(
    *,
    organisation: Organisation,
    interpreter: Interpreter,
    data: dict[str, Any],
    case: Case | None,
    consultation: Consultation | None,
    acting_user: User,
) -> Booking:
    """Book an interpreter. A conflict of interest (``interpreter_conflicts``) stops the
    booking unless a written reason to book them anyway is given; the conflict and the
    reason stay on record."""
    if interpreter.organisation_id != organisation.pk or not interpreter.active:
        raise ValidationError({"interpreter": _("There is no such interpreter.")})
    if data["language"] not in interpreter.languages:
        raise ValidationError({"interpreter": _("This interpreter does not speak the language.")})
    conflicts = interpreter_conflicts(
        interpreter,
        case=case,
        town=data.get("town", ""),
        community=data.get("community", ""),
        proceedings=data.get("proceedings", ""),
    )
    if conflicts and not data.get("override", "").strip():
        raise ValidationError(
            {
                "override": _(
                    "%(name)s %(why)s: write why they are booked anyway, or choose another."
                )
                % {
                    "name": interpreter.name,
                    "why": ", ".join(str(CONFLICTS[c]) for c in conflicts),
                }
            }
        )
    booking = Booking.objects.create(
        organisation=organisation,
        interpreter=interpreter,
        purpose=data["purpose"],
        language=data["language"],
        case=case,
        consultation=consultation,
        starts_at=data["starts_at"],
        hours=data["hours"],
        cost=(interpreter.cost_per_hour * data["hours"]).quantize(Decimal("0.01")),
        proceedings=data.get("proceedings", ""),
        conflicts=conflicts,
        override=data.get("override", "") if conflicts else "",
        created_by=acting_user,
    )
    record(
        "interpreter.booked",
        actor=acting_user,
        target=booking,
        data={"interpreter": str(interpreter.code), "conflicts": conflicts}
        | ({"case": str(case.code)} if case else {}),
    )
    return booking
