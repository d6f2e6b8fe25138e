"""Catalogue, open data, create/edit, stage changes and the initiative page."""

from django.urls import path

from . import views

urlpatterns = [
    path("initiatives/", views.catalogue, name="catalogue"),
    path("initiatives.csv", views.initiatives_csv, name="csv"),
    path("initiatives/new/", views.create, name="create"),
    path("initiatives/similar/", views.similar, name="similar"),
    path("initiatives/<slug:slug>/", views.detail, name="detail"),
    path("initiatives/<slug:slug>/edit/", views.edit, name="edit"),
    path("initiatives/<slug:slug>/stage/", views.stage, name="stage"),
]
