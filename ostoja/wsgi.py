import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from ostoja.lib.proxy import WSGIApp, client_address

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
application: WSGIApp = get_wsgi_application()
if settings.BEHIND_PROXY:
    application = client_address(application)
