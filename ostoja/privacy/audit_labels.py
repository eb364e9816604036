"""The actions the DPO's pages write to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

# One per search: how it searched and how many records it showed — never what was typed.
SEARCHED = "audit.searched"
# One per record a search showed (targeting it): so that "who has seen" a record shows
# that the DPO learned it exists, and why (the purpose).
FOUND = "audit.record_found"

register_actions(
    "privacy",
    {
        "audit.reviewed": _("Audit trail reviewed"),
        "disclosure.listed": _("Disclosure ledger reviewed"),
        SEARCHED: _("Record looked up by the data protection officer"),
        FOUND: _("Shown in the data protection officer's search"),
        # The DPO's records (GDPR Art. 30, 33, 35).
        "processing_record.viewed": _("Record of processing activities viewed"),
        "processing_record.pdf_downloaded": _("Record of processing activities downloaded"),
        "dpia.listed": _("Impact assessment register viewed"),
        "dpia.viewed": _("Impact assessment viewed"),
        "dpia.recorded": _("Impact assessment recorded"),
        "dpia.updated": _("Impact assessment changed"),
        "dpia.pdf_downloaded": _("Impact assessment register downloaded"),
        "breach.listed": _("Breach log viewed"),
        "breach.viewed": _("Data breach viewed"),
        "breach.recorded": _("Data breach recorded"),
        "breach.updated": _("Data breach updated"),
        "breach.pdf_downloaded": _("Breach log downloaded"),
        "subject_request.received": _("Data protection request registered"),
        "subject_request.verified": _("Identity verified for a data protection request"),
        "subject_request.approved": _("Data protection request approved"),
        "subject_request.refused": _("Data protection request refused"),
        "subject_request.rectified": _("Record corrected at the person's request"),
        "subject_request.exported": _("Copy of the person's data produced for them"),
        "subject_request.erased": _("Person's data erased at their request"),
        "subject_request.listed": _("Data protection requests listed"),
        "subject_request.viewed": _("Data protection request viewed"),
        # Retention and erasure (``privacy.services``): the purpose says why.
        "person.anonymised": _("Person anonymised"),
        "case.anonymised": _("Case anonymised"),
        "contact.anonymised": _("Contact anonymised"),
        "legal_hold.set": _("Legal hold set"),
        "legal_hold.lifted": _("Legal hold lifted"),
        "retention_schedule.confirmed": _("Retention schedule confirmed"),
        "retention_plan.viewed": _("Next retention run previewed"),
        "legal_hold.listed": _("Legal holds reviewed"),
    },
    reads={
        SEARCHED,
        FOUND,
        "disclosure.listed",
        "retention_plan.viewed",
        "legal_hold.listed",
        "processing_record.viewed",
        "processing_record.pdf_downloaded",
        "dpia.listed",
        "dpia.viewed",
        "dpia.pdf_downloaded",
        "breach.listed",
        "breach.viewed",
        "breach.pdf_downloaded",
        "subject_request.exported",
        "subject_request.listed",
        "subject_request.viewed",
    },
)
