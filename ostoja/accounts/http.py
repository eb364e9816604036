"""The request type of staff views."""

from django.http import HttpRequest

from ostoja.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that passed the login and MFA middleware: ``user`` is a staff ``User``."""

    user: User
