"""Every change to the partner directory (STYLE.md: one transaction, one audit entry that
names the fields changed, never their values)."""

from typing import Any

from django.db import models, transaction

from ostoja.accounts.models import Organisation, User
from ostoja.audit.trail import record
from ostoja.network.models import Partner, PartnerContact, PartnerService

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
