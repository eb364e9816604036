"""Decorators for staff views: function-level capability checks and "sudo mode"."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from allauth.account.decorators import reauthentication_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from ostoja.accounts.models import User
from ostoja.accounts.roles import Capability
from ostoja.lib.http import AuthenticatedHttpRequest

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
    back to the same page. Safe reads (GET) pass; the state change they lead to does not."""
    wrapped: View[P] = reauthentication_required(view, allow_get=True)
    return wrapped
