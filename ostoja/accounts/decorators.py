"""Decorators for staff views: function-level capability checks and "sudo mode"."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from allauth.account.decorators import reauthentication_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from ostoja.accounts.http import AuthenticatedHttpRequest
from ostoja.accounts.models import User
from ostoja.accounts.roles import Capability

type View[**P] = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponse]


def permission_required_by[**P](
    test: Callable[[User], bool],
) -> Callable[[View[P]], View[P]]:
    """Refuse (403) a user for whom ``test`` is false (ASVS 8.2.1)."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(
            request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def capability_required[**P](capability: Capability) -> Callable[[View[P]], View[P]]:
    """Refuse (403) a user whose role lacks ``capability``."""
    return permission_required_by(lambda user: user.can(capability))


def sudo_required[**P](view: View[P]) -> View[P]:
    """ "Sudo mode" (ASVS 7.5.3): the user must have re-entered their password or a second
    factor within the last ``OSTOJA_SUDO_MINUTES``; otherwise they are asked to, and come
    back to the same page (a POST is replayed as typed).

    GET included: every export and download of personal data (a PDF, a sealed document,
    an attachment) is a GET, and a session left open on a desk must not hand them out.
    Apply it to every view that exports or downloads personal data, and to every
    sensitive change (roles, merges, breaking the glass)."""
    wrapped: View[P] = reauthentication_required(view, allow_get=False)
    return wrapped
