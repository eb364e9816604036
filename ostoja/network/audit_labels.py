"""The actions the partner network writes to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "network",
    {
        "partner.viewed": _("Partner viewed"),
        "partner.added": _("Partner added to the directory"),
        "partner.changed": _("Partner's details changed"),
        "partner.service_added": _("Partner's service added"),
        "partner.service_changed": _("Partner's service changed"),
        "partner.service_removed": _("Partner's service removed"),
        "partner.contact_added": _("Person at a partner added"),
        "partner.contact_changed": _("Person at a partner changed"),
        "partner.contact_removed": _("Person at a partner removed"),
        "consultation.listed": _("Consultations for institutions listed"),
        "consultation.viewed": _("Consultation viewed"),
        "consultation.logged": _("Consultation for an institution logged"),
        "consultation.changed": _("Consultation changed"),
        "consultation.follow_up_done": _("Follow-up of a consultation done"),
        "consultation.case_opened": _("Case opened from a consultation"),
        "consultation.intervention_opened": _("Intervention opened from a consultation"),
        "training.recorded": _("Training or presentation recorded"),
        "referral.listed": _("Referrals of a case listed"),
        "referral.viewed": _("Referral viewed"),
        "referral.sent": _("Client referred to a partner (data disclosed)"),
        "referral.answered": _("Partner's answer to a referral recorded"),
        "referral.document_downloaded": _("Referral summary downloaded"),
        "incoming_referral.listed": _("Incoming referrals listed"),
        "incoming_referral.viewed": _("Incoming referral viewed"),
        "incoming_referral.received": _("Referral from an institution received"),
        "incoming_referral.decided": _("Referral from an institution accepted or declined"),
        "interpreter.listed": _("Interpreters listed"),
        "interpreter.added": _("Interpreter added to the registry"),
        "interpreter.booked": _("Interpreter booked"),
        "directory.exported": _("Partner directory exported (HSDS)"),
        "directory.imported": _("Partners imported into the directory (HSDS)"),
    },
    # The page of a partner shows the people who work there.
    reads={
        "partner.viewed",
        "directory.exported",
        "consultation.listed",
        "consultation.viewed",
        "referral.listed",
        "referral.viewed",
        "referral.document_downloaded",
        "incoming_referral.listed",
        "incoming_referral.viewed",
        "interpreter.listed",
    },
)
