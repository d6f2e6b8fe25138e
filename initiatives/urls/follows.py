"""Follow and unfollow, relative to ``initiatives/<slug>/``."""

from django.urls import path

from ..views import follows as views

urlpatterns = [
    path("follow/", views.follow, name="follow"),
    path("unfollow/", views.unfollow, name="unfollow"),
]
