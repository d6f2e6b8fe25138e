"""/api/v1/: each app's api.py exposes its own ``urlpatterns`` (a router)."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api")),
    path("", include("councils.api")),
    path("", include("initiatives.api")),
]
