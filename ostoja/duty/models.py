"""The duty roster: office hours belong to the team; every other hour to a duty shift with a
primary and a backup worker, reached on their duty phone (the seed: "Mon–Fri the team
works, at other times a mobile phone is on duty"). Telephony routes calls by it, and
emergencies are escalated by it (``ostoja.duty.roster``).

Office hours are ``Organisation.is_office_time`` (weekdays' hours, Polish public holidays
off); the escalation timing of emergencies is the organisation's ``DutySettings``.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import EncryptedCharField, EncryptedTextField
from ostoja.lib.inventory import Category, Inventory


class DutySettings(models.Model):
    """An organisation's escalation timing (minutes), editable by its coordinators."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="duty_settings"
    )
    acknowledge_minutes = models.PositiveSmallIntegerField(
        _("minutes to acknowledge before the next person is called"), default=10
    )
    idle_minutes = models.PositiveSmallIntegerField(
        _("minutes without an action before a reminder"), default=30
    )

    def __str__(self) -> str:
        return str(self.organisation)


class DutyPhone(models.Model):
    """The phone a member of staff is reached on when on duty (sealed: it is personal)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_phone"
    )
    number = EncryptedCharField(_("duty phone"), max_length=40)
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    personal_data = Inventory(
        about=(),  # a staff member's own phone
        fields={"number": Category.CONTACT},
    )

    def __str__(self) -> str:
        return str(self.user)


class Shift(models.Model):
    """A duty shift: who answers the duty phone from ``start`` to ``end``."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    primary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="primary_shifts",
        verbose_name=_("on duty"),
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="backup_shifts",
        verbose_name=_("backup"),
        null=True,
        blank=True,
    )
    handover = EncryptedTextField(_("handover notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=(),  # a handover may mention a caller, by no link
        fields={"handover": Category.FREE_TEXT},
    )

    objects: ClassVar[models.Manager["Shift"]] = models.Manager()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["start"]
        indexes = [models.Index(fields=["organisation", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.start):%Y-%m-%d %H:%M}"


class SwapRequest(models.Model):
    """Asking a colleague to take over one's place on a shift."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swaps")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="swap_requests",
        verbose_name=_("colleague"),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.status
