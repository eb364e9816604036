from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ostoja.people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Registers what this app tells the others: scopes, sources, merge movers.
        import ostoja.people.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.people import access  # noqa: F401
