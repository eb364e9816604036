from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "ostoja.network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        import ostoja.network.audit_labels  # noqa: F401  # the trail's words for its actions
