"""The actions the audit trail writes itself (sign-ins, second factors, redaction), in
words (``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions
from ostoja.audit.models import REDACTION

register_actions(
    "audit",
    {
        "auth.signed_in": _("Signed in"),
        "auth.signed_out": _("Signed out"),
        "auth.sign_in_failed": _("Failed sign-in"),
        "user.password_changed": _("Password changed"),
        "user.factor_added": _("Second factor added"),
        "user.factor_removed": _("Second factor removed"),
        REDACTION: _("Data of an audit entry redacted"),
    },
)
