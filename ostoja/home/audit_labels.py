"""The actions the shell writes to the audit trail, in words (``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

# The entry says how much each kind of result found, never what was typed.
register_actions("home", {"search.performed": _("Search")})
