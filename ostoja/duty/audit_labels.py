"""The actions the duty roster writes to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "duty",
    {
        "shift.added": _("Duty shift added"),
        "shift.removed": _("Duty shift removed"),
        "shift.handover_written": _("Hand-over note of a shift written"),
        "shift.swap_asked": _("Shift swap asked"),
        "shift.swap_answered": _("Shift swap answered"),
        "duty_phone.changed": _("Duty phone number changed"),
        "duty_settings.changed": _("Office hours and escalation settings changed"),
    },
)
