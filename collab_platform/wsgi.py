"""WSGI entry point (management tools; the web process serves ASGI)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab_platform.settings")
# Web requests get the short statement timeout (settings.DB_STATEMENT_TIMEOUT_MS).
os.environ.setdefault("PROCESS_KIND", "web")
application = get_wsgi_application()
