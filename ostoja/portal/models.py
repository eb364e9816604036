"""Anonymous reports made on the portal (SECURITY.md §2.2): a thread of messages between
someone who would not, or could not, give a name and the helpline.

A report is found again only by its receipt code, which the sender alone holds: the
database keeps a slow, peppered derivation of it (``receipt.lookup``), never the code. The
messages themselves are the helpline's web contacts (``helpline.Contact``, channel
``web``), their text and files sealed like any contact's, each bound to its own row; the
report names the first of them, and the rest hang from it (``in_reply_to``). Nothing about
the sender is stored, and the report's date is a day, not a time.

A job-offer self-check the visitor chose to send is a report too (the centre answers it
the same way): it keeps the checklist's version and the codes of the flags ticked, nothing
else."""

import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone


class Report(models.Model):
    """An anonymous report: the receipt code's lookup key and the first message."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    lookup = models.CharField(max_length=64, unique=True, editable=False)
    first = models.OneToOneField(
        "helpline.Contact", on_delete=models.PROTECT, related_name="portal_report"
    )
    created_on = models.DateField(default=timezone.localdate)
    # A self-check sent to the centre: the checklist it answered and the flags ticked.
    catalogue = models.ForeignKey(
        "prevention.FlagCatalogue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answers = models.JSONField(default=list, blank=True)

    objects: ClassVar[models.Manager["Report"]] = models.Manager()

    class Meta:
        verbose_name = "anonymous report"
        verbose_name_plural = "anonymous reports"

    def __str__(self) -> str:
        return str(self.created_on)
