"""The actions prevention writes to the audit trail, in words (``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "prevention",
    {
        "counselling.listed": _("Pre-departure counselling list viewed"),
        "counselling.viewed": _("Pre-departure counselling viewed"),
        "counselling.created": _("Pre-departure counselling recorded"),
        "counselling.updated": _("Pre-departure counselling changed"),
        "counselling.plan_exported": _("Safety plan downloaded"),
        "check_in_series.started": _("Check-ins abroad started"),
        "check_in_series.stopped": _("Check-ins abroad stopped"),
        "check_in_series.finished": _("Check-ins abroad finished"),
        "check_in.sent": _("Check-in sent"),
        "check_in.failed": _("Check-in could not be sent"),
        "check_in.missed": _("Check-in not answered in time"),
        "check_in.answered": _("Check-in answered"),
    },
    reads={"counselling.listed", "counselling.viewed", "counselling.plan_exported"},
)
