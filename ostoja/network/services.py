"""Every change to the partner directory (STYLE.md: one transaction, one audit entry that
names the fields changed, never their values)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.records import Source
from ostoja.accounts.services import notice_send
from ostoja.audit.trail import record
from ostoja.cases.models import Case
from ostoja.cases.services import case_open
from ostoja.interventions.models import Intervention
from ostoja.interventions.services import intervention_open
from ostoja.network import hsds
from ostoja.network.models import (
    Consultation,
    Partner,
    PartnerContact,
    PartnerService,
    Training,
)
from ostoja.network.vocabulary import referrer
from ostoja.people.services import person_create

PARTNER_FIELDS = (
    "name",
    "alternate_name",
    "kind",
    "description",
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
    partners = Partner.objects.filter(organisation=organisation).prefetch_related(
        "services", "contacts__partner", "services__partner"
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
    organisation: Organisation, organizations: list[Any], services: list[Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Read every row; what would be imported, and what is refused, row by row."""
    report: list[str] = []
    partners: list[dict[str, Any]] = []
    seen: set[str] = set()
    ours = {
        str(code)
        for code in Partner.objects.filter(organisation=organisation).values_list("code", flat=True)
    }

    def refuse(table: str, number: int, row: Any, problems: list[str]) -> None:
        name = row.get("name", "") if isinstance(row, dict) else ""
        where = f"{table}.json, row {number}" + (f" ({name})" if name else "")
        report.extend(f"{where}: {problem}" for problem in problems)

    for number, row in enumerate(organizations, start=1):
        data, wrong = hsds.read_organization(row)
        # (A row the schema refused has no data: its identifiers may be anything.)
        code = data.get("code", "")
        if code and code in seen:
            wrong.append(f"id {code} appears twice in the file")
        elif code and code not in ours and Partner.objects.filter(code=code).exists():
            wrong.append(f"id {code} belongs to another centre's directory")
        for contact in data.get("contacts", []):
            held = PartnerContact.objects.filter(code=contact["code"]).exclude(partner__code=code)
            if held.exists():
                wrong.append(f"contact id {contact['code']} belongs to another partner")
        seen.add(code)
        if wrong:
            refuse("organization", number, row, wrong)
        else:
            partners.append(data)
    offered: list[dict[str, Any]] = []
    service_codes: set[str] = set()
    for number, row in enumerate(services, start=1):
        data, wrong = hsds.read_service(row)
        code, partner = data.get("code", ""), data.get("partner", "")
        if code and code in service_codes:
            wrong.append(f"id {code} appears twice in the file")
        if partner and partner not in seen and partner not in ours:
            wrong.append(f"organization_id {partner} is neither in the file nor in the directory")
        elif partner:
            taken = PartnerService.objects.filter(code=code).exclude(partner__code=partner)
            if taken.exists():
                wrong.append(f"id {code} belongs to another partner's service")
        service_codes.add(code)
        if wrong:
            refuse("service", number, row, wrong)
        else:
            offered.append(data)
    return partners, offered, report


@transaction.atomic
def directory_import(
    *,
    organisation: Organisation,
    organizations: list[Any],
    services: list[Any],
    acting_user: User | None,
) -> dict[str, int]:
    """Add to (or bring up to date in) the organisation's directory the partners and
    services of an HSDS 3.0 data package (compiled ``organization`` and ``service`` rows).
    All or nothing: ``ImportRefused`` with every refused row, and nothing changed, if any
    row is wrong. How many partners were added and changed, and services taken in."""
    partners, offered, report = _refusals(organisation, organizations, services)
    if report:
        raise ImportRefused(report)
    counts = {"added": 0, "changed": 0, "services": 0}
    by_code: dict[str, Partner] = {}
    for data in partners:
        partner = Partner.objects.filter(organisation=organisation, code=data["code"]).first()
        if partner is None:
            partner = Partner(organisation=organisation, code=data["code"])
            counts["added"] += 1
        else:
            counts["changed"] += 1
        _apply(partner, PARTNER_FIELDS, data)
        partner.updated_by = acting_user
        partner.save()
        for item in data["contacts"]:
            contact = PartnerContact.objects.filter(code=item["code"]).first()
            contact = contact or PartnerContact(partner=partner, code=item["code"])
            _apply(contact, CONTACT_FIELDS, item)
            contact.save()
        by_code[str(partner.code)] = partner
    for data in offered:
        partner = by_code.get(data["partner"]) or Partner.objects.get(
            organisation=organisation, code=data["partner"]
        )
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


def consultation_link(
    *, consultation: Consultation, target_type: str, target_code: str, acting_user: User
) -> None:
    """Record that a case or an intervention came from the consultation (in the caller's
    transaction): each shows the other."""
    if target_type == "cases.case":
        consultation.case = Case.objects.get(code=target_code)
        consultation.save(update_fields=["case"])
        action = "consultation.case_opened"
    else:
        consultation.intervention = Intervention.objects.get(code=target_code)
        consultation.save(update_fields=["intervention"])
        action = "consultation.intervention_opened"
    record(action, actor=acting_user, target=consultation, data={"to": target_code})


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
