"""An export prepared on the task queue: its progress, and the file, sealed, for a day."""

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEPT = dt.timedelta(days=1)


class Kind(models.TextChoices):
    EUROSTAT = "eurostat", _("Eurostat: registered victims by sex and age, citizenship, form")
    CTDC = "ctdc", _("CTDC: anonymised victims, one row each")
    HTCDS = "htcds", _("HTCDS v2.0: cases, one row per client")


class Annual(models.TextChoices):
    """The annual report prepared on the same queue (``ostoja.reports.report``)."""

    PDF = "annual_pdf", _("Annual report (PDF)")
    XLSX = "annual_xlsx", _("Annual report (XLSX)")


FORMATS = {
    Annual.PDF: ("pdf", "application/pdf"),
    Annual.XLSX: ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("export"), max_length=16, choices=[*Kind.choices, *Annual.choices])
    # the annual report's
    language = models.CharField(_("language"), max_length=8, blank=True, db_default="")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    # To whom the export is given (the disclosure ledger's entry is written when it is built).
    recipient = models.CharField(_("recipient"), max_length=200, db_default="")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # per cent
    stored_name = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects: ClassVar[models.Manager["ExportJob"]] = models.Manager()

    class Meta:
        app_label = "reports"
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.start}–{self.end}"

    @property
    def expires_at(self) -> dt.datetime:
        """When the job and its file are deleted: a day after it was asked for."""
        return self.created_at + KEPT

    @property
    def filename(self) -> str:
        period = f"{self.start.isoformat()}-{self.end.isoformat()}"
        if self.kind in FORMATS:
            return f"report-{period}-{self.language}.{FORMATS[Annual(self.kind)][0]}"
        return f"{self.kind}-{period}.zip"

    @property
    def content_type(self) -> str:
        return FORMATS[Annual(self.kind)][1] if self.kind in FORMATS else "application/zip"
