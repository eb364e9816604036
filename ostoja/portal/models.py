"""Anonymous reports made on the portal (SECURITY.md §2.2): a thread of messages between
someone who would not, or could not, give a name and the helpline.

A report is found again only by its receipt code, which the sender alone holds: the
database keeps a slow, peppered derivation of it (``receipt.lookup``), never the code. The
messages themselves are the helpline's web contacts (``helpline.Contact``, channel
``web``), their text and files sealed like any contact's, each bound to its own row; the
report names the first of them, and the rest hang from it (``in_reply_to``). Nothing about
the sender is stored, and the report's date is a day, not a time."""

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

    objects: ClassVar[models.Manager["Report"]] = models.Manager()

    class Meta:
        verbose_name = "anonymous report"
        verbose_name_plural = "anonymous reports"

    def __str__(self) -> str:
        return str(self.created_on)
