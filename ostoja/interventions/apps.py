from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "ostoja.interventions"
    verbose_name = _("Interventions")

    def ready(self) -> None:
        # Registers what this app tells the others: scopes, sources, movers, histories.
        import ostoja.interventions.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.interventions import selectors, services  # noqa: F401
