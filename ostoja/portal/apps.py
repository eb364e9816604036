from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public site (ARCHITECTURE.md §1): information in five languages, quick exit.
    Its words are its own gettext catalogue (``ostoja/portal/locale``), kept complete in
    all five languages by ``manage.py translations check``."""

    name = "ostoja.portal"
    verbose_name = "Portal"
