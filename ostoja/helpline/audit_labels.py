"""The actions the helpline writes to the audit trail, in words (``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "helpline",
    {
        "contact.listed": _("Contact list viewed"),
        "contact.viewed": _("Contact viewed"),
        "contact.attachment_downloaded": _("Attachment of a contact downloaded"),
        "contact.started": _("Contact started"),
        "contact.saved": _("Contact saved"),
        "contact.completed": _("Contact completed"),
        "contact.discarded": _("Draft contact discarded"),
        "contact.received": _("Message received"),
        "contact.erased": _("Anonymous message erased (report abandoned)"),
        "contact.replied": _("Reply sent"),
        "contact.linked": _("Contact linked to a record"),
        "contact.unlinked": _("Contact unlinked from a record"),
        "contact.tallies_rebuilt": _("Contact statistics recounted"),
        "follow_up.listed": _("Follow-ups viewed"),
        "follow_up.added": _("Follow-up added"),
        "follow_up.done": _("Follow-up done"),
        # call.<state>: one per Call.State
        "call.ringing": _("Call ringing"),
        "call.answered": _("Call answered"),
        "call.ended": _("Call ended"),
        "call.screen_opened": _("Live-call screen opened"),
    },
    reads={
        "contact.listed",
        "contact.viewed",
        "contact.attachment_downloaded",
        "follow_up.listed",
        "call.screen_opened",
    },
)
