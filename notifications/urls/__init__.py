"""``/notifications/`` (namespace ``notifications``): a person's own pages,
their settings and the one-click unsubscribe. The feed pages
(``urls/feeds.py``, ``/activity/``) and the staff digest pages
(``urls/digests.py``, ``/staff/digests/``) are mounted by
``collab_platform.urls`` at the addresses people know, in namespaces of
their own."""

from django.urls import path

from ..views.settings import notification_settings
from ..views.unsubscribe import unsubscribe_page

app_name = "notifications"

urlpatterns: list = [
    path("settings/", notification_settings, name="settings"),
    path("unsubscribe/<str:token>/", unsubscribe_page, name="unsubscribe"),
]
