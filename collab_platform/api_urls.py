"""/api/v1/: each app's API package exposes its own ``urlpatterns`` (routers)."""

from django.urls import include, path

urlpatterns = [
    path("", include("councils.api")),
    path("", include("initiatives.api")),
    path("", include("swot.api")),
    path("", include("notifications.api")),
]
