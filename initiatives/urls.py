"""Initiative pages. Each area keeps its own URL module; names share the
``initiatives`` namespace."""

from django.urls import include, path

app_name = "initiatives"

urlpatterns = [
    path("", include("initiatives.urls_catalogue")),
    path("initiatives/<slug:slug>/", include("initiatives.urls_partnerships")),
    path("initiatives/<slug:slug>/", include("initiatives.urls_discussion")),
    path("moderation/", include("initiatives.urls_moderation")),
]
