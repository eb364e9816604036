from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentificationConfig(AppConfig):
    name = "ostoja.identification"
    verbose_name = _("Identification")

    def ready(self) -> None:
        # Registers what this app tells the others: scopes, sources, movers, histories.
        import ostoja.identification.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.identification import selectors, services  # noqa: F401
