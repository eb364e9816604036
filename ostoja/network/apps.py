from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "ostoja.network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        # Registers what this app tells the others: its actions' words, sources, histories.
        import ostoja.network.audit_labels  # noqa: F401  # the trail's words for its actions
        from ostoja.accounts.disclosures import register_recorder
        from ostoja.network import access, selectors, services  # noqa: F401

        # The disclosure ledger is this app's model; the apps below it record through the
        # door in accounts (``ostoja.accounts.disclosures``).
        register_recorder(services.disclosure_create)
