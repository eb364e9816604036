from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "ostoja.duty"
    verbose_name = _("Duty roster")

    def ready(self) -> None:
        import ostoja.duty.audit_labels  # noqa: F401  # the trail's words for its actions
