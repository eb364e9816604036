from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ostoja.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        import ostoja.accounts.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.accounts import receivers  # noqa: F401  # connects the receivers
