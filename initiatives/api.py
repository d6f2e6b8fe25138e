"""/api/v1/ initiative endpoints, one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("initiatives.api_initiatives")),
    path("", include("initiatives.api_partnerships")),
    path("", include("initiatives.api_discussion")),
]
