"""The actions the interventions write to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "interventions",
    {
        "intervention.listed": _("Board of interventions viewed"),
        "intervention.viewed": _("Intervention viewed"),
        "intervention.opened": _("Emergency intervention opened"),
        "intervention.acknowledged": _("Intervention acknowledged"),
        "intervention.person_added": _("Person added to an intervention"),
        "intervention.action_logged": _("Action of an intervention logged"),
        "intervention.case_opened": _("Case opened from an intervention"),
        "intervention.handed_over": _("Intervention handed over"),
        "intervention.handover_acknowledged": _("Hand-over of an intervention acknowledged"),
        "intervention.handover_escalated": _("Hand-over of an intervention escalated"),
        "intervention.closed": _("Intervention closed"),
    },
    reads={"intervention.listed", "intervention.viewed"},
)
