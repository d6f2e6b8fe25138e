"""Profile editing: one set of routes for every part in ``profile_parts``."""

from django.urls import path

from ..views import profiles as views

urlpatterns = [
    path("<slug:slug>/profile/", views.profile_edit, name="profile_edit"),
    path("<slug:slug>/profile/<str:facet>/add/", views.facet_add, name="facet_add"),
    path("<slug:slug>/profile/<str:facet>/<int:pk>/edit/", views.facet_edit, name="facet_edit"),
    path(
        "<slug:slug>/profile/<str:facet>/<int:pk>/delete/",
        views.facet_delete,
        name="facet_delete",
    ),
]
