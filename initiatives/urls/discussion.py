"""Updates and comments, relative to ``initiatives/<slug>/``."""

from django.urls import path

from ..views import discussion as views

urlpatterns = [
    path("updates/new/", views.update_create, name="update_create"),
    path("comments/", views.comment_create, name="comment_create"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
]
