"""Read-only questions to the audit trail."""

import datetime as dt
from typing import Any

from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from ostoja.audit.models import AuditEntry

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
