"""The actions the shelter writes to the audit trail, in words (``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "shelter",
    {
        "facility.created": _("Shelter facility created"),
        "facility.listed": _("Shelter beds viewed"),
        "facility.viewed": _("Shelter facility viewed"),
        "facility.address_viewed": _("Sealed address of a shelter viewed"),
        "bed.use_changed": _("Shelter bed taken out of use or back into use"),
        "placement.listed": _("Shelter residents listed"),
        "placement.viewed": _("Shelter placement viewed"),
        "placement.reserved": _("Shelter bed reserved"),
        "placement.admitted": _("Person admitted to a shelter"),
        "placement.moved": _("Person moved to another bed"),
        "placement.discharged": _("Person discharged from a shelter"),
        "placement.cancelled": _("Shelter reservation cancelled"),
        "shift_entry.written": _("Shift book entry written"),
        "shift_book.viewed": _("Shift book read"),
        "waiting.added": _("Person put on the shelter waiting list"),
        "waiting.ended": _("Wait for a shelter place ended"),
        "waiting.listed": _("Shelter waiting list viewed"),
        "item.kept": _("Item taken into keeping for a shelter resident"),
        "item.returned": _("Kept item handed back against a receipt"),
        "placement.receipt_printed": _("Receipt for a resident's kept items printed"),
        "placement.plan_item_added": _("Step of the case plan added to a shelter stay"),
        "incident.recorded": _("Shelter incident recorded"),
        "incident.closed": _("Shelter incident closed with its follow-up"),
        "absence.started": _("Shelter resident went out"),
        "absence.ended": _("Shelter resident came back"),
        "absence.alarm_raised": _("Alarm raised: a shelter resident is not back"),
    },
    reads={
        "facility.address_viewed",
        "placement.listed",
        "placement.viewed",
        "placement.receipt_printed",
        "shift_book.viewed",
        "waiting.listed",
    },
)
