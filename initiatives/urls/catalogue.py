"""The catalogue, the open-data CSV and the duplicate check."""

from django.urls import path

from ..views import catalogue as views

urlpatterns = [
    path("initiatives/", views.catalogue, name="catalogue"),
    path("initiatives.csv", views.initiatives_csv, name="csv"),
    path("initiatives/similar/", views.similar, name="similar"),
]
