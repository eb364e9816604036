"""Changes to the audit trail: there is one, redaction of an entry's data.

An entry's ``data`` may be emptied to the redacted marker (the database guards permit that
update and nothing else), but only here, and never silently: each redacted entry gets an
``audit.entry_redacted`` entry, in the same transaction, that names it (its target is the
redacted entry's number), says who (the actor) and why (the purpose: a
``AuditEntry.RedactionReason``), and when. ``audit_verify`` reports any redacted entry that
no such entry names.

**The reason is a category, and nothing else is kept.** A redaction entry can never itself
be redacted (it is the evidence of the redaction), so whatever it holds stays in the trail
for good; a free-text note is exactly where a client's name slips in ("erased at Anna K.'s
request"). The categories say why in the terms the GDPR's records need; the DPO keeps the
particulars of an erasure request or an order in their own register, where they can be
erased in turn. A note kept beside the chain (outside it) would be unverified and another
place client data could hide, so there is none.

**The batch form** (``entries_redact``, for the retention job) writes one entry per redacted
entry too — the same shape as a single redaction, so the verifier and the "redacted by"
lookup (an indexed query on the target) have one case — but cheaply: the rows are locked
and checked in chunks, redacted with one UPDATE per chunk, and their entries appended under
one lock of the head with a multi-row INSERT (``trail.record_many``).
"""

from collections.abc import Iterable
from itertools import batched
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ostoja.audit import trail
from ostoja.audit.models import ENTRY_TARGET, REDACTED, REDACTION, AuditEntry

if TYPE_CHECKING:
    from ostoja.accounts.models import User

CHUNK = 500


@transaction.atomic
def entry_redact(
    *, entry: AuditEntry, reason: AuditEntry.RedactionReason, acting_user: "User"
) -> AuditEntry:
    """Redact one entry's data; the ``audit.entry_redacted`` entry written for it."""
    return entries_redact(entries=[entry], reason=reason, acting_user=acting_user)[0]


@transaction.atomic
def entries_redact(
    *, entries: Iterable[AuditEntry], reason: AuditEntry.RedactionReason, acting_user: "User"
) -> list[AuditEntry]:
    """Redact the data of ``entries``, all or none, writing one ``audit.entry_redacted``
    entry for each (returned in the order of the entries' numbers).

    Who may redact is the caller's to check (the DPO's page: ``ostoja.privacy``; the
    retention job): the audit trail sits below the accounts and knows no roles. Refused
    (``ValidationError``, nothing changed): an entry of another organisation than the acting
    user's (or of none), an entry that records a redaction, an entry already redacted. For
    many entries pass a few thousand at a time: they are held in memory."""
    given = {entry.seq: entry for entry in entries}
    organisation_id = getattr(acting_user.organisation, "pk", None)
    reason = AuditEntry.RedactionReason(reason)
    for chunk in batched(sorted(given), CHUNK):
        rows = AuditEntry.objects.select_for_update().filter(seq__in=chunk).order_by("seq")
        found = {row.seq: row for row in rows.only("seq", "action", "organisation", "data")}
        for seq in chunk:
            _refuse_unless_redactable(found.get(seq), seq, organisation_id)
        AuditEntry.objects.filter(seq__in=chunk).update(data=REDACTED)
    redactions = trail.record_many(
        REDACTION,
        actor=acting_user,
        targets=[(ENTRY_TARGET, str(seq)) for seq in sorted(given)],
        purpose=reason.value,
    )
    for entry in given.values():
        entry.data = dict(REDACTED)
    return redactions


def _refuse_unless_redactable(
    entry: AuditEntry | None, seq: int, organisation_id: int | None
) -> None:
    if entry is None:
        raise ValidationError(_("Entry {seq} does not exist.").format(seq=seq))
    if entry.organisation_id is None or entry.organisation_id != organisation_id:
        raise ValidationError(_("Entry {seq} is not your organisation's.").format(seq=seq))
    if entry.is_redaction:
        raise ValidationError(
            _("Entry {seq} records a redaction; it cannot be redacted itself.").format(seq=seq)
        )
    if entry.is_redacted:
        raise ValidationError(_("Entry {seq} is already redacted.").format(seq=seq))
