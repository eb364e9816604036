from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ostoja.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ostoja.accounts import receivers  # noqa: F401  # connects the receivers
