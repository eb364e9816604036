"""The actions the accounts write to the audit trail, in words (``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "accounts",
    {
        "user.listed": _("Staff list viewed"),
        "user.viewed": _("Staff member's account viewed"),
        "user.invited": _("Staff member invited"),
        "user.invitation_resent": _("Invitation sent again"),
        "user.updated": _("Staff member's account changed"),
        "user.sessions_ended": _("Staff member's sessions ended"),
        "user.factors_reset": _("Staff member's second factors reset"),
        "user.notice_preferences_changed": _("Notification preferences changed"),
        "access.glass_broken": _("Emergency access to a record (break the glass)"),
    },
    reads={"user.listed", "user.viewed"},
)
