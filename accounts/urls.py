"""Account pages beyond allauth's: profile, API tokens, supplier access requests."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("request-access/", views.request_access, name="request_access"),
]
