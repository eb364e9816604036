"""Authorised fetches of staff accounts (STYLE.md: every authorised fetch is here)."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from ostoja.accounts.models import User


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
