"""URLs of the notifications app."""

from django.urls import path

from .views.settings import notification_settings
from .views.unsubscribe import unsubscribe_page

app_name = "notifications"

urlpatterns: list = [
    path("settings/", notification_settings, name="settings"),
    path("unsubscribe/<str:token>/", unsubscribe_page, name="unsubscribe"),
]
