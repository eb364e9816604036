from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplineConfig(AppConfig):
    name = "ostoja.helpline"
    verbose_name = _("Helpline")

    def ready(self) -> None:
        # Registers what this app tells the others: scopes, sources, movers, histories.
        import ostoja.helpline.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.helpline import access, selectors, services  # noqa: F401
