from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "ostoja.prevention"
    verbose_name = _("Prevention")

    def ready(self) -> None:
        # Registers what this app tells the others: the contact's source, its histories, and
        # (services) the claimer of the check-ins' replies that come in to the helpline.
        import ostoja.prevention.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.prevention import access, selectors, services  # noqa: F401
