"""The actions the official exports write to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "reports",
    {
        "statistics.exported": _("Statistics exported"),
        "statistics.threshold_changed": _("Smallest group published in exports changed"),
    },
    reads={"statistics.exported"},
)
