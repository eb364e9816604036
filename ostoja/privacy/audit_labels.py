"""The actions the DPO's pages write to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions("privacy", {"audit.reviewed": _("Audit trail reviewed")})
