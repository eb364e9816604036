from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "ostoja.network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        # Registers what this app tells the others: its actions' words, sources, histories.
        import ostoja.network.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.network import access, selectors  # noqa: F401
