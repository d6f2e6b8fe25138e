"""Platform admins' moderation queue of flagged comments, under ``moderation/``."""

from django.urls import path

from . import discussion_views as views

urlpatterns = [
    path("flags/", views.moderation_flags, name="moderation_flags"),
    path("flags/<int:pk>/resolve/", views.moderation_flag_resolve, name="moderation_flag_resolve"),
]
