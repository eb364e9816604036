from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from ostoja.lib.metrics import failed_sign_in


class HomeConfig(AppConfig):
    """The shell every page shares: dashboard, navigation, health check, error pages."""

    name = "ostoja.home"
    verbose_name = _("Home")

    def ready(self) -> None:
        import ostoja.home.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.home import checks  # noqa: F401  # registers the checks

        connection_created.connect(owner_only, dispatch_uid="ostoja-sqlite-owner-only")
        user_login_failed.connect(failed_sign_in, dispatch_uid="ostoja-metrics-sign-in")


def owner_only(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """An embedded SQLite database's files are its owner's alone (0600), like the keys —
    also those a previous version created world-readable."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        if path.is_file() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
