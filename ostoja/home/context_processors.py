from typing import Any

from django.conf import settings
from django.http import HttpRequest

from ostoja.accounts.mfa import mfa_confirmed
from ostoja.accounts.services import unread_count
from ostoja.home.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """The navigation of the top bar, for a fully signed-in user (second factor included),
    and how often the helpline's pages ask whether an answered call waits for its screen."""
    user = request.user
    poll = {"incoming_poll_seconds": settings.OSTOJA_INCOMING_POLL_SECONDS}
    if not user.is_authenticated or not mfa_confirmed(request):
        return {"navigation": []} | poll
    return {
        "navigation": navigation_for(user),
        "unread_notices": unread_count(user),
    } | poll
