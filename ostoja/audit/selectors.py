"""Reading the audit trail for a page (read-only)."""

from collections.abc import Iterable

from django.db import models

from ostoja.audit.models import AuditEntry
from ostoja.audit.trail import target_of
from ostoja.lib.locking import ConflictPage, Difference


def last_change(
    obj: models.Model, actions: Iterable[str], *, record: str = ""
) -> AuditEntry | None:
    """The newest of ``obj``'s entries among ``actions`` (who saved it last, and when): the
    conflict page names the colleague whose save came in between (ostoja.lib.locking).
    ``record``: only entries about that part of ``obj`` (their ``data["record"]``)."""
    target_type, target_code = target_of(obj)
    entries = AuditEntry.objects.filter(
        target_type=target_type, target_code=target_code, action__in=list(actions)
    )
    if record:
        entries = entries.filter(data__record=record)
    return entries.select_related("actor").order_by("-seq").first()


def conflict_page(
    stored: models.Model,
    differences: list[Difference],
    actions: Iterable[str],
    *,
    note: str = "",
    again: bool = True,
) -> ConflictPage:
    """The conflict page's header: the differences, and who saved ``stored`` last and when."""
    entry = last_change(stored, actions)
    if entry is None:
        return ConflictPage(differences, note=note, again=again)
    return ConflictPage(differences, by=str(entry.actor or ""), at=entry.at, note=note, again=again)
