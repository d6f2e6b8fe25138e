"""Account pages beyond allauth's: profile and API tokens.

``collab_platform.urls`` mounts these in the ``accounts`` namespace together
with the organisations app's access-request page (``accounts:request_access``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
