from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """No models: the app is installed so that ``manage.py demo`` is found."""

    name = "ostoja.demo"
    verbose_name = _("Demo data")
