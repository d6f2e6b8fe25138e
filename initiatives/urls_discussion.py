"""Updates, discussion and custom cost shares, relative to
``initiatives/<slug>/`` (namespace ``initiatives``)."""

from django.urls import path

from . import discussion_views as views

urlpatterns = [
    path("updates/new/", views.update_create, name="update_create"),
    path("comments/", views.comment_create, name="comment_create"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/flag/", views.comment_flag, name="comment_flag"),
    path("cost-shares/", views.cost_shares, name="cost_shares"),
]
