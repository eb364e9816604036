"""Retention: how long each kind of record is kept (set by the DPO, with its legal
basis), the legal holds that pause the clock, the marks of records already anonymised and
the runs of the nightly job (``ostoja.privacy.retention``; issue #19)."""

import datetime as dt
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ostoja.lib.crypto.fields import EncryptedTextField
from ostoja.lib.inventory import Category, Inventory
from ostoja.lib.models import code_field


class RecordKind(models.TextChoices):
    """The units retention counts in, each with what happens when its time is up."""

    CONTACT = "contact", _("Helpline contact linked to no person and no case")
    CASE = "case", _("Closed case and the clients who have no other case")
    PERSON = "person", _("Person with no case")
    PORTAL = "portal", _("Abandoned anonymous report on the portal")
    AUDIT = "audit", _("Data of audit entries")


class Unit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


class RetentionSchedule(models.Model):
    """How long the centre keeps one kind of record after the date its clock starts from,
    and why (the legal basis, as the DPO wrote it). Rows without an organisation are the
    instance's defaults (a data migration seeds them, the DPO must confirm them); an
    organisation's DPO editing one makes the organisation's own row, which then applies."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("record kind"), max_length=12, choices=RecordKind.choices)
    length = models.PositiveSmallIntegerField(_("kept for"))
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    warn_days = models.PositiveSmallIntegerField(
        _("warn days before"),
        default=30,
        help_text=_("The case manager is told this many days before the record goes."),
    )
    basis = models.TextField(_("legal basis"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    personal_data = Inventory(not_personal=("basis",))
    objects: ClassVar[models.Manager["RetentionSchedule"]] = models.Manager()

    class Meta:
        verbose_name = _("retention schedule")
        verbose_name_plural = _("retention schedules")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_schedule_per_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(organisation=None), name="one_default_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_default(self) -> bool:
        return self.organisation_id is None

    @property
    def period(self) -> str:
        """ "10 years", in the reader's language (its plural forms)."""
        n = int(self.length)
        if self.unit == Unit.DAYS:
            text = ngettext("%(n)d day", "%(n)d days", n)
        elif self.unit == Unit.MONTHS:
            text = ngettext("%(n)d month", "%(n)d months", n)
        else:
            text = ngettext("%(n)d year", "%(n)d years", n)
        return text % {"n": n}

    def delta(self) -> relativedelta:
        return relativedelta(**{str(self.unit): int(self.length)})

    def due(self, start: dt.date) -> dt.date:
        """The day a record whose clock started on ``start`` is due."""
        day: dt.date = start + self.delta()
        return day

    def started_before(self, today: dt.date) -> dt.date:
        """Records whose clock started before this day are due on ``today``."""
        day: dt.date = today - self.delta() + dt.timedelta(days=1)
        return day


class LegalHold(models.Model):
    """A legal hold: a case or a person that must not be anonymised or erased until a
    date, whatever the schedules say — criminal proceedings pending, a court's or a
    prosecutor's request, a claim (GDPR Art. 17(3)(e)). It pauses the clock: a record due
    while held goes the day after the hold ends or is lifted."""

    class Reason(models.TextChoices):
        PROCEEDINGS = "proceedings", _("Criminal proceedings pending")
        COURT = "court", _("A request of a court or a prosecutor")
        CLAIM = "claim", _("A legal claim being pursued or defended")
        AUTHORITY = "authority", _("An inquiry of the supervisory authority")
        OTHER = "other", _("Another legal obligation")

    code = code_field()
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    # The particulars (a file number of the proceedings, the court): sealed, read only by
    # the DPO and the case's team.
    note = EncryptedTextField(_("note"), blank=True)
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"))
    set_at = models.DateTimeField(_("set"), default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )

    personal_data = Inventory(
        about=("person", "case__clients__person"), fields={"note": Category.LEGAL}
    )
    objects: ClassVar[models.Manager["LegalHold"]] = models.Manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, person__isnull=True)
                | Q(case__isnull=True, person__isnull=False),
                name="hold_on_case_or_person",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="hold_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.get_reason_display()

    @property
    def last_day(self) -> dt.date:
        """The last day the hold applies: its end, or the day it was lifted."""
        if self.lifted_at is not None:
            return min(self.ends_on, timezone.localdate(self.lifted_at))
        return self.ends_on

    def active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.lifted_at is not None and timezone.localdate(self.lifted_at) <= on:
            return False
        return self.starts_on <= on <= self.ends_on


class Anonymisation(models.Model):
    """The mark of a record anonymised (by retention or on an erasure request): what it
    was, when, why and by whom (nobody for the nightly job) — never who it was about. A
    record with a mark is skipped by every later run."""

    class Why(models.TextChoices):
        RETENTION = "retention", _("Its retention period ended")
        ERASURE = "erasure", _("The person's request for erasure (GDPR Art. 17)")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    target_type = models.CharField(_("record type"), max_length=64)
    target_code = models.CharField(_("record"), max_length=64)
    why = models.CharField(_("why"), max_length=12, choices=Why.choices)
    at = models.DateTimeField(_("anonymised"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    rows = models.PositiveIntegerField(_("rows cleared"), default=0)
    files = models.PositiveIntegerField(_("files destroyed"), default=0)

    objects: ClassVar[models.Manager["Anonymisation"]] = models.Manager()

    class Meta:
        verbose_name = _("anonymised record")
        verbose_name_plural = _("anonymised records")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_code"], name="anonymised_once")
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_code}"


class FileShred(models.Model):
    """A sealed file whose record is gone, still to be removed from the disk: written in
    the transaction that deletes the record, removed once the file is (after commit, or by
    the next run if the process died in between) — so no file outlives its record."""

    stored_name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager["FileShred"]] = models.Manager()

    def __str__(self) -> str:
        return self.stored_name


class RetentionRun(models.Model):
    """One run of the retention job for one organisation (dry runs change nothing and are
    not kept): when, and how many records of each kind it warned about, anonymised,
    deleted or found held. A run without an end was interrupted."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # {kind: {"done": n, "warned": n, "held": n, "failed": n}}
    counts = models.JSONField(_("counts"), default=dict)

    objects: ClassVar[models.Manager["RetentionRun"]] = models.Manager()

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
