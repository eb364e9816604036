from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ostoja.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        import ostoja.audit.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.audit import checks, receivers  # noqa: F401  # registers them

        post_migrate.connect(_install_guards, sender=self)


def _install_guards(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """After every migrate and flush: the append-only guards and the chain's head."""
    from django.db import connections

    from ostoja.audit import guards

    guards.install(connections[using])
