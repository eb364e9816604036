"""The actions identification writes to the audit trail, in words
(``ostoja.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from ostoja.audit.actions import register_actions

register_actions(
    "identification",
    {
        "identification.viewed": _("Identification of a person viewed"),
        "assessment.viewed": _("Indicator assessment viewed"),
        "assessment.summary_exported": _("Indicator assessment exported (PDF)"),
        "assessment.started": _("Indicator assessment started"),
        "assessment.answered": _("Indicator answered"),
        "assessment.continued": _("Indicator assessment continued"),
        "assessment.discarded": _("Indicator assessment discarded"),
        "identification.preliminary": _("Preliminary identification recorded"),
        "identification.decided": _("Identification decision recorded"),
        "identification.catalogue_added": _("Indicator catalogue added"),
    },
    reads={"identification.viewed", "assessment.viewed", "assessment.summary_exported"},
)
