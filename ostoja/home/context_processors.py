from django.http import HttpRequest

from ostoja.accounts.mfa import has_mfa
from ostoja.home.navigation import NavItem, navigation_for


def shell(request: HttpRequest) -> dict[str, list[NavItem]]:
    """The navigation of the top bar, for a fully signed-in user (second factor included)."""
    user = request.user
    if not user.is_authenticated or not has_mfa(user):
        return {"navigation": []}
    return {"navigation": navigation_for(user)}
