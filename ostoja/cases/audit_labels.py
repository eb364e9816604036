"""The actions the cases write to the audit trail, in words (``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "cases",
    {
        "case.listed": _("Case list viewed"),
        "case.viewed": _("Case viewed"),
        "case.document_downloaded": _("Case document downloaded"),
        "case.summary_exported": _("Case summary exported (PDF)"),
        "case.opened": _("New case opened"),
        "case.updated": _("Case changed"),
        "case.status_changed": _("Case status changed"),
        "case.team_changed": _("Case team changed"),
        "case.client_added": _("Client added to a case"),
        # case.<record>_added: one per kind of record (cases.services.RECORDS)
        "case.route_added": _("Route stop added to a case"),
        "case.goal_added": _("Goal added to a case"),
        "case.service_added": _("Service recorded on a case"),
        "case.decision_added": _("Client's decision recorded on a case"),
        "case.consent_added": _("Consent recorded on a case"),
        "case.deadline_added": _("Deadline added to a case"),
        "case.risk_added": _("Risk assessment added to a case"),
        "case.note_added": _("Note added to a case"),
        "case.document_added": _("Document added to a case"),
        "case.action_added": _("Action added to a case's plan"),
        "case.action_changed": _("Action of a case's plan changed"),
        "case.goal_changed": _("Goal of a case changed"),
        "case.consent_withdrawn": _("Consent withdrawn"),
        "case.deadline_met": _("Deadline met"),
    },
    reads={"case.listed", "case.viewed", "case.document_downloaded", "case.summary_exported"},
)
