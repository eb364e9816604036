"""Every write of the privacy app: one transaction and its audit entry each."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ostoja.accounts.models import Notice, Organisation, User
from ostoja.accounts.services import notice_send
from ostoja.audit import trail
from ostoja.privacy.models import Breach, DpiaEntry
from ostoja.privacy.models.records import NOTIFY_WITHIN
from ostoja.privacy.processing import dpos

# --- The DPO's records (GDPR Art. 33, 35) --------------------------------------------------

DPIA_FIELDS = (
    "activity",
    "assessed_on",
    "assessor",
    "risks",
    "measures",
    "residual_risk",
    "status",
    "next_review",
)
BREACH_FIELDS = (
    "aware_at",
    "occurred_at",
    "description",
    "categories",
    "people_affected",
    "records_affected",
    "consequences",
    "measures",
    "authority_notified_at",
    "delay_reason",
    "not_notified_reason",
    "subjects_informed_at",
    "subjects_not_informed_reason",
)
_EMPTY = (None, "")
# When an undecided breach's DPOs are told its 72 hours are running out.
WARN_BEFORE = dt.timedelta(hours=24)


def _apply(record: DpiaEntry | Breach, names: tuple[str, ...], data: dict[str, Any]) -> list[str]:
    """Set the given fields; the names of those that changed (never their values)."""
    changed = []
    for name in names:
        if name not in data:
            continue
        old, new = getattr(record, name), data[name]
        if old == new or (old in _EMPTY and new in _EMPTY):  # nothing, either way
            continue
        setattr(record, name, new)
        changed.append(name)
    return changed


@transaction.atomic
def dpia_save(
    *,
    organisation: Organisation,
    entry: DpiaEntry | None = None,
    data: dict[str, Any],
    acting_user: User,
) -> DpiaEntry:
    """Record an impact assessment, or change one; the audit entry names the fields."""
    new = entry is None
    if entry is None:
        entry = DpiaEntry(organisation=organisation, created_by=acting_user)
    changed = _apply(entry, DPIA_FIELDS, data)
    if not new and not changed:
        return entry
    entry.save()
    data = {"activity": entry.activity, "fields": changed}
    if new:
        trail.record("dpia.recorded", actor=acting_user, target=entry, data=data)
    else:
        trail.record("dpia.updated", actor=acting_user, target=entry, data=data)
    return entry


@transaction.atomic
def breach_save(
    *,
    organisation: Organisation,
    breach: Breach | None = None,
    data: dict[str, Any],
    acting_user: User,
) -> Breach:
    """Record a breach, or what has been learned and done since; closing it too (``data
    ["closed"]``). The audit entry names the fields that changed, never their values."""
    new = breach is None
    if breach is None:
        breach = Breach(organisation=organisation, created_by=acting_user)
    changed = _apply(breach, BREACH_FIELDS, data)
    if "closed" in data and bool(data["closed"]) != (breach.closed_at is not None):
        breach.closed_at = timezone.now() if data["closed"] else None
        changed.append("closed_at")
    if not new and not changed:
        return breach
    breach.save()
    if new:
        trail.record("breach.recorded", actor=acting_user, target=breach, data={"fields": changed})
    else:
        trail.record("breach.updated", actor=acting_user, target=breach, data={"fields": changed})
    return breach


def breach_deadline_notices(now: dt.datetime | None = None) -> int:
    """Tell the DPOs of each open breach whose notification is undecided that its 72 hours
    end within a day, and again once they have passed — each once (the notice's key), in
    their notification centre and by e-mail as each wishes. The notice names the breach by
    when the centre became aware, never what happened. How many notices went out."""
    now = now or timezone.now()
    sent = 0
    undecided = Breach.objects.filter(
        closed_at__isnull=True, authority_notified_at__isnull=True
    ).select_related("organisation")
    for breach in undecided.filter(aware_at__lte=now - (NOTIFY_WITHIN - WARN_BEFORE)):
        if breach.not_notified_reason:  # decided: no notification, with its reason
            continue
        late = breach.aware_at + NOTIFY_WITHIN <= now
        text = (
            _("Data breach known since %(aware)s: the 72 hours to notify UODO have passed.")
            if late
            else _("Data breach known since %(aware)s: notify UODO by %(due)s.")
        ) % {
            "aware": timezone.localtime(breach.aware_at).strftime("%Y-%m-%d %H:%M"),
            "due": timezone.localtime(breach.due).strftime("%Y-%m-%d %H:%M"),
        }
        with transaction.atomic():
            sent += len(
                notice_send(
                    recipients=dpos(breach.organisation),
                    kind=Notice.Kind.BREACH,
                    text=text,
                    url=reverse("privacy:breach_detail", args=[breach.code]),
                    target_type="privacy.breach",
                    target_code=str(breach.code),
                    key="overdue" if late else "due_soon",
                )
            )
    return sent
