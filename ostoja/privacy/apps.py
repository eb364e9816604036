from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The data protection officer's tools: the audit trail's review (who did and saw
    what, who has seen a record or a person's records, redaction), finding a record by case
    number or name (existence only), and the checkpoints mailed to the DPO."""

    name = "ostoja.privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        import ostoja.privacy.audit_labels  # noqa: F401  # the trail's words for its actions
