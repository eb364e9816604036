from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShelterConfig(AppConfig):
    name = "ostoja.shelter"
    verbose_name = _("Shelter")

    def ready(self) -> None:
        # Registers what this app tells the others: scopes, histories, its audit words.
        import ostoja.shelter.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.shelter import access, selectors  # noqa: F401
