"""Authorised fetches of staff accounts (STYLE.md: every authorised fetch is here)."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.models import Organisation, User
from ostoja.accounts.roles import CAPABILITIES, Capability


def users_visible_to(user: User) -> QuerySet[User]:
    """The users an administrator manages: those of their own organisation."""
    # No organisation, no users: a user without a membership manages nobody.
    if user.organisation is None:
        return User.objects.none()
    return User.objects.filter(membership__organisation=user.organisation).select_related(
        "membership"
    )


def access_user(user: User, code: uuid.UUID) -> User:
    """One user of the acting user's organisation; anyone else is 404, as if missing."""
    try:
        return users_visible_to(user).get(code=code)
    except User.DoesNotExist:
        raise Http404 from None


def colleagues(user: User, *capabilities: Capability) -> QuerySet[User]:
    """Active staff of the user's organisation whose role has any of ``capabilities``
    (who a task, a case or a duty shift can be given to), by name."""
    roles = [role for role, held in CAPABILITIES.items() if held & set(capabilities)]
    return User.objects.filter(
        is_active=True, membership__organisation=user.organisation, membership__role__in=roles
    ).order_by("full_name")


def coordinators(organisation: Organisation) -> QuerySet[User]:
    """The organisation's active coordinators (who assign cases and hand-overs)."""
    roles = [role for role, held in CAPABILITIES.items() if Capability.SEE_ALL_CASES in held]
    return User.objects.filter(
        is_active=True, membership__organisation=organisation, membership__role__in=roles
    )
