"""Propose an initiative, its page, edit and stage changes."""

from django.urls import path

from ..views import initiative as views

urlpatterns = [
    path("initiatives/new/", views.create, name="create"),
    path("initiatives/<slug:slug>/", views.detail, name="detail"),
    path("initiatives/<slug:slug>/edit/", views.edit, name="edit"),
    path("initiatives/<slug:slug>/stage/", views.stage, name="stage"),
]
