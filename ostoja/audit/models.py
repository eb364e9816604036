"""The audit trail: who did or saw what, when and why — append-only and hash-chained."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostoja.lib.inventory import Category, Inventory


class AuditEntry(models.Model):
    """One event in the centre's record of access: a read of a person or case, a search,
    an export, a change, a sign-in. Entries are never changed or deleted (database
    triggers refuse it); each commits to the one before it (``ostoja.audit.chain``).

    ``data`` holds no client plaintext — codes and field names, not names or notes — and
    is hashed apart from the chain link, so a later anonymisation may redact it without
    breaking verification. Redaction is itself an entry (``audit.entry_redacted``, written by
    ``ostoja.audit.services.entries_redact``) whose target is the redacted entry; a redacted
    entry that no such entry names was redacted behind the application's back, and
    ``audit_verify`` reports it.
    """

    class RedactionReason(models.TextChoices):
        """Why an entry's data was redacted: a category only, never free text (the
        redaction entry can itself never be redacted, so it must not be able to hold a
        name — ``ostoja.audit.services``)."""

        RETENTION = "retention", _("Its retention period ended")
        ERASURE = "erasure", _("The person asked for erasure (GDPR Art. 17)")
        MISTAKE = "mistake", _("It was recorded by mistake")
        ORDER = "order", _("A court or the supervisory authority ordered it")

    seq = models.BigIntegerField(_("number"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_code = models.CharField(_("target"), max_length=64, blank=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    request_id = models.CharField(_("request"), max_length=32, blank=True)
    data_hash = models.CharField(max_length=64, editable=False)
    link = models.CharField(max_length=64, editable=False)

    personal_data = Inventory(
        about=(),  # about the staff who acted; a client only by code (subject access asks
        # the trail by target, without the staff names: CJEU C-579/21)
        fields={"data": Category.FREE_TEXT},
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target_type", "target_code", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def is_redacted(self) -> bool:
        return bool(self.data == REDACTED)

    @property
    def is_redaction(self) -> bool:
        return self.action == REDACTION

    @property
    def redaction_reason(self) -> str:
        """A redaction entry's reason, in words."""
        if self.purpose in AuditEntry.RedactionReason.values:
            return str(AuditEntry.RedactionReason(self.purpose).label)
        return self.purpose


# What a redacted entry's ``data`` holds: the one update the database guards permit.
REDACTED = {"redacted": True}
# The action of the entry a redaction writes; its target is the redacted entry.
REDACTION = "audit.entry_redacted"
ENTRY_TARGET = "audit.auditentry"


class AuditHead(models.Model):
    """The chain's tip: the last number and link, locked while an entry is appended, so
    numbers have no gaps and a truncated tail is noticed."""

    seq = models.BigIntegerField(default=0)
    link = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.seq}"
