from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    name = "ostoja.interventions"
    verbose_name = _("Interventions")

    def ready(self) -> None:
        # Registers what this app tells the others: scopes, sources, movers, histories.
        from ostoja.interventions import selectors, services  # noqa: F401
