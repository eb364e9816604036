"""The data protection officer's own records (GDPR Art. 30, 33, 35; issue #19): the DPIA
register and the breach log. The record of processing is not stored: it is generated from
the field inventory and the declared activities (``ostoja.privacy.processing``)."""

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.models import code_field

# GDPR Art. 33(1): the supervisory authority is told within 72 hours of becoming aware.
NOTIFY_WITHIN = dt.timedelta(hours=72)


class DpiaEntry(models.Model):
    """One data protection impact assessment (Art. 35) of one processing activity (a
    module of Ostoja): when and by whom it was made, the risks found and the measures
    taken, and when it is to be reviewed. A module is assessed again and again: each
    assessment is an entry; the newest is the one in force."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONSULTING = "consulting", _("Consultation with the supervisory authority")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # A key of the record of processing's activities (``processing.ACTIVITIES``).
    activity = models.CharField(_("processing activity"), max_length=20)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessed by"), max_length=200)
    # What the processing risks for the people it is about, and what answers it: about the
    # processing, never about a person (the form says so) — plain text, for the PDF.
    risks = models.TextField(_("risks to the people concerned"))
    measures = models.TextField(_("measures"))
    residual_risk = models.CharField(_("residual risk"), max_length=8, choices=Risk.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    next_review = models.DateField(_("next review by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    personal_data = Inventory(
        about=(),  # the centre's processing, not a person
        fields={"assessor": Category.IDENTITY},  # a member of staff or a consultant
        not_personal=("risks", "measures"),
    )
    objects: ClassVar[models.Manager["DpiaEntry"]] = models.Manager()

    class Meta:
        verbose_name = _("impact assessment")
        verbose_name_plural = _("impact assessments")
        ordering = ["activity", "-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.activity} {self.assessed_on:%Y-%m-%d}"

    @property
    def review_overdue(self) -> bool:
        return self.status != self.Status.SUPERSEDED and self.next_review < timezone.localdate()


class Breach(models.Model):
    """A personal data breach (Art. 33, 34): when the centre became aware of it, what
    happened and to whose data, and what was done — telling the supervisory authority
    (UODO) within 72 hours, or the reason not to, and telling the people concerned when
    the risk to them is high. What happened, its consequences and the measures may name
    people: they are sealed."""

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    aware_at = models.DateTimeField(_("the centre became aware at"))
    occurred_at = models.DateTimeField(_("it happened at"), null=True, blank=True)
    description = EncryptedTextField(_("what happened"))
    # Category values of ``ostoja.lib.inventory`` (the inventory's words for data).
    categories = models.JSONField(_("categories of data"), default=list, blank=True)
    people_affected = models.PositiveIntegerField(
        _("people affected (approximately)"), null=True, blank=True
    )
    records_affected = models.PositiveIntegerField(
        _("records affected (approximately)"), null=True, blank=True
    )
    consequences = EncryptedTextField(_("likely consequences"), blank=True)
    measures = EncryptedTextField(_("measures taken or proposed"), blank=True)
    authority_notified_at = models.DateTimeField(
        _("supervisory authority notified at"), null=True, blank=True
    )
    # Art. 33(1): a notification after 72 hours says why it is late.
    delay_reason = EncryptedTextField(_("reasons for the delay"), blank=True)
    # Art. 33(1): not notified when the breach is unlikely to result in a risk — said why.
    not_notified_reason = EncryptedTextField(_("why the authority is not notified"), blank=True)
    subjects_informed_at = models.DateTimeField(
        _("people concerned informed at"), null=True, blank=True
    )
    # Art. 34(3): why the people concerned are not told (no high risk, encrypted data…).
    subjects_not_informed_reason = EncryptedTextField(
        _("why the people concerned are not informed"), blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    personal_data = Inventory(
        about=(),  # the people concerned are counted, never linked
        fields={
            "description": Category.FREE_TEXT,
            "consequences": Category.FREE_TEXT,
            "measures": Category.FREE_TEXT,
            "delay_reason": Category.FREE_TEXT,
            "not_notified_reason": Category.FREE_TEXT,
            "subjects_not_informed_reason": Category.FREE_TEXT,
        },
    )
    objects: ClassVar[models.Manager["Breach"]] = models.Manager()

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-aware_at", "-pk"]

    def __str__(self) -> str:
        return str(self.code)

    @property
    def due(self) -> dt.datetime:
        """When the supervisory authority must have been told (Art. 33(1))."""
        return self.aware_at + NOTIFY_WITHIN

    @property
    def decided(self) -> bool:
        """Whether the notification question is answered: notified, or a reason not to."""
        return self.authority_notified_at is not None or bool(self.not_notified_reason)

    @property
    def time_left(self) -> dt.timedelta:
        """Until the 72 hours end (negative once they have)."""
        return self.due - timezone.now()

    @property
    def hours_left(self) -> int:
        """Whole hours until the 72 hours end (0 in the last hour)."""
        return max(0, int(self.time_left.total_seconds() // 3600))

    @property
    def hours_over(self) -> int:
        """Whole hours since the 72 hours ended (0 in the first hour after)."""
        return max(0, int(-self.time_left.total_seconds() // 3600))

    @property
    def overdue(self) -> bool:
        """Undecided past the 72 hours."""
        return not self.decided and self.time_left < dt.timedelta(0)

    @property
    def notified_late(self) -> bool:
        return self.authority_notified_at is not None and self.authority_notified_at > self.due
