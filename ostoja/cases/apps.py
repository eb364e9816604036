from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ostoja.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # Registers what this app tells the others: scopes, sources, movers, histories.
        import ostoja.cases.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.cases import access, selectors, services  # noqa: F401
