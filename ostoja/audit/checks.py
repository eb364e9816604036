"""Deployment checks of the audit trail's anchors (``manage.py check --deploy``)."""

import stat
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks import CheckMessage, Tags, register

from ostoja.audit import checkpoints


@register(Tags.security, deploy=True)
def check_checkpoints(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The checkpoints must leave the server, and their file must be the app's alone. (A
    new instance has no file until the first hour: ``audit_verify`` says so.)"""
    found: list[CheckMessage] = []
    if not settings.OSTOJA_AUDIT_CHECKPOINT_MAIL:
        found.append(
            checks.Warning(
                "Audit checkpoints are not mailed to the DPOs: kept only on this server, "
                "they can be cut together with the trail they anchor.",
                hint="Set OSTOJA_AUDIT_CHECKPOINT_MAIL=true, or silence ostoja.audit.W001 "
                "if OSTOJA_AUDIT_CHECKPOINT_DIR is copied off this server.",
                id="ostoja.audit.W001",
            )
        )
    file = checkpoints.path()
    directory = file.parent
    if directory.is_dir() and stat.S_IMODE(directory.stat().st_mode) & 0o077:
        found.append(
            checks.Warning(
                f"{directory} can be read or written by others than Ostoja's own user.",
                hint=f"chmod 700 {directory}",
                id="ostoja.audit.W002",
            )
        )
    return found
