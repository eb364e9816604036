from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The shell every page shares: dashboard, navigation, health check, error pages."""

    name = "ostoja.home"
    verbose_name = _("Home")

    def ready(self) -> None:
        from ostoja.home import checks  # noqa: F401  # registers the checks
