"""Statistics (issue #18): one definition per figure over every app, never an identity."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ostoja.reports"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        import ostoja.reports.audit_labels  # noqa: F401  # the trail's words for its actions
        import ostoja.reports.exports.audit_labels  # noqa: F401  # the trail's words for its actions
        import ostoja.reports.exports.tasks  # noqa: F401  # the queue's exports
