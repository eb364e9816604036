"""Who may be on duty, and the roster's authorised fetches: a shift of the user's
organisation, and a swap asked of the user. The roster holds no client data; what it
guards are the colleagues' shifts and handover notes (an emergency at 2 a.m. belongs to
whoever is on duty, not to a case team)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.access import colleagues
from ostoja.accounts.models import User
from ostoja.accounts.roles import Capability
from ostoja.duty.models import Shift, SwapRequest


def staff_on_call(user: User) -> QuerySet[User]:
    """Who may be on duty: active staff of the user's organisation who take calls or work
    cases."""
    return colleagues(user, Capability.LOG_CONTACTS, Capability.WORK_CASES)


def access_shift(user: User, code: uuid.UUID, *, handover: bool = False) -> Shift:
    """A shift of the user's organisation: 404 for another organisation's or none. With
    ``handover`` (writing its notes): 403 unless the user is on it or a coordinator."""
    shift = Shift.objects.filter(code=code, organisation=user.organisation).first()
    # Not a shift of the user's organisation: missing.
    if shift is None:
        raise Http404
    # Anyone who may see the roster may see the shift.
    if not handover:
        return shift
    # Its handover notes: the people on the shift write them ...
    if user.pk in (shift.primary_id, shift.backup_id):
        return shift
    # ... and the coordinators, who plan the roster.
    if user.can(Capability.SEE_ALL_CASES):
        return shift
    # Anyone else may read the roster but not write a colleague's notes.
    raise PermissionDenied


def access_swap(user: User, code: uuid.UUID) -> SwapRequest:
    """A swap request asked of the user (only the colleague asked answers it): 404
    otherwise."""
    swap = SwapRequest.objects.filter(code=code, asked=user).select_related("shift").first()
    # Not asked of this user (or none): missing.
    if swap is None:
        raise Http404
    return swap
