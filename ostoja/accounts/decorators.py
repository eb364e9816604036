"""Decorators for staff views: function-level capability checks and "sudo mode"."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from allauth.account.decorators import reauthentication_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from ostoja.accounts.roles import Capability
from ostoja.lib.http import AuthenticatedHttpRequest

type View[**P] = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponse]


def capability_required[**P](capability: Capability) -> Callable[[View[P]], View[P]]:
    """Refuse (403) a user whose role lacks ``capability`` (ASVS 8.2.1)."""

    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(
            request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            if not request.user.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def sudo_required[**P](view: View[P]) -> View[P]:
    """ "Sudo mode" (ASVS 7.5.3): the user must have re-entered their password or a second
    factor within the last ``OSTOJA_SUDO_MINUTES``; otherwise they are asked to, and come
    back to the same page. Safe reads (GET) pass; the state change they lead to does not."""
    wrapped: View[P] = reauthentication_required(view, allow_get=True)
    return wrapped
