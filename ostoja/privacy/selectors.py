"""Read-only questions to the audit trail."""

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from ostoja.accounts.models import User
from ostoja.audit.models import ENTRY_TARGET, REDACTION, AuditEntry

# Actions that mean someone saw personal data (ARCHITECTURE §4: reads are entries too).
READ_VERBS = ("viewed", "searched", "exported", "printed", "downloaded")


def filter_entries(entries: QuerySet[AuditEntry], filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    if filters.get("actor"):
        entries = entries.filter(actor=filters["actor"])
    if filters.get("action"):
        entries = entries.filter(action__startswith=filters["action"])
    if filters.get("target"):
        entries = entries.filter(target_code=filters["target"].strip())
    zone = timezone.get_current_timezone()
    if filters.get("since"):
        entries = entries.filter(at__gte=dt.datetime.combine(filters["since"], dt.time(), zone))
    if filters.get("until"):
        end = dt.datetime.combine(filters["until"] + dt.timedelta(days=1), dt.time(), zone)
        entries = entries.filter(at__lt=end)
    return entries.select_related("actor")


def seen_by(
    entries: QuerySet[AuditEntry], target_type: str, target_code: str
) -> list[dict[str, Any]]:
    """Who has seen a record: each person once, with when first and last, and how often."""
    reads = entries.filter(target_type=target_type, target_code=target_code).filter(
        action__regex=r"\.(" + "|".join(READ_VERBS) + r")$"
    )
    rows = (
        reads.values("actor__full_name", "actor__email")
        .annotate(first=Min("at"), last=Max("at"), times=Count("id"))
        .order_by("-last")
    )
    return [dict(row) for row in rows]


def redaction_of(entry: AuditEntry) -> AuditEntry | None:
    """The entry that records the redaction of ``entry`` (who, why, when), if it was
    redacted through the application; ``None`` for one redacted behind its back."""
    if not entry.is_redacted:
        return None
    redactions = AuditEntry.objects.filter(
        action=REDACTION, target_type=ENTRY_TARGET, target_code=str(entry.seq), seq__gt=entry.seq
    )
    return redactions.select_related("actor").order_by("seq").first()


def redactable(user: User, entry: AuditEntry) -> bool:
    """Whether to offer ``user`` the redaction of ``entry`` (the service decides)."""
    own = entry.organisation_id is not None and entry.organisation_id == getattr(
        user.organisation, "pk", None
    )
    return own and not entry.is_redaction and not entry.is_redacted
