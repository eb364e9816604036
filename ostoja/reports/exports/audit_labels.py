"""The actions the official exports write to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "reports",
    {
        "statistics.exported": _("Statistics exported"),
        "statistics.export_queued": _("Statistics export requested on the task queue"),
        "statistics.export_downloaded": _("Prepared statistics export downloaded"),
        "statistics.threshold_changed": _("Smallest group published in exports changed"),
    },
    reads={"statistics.exported", "statistics.export_downloaded"},
)
