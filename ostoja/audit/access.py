"""Who may read the audit trail."""

from django.db.models import QuerySet

from ostoja.accounts.models import User
from ostoja.accounts.roles import Capability
from ostoja.audit.models import AuditEntry


def entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """The entries of the reviewer's own organisation; none for anyone who may not review."""
    # Only reviewers (the DPO) read the trail; a role comes with an organisation.
    if not user.can(Capability.REVIEW_AUDIT):
        return AuditEntry.objects.none()
    # Sign-in failures of unknown addresses belong to no organisation: the DPO sees them.
    return AuditEntry.objects.filter(organisation=user.organisation) | AuditEntry.objects.filter(
        organisation__isnull=True
    )
