"""System checks of Ostoja's own security set-up."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

CSRF_MIDDLEWARE = "ostoja.home.middleware.CsrfViewMiddleware"


@register(Tags.security, deploy=True)
def check_csrf_middleware(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Stands in for Django's security.W003, which looks for Django's own class by name:
    ours is a subclass (see its docstring) and must be installed."""
    if CSRF_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [Error(f"{CSRF_MIDDLEWARE} must be in MIDDLEWARE", id="ostoja.E001")]
