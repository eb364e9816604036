"""24/7 intervention: emergency interventions with their clock and action log, and the
notifications that escalate them (the seed: "emergency interventions are taken 24 hours a
day"; Mon–Fri the team works, "at other times a mobile phone is on duty and only matters
that cannot wait are handled").

Outside office hours (``Organisation.is_office_time``: weekdays' hours, Polish public
holidays off) every hour belongs to a duty shift of the roster (``ostoja.duty``) with a
primary and a backup worker. An emergency opened then notifies the primary at once, the
backup if the primary does not acknowledge within the organisation's N minutes, then the
coordinators. Notifications carry no client identity: a reference and a link.
"""

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.inventory import Category, Inventory


class Intervention(models.Model):
    """An emergency intervention: from first contact to safety, with a clock."""

    class Situation(models.TextChoices):
        CAPTIVITY = "captivity", _("Held captive or locked in")
        DANGER = "danger", _("Immediate danger")
        MEDICAL = "medical", _("Medical emergency")
        SAFE_PLACE = "safe_place", _("Needs a safe place tonight")
        STRANDED = "stranded", _("Stranded abroad")
        CHILD = "child", _("A child at risk")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        # An intervention is "interwencja" in Polish: its statuses agree with it (feminine).
        OPEN = "open", pgettext_lazy("intervention status", "Open")
        CLOSED = "closed", pgettext_lazy("intervention status", "Closed")

    class Outcome(models.TextChoices):
        SAFE = "safe", _("Safe")
        SHELTER = "shelter", _("In a shelter")
        HOSPITAL = "hospital", _("In hospital")
        CONTACT_LOST = "contact_lost", _("Contact lost")
        FALSE_ALARM = "false_alarm", _("False alarm")

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=40, editable=False)
    contact = models.ForeignKey(
        "helpline.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    people = models.ManyToManyField("people.Person", blank=True, related_name="interventions")
    situation = models.CharField(_("situation"), max_length=12, choices=Situation.choices)
    location = EncryptedTextField(_("where"), blank=True)
    description = EncryptedTextField(_("what is happening"), blank=True)
    first_contact_at = models.DateTimeField(_("first contact"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    office_hours = models.BooleanField(_("opened in office hours"), editable=False)
    first_action_at = models.DateTimeField(_("first action"), null=True, blank=True)
    safe_at = models.DateTimeField(_("safe"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handover_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intervention_handovers",
        verbose_name=_("handed over to"),
    )
    handover_on = models.DateField(_("handover on"), null=True, blank=True)
    # The hand-over is a real assignment: the case manager acknowledges it; unacknowledged
    # by noon of its day, the coordinators are told (once).
    handover_acknowledged_at = models.DateTimeField(
        _("hand-over acknowledged"), null=True, blank=True
    )
    handover_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    personal_data = Inventory(
        about=("people", "case__clients__person"),
        linked=("contact__links",),
        fields={"location": Category.LOCATION, "description": Category.FREE_TEXT},
    )

    objects: ClassVar[models.Manager["Intervention"]] = models.Manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def to_first_action(self) -> dt.timedelta | None:
        return self.first_action_at - self.first_contact_at if self.first_action_at else None

    @property
    def to_safety(self) -> dt.timedelta | None:
        return self.safe_at - self.first_contact_at if self.safe_at else None


class InterventionAction(models.Model):
    """One step of an intervention, with the time it happened."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police (112) notified")
        BORDER_GUARD = "border_guard", _("Border Guard notified")
        CONSULATE = "consulate", _("Consulate contacted")
        AMBULANCE = "ambulance", _("Ambulance called")
        TRANSPORT = "transport", _("Transport arranged")
        SAFE_PLACE = "safe_place", _("Safe place arranged")
        SHELTER = "shelter", _("Shelter place arranged")
        INTERPRETER = "interpreter", _("Interpreter arranged")
        CALLBACK = "callback", _("Called the person back")
        SAFE = "safe", _("The person is safe")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=14, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = EncryptedTextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    personal_data = Inventory(
        about=("intervention__people", "intervention__case__clients__person"),
        linked=("intervention__contact__links",),
        fields={"note": Category.FREE_TEXT},
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.kind


class Notification(models.Model):
    """One message to one person about one intervention. The row is written before the
    message is sent and is unique per (intervention, step, recipient, channel): a restarted
    worker finds it and neither loses nor repeats it."""

    class Step(models.TextChoices):
        PRIMARY = "primary", _("Duty worker")
        BACKUP = "backup", _("Backup")
        COORDINATOR = "coordinator", _("Coordinator")
        REMINDER = "reminder", _("Reminder")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="notifications"
    )
    step = models.CharField(max_length=12, choices=Step.choices)
    # Reminders repeat: their sequence number keeps them unique.
    sequence = models.PositiveSmallIntegerField(default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "step", "sequence", "recipient", "channel"],
                name="one_notification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.channel}"
