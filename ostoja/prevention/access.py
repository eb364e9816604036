"""Who may see and change pre-departure counselling: the helpline's staff of the
organisation (counsellors, case managers, coordinators) — prevention is the line's work,
done on a call or by correspondence, like the contact it comes from. Changing a record is
for the counsellor who made it and for coordinators, who review and correct."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.models import User
from ostoja.accounts.roles import Capability
from ostoja.prevention.models import Counselling


def counselling_visible_to(user: User) -> QuerySet[Counselling]:
    """The organisation's counselling records, for the helpline's staff."""
    # Only roles that log contacts (counsellors, case managers, coordinators) read them.
    if not user.can(Capability.LOG_CONTACTS):
        return Counselling.objects.none()
    return Counselling.objects.filter(organisation=user.organisation)


def may_change(user: User, counselling: Counselling) -> bool:
    """The counsellor who recorded it, or a coordinator."""
    return counselling.counsellor_id == user.pk or user.can(Capability.SEE_ALL_CASES)


def access_counselling(user: User, code: uuid.UUID, *, write: bool = False) -> Counselling:
    """One counselling record: 404 if it is not the organisation's or the role may not see
    it; 403 when ``write`` and it is someone else's (and the user is no coordinator)."""
    counselling = (
        counselling_visible_to(user)
        .select_related("contact", "counsellor", "catalogue", "agency", "consulate_partner")
        .filter(code=code)
        .first()
    )
    # Not the organisation's, or a role that does not read the helpline's records: missing.
    if counselling is None:
        raise Http404
    # Changing: its counsellor or a coordinator.
    if write and not may_change(user, counselling):
        raise PermissionDenied
    return counselling
