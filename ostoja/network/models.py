"""The partner network: the directory of the institutions and organisations the centre
works with (Open Referral HSDS 3.0, DOMAIN.md §7: organization → service → location,
contacts and phones).

Each centre keeps its own directory (a record belongs to an organisation, ARCHITECTURE.md
§3). A partner is an *organization* in HSDS's words; its seat is its one *location*; the
people there the centre deals with (an officer of an anti-trafficking team, a consul) are
its *contacts*. The directory holds no client data: who may read and change it is
``ostoja.network.access``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ostoja.network.vocabulary import PartnerKind, ServiceKind, Voivodeship, Weekday


def _code() -> "models.UUIDField[uuid.UUID, uuid.UUID]":
    return models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)


class Partner(models.Model):
    """An institution or organisation in the centre's directory: a Police unit, a
    consulate, a crisis intervention centre, an NGO running a shelter."""

    code = _code()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    voivodeship = models.CharField(
        _("voivodeship"), max_length=2, choices=Voivodeship.choices, blank=True
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return self.name


class PartnerService(models.Model):
    """What a partner offers to the people the centre refers (HSDS *service*): shelter for
    women, legal advice in Ukrainian, a 24-hour crisis line; with its languages, the
    voivodeships it serves and its hours."""

    class Status(models.TextChoices):
        # HSDS 3.0 ``service.status``.
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    code = _code()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of service"), max_length=20, choices=ServiceKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    # ISO 639-3 codes (``ostoja.lib.iso``), e.g. ["ukr", "rus"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Voivodeships served (``Voivodeship`` codes); empty: the whole country.
    areas = models.JSONField(_("voivodeships served"), default=list, blank=True)
    # Opening days (RFC 5545 ``BYDAY`` names) and hours; no days: by arrangement.
    days = models.JSONField(_("open on"), default=list, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def area_names(self) -> list[str]:
        return [Voivodeship(code).label for code in self.areas]

    def day_names(self) -> list[str]:
        return [str(Weekday(day).label) for day in self.days]


class PartnerContact(models.Model):
    """A person at a partner the centre deals with (HSDS *contact*): an officer, a consul,
    a social worker — their work details, never private ones."""

    code = _code()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("function"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("person at the partner")
        verbose_name_plural = _("people at the partner")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name
