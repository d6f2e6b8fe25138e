"""Moderation: flagging a comment (relative to ``initiatives/<slug>/``) and
the platform admins' queue of flags (under ``moderation/``)."""

from django.urls import path

from ..views import moderation as views

comment_urlpatterns = [
    path("comments/<int:pk>/flag/", views.comment_flag, name="comment_flag"),
]

urlpatterns = [
    path("flags/", views.moderation_flags, name="moderation_flags"),
    path("flags/<int:pk>/resolve/", views.moderation_flag_resolve, name="moderation_flag_resolve"),
]
