"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collab_platform.settings")
# Web requests get the short statement timeout (settings.DB_STATEMENT_TIMEOUT_MS).
os.environ.setdefault("PROCESS_KIND", "web")
django_asgi_app = get_asgi_application()

from core import daphne_fixes  # noqa: E402

# daphne must close, not hang, a connection whose streamed response failed.
daphne_fixes.apply()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
