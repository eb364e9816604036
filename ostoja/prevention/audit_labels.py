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
    },
    reads={"counselling.listed", "counselling.viewed", "counselling.plan_exported"},
)
